/**
 * The JSON examples are seed 002's, checked against the seed's text so a fixture cannot drift
 * (test/fixtures/seed-samples.json lists each file's seed lines and its repairs).
 *
 * Normalisation for this seed: all whitespace is removed on both sides, non-breaking spaces too.
 * The PDF extraction of 002 broke lines inside string values and indented with U+00A0, so its
 * whitespace cannot be trusted even inside strings; every other character must match. A sample
 * starts at the first `{`, `[` or `"` of its first line (table text before an inline example is
 * not part of it). Repairs, only where the printed example does not parse as JSON, are `from` ->
 * `to` replacements on that text, each with its reason (the README's table says the same).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seedLines } from '@kz/soap/testing';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureNames } from './fixture-support.js';

interface Sample {
  fixture: string;
  lines: [number, number];
  repairs?: { from: string; to: string }[];
  why?: string;
  /** The seed prints the document base64-encoded; the fixture is the decoded JSON. */
  decodedFromBase64?: boolean;
}

const SEED = '002_1dbe1c542d8ec854.txt';
const samples = JSON.parse(readFileSync(path.join(FIXTURES, '..', 'seed-samples.json'), 'utf8')) as Sample[];
const squeeze = (text: string) => text.replace(/[\s\u00a0]+/g, '');

function expectedText(sample: Sample): string {
  const printed = seedLines(SEED, sample.lines[0], sample.lines[1]);
  if (sample.decodedFromBase64) return squeeze(Buffer.from(squeeze(printed), 'base64').toString('utf8'));
  const starts = ['{', '[', '"'].map((c) => printed.indexOf(c)).filter((i) => i >= 0);
  let text = squeeze(printed.slice(Math.min(...starts)));
  for (const { from, to } of sample.repairs ?? []) {
    const at = text.indexOf(from);
    if (at === -1 || text.indexOf(from, at + 1) !== -1)
      throw new Error(`${sample.fixture}: repair ${from} is not unique`);
    text = text.slice(0, at) + to + text.slice(at + from.length);
  }
  return text;
}

describe('the JSON examples are the seed examples as printed', () => {
  it('every fixture has its entry', () => {
    expect(samples.map((s) => s.fixture).sort()).toEqual(fixtureNames());
  });

  it.each(samples.map((s) => [s.fixture, s] as const))('%s', (_, sample) => {
    if (sample.repairs || sample.decodedFromBase64) expect(sample.why).toBeTruthy();
    expect(squeeze(readFileSync(path.join(FIXTURES, sample.fixture), 'utf8'))).toBe(expectedText(sample));
  });

  it('a changed fixture is caught', () => {
    const sample = samples.find((s) => s.fixture === 'createCisesOrder.request.json') as Sample;
    const text = readFileSync(path.join(FIXTURES, sample.fixture), 'utf8');
    expect(squeeze(text.replace(/\d/, (d) => String((Number(d) + 1) % 10)))).not.toBe(expectedText(sample));
  });
});
