/**
 * `@kz/isgo/testing`: a stateful mock of ESF IsgoWebService on 127.0.0.1 (random port), over real
 * HTTP. Share the sessions of `@kz/esf/testing` by passing `{ sessions: esfMock.state }`.
 */
import { createSoapHandler } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { serviceMeta } from '../generated/schema.js';
import { type IsgoMockOptions, IsgoMockState, mockOperations } from './mock-service.js';

export { DEFAULT_SYSTEMS, ISGO_NS, type IsgoMockOptions, IsgoMockState, isgoFault } from './mock-service.js';

export const ISGO_SERVICE_PATH = '/esf-web/ws/api1/IsgoWebService';

export interface IsgoMock {
  /** The IsgoWebService URL to give createIsgoClient. */
  readonly endpoint: string;
  readonly state: IsgoMockState;
  /** Every handled call, in order. */
  readonly calls: { operation: string; input: unknown }[];
  close(): Promise<void>;
}

export async function startIsgoMock(options: IsgoMockOptions = {}): Promise<IsgoMock> {
  const state = new IsgoMockState(options);
  const calls: { operation: string; input: unknown }[] = [];
  const handler = createSoapHandler(serviceMeta, mockOperations(state), {
    onExchange: ({ operation, input }) => calls.push({ operation, input }),
  });
  const server = await startLocalServer((req, res) => {
    if (req.url?.split('?')[0] !== ISGO_SERVICE_PATH) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404 Not Found</body></html>');
      return;
    }
    handler(req, res);
  });
  return { endpoint: `${server.url}${ISGO_SERVICE_PATH}`, state, calls, close: () => server.close() };
}
