/**
 * The fixtures are seed 000's section 2 samples as printed (line wraps aside): checked against the
 * seed's text, so a fixture cannot drift from the document (seed-samples.json lists their lines
 * and repairs).
 */
import { readdirSync } from 'node:fs';
import { type SeedSample, sampleStarts, seedDrift } from '@kz/soap/testing';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture } from './fixture-support.js';

const samples = JSON.parse(fixture('seed-samples.json')) as SeedSample[];
/** Section 2 (SessionService) of seed 000; section 3 belongs to @kz/isgo. */
const SECTION_2 = [1, 654] as const;

describe('the fixtures are the seed samples as printed', () => {
  it.each(samples.map((s) => [s.fixture, s] as const))('%s', (_, sample) => {
    expect(seedDrift(sample, fixture(sample.fixture))).toBeUndefined();
  });

  it('every XML sample of section 2 has its fixture, and every fixture is a seed sample', () => {
    const firstLines = new Set(samples.map((s) => s.lines[0]));
    const starts = sampleStarts('000_5068d2fb12d31dec.txt').filter((l) => l >= SECTION_2[0] && l <= SECTION_2[1]);
    expect(starts.length).toBe(12);
    expect(starts.filter((line) => !firstLines.has(line))).toEqual([]);
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));
    expect(files.sort()).toEqual(samples.map((s) => s.fixture).sort());
  });
});
