/**
 * Kazakh GOST byte layouts (reference-docs/gost-kz.md 1.2 and 2, checked here against Kalkan's output):
 * - signature value: r || s, each little-endian, in certificates, CMS, XML-DSig and raw signatures
 *   (the byte reverse of RFC 4491/9215's s || r big-endian);
 * - public key: an OCTET STRING of x || y, each little-endian, inside the SubjectPublicKeyInfo BIT STRING;
 * - private key (PKCS#8): an OCTET STRING holding the scalar little-endian.
 */
import {
  curveOfParamSet,
  type GostAlgorithm,
  type GostKeyType,
  KZ_OID,
  keyTypeOfKeyOid,
  paramSetOidOf,
} from './algorithms.js';
import { bigIntToBytesLE, bytesToBigIntBE, bytesToBigIntLE, concatBytes } from './bytes.js';
import type { GostCurve } from './curves.js';
import {
  childrenOf,
  DerError,
  type DerNode,
  der,
  expectTag,
  parseDer,
  readBitString,
  readOctets,
  readOid,
  TAG,
} from './der.js';
import type { GostPublicPoint, GostSignatureValue } from './gost3410.js';

export function encodeSignature(size: number, { r, s }: GostSignatureValue): Uint8Array {
  return concatBytes(bigIntToBytesLE(r, size), bigIntToBytesLE(s, size));
}

/** r and s from r_LE || s_LE; undefined if the length is wrong. */
export function decodeSignature(size: number, bytes: Uint8Array): GostSignatureValue | undefined {
  if (bytes.length !== 2 * size) return undefined;
  return { r: bytesToBigIntLE(bytes.subarray(0, size)), s: bytesToBigIntLE(bytes.subarray(size)) };
}

export function encodePublicPoint(size: number, { x, y }: GostPublicPoint): Uint8Array {
  return concatBytes(bigIntToBytesLE(x, size), bigIntToBytesLE(y, size));
}

export function decodePublicPoint(size: number, bytes: Uint8Array): GostPublicPoint {
  if (bytes.length !== 2 * size) throw new DerError(`a ${size * 8}-bit GOST public key has ${2 * size} bytes`);
  return { x: bytesToBigIntLE(bytes.subarray(0, size)), y: bytesToBigIntLE(bytes.subarray(size)) };
}

/** A GOST public key read from a SubjectPublicKeyInfo (`NcaCertificate.publicKey` of a GOST certificate). */
export interface GostPublicKey {
  /** Which GOST algorithm the key is for (from the key's algorithm OID). */
  readonly keyType: GostKeyType;
  /** The curve of the key's parameter set. */
  readonly curve: GostCurve;
  /** The public point Q = d·G, affine coordinates. */
  readonly point: GostPublicPoint;
}

/** AlgorithmIdentifier parameters of a GOST key: SEQUENCE { paramSet OID, digest OID? }. */
function keyParameters(keyType: GostKeyType, parameters: DerNode | undefined): GostCurve {
  const paramSet = readOid(childrenOf(parameters, TAG.SEQUENCE, 'GOST key parameters')[0]);
  const curve = curveOfParamSet(paramSet);
  if (!curve) throw new DerError(`unknown GOST curve parameter set ${paramSet}`);
  if (curve.size !== (keyType === 'GOST-2015-512' ? 64 : 32)) throw new DerError('curve does not match the key type');
  return curve;
}

/** A key that is not GOST (RSA, ...): its algorithm and the SubjectPublicKeyInfo as is. */
export interface OtherPublicKey {
  /** The key's algorithm OID, e.g. `1.2.840.113549.1.1.1` (rsaEncryption). */
  readonly keyOid: string;
  /** The whole SubjectPublicKeyInfo, DER (e.g. for node:crypto's `createPublicKey({ format: 'der', type: 'spki' })`). */
  readonly der: Uint8Array;
}

