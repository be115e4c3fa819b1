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

export const SERVICES_PATH = '/esf-web/ws/api1/';
export const SESSION_SERVICE_PATH = `${SERVICES_PATH}SessionService`;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface EsfMock {
  /** The SessionService URL to give createEsfClient (the other services sit beside it). */
  readonly endpoint: string;
  readonly state: EsfMockState;
  /** Every handled call, in order (over the four services). */
  readonly calls: SoapMockCall[];
  close(): Promise<void>;
}

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
  return { endpoint: server.url, state, calls: server.calls, close: () => server.close() };
}

export { type SampleInvoiceOptions, sampleInvoice } from './sample-invoice.js';
