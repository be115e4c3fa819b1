export { normalizeCertificatePem, pemBody, RsaSha256Signer, SigningKeyError } from './rsa-signer.js';
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
