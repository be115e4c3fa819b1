/**
 * `@kz/esf/testing`: a stateful mock of ESF on 127.0.0.1 (random port), over real HTTP: SessionService,
 * AuthService, InvoiceService and UploadInvoiceService under /esf-web/ws/api1/, checking the
 * WS-Security UsernameToken of every call (AuthService expects none). Default user: the seed's test
 * user (login 123456789011, password TestPass123) with its four profiles.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createSoapHandler, parseXmlSync, type ServiceMeta, WSSE_NS } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { serviceMeta as authMeta } from '../generated/auth/schema.js';
import { serviceMeta as invoiceMeta } from '../generated/invoice-service/schema.js';
import { serviceMeta } from '../generated/schema.js';
import { serviceMeta as uploadMeta } from '../generated/upload/schema.js';
import { mockInvoiceOperations, mockUploadOperations } from './mock-invoice-operations.js';
import {
  type Credentials,
  type EsfMockOptions,
  EsfMockState,
  mockAuthOperations,
  mockOperations,
} from './mock-service.js';

export { type MockEsfUser, SEED_USER_LOGIN, SEED_USER_PASSWORD, seedUsers } from './mock-data.js';
export {
  type MockInvoice,
  type MockInvoiceIssue,
  type MockInvoiceOptions,
  MockInvoiceStore,
} from './mock-invoices.js';
export {
  type Credentials,
  type EsfMockOptions,
  EsfMockState,
  esfFault,
  type MockSession,
  type MockTicket,
} from './mock-service.js';

export const SERVICES_PATH = '/esf-web/ws/api1/';
export const SESSION_SERVICE_PATH = `${SERVICES_PATH}SessionService`;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface EsfMock {
  /** The SessionService URL to give createEsfClient (the other services sit beside it). */
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
  const credentialsOf = (request: IncomingMessage) => credentials.get(request);
  const handlerOptions = {
    maxRequestBytes: MAX_REQUEST_BYTES,
    onExchange: ({ operation, input }: { operation: string; input: unknown }) => calls.push({ operation, input }),
  };
  const service = (meta: ServiceMeta, operations: object) =>
    createSoapHandler(meta, operations as Parameters<typeof createSoapHandler>[1], handlerOptions);
  const handlers: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    SessionService: service(serviceMeta, mockOperations(state, credentialsOf)),
    AuthService: service(authMeta, mockAuthOperations(state, credentialsOf)),
    InvoiceService: service(invoiceMeta, mockInvoiceOperations(state, credentialsOf)),
    UploadInvoiceService: service(uploadMeta, mockUploadOperations(state, credentialsOf)),
  };
  const server = await startLocalServer((req, res) => {
    const path = req.url?.split('?')[0] ?? '';
    const handler = path.startsWith(SERVICES_PATH) ? handlers[path.slice(SERVICES_PATH.length)] : undefined;
    if (!handler) {
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
export { type SampleInvoiceOptions, sampleInvoice } from './sample-invoice.js';
