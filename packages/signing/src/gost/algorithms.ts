/**
 * Kazakhstan's GOST object identifiers (NCA / Kalkan, arc 1.2.398.3.10) and what each one means:
 * key type, curve, hash, and the Russian OID of the same algorithm (reference-docs/gost-kz.md 1.1).
 */
import { GOST_34_310, GOST_2015_512, type XmlDsigAlgorithms } from '../signer.js';
import { CRYPTOPRO_A, type GostCurve, TC26_256_A, TC26_512_A, TC26_512_B, TC26_512_C } from './curves.js';
import { gost3411_94 } from './gost94.js';
import { streebog256, streebog512 } from './streebog.js';

/** The KZ OIDs, by what they name. */
export const KZ_OID = {
  gost2004PublicKey: '1.2.398.3.10.1.1.1.1',
  gost2004ParamSetA: '1.2.398.3.10.1.1.1.1.1',
  gost34311HashParamSet: '1.2.398.3.10.1.3.1.1.0',
  gost2004Signature: '1.2.398.3.10.1.1.1.2',
  gost34311: '1.2.398.3.10.1.3.1',
  gost2015PublicKey256: '1.2.398.3.10.1.1.2.1',
  gost2015PublicKey512: '1.2.398.3.10.1.1.2.2',
  gost2015ParamSet256A: '1.2.398.3.10.1.1.2.1.1',
  gost2015ParamSet512A: '1.2.398.3.10.1.1.2.2.1',
  gost2015Signature256: '1.2.398.3.10.1.1.2.3.1',
  gost2015Signature512: '1.2.398.3.10.1.1.2.3.2',
  streebog256: '1.2.398.3.10.1.3.2',
  streebog512: '1.2.398.3.10.1.3.3',
} as const;

/** Each KZ OID and the Russian (RFC 4357 / RFC 9215) OID of the same algorithm. */
const KZ_TO_RUSSIAN: Readonly<Record<string, string>> = {
  [KZ_OID.gost2004PublicKey]: '1.2.643.2.2.19',
  [KZ_OID.gost2004ParamSetA]: '1.2.643.2.2.35.1',
  [KZ_OID.gost34311HashParamSet]: '1.2.643.2.2.30.0',
  [KZ_OID.gost2004Signature]: '1.2.643.2.2.3',
  [KZ_OID.gost34311]: '1.2.643.2.2.9',
  [KZ_OID.gost2015PublicKey256]: '1.2.643.7.1.1.1.1',
  [KZ_OID.gost2015PublicKey512]: '1.2.643.7.1.1.1.2',
  [KZ_OID.gost2015ParamSet256A]: '1.2.643.7.1.2.1.1.1',
  [KZ_OID.gost2015ParamSet512A]: '1.2.643.7.1.2.1.2.1',
  [KZ_OID.gost2015Signature256]: '1.2.643.7.1.1.3.2',
  [KZ_OID.gost2015Signature512]: '1.2.643.7.1.1.3.3',
  [KZ_OID.streebog256]: '1.2.643.7.1.1.2.2',
  [KZ_OID.streebog512]: '1.2.643.7.1.1.2.3',
};
const RUSSIAN_TO_KZ: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(KZ_TO_RUSSIAN).map(([kz, ru]) => [ru, kz]),
);

/** The Russian OID of a KZ GOST OID, or undefined. */
export function russianOidOf(kzOid: string): string | undefined {
  return KZ_TO_RUSSIAN[kzOid];
}

/** The KZ OID of a Russian GOST OID, or undefined (TC26 512 B/C have no KZ OID). */
export function kazakhOidOf(russianOid: string): string | undefined {
  return RUSSIAN_TO_KZ[russianOid];
}

/** Curve parameter sets by OID: the KZ ones and, for keys made elsewhere, the Russian ones. */
const CURVES_BY_OID: Readonly<Record<string, GostCurve>> = {
  [KZ_OID.gost2015ParamSet512A]: TC26_512_A,
  [KZ_OID.gost2015ParamSet256A]: TC26_256_A,
  [KZ_OID.gost2004ParamSetA]: CRYPTOPRO_A,
  '1.2.643.7.1.2.1.2.1': TC26_512_A,
  '1.2.643.7.1.2.1.2.2': TC26_512_B,
  '1.2.643.7.1.2.1.2.3': TC26_512_C,
  '1.2.643.7.1.2.1.1.1': TC26_256_A,
  '1.2.643.2.2.35.1': CRYPTOPRO_A,
};

