/** Shared by the GOST tests: fixtures and the KZ test vectors. */
import { readFileSync } from 'node:fs';

export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export function fixture(name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`fixtures/${name}`, import.meta.url)));
}

/** test_gost512.vectors: `key=hex` lines (integers d, qx, qy printed big-endian). */
export const VECTORS = Object.fromEntries(
  fixture('test_gost512.vectors')
    .trim()
    .split('\n')
    .map((line) => line.split('=') as [string, string]),
) as Record<'msg' | 'digest' | 'd' | 'qx' | 'qy' | 'sig' | 'spki' | 'sigalg_oid' | 'cert_tbs' | 'cert_sig', string>;

export const VECTOR_KEY = {
  d: BigInt(`0x${VECTORS.d}`),
  point: { x: BigInt(`0x${VECTORS.qx}`), y: BigInt(`0x${VECTORS.qy}`) },
};

/** The test certificate "TEST GOST512" (valid 2026-10-01 to 2027-10-02), DER base64. */
export const VECTOR_CERTIFICATE = fixture('test_gost512.cer.pem').replace(/-----[A-Z ]+-----|\s/g, '');
/** A moment inside its validity. */
export const VECTOR_TIME = new Date('2027-01-15T00:00:00Z');

/** Flips one bit of a copy. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
  return copy;
}
