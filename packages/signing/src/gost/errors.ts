/** Typed errors of the GOST layer. Messages never carry passwords or key material. */
import { SigningKeyError } from '../rsa-signer.js';

/** The key container's password is wrong (or the file was damaged so its MAC fails). */
export class WrongPasswordError extends SigningKeyError {
  readonly code = 'WRONG_PASSWORD';
  constructor() {
    super('cannot open the key container: wrong password (or the file is damaged)');
  }
}

/** The container opened, but holds a key this signer does not handle (e.g. RSA for a GOST signer). */
export class UnsupportedKeyError extends SigningKeyError {
  readonly code = 'UNSUPPORTED_KEY';
  /** The PKCS#8 algorithm OID found in the container. */
  readonly keyAlgorithm: string;
  constructor(keyAlgorithm: string, detail: string) {
    super(`unsupported key (${keyAlgorithm}): ${detail}`);
    this.keyAlgorithm = keyAlgorithm;
  }
}

export type CertificateErrorCode =
  | 'MALFORMED'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'NO_ISSUER'
  | 'BAD_SIGNATURE'
  | 'NOT_A_CA'
  | 'CHAIN_TOO_LONG';

/** A certificate that cannot be read, or does not chain to a trusted root. */
export class CertificateError extends Error {
  readonly code: CertificateErrorCode;
  constructor(code: CertificateErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
