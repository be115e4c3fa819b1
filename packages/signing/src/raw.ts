/**
 * Raw signatures: the bare signature value over bytes (or over a string's UTF-8 bytes), no CMS
 * envelope around it. ESF's invoice `signature` field is one (base64, at most 400 characters), as
 * is what NCALayer's `signPlainData` or Kalkan's `Signature.sign()` return. Any `Signer` makes
 * them: its `sign()` hashes with the signer's algorithm and signs; GOST signers plug in the same way.
 */
import { pemBody } from './rsa-signer.js';
import type { Signer } from './signer.js';
import { verifyRsaSha256 } from './verify.js';

/** What `signRaw` returns: the signature value in both forms and the certificate to check it with. */
export interface RawSignature {
  /** The signature value. */
  readonly signature: Uint8Array;
  /** The same, base64 (what text fields carry). */
  readonly base64: string;
  /** The signer's certificate: DER, base64, no PEM armour. */
  readonly certificate: string;
}

/** Checks a raw signature over `data` against a certificate (DER base64 or PEM). */
export type RawVerifier = (data: Uint8Array, signature: Uint8Array, certificate: string) => boolean;

/** The bytes that are signed: a string is signed as its UTF-8 encoding, exactly as given. */
export function signedBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

/** Signs `data` (a string as its UTF-8 bytes) and returns the raw signature, also as base64. */
export async function signRaw(signer: Signer, data: Uint8Array | string): Promise<RawSignature> {
  const { signature, certificate } = await signer.sign(signedBytes(data));
  return { signature, base64: Buffer.from(signature).toString('base64'), certificate: pemBody(certificate) };
}

/**
 * Verifies a raw signature (bytes or base64) over `data` (a string as its UTF-8 bytes). RSA-SHA256
 * by default; pass the verifier of another algorithm (GOST) to check its signatures.
 */
export function verifyRaw(
  data: Uint8Array | string,
  signature: Uint8Array | string,
  certificate: string,
  verify: RawVerifier = verifyRsaSha256,
): boolean {
  const value = typeof signature === 'string' ? Buffer.from(signature, 'base64') : signature;
  if (value.length === 0) return false;
  return verify(signedBytes(data), value, certificate);
}
