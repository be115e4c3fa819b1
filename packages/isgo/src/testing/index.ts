/**
 * `@kz/isgo/testing`: a stateful mock of ESF IsgoWebService on 127.0.0.1 (random port), over real
 * HTTP. Share the sessions of `@kz/esf/testing` by passing `{ sessions: esfMock.state }`.
 */
import { type SoapMockCall, startSoapMock } from '@kz/soap/testing';
import { serviceMeta } from '../generated/schema.js';
import { type IsgoMockOptions, IsgoMockState, mockOperations } from './mock-service.js';

export { DEFAULT_SYSTEMS, ISGO_NS, type IsgoMockOptions, IsgoMockState, isgoFault } from './mock-service.js';

export const ISGO_SERVICE_PATH = '/esf-web/ws/api1/IsgoWebService';

export interface IsgoMock {
  /** The IsgoWebService URL to give createIsgoClient. */
  readonly endpoint: string;
  readonly state: IsgoMockState;
  /** Every handled call, in order. */
  readonly calls: SoapMockCall[];
  close(): Promise<void>;
}

export async function startIsgoMock(options: IsgoMockOptions = {}): Promise<IsgoMock> {
  const state = new IsgoMockState(options);
  const server = await startSoapMock(serviceMeta, mockOperations(state), {
    path: ISGO_SERVICE_PATH,
  });
  return { endpoint: server.url, state, calls: server.calls, close: () => server.close() };
}
