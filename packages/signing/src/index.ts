export { SIGNING_SERVICE, SigningKeyError } from './errors.js';
export { GOST_2015_256, type GostKeyType, KZ_OID, kazakhOidOf, russianOidOf } from './gost/algorithms.js';
export type {
  CertificateInput,
  CertificatePurpose,
  DistinguishedName,
  KeyUsage,
  NameAttribute,
  NcaCertificate,
} from './gost/certificate.js';
export { parseCertificate } from './gost/certificate.js';
export { buildChain, type ChainOptions } from './gost/chain.js';
export type { GostCurve } from './gost/curves.js';
export type { GostPublicKey, OtherPublicKey } from './gost/encoding.js';
export { CertificateError, type CertificateProblem, UnsupportedKeyError, WrongPasswordError } from './gost/errors.js';
export { GostSigner } from './gost/gost-signer.js';
export type { GostPublicPoint } from './gost/gost3410.js';
export {
  NCA_CERTIFICATES,
  NCA_INTERMEDIATES,
  NCA_ROOTS,
  type NcaTrustCertificate,
} from './gost/nca-certificates.js';
export { verifyGostSignature } from './gost/verify-raw.js';
export { loadSigner } from './load-signer.js';
export { type NcaNodeCertificateInfo, type NcaNodeOptions, NcaNodeSigner } from './ncanode.js';
export { type RawSignature, type RawVerifier, signedBytes, signRaw, verifyRaw } from './raw.js';
export { normalizeCertificatePem, pemBody, RsaSha256Signer } from './rsa-signer.js';
export {
  type CmsSigner,
  GOST_34_310,
  GOST_2015_512,
  RSA_SHA256,
  type SignatureResult,
  type Signer,
  type XmlDsigAlgorithms,
} from './signer.js';
export { type VerifiedCms, verifyCms, verifyRsaSha256 } from './verify.js';
export {
  algorithmFor,
  C14N,
  C14N_WITH_COMMENTS,
  checkSignatureElement,
  checkSignedInfoValue,
  checkTrust,
  DS_NS,
  ENVELOPED_C14N_WITH_COMMENTS,
  ENVELOPED_EXC_C14N,
  ENVELOPED_SIGNATURE,
  type EnvelopedProfile,
  EXC_C14N,
  elementChildren,
  envelopedSignatureCertificate,
  envelopedXmlSigner,
  MAX_SIGNED_DOCUMENT_BYTES,
  MAX_SIGNED_DOCUMENT_ELEMENTS,
  parseDom,
  parseUntrusted,
  RSA_SHA256_SUPPORT,
  type SignReference,
  type SignXmlOptions,
  signXml,
  signXmlDocument,
  type TrustOptions,
  type VerifyXmlDocumentOptions,
  verifyXmlDocument,
  type XmlDocumentSigner,
  type XmlDsigAlgorithmSupport,
  XmlSignatureFailure,
} from './xmldsig.js';
