/**
 * A SOAP `SecurityPolicy` as pipeline policies: in the sign phase its header blocks, envelope
 * attributes and final transformation (an XML signature); in the verify phase its check of the
 * response, whose refusal is a SignatureError: final, never retried.
 */
import { buildEnvelope } from '../envelope.js';
import { KzError, SignatureError } from '../errors.js';
import type { SecurityContext, SecurityPolicy } from '../security.js';
import { XmlParseInterrupted } from '../xml/reader.js';
import type { PipelinePolicy } from './pipeline.js';
import { interruptedError } from './soap-codec.js';

/** The name of the policy applying a SecurityPolicy to requests (phase sign). */
export const SOAP_SECURITY_POLICY = 'soap-security';
/** The name of the policy checking responses with a SecurityPolicy (phase verify). */
export const SOAP_VERIFY_POLICY = 'soap-verify';

export function soapSecurityPolicy(security: SecurityPolicy): PipelinePolicy {
  return {
    name: SOAP_SECURITY_POLICY,
    async sendRequest(request, next) {
      request.secrets.push(...security.secrets());
      const envelope = request.envelope;
      if (!envelope) {
        throw new KzError(request, 'CONFIG_ERROR', `${SOAP_SECURITY_POLICY} runs after the SOAP codec (phase sign)`);
      }
      const context: SecurityContext = {
        service: request.service,
        operation: request.operation,
        soapVersion: envelope.version,
      };
      if (security.headers) envelope.headers.push(...(await security.headers(context)));
      if (security.namespaces) envelope.namespaces = { ...envelope.namespaces, ...security.namespaces };
      if (security.bodyAttributes) envelope.bodyAttributes = security.bodyAttributes;
      const text = buildEnvelope(envelope.version, envelope);
      request.body = security.finalize ? await security.finalize(text, context) : text;
      return next(request);
    },
  };
}

/** The verify phase's policy for a security policy with `verifyResponse`. */
export function soapVerifyPolicy(verifyResponse: NonNullable<SecurityPolicy['verifyResponse']>): PipelinePolicy {
  return {
    name: SOAP_VERIFY_POLICY,
    async sendRequest(request, next) {
      const response = await next(request);
      try {
        await verifyResponse(response, {
          service: request.service,
          operation: request.operation,
          soapVersion: request.envelope?.version ?? '1.1',
          deadline: response.deadline,
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        if (error instanceof XmlParseInterrupted) throw interruptedError(request, error, 'verifying');
        if (error instanceof KzError) throw error;
        throw new SignatureError(request, 'the response was refused', { cause: error, maybeDelivered: true });
      }
      return response;
    },
  };
}
