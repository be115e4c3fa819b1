/**
 * GOST algorithms for the XML-DSig module (../xmldsig.ts), under the URIs Kalkan writes
 * (reference-docs/gost-kz.md section 1.1): verification entries built in beside RSA-SHA256. Signing
 * needs nothing here: a GostSigner names these URIs in its `algorithms` and hashes and signs itself.
 */
import type { XmlDsigAlgorithmSupport } from '../xmldsig.js';
import { ALGORITHMS, type GostKeyType } from './algorithms.js';
import { verifyGostSignature } from './verify-raw.js';

function support(keyType: GostKeyType): XmlDsigAlgorithmSupport {
  const algorithm = ALGORITHMS[keyType];
  return {
    signature: algorithm.xmlDsig.signature,
    digest: algorithm.xmlDsig.digest,
    digestSync: algorithm.hash,
    verifySync: (data, signature, certificate) => verifyGostSignature(data, signature, certificate, keyType),
  };
}

/** gostr34102015-gostr34112015-512 with gostr34112015-512 (Streebog-512). */
export const GOST_2015_512_SUPPORT = support('GOST-2015-512');
/** gostr34102015-gostr34112015-256 with gostr34112015-256 (Streebog-256). */
export const GOST_2015_256_SUPPORT = support('GOST-2015-256');
/** xmldsig-more#gost34310-gost34311: legacy GOST 34.310-2004 signatures (verification). */
export const GOST_34_310_SUPPORT = support('GOST-2004');

export const GOST_XMLDSIG_SUPPORT: readonly XmlDsigAlgorithmSupport[] = [
  GOST_2015_512_SUPPORT,
  GOST_2015_256_SUPPORT,
  GOST_34_310_SUPPORT,
];