/** The public key of a SubjectPublicKeyInfo. */
export function readSubjectPublicKeyInfo(spki: DerNode): GostPublicKey | OtherPublicKey {
  const [algorithm, key] = childrenOf(spki, TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  const [oidNode, parameters] = childrenOf(algorithm, TAG.SEQUENCE, 'AlgorithmIdentifier');
  const keyOid = readOid(oidNode);
  const keyType = keyTypeOfKeyOid(keyOid);
  if (!keyType) return { keyOid, der: spki.bytes };
  const curve = keyParameters(keyType, parameters);
  const point = decodePublicPoint(curve.size, readOctets(parseDer(readBitString(key))));
  return { keyType, curve, point };
}

export function isGostPublicKey(key: GostPublicKey | OtherPublicKey): key is GostPublicKey {
  return 'point' in key;
}

function keyAlgorithmIdentifier(algorithm: GostAlgorithm, curve: GostCurve): Uint8Array {
  const digestParam = algorithm.keyType === 'GOST-2004' ? KZ_OID.gost34311HashParamSet : algorithm.digestOid;
  return der.sequence(der.oid(algorithm.keyOid), der.sequence(der.oid(paramSetOidOf(curve)), der.oid(digestParam)));
}

export function encodeSubjectPublicKeyInfo(
  algorithm: GostAlgorithm,
  curve: GostCurve,
  point: GostPublicPoint,
): Uint8Array {
  return der.sequence(
    keyAlgorithmIdentifier(algorithm, curve),
    der.bitString(der.octets(encodePublicPoint(curve.size, point))),
  );
}

/** A GOST private key read from PKCS#8 PrivateKeyInfo. */
export interface GostPrivateKey {
  readonly keyType: GostKeyType;
  readonly curve: GostCurve;
  readonly d: bigint;
}

/** The OID of a PrivateKeyInfo's algorithm (to tell GOST from RSA before parsing further). */
export function privateKeyAlgorithmOid(privateKeyInfo: Uint8Array): string {
  const [, algorithm] = childrenOf(parseDer(privateKeyInfo), TAG.SEQUENCE, 'PrivateKeyInfo');
  return readOid(childrenOf(algorithm, TAG.SEQUENCE, 'AlgorithmIdentifier')[0]);
}

/**
 * Reads a GOST PrivateKeyInfo. The privateKey OCTET STRING holds, as Kalkan writes it, an OCTET
 * STRING with the scalar little-endian; an INTEGER (big-endian) or the bare little-endian bytes are
 * accepted too, as other GOST software writes them.
 */
export function readGostPrivateKeyInfo(privateKeyInfo: Uint8Array): GostPrivateKey {
  const [, algorithm, privateKey] = childrenOf(parseDer(privateKeyInfo), TAG.SEQUENCE, 'PrivateKeyInfo');
  const [oidNode, parameters] = childrenOf(algorithm, TAG.SEQUENCE, 'AlgorithmIdentifier');
  const keyOid = readOid(oidNode);
  const keyType = keyTypeOfKeyOid(keyOid);
  if (!keyType) throw new DerError(`not a GOST key: ${keyOid}`);
  const curve = keyParameters(keyType, parameters);
  const field = readOctets(expectTag(privateKey, TAG.OCTET_STRING, 'the privateKey OCTET STRING'));
  let d: bigint;
  if (field.length === curve.size) d = bytesToBigIntLE(field);
  else {
    const inner = parseDer(field);
    if (inner.tag === TAG.OCTET_STRING && inner.content.length === curve.size) d = bytesToBigIntLE(inner.content);
    else if (inner.tag === TAG.INTEGER) d = bytesToBigIntBE(inner.content);
    else throw new DerError('unrecognised GOST private key encoding');
  }
  return { keyType, curve, d };
}

export function encodeGostPrivateKeyInfo(algorithm: GostAlgorithm, curve: GostCurve, d: bigint): Uint8Array {
  return der.sequence(
    der.integer(0),
    keyAlgorithmIdentifier(algorithm, curve),
    der.octets(der.octets(bigIntToBytesLE(d, curve.size))),
  );
}
