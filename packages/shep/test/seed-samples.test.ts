/**
 * Seed 001 (the SHEP rules) describes every message as a field table and prints no XML sample:
 * so no fixture can be a sample as printed, and each says it is CONSTRUCTED from its table.
 */
import { readdirSync } from 'node:fs';
import { sampleStarts, seedLines } from '@kz/soap/testing';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture } from './fixture-support.js';

describe('seed 001 has no XML sample; every fixture is constructed and says so', () => {
  it('the seed prints no XML', () => {
    expect(sampleStarts('001_195dff36f364203d.txt')).toEqual([]);
    expect(seedLines('001_195dff36f364203d.txt', 1, 2515)).not.toMatch(/<[A-Za-z][\w:-]*[\s>]/);
  });

  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')))('%s', (file) => {
    expect(fixture(file)).toMatch(/^(<\?xml [^>]*\?>\s*)?<!-- CONSTRUCTED from (table "[^"]+"|the fault table)/);
  });
});
