/**
 * SHEP's transport signature on the server side, as policies of a `createSoapHandler` pipeline:
 * the receiver (receiver.ts) and the mock gateway (testing) verify requests and sign answers
 * with these, so neither re-implements the SOAP handler.
 */
import type { Signer } from '@kz/signing';
import { type IncomingSoapRequest, type ServerPolicy, type SignatureError, SoapFaultResponse } from '@kz/soap';
import { signatureError, signEnvelope, type VerifyEnvelopeOptions, verifyEnvelopeAsync } from './wssecurity.js';

/** The name of the policy verifying SHEP's transport signature on requests (phase verify). */
export const SHEP_VERIFY_POLICY = 'shep-verify';
/** The name of the policy signing answers (phase sign). */
export const SHEP_SIGN_POLICY = 'shep-sign';

/** How requests' transport signatures are checked. */
export interface ShepVerifyPolicyOptions {
  /** Whose signatures are trusted, and the pre-pass's caps. */
  trust: VerifyEnvelopeOptions;
  /** Refuse a request whose signature is missing or does not verify. Default true. */
  required?: boolean;
  /** A request's signature verified: its signer's certificate (DER base64). */
  onVerified?(request: IncomingSoapRequest, certificate: string): void;
  /** A request's signature was refused (before the client fault is sent), for logs. */
  onRefused?(error: SignatureError, request: IncomingSoapRequest): void;
}

/**
 * Verifies the transport signature on the raw body before anything decodes it; a refusal is a
 * client fault "transport signature refused: <reason>" (reasons carry no key material).
 */
export function shepVerifyPolicy(options: ShepVerifyPolicyOptions): ServerPolicy {
  const required = options.required ?? true;
  return {
    name: SHEP_VERIFY_POLICY,
    async sendRequest(request, next) {
      try {
        const verified = await verifyEnvelopeAsync(request.body, options.trust);
        if (verified.certificate !== undefined) options.onVerified?.(request, verified.certificate);
      } catch (error) {
        if (required) {
          const refused = signatureError({ service: request.service, operation: 'receive' }, error);
          options.onRefused?.(refused, request);
          throw new SoapFaultResponse('client', `transport signature refused: ${refused.message}`, undefined, {
            cause: refused,
          });
        }
      }
      return next(request);
    },
  };
}

/** Signs every answer (not faults) with `signer`, after the codec encoded it. */
export function shepSignPolicy(signer: Signer): ServerPolicy {
  return {
    name: SHEP_SIGN_POLICY,
    async sendRequest(request, next) {
      const response = await next(request);
      response.body = await signEnvelope(response.body, signer);
      return response;
    },
  };
}
