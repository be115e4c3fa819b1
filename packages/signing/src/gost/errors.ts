/** Typed errors of the GOST layer. Messages never carry passwords or key material. */
import { KzError } from '@kz/soap';
import { SIGNING_SERVICE, SigningKeyError } from '../errors.js';

/** The key container's password is wrong (or the file was damaged so its MAC fails). */
export class WrongPasswordError extends SigningKeyError {
  constructor() {
    super('cannot open the key container: wrong password (or the file is damaged)', 'WRONG_PASSWORD');
  }
}

/** The container opened, but holds a key this signer does not handle (e.g. RSA for a GOST signer). */
export class UnsupportedKeyError extends SigningKeyError {
  /** The PKCS#8 algorithm OID found in the container. */
  readonly keyAlgorithm: string;
  constructor(keyAlgorithm: string, detail: string) {
    super(`unsupported key (${keyAlgorithm}): ${detail}`, 'UNSUPPORTED_KEY');
    this.keyAlgorithm = keyAlgorithm;
  }
}

/** Why a certificate was refused (`CertificateError.problem`). */
export type CertificateProblem =
  | 'MALFORMED'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'NO_ISSUER'
  | 'BAD_SIGNATURE'
  | 'NOT_A_CA'
  | 'CHAIN_TOO_LONG';

/** A certificate that cannot be read, or does not chain to a trusted root: code CERTIFICATE_ERROR, the reason in `problem`. */
export class CertificateError extends KzError {
  /** Why the certificate was refused. */
  readonly problem: CertificateProblem;
  constructor(problem: CertificateProblem, message: string) {
    super({ service: SIGNING_SERVICE, operation: 'certificate' }, 'CERTIFICATE_ERROR', message);
    this.problem = problem;
  }
}
