/**
 * Signing an action document through the pluggable `Signer` of @kz/signing: the signature covers
 * the UTF-8 bytes of the exact document text and travels base64-encoded with the signer's
 * certificate (DER, base64). RsaSha256Signer (PEM, PKCS#12) ships with @kz/signing; a GOST key in
 * NCALayer, Kalkan or an HSM plugs in by implementing the same interface (see README).
 */
import type { Signer } from '@kz/signing';
import { SignatureError } from '@kz/soap';

/** An action document with its signature, as sent in an action info (isgoInvoiceActionBody, signature, certificate). */
export interface SignedAction {
  /** The exact document text that was signed (send this, byte for byte). */
  readonly body: string;
  /** Base64 of the raw signature. */
  readonly signature: string;
  /** The signer's X.509 certificate, DER base64. */
  readonly certificate: string;
}

/**
 * Signs the UTF-8 bytes of `body` with `signer` (raw signature, base64) and returns it with the signer's
 * certificate. `operation` names the call in errors.
 * @throws SignatureError when the signer fails or returns no signature or certificate.
 */
export async function signAction(signer: Signer, body: string, operation: string): Promise<SignedAction> {
  let result: Awaited<ReturnType<Signer['sign']>>;
  try {
    result = await signer.sign(new TextEncoder().encode(body));
  } catch (error) {
    throw new SignatureError(
      { service: 'IsgoWebService', operation },
      'the signer failed to sign the action document',
      {
        cause: error,
      },
    );
  }
  if (!result?.signature?.length || !result.certificate) {
    throw new SignatureError(
      { service: 'IsgoWebService', operation },
      'the signer returned no signature or certificate',
    );
  }
  return { body, signature: Buffer.from(result.signature).toString('base64'), certificate: result.certificate };
}