export function curveOfParamSet(oid: string): GostCurve | undefined {
  return CURVES_BY_OID[oid];
}

/** The OID to write for a curve in a KZ key (only the sets the NCA uses have one). */
export function paramSetOidOf(curve: GostCurve): string {
  const oid = Object.entries(CURVES_BY_OID).find(([o, c]) => c === curve && o.startsWith('1.2.398.'))?.[0];
  if (!oid) throw new RangeError(`${curve.name} has no Kazakh OID`);
  return oid;
}

/**
 * A GOST key's algorithm: GOST 34.10-2015 with a 512- or 256-bit key (Streebog-512/-256), or the
 * legacy GOST 34.310-2004 (256-bit key, GOST 34.311-95 hash).
 */
export type GostKeyType = 'GOST-2015-512' | 'GOST-2015-256' | 'GOST-2004';

/** What a GOST key type signs with: hash, OIDs written into certificates and CMS, XML-DSig URIs. */
export interface GostAlgorithm {
  readonly keyType: GostKeyType;
  readonly keyOid: string;
  readonly signatureOid: string;
  readonly digestOid: string;
  /** Size of coordinates, scalars and the digest in bytes. */
  readonly size: 32 | 64;
  readonly hash: (data: Uint8Array) => Uint8Array;
  readonly xmlDsig: XmlDsigAlgorithms;
}

/** XML-DSig URIs of GOST 34.10-2015 with 256-bit keys and Streebog-256 (GostSigner with a 256-bit key). */
export const GOST_2015_256: XmlDsigAlgorithms = {
  signature: 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256',
  digest: 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256',
};

export const ALGORITHMS: Readonly<Record<GostKeyType, GostAlgorithm>> = {
  'GOST-2015-512': {
    keyType: 'GOST-2015-512',
    keyOid: KZ_OID.gost2015PublicKey512,
    signatureOid: KZ_OID.gost2015Signature512,
    digestOid: KZ_OID.streebog512,
    size: 64,
    hash: streebog512,
    xmlDsig: GOST_2015_512,
  },
  'GOST-2015-256': {
    keyType: 'GOST-2015-256',
    keyOid: KZ_OID.gost2015PublicKey256,
    signatureOid: KZ_OID.gost2015Signature256,
    digestOid: KZ_OID.streebog256,
    size: 32,
    hash: streebog256,
    xmlDsig: GOST_2015_256,
  },
  'GOST-2004': {
    keyType: 'GOST-2004',
    keyOid: KZ_OID.gost2004PublicKey,
    signatureOid: KZ_OID.gost2004Signature,
    digestOid: KZ_OID.gost34311,
    size: 32,
    hash: gost3411_94,
    xmlDsig: GOST_34_310,
  },
};

/** The key type of a public-key algorithm OID (KZ, or Russian for 2012 keys). */
export function keyTypeOfKeyOid(oid: string): GostKeyType | undefined {
  const kz = oid.startsWith('1.2.643.') ? kazakhOidOf(oid) : oid;
  return Object.values(ALGORITHMS).find((a) => a.keyOid === kz)?.keyType;
}

/** The algorithm of a signature OID (KZ only: Russian certificates use another signature layout). */
export function algorithmOfSignatureOid(oid: string): GostAlgorithm | undefined {
  return Object.values(ALGORITHMS).find((a) => a.signatureOid === oid);
}

/** The algorithm of a digest OID. */
export function algorithmOfDigestOid(oid: string): GostAlgorithm | undefined {
  return Object.values(ALGORITHMS).find((a) => a.digestOid === oid);
}

/** The algorithm of an XML-DSig signature URI. */
export function algorithmOfSignatureUri(uri: string): GostAlgorithm | undefined {
  return Object.values(ALGORITHMS).find((a) => a.xmlDsig.signature === uri);
}

/** The hash of an XML-DSig digest URI. */
export function algorithmOfDigestUri(uri: string): GostAlgorithm | undefined {
  return Object.values(ALGORITHMS).find((a) => a.xmlDsig.digest === uri);
}
