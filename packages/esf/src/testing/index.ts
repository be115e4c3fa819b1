/**
 * `@kz/esf/testing`: a stateful mock of ESF SessionService on 127.0.0.1 (random port), over real
 * HTTP, checking the WS-Security UsernameToken of every call. Default user: the seed's test user
 * (login 123456789011, password TestPass123) with its four profiles.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { createSoapHandler, parseXmlSync, WSSE_NS } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { serviceMeta } from '../generated/schema.js';
import { type Credentials, type EsfMockOptions, EsfMockState, mockOperations } from './mock-service.js';

export { type MockEsfUser, SEED_USER_LOGIN, SEED_USER_PASSWORD, seedUsers } from './mock-data.js';
export { type Credentials, type EsfMockOptions, EsfMockState, esfFault, type MockSession } from './mock-service.js';

export const SESSION_SERVICE_PATH = '/esf-web/ws/api1/SessionService';
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface EsfMock {
  /** The SessionService URL to give createEsfClient. */
  readonly endpoint: string;
  readonly state: EsfMockState;
  /** Every handled call, in order. */
  readonly calls: { operation: string; input: unknown }[];
  close(): Promise<void>;
}

export async function startEsfMock(options: EsfMockOptions = {}): Promise<EsfMock> {
  const state = new EsfMockState(options);
  const calls: { operation: string; input: unknown }[] = [];
  const credentials = new WeakMap<IncomingMessage, Credentials>();
  const handler = createSoapHandler(
    serviceMeta,
    mockOperations(state, (request) => credentials.get(request)),
    { maxRequestBytes: MAX_REQUEST_BYTES, onExchange: ({ operation, input }) => calls.push({ operation, input }) },
  );
  const server = await startLocalServer((req, res) => {
    if (req.url?.split('?')[0] !== SESSION_SERVICE_PATH) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404 Not Found</body></html>');
      return;
    }
    void replayWithCredentials(req, credentials).then(
      (replayed) => handler(replayed, res),
      () => res.writeHead(413).end(),
    );
  });
  return { endpoint: `${server.url}${SESSION_SERVICE_PATH}`, state, calls, close: () => server.close() };
}

/**
 * Reads the request, notes its UsernameToken, and hands the SOAP handler a request stream that
 * replays the same bytes (the handler reads the body itself).
 */
export async function replayWithCredentials(
  req: IncomingMessage,
  store: WeakMap<IncomingMessage, Credentials>,
): Promise<IncomingMessage> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new Error('request too large');
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const replayed = Object.assign(Readable.from([body]), {
    headers: req.headers,
    method: req.method,
    url: req.url,
  }) as unknown as IncomingMessage;
  const found = usernameTokenOf(body);
  if (found) store.set(replayed, found);
  return replayed;
}

/** The wsse:Username and wsse:Password of a request envelope's Security header, if any. */
export function usernameTokenOf(body: Uint8Array | string): Credentials | undefined {
  let username: string | undefined;
  let password: string | undefined;
  let field: 'username' | 'password' | undefined;
  let text = '';
  try {
    parseXmlSync(body, {
      open(ns, local) {
        if (ns !== WSSE_NS) return;
        if (local === 'Username' || local === 'Password') {
          field = local === 'Username' ? 'username' : 'password';
          text = '';
        }
      },
      text(value) {
        if (field) text += value;
      },
      close() {
        if (field === 'username') username = text.trim();
        else if (field === 'password') password = text;
        field = undefined;
      },
    });
  } catch {
    return undefined;
  }
  return username !== undefined && password !== undefined ? { username, password } : undefined;
}
