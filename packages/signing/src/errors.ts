/**
 * The errors of @kz/signing, in the family of @kz/soap (KzError): @kz/signing already depends on
 * @kz/soap, so the family's base is reused rather than copied. Messages never carry passwords or
 * key material.
 */
import { KzError, SignatureError } from '@kz/soap';

/** The service name every @kz/signing error carries. */
export const SIGNING_SERVICE = 'Signing';

/** A key container or key that cannot be used: unreadable, wrong format, not matching its certificate. */
export class SigningKeyError extends KzError {
  constructor(message: string, code: 'KEY_ERROR' | 'WRONG_PASSWORD' | 'UNSUPPORTED_KEY' = 'KEY_ERROR') {
    super({ service: SIGNING_SERVICE, operation: 'loadKey' }, code, message);
  }
}

/**
 * verifyCms's refusal: a SignatureError (operation `verifyCms`) saying what failed. CMS structure,
 * digests and certificates are public data; a refusal never carries key material.
 */
export function cmsRefusal(message: string, cause?: unknown): SignatureError {
  return new SignatureError({ service: SIGNING_SERVICE, operation: 'verifyCms' }, message, { cause });
}
