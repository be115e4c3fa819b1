/**
 * `@kz/isgo/testing`: a stateful mock of ESF IsgoWebService on 127.0.0.1 (random port), over real
 * HTTP. Share the sessions of `@kz/esf/testing` by passing `{ sessions: esfMock.state }`.
 */
import { type SoapMockCall, startSoapMock } from '@kz/soap/testing';
import { serviceMeta } from '../generated/schema.js';
import { type IsgoMockOptions, IsgoMockState, mockOperations } from './mock-service.js';

export {
  DEFAULT_SYSTEMS,
  ISGO_NS,
  type IsgoMockOptions,
  IsgoMockState,
  isgoFault,
  type MockIsgoInvoice,
} from './mock-service.js';

/** Path of the mock IsgoWebService, as on the ESF server (`/esf-web/ws/api1/IsgoWebService`). */
export const ISGO_SERVICE_PATH = '/esf-web/ws/api1/IsgoWebService';

/** A running ISGO mock (startIsgoMock). Test-only. */
export interface IsgoMock {
  /** The IsgoWebService URL to give createIsgoClient. */
  readonly endpoint: string;
  /** The mock's in-memory ISGO invoices and IS GO list: read it to assert, change it to arrange. */
  readonly state: IsgoMockState;
  /** Every handled call, in order. */
  readonly calls: SoapMockCall[];
  /** Stops the server and closes its connections; call it when the test ends. */
  close(): Promise<void>;
  /** The same as close(), for `await using mock = await startIsgoMock()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a stateful mock of ESF's IsgoWebService over real HTTP on 127.0.0.1, on an ephemeral port. It verifies
 * each action's signature (RSA-SHA256 by default), keeps the ISGO invoices (WAIT_CONFIRMATION until the
 * counterparty confirms, READY_FOR_SEND, or DECLINED) and answers with ESF's fault elements. Pass
 * `{ sessions: esfMock.state }` to accept only the sessions of an @kz/esf mock. Give `mock.endpoint` to
 * createIsgoClient; stop it with `mock.close()` (or `await using` it). Test-only.
 */
export async function startIsgoMock(options: IsgoMockOptions = {}): Promise<IsgoMock> {
  const state = new IsgoMockState(options);
  const server = await startSoapMock(serviceMeta, mockOperations(state), {
    path: ISGO_SERVICE_PATH,
  });
  return {
    endpoint: server.url,
    state,
    calls: server.calls,
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}
