/** GOST R 34.11-94 with the Test parameter set (GOST 34.311-95): published vectors and gost-engine. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gost3411_94 } from '../../src/gost/gost94.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const digestOf = (text: string) => hex(gost3411_94(new TextEncoder().encode(text)));

describe('GOST R 34.11-94, Test parameter set', () => {
  it('hashes the RFC 5831 examples (section 7.3.1)', () => {
    expect(digestOf('This is message, length=32 bytes')).toBe(
      'b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa',
    );
    expect(digestOf('Suppose the original message has length = 50 bytes')).toBe(
      '471aba57a60a770d3a76130635c1fbea4ef14de51f78b4ae57dd893b62f55208',
    );
  });

  it('hashes the widely published examples (empty, the quick brown fox)', () => {
    expect(digestOf('')).toBe('ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d');
    expect(digestOf('The quick brown fox jumps over the lazy dog')).toBe(
      '77b7fa410c9ac58a25f49bca7d0468c9296529315eaca76bd1a10f376d1f4294',
    );
  });

  it('agrees with gost-engine (gostsum -t) around the block edges', () => {
    const { vectors } = JSON.parse(readFileSync(new URL('fixtures/gost94-gostsum.json', import.meta.url), 'utf8')) as {
      vectors: { message: string; gost3411_94_test: string }[];
    };
    expect(vectors.length).toBeGreaterThan(10);
    for (const v of vectors) {
      expect(hex(gost3411_94(Buffer.from(v.message, 'hex'))), `${v.message.length / 2} bytes`).toBe(v.gost3411_94_test);
    }
  });
});
