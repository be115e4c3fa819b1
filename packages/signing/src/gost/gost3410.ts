/**
 * GOST 34.10-2015 (= GOST R 34.10-2012; and 34.310-2004 = R 34.10-2001, the same equation) signing
 * and verification over a digest, on integers. Byte layouts (r || s little-endian, x || y
 * little-endian) live in `encoding.ts`.
 *
 *   e = digest read as a little-endian integer, mod q (1 if that is 0)
 *   sign:   k uniform in [1, q-1] from the platform CSPRNG; r = (k·G).x mod q; s = (r·d + k·e) mod q
 *   verify: v = e⁻¹ mod q; C = (s·v)·G + (−r·v)·Q; valid iff C.x mod q = r
 *
 * k is random, as the standard prescribes (no RFC 6979-style derivation: the decision record says
 * why). k·G uses @noble/curves' constant-time, blinded multiplication; the scalar arithmetic mod q
 * uses JavaScript BigInt, whose timing V8 does not guarantee to be independent of the values.
 */
import { randomBytes } from 'node:crypto';
import { invert, mod } from '@noble/curves/abstract/modular.js';
import { bytesToBigIntBE, bytesToBigIntLE } from './bytes.js';
import { type GostCurve, pointsOf } from './curves.js';

export interface GostSignatureValue {
  readonly r: bigint;
  readonly s: bigint;
}

/** A GOST public key's point on its curve, affine coordinates. */
export interface GostPublicPoint {
  /** The x coordinate. */
  readonly x: bigint;
  /** The y coordinate. */
  readonly y: bigint;
}

/** The integer e of the standard: the digest as a little-endian number, mod q, never 0. */
export function digestToInteger(curve: GostCurve, digest: Uint8Array): bigint {
  const e = mod(bytesToBigIntLE(digest), curve.q);
  return e === 0n ? 1n : e;
}

export function isValidPrivateScalar(curve: GostCurve, d: bigint): boolean {
  return d > 0n && d < curve.q;
}

export function publicKeyOf(curve: GostCurve, d: bigint): GostPublicPoint {
  if (!isValidPrivateScalar(curve, d)) throw new RangeError('private key out of range');
  const { x, y } = pointsOf(curve).BASE.multiply(d).toAffine();
  return { x, y };
}

/** A point given by someone else: on the curve and in the subgroup of order q, or throws. */
export function checkPublicPoint(curve: GostCurve, point: GostPublicPoint): void {
  pointsOf(curve).fromAffine(point).assertValidity();
}

export function signDigest(curve: GostCurve, d: bigint, digest: Uint8Array): GostSignatureValue {
  for (;;) {
    const signature = signDigestWithK(curve, d, digest, randomScalar(curve));
    if (signature) return signature;
  }
}

/**
 * One signing attempt with a given k; undefined when r or s came out 0 (the caller draws another k).
 * Exposed for the standard's worked examples, which fix k.
 */
export function signDigestWithK(
  curve: GostCurve,
  d: bigint,
  digest: Uint8Array,
  k: bigint,
): GostSignatureValue | undefined {
  if (!isValidPrivateScalar(curve, d)) throw new RangeError('private key out of range');
  const e = digestToInteger(curve, digest);
  const r = mod(pointsOf(curve).BASE.multiply(k).toAffine().x, curve.q);
  if (r === 0n) return undefined;
  const s = mod(r * d + k * e, curve.q);
  if (s === 0n) return undefined;
  return { r, s };
}

export function verifyDigest(
  curve: GostCurve,
  publicKey: GostPublicPoint,
  digest: Uint8Array,
  { r, s }: GostSignatureValue,
): boolean {
  const { q } = curve;
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const Point = pointsOf(curve);
  let Q: InstanceType<typeof Point>;
  try {
    Q = Point.fromAffine(publicKey);
    Q.assertValidity();
  } catch {
    return false;
  }
  const v = invert(digestToInteger(curve, digest), q);
  const z1 = mod(s * v, q);
  const z2 = mod(-r * v, q);
  const C = Point.BASE.multiplyUnsafe(z1).add(Q.multiplyUnsafe(z2));
  if (C.is0()) return false;
  return mod(C.toAffine().x, q) === r;
}

/** Uniform in [1, q-1]: 64 extra random bits make the bias of the reduction negligible (FIPS 186-5 A.2.1). */
function randomScalar(curve: GostCurve): bigint {
  const bytes = randomBytes(curve.size + 8);
  return mod(bytesToBigIntBE(bytes), curve.q - 1n) + 1n;
}
