/** Raw GOST signatures (e.g. the ESF invoice `signature`): r || s little-endian over the data's hash. */
import { ALGORITHMS, type GostKeyType } from './algorithms.js';
import { type CertificateInput, parseCertificate } from './certificate.js';
import { decodeSignature, isGostPublicKey } from './encoding.js';
import { verifyDigest } from './gost3410.js';

/**
 * Does `signature` (raw r || s little-endian) over `data` verify with the GOST key of `certificate`
 * (DER, base64 or PEM)? The hash follows the key: Streebog-512/256 for GOST 2015 keys, GOST 34.311-95
 * for 2004 keys (`keyType`, when given, must be the key's). False for anything unreadable. Fits
 * `verifyRaw`'s verifier parameter. The certificate's trust is not judged here.
 */
export function verifyGostSignature(
  data: Uint8Array,
  signature: Uint8Array,
  certificate: CertificateInput,
  keyType?: GostKeyType,
): boolean {
  try {
    const key = parseCertificate(certificate).publicKey;
    if (!isGostPublicKey(key) || (keyType !== undefined && key.keyType !== keyType)) return false;
    const value = decodeSignature(key.curve.size, signature);
    return value !== undefined && verifyDigest(key.curve, key.point, ALGORITHMS[key.keyType].hash(data), value);
  } catch {
    return false;
  }
}
