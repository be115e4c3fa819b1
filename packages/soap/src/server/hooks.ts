/**
 * A server's hooks: one event per request, after it was answered or refused, from the observe
 * phase (the first a request meets on a server). Decoded values only, never the raw body: a
 * request's WS-Security header carries a password.
 */
import type { SoapVersion } from '../schema.js';
import type { ServerPolicy } from './exchange.js';
import { faultOf, faultStatus } from './service-codec.js';

/** One request a server handled. */
export interface ServerExchangeEvent {
  /** The request's id. */
  requestId: string;
  /** The service served. */
  service: string;
  /** The operation called; undefined when the request was refused before it was decoded. */
  operation: string | undefined;
  /** The decoded input; undefined when it was not decoded. */
  input: unknown;
  /** The SOAP version answered in. */
  soapVersion: SoapVersion;
  /** The HTTP status answered. */
  status: number;
  /** The fault answered, when the request was refused or failed (reason as sent). */
  fault?: { side: 'client' | 'server'; reason: string };
}

/** Observers of a server, for tests and logs. */
export interface ServerHooks {
  /**
   * Once per request that entered the pipeline (a POST whose body was read within the limit),
   * after its answer or refusal is known and before it is sent.
   */
  onExchange?(event: ServerExchangeEvent): void;
}

/** The name of a server's hooks policy (phase observe). */
export const SERVER_HOOKS_POLICY = 'hooks';

/** The observe-phase policy calling `hooks.onExchange` once per request (createSoapHandler's `hooks`). */
export function serverHooksPolicy(hooks: ServerHooks): ServerPolicy {
  return {
    name: SERVER_HOOKS_POLICY,
    async sendRequest(request, next) {
      const event = () => ({
        requestId: request.requestId,
        service: request.service,
        operation: request.operation?.name,
        input: request.input,
        soapVersion: request.soapVersion,
      });
      try {
        const response = await next(request);
        hooks.onExchange?.({ ...event(), status: response.status });
        return response;
      } catch (error) {
        const fault = faultOf(error);
        hooks.onExchange?.({
          ...event(),
          status: faultStatus(request.soapVersion, fault),
          fault: { side: fault.side, reason: fault.reason },
        });
        throw error;
      }
    },
  };
}
