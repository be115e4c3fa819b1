/**
 * `@kz/alseco/testing`: a mock Alseco service on 127.0.0.1 (random port) answering all 24
 * operations over real HTTP, SOAP 1.1 and 1.2, with state; malformed requests get a SOAP fault.
 */
import { type SoapMockCall, startSoapMock } from '@kz/soap/testing';
import { serviceMeta } from '../generated/schema.js';
import { type AlsecoMockOptions, AlsecoMockState, mockOperations } from './mock-service.js';

export type { MockAccount } from './mock-data.js';
export type { AlsecoMockOptions, MockPayment } from './mock-service.js';
export { AlsecoMockState } from './mock-service.js';

/** A running ALSECO mock (startAlsecoMock). Test-only. */
export interface AlsecoMock {
  /** The service URL to give createAlsecoClient. */
  readonly endpoint: string;
  /** The mock's in-memory accounts and payments: read it to assert (e.g. what was paid), change it to arrange. */
  readonly state: AlsecoMockState;
  /** Every handled call, in order: how many times an operation really reached the service. */
  readonly calls: SoapMockCall[];
  /** Stops the server and closes its connections; call it when the test ends. */
  close(): Promise<void>;
  /** The same as close(), for `await using mock = await startAlsecoMock()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a stateful mock of ALSECO's AlsecoPaymentsService over real HTTP on 127.0.0.1, on an ephemeral port, at
 * `/AlsecoPaymentsService.asmx`, answering all 24 operations (SOAP 1.1 and 1.2) from seed accounts. Payments are
 * kept until rolled back; GetBankDayChecks marks a day's payments processed (no more rollback); a SysRef already
 * registered is refused with a fault; an unknown bank code is a fault. Requests over 1 MiB are refused. Give
 * `mock.endpoint` to createAlsecoClient; stop it with `mock.close()` (or `await using` it). Test-only.
 */
export async function startAlsecoMock(options: AlsecoMockOptions = {}): Promise<AlsecoMock> {
  const state = new AlsecoMockState(options);
  const server = await startSoapMock(serviceMeta, mockOperations(state), {
    path: '/AlsecoPaymentsService.asmx',
    // Alseco requests are small; a real service would refuse megabytes too.
    maxRequestBytes: 1024 * 1024,
  });
  return {
    endpoint: server.url,
    state,
    calls: server.calls,
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}
