/**
 * `@kz/alseco/testing`: a mock Alseco service on 127.0.0.1 (random port) answering all 24
 * operations over real HTTP, SOAP 1.1 and 1.2, with state; malformed requests get a SOAP fault.
 */
import { type SoapMockCall, startSoapMock } from '@kz/soap/testing';
import { serviceMeta } from '../generated/schema.js';
import { type AlsecoMockOptions, AlsecoMockState, mockOperations } from './mock-service.js';

export type { AlsecoMockOptions, MockPayment } from './mock-service.js';
export { AlsecoMockState } from './mock-service.js';

export interface AlsecoMock {
  /** The service URL to give createAlsecoClient. */
  readonly endpoint: string;
  readonly state: AlsecoMockState;
  /** Every handled call, in order: how many times an operation really reached the service. */
  readonly calls: SoapMockCall[];
  close(): Promise<void>;
}

export async function startAlsecoMock(options: AlsecoMockOptions = {}): Promise<AlsecoMock> {
  const state = new AlsecoMockState(options);
  const server = await startSoapMock(serviceMeta, mockOperations(state), {
    path: '/AlsecoPaymentsService.asmx',
    // Alseco requests are small; a real service would refuse megabytes too.
    maxRequestBytes: 1024 * 1024,
  });
  return { endpoint: server.url, state, calls: server.calls, close: () => server.close() };
}
