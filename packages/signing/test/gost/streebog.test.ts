/** Streebog (GOST 34.11-2015) against the standard's examples, gost-engine and the KZ vectors. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Streebog, streebog256, streebog512 } from '../../src/gost/streebog.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** RFC 6986 prints messages and hashes as big-endian numbers: memory order is the reverse. */
const fromRfc = (printed: string) => Buffer.from(printed, 'hex').reverse();
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('Streebog', () => {
  it('hashes the standard examples M1 and M2 (RFC 6986 section 10)', () => {
    const m1 = fromRfc(
      '323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130',
    );
    expect(m1.toString('latin1')).toBe('012345678901234567890123456789012345678901234567890123456789012');
    expect(hex(streebog512(m1))).toBe(
      hex(
        fromRfc(
          '486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b',
        ),
      ),
    );
    expect(hex(streebog256(m1))).toBe(hex(fromRfc('00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d')));
    const m2 = fromRfc(
      'fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1',
    );
    expect(hex(streebog512(m2))).toBe(
      hex(
        fromRfc(
          '28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f037613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e',
        ),
      ),
    );
    expect(hex(streebog256(m2))).toBe(hex(fromRfc('508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d')));
  });

  it('agrees with gost-engine on messages around the block edges', () => {
    const { vectors } = JSON.parse(fixture('streebog-gost-engine.json')) as {
      vectors: { message: string; streebog256: string; streebog512: string }[];
    };
    expect(vectors.length).toBeGreaterThan(20);
    for (const v of vectors) {
      const message = Buffer.from(v.message, 'hex');
      expect(hex(streebog512(message)), `${message.length} bytes`).toBe(v.streebog512);
      expect(hex(streebog256(message)), `${message.length} bytes`).toBe(v.streebog256);
    }
  });

  it('gives the digest of the KZ test vectors (Kalkan key material)', () => {
    const vectors = Object.fromEntries(
      fixture('test_gost512.vectors')
        .trim()
        .split('\n')
        .map((line) => line.split('=') as [string, string]),
    );
    expect(hex(streebog512(new TextEncoder().encode(vectors.msg)))).toBe(vectors.digest);
  });

  it('hashes the same in any chunking', () => {
    const data = Uint8Array.from({ length: 333 }, (_, i) => (i * 151 + 7) & 0xff);
    const whole = hex(streebog512(data));
    for (const size of [1, 7, 63, 64, 65, 200]) {
      const incremental = new Streebog(512);
      for (let i = 0; i < data.length; i += size) incremental.update(data.subarray(i, i + size));
      expect(hex(incremental.digest()), `chunks of ${size}`).toBe(whole);
    }
  });

  it('refuses to be used after digest()', () => {
    const hash = new Streebog(256);
    hash.digest();
    expect(() => hash.update(new Uint8Array(1))).toThrow();
    expect(() => hash.digest()).toThrow();
  });
});
