/**
 * `@kz/esf/testing`: a stateful mock of ESF on 127.0.0.1 (random port), over real HTTP: SessionService,
 * AuthService, InvoiceService and UploadInvoiceService under /esf-web/ws/api1/, checking the
 * WS-Security UsernameToken of every call (AuthService expects none). Default user: the seed's test
 * user (login 123456789011, password TestPass123) with its four profiles.
 */
import type { OperationHandlers, ServiceMeta } from '@kz/soap';
import { type SoapMockCall, startSoapMock } from '@kz/soap/testing';
import { serviceMeta as authMeta } from '../generated/auth/schema.js';
import { serviceMeta as invoiceMeta } from '../generated/invoice-service/schema.js';
import { serviceMeta } from '../generated/schema.js';
import { serviceMeta as uploadMeta } from '../generated/upload/schema.js';
import { mockInvoiceOperations, mockUploadOperations } from './mock-invoice-operations.js';
import { type EsfMockOptions, EsfMockState, mockAuthOperations, mockOperations } from './mock-service.js';

export { type MockEsfUser, SEED_USER_LOGIN, SEED_USER_PASSWORD, seedUsers } from './mock-data.js';
export {
  type MockInvoice,
  type MockInvoiceIssue,
  type MockInvoiceOptions,
  MockInvoiceStore,
} from './mock-invoices.js';
export {
  type Credentials,
  credentialsOf,
  type EsfMockOptions,
  EsfMockState,
  esfFault,
  type MockSession,
  type MockTicket,
} from './mock-service.js';

/** The folder all four mock services sit in, as on the live server: `/esf-web/ws/api1/`. */
export const SERVICES_PATH = '/esf-web/ws/api1/';
/** The mock SessionService's path (`/esf-web/ws/api1/SessionService`); `EsfMock.endpoint` is this URL. */
export const SESSION_SERVICE_PATH = `${SERVICES_PATH}SessionService`;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** A running ESF mock (startEsfMock). Test-only. */
export interface EsfMock {
  /** The SessionService URL to give createEsfClient (the other services sit beside it). */
  readonly endpoint: string;
  /** The mock's in-memory state (users, tickets, sessions, invoices): read it to assert, change it to arrange. */
  readonly state: EsfMockState;
  /** Every handled call, in order (over the four services). */
  readonly calls: SoapMockCall[];
  /** Stops the server and closes its connections; call it when the test ends (e.g. in afterAll). */
  close(): Promise<void>;
  /** The same as close(), for `await using mock = await startEsfMock()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a stateful ESF mock over real HTTP on 127.0.0.1, on an ephemeral port: SessionService, AuthService,
 * InvoiceService and UploadInvoiceService under `/esf-web/ws/api1/`, as one server. It checks the UsernameToken
 * of every call (AuthService expects none, as the live service), keeps sessions, tickets and an invoice queue
 * that registers or fails uploads after `invoices.processingMs`, and answers with the contract's faults.
 * Requests over 4 MiB are refused. Give `mock.endpoint` to createEsfClient; stop it with `mock.close()` (or `await using` it).
 * Test-only: never point production code at it.
 */
export async function startEsfMock(options: EsfMockOptions = {}): Promise<EsfMock> {
  const state = new EsfMockState(options);
  const limits = { maxRequestBytes: MAX_REQUEST_BYTES };
  const beside = (name: string, meta: ServiceMeta, handlers: OperationHandlers) => ({
    path: `${SERVICES_PATH}${name}`,
    meta,
    handlers,
    options: limits,
  });
  const server = await startSoapMock(serviceMeta, mockOperations(state), {
    ...limits,
    path: SESSION_SERVICE_PATH,
    services: [
      beside('AuthService', authMeta, mockAuthOperations(state)),
      beside('InvoiceService', invoiceMeta, mockInvoiceOperations(state)),
      beside('UploadInvoiceService', uploadMeta, mockUploadOperations(state)),
    ],
  });
  return {
    endpoint: server.url,
    state,
    calls: server.calls,
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}

export { type SampleInvoiceOptions, sampleInvoice } from './sample-invoice.js';
