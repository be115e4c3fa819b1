/**
 * InvoiceService and UploadInvoiceService of the mock: every call needs the cabinet UsernameToken
 * and an open session of that user (else sessionClosedException, "No open session associated with
 * user."); the invoices are the session's BIN's (MockInvoiceStore).
 */
import { verifyRaw } from '@kz/signing';
import type { DecodedSoapRequest, OperationImplementations } from '@kz/soap';
import type { InvoiceServiceOperations } from '../generated/invoice-service/client.js';
import type { UploadInvoiceServiceOperations } from '../generated/upload/client.js';
import { idsSignable, reasonsSignable } from '../invoices.js';
import { infoOf, summaryOf } from './mock-invoices.js';
import { credentialsOf, type EsfMockState, esfFault, type MockSession } from './mock-service.js';

/** A signed status change must verify over what @kz/esf signs (reasonsSignable / idsSignable, a guess). */
function checkSigned(signable: string, request: { signature: string; x509Certificate: string }): void {
  if (!verifyRaw(signable, request.signature, request.x509Certificate.replace(/\s+/g, ''))) {
    throw esfFault('client', 'businessException', 'SIGNATURE_VERIFICATION_FAILED: the signature does not verify');
  }
}

export function mockInvoiceOperations(state: EsfMockState): OperationImplementations<InvoiceServiceOperations> {
  const session = (request: DecodedSoapRequest, sessionId: string): MockSession =>
    state.session(state.authenticate(credentialsOf(request)), sessionId);
  const store = state.invoices;
  const page = state.invoices.pageSize;
  return {
    queryInvoiceSummaryById: (input, request) => ({
      invoiceSummaryList: store.visible(session(request, input.sessionId).tin, input.idList).map(summaryOf),
    }),
    queryInvoiceById: (input, request) => {
      const found = store.visible(session(request, input.sessionId).tin, input.idList);
      return { lastBlock: true, currPage: 1, rsCount: found.length, invoiceInfoList: found.map(infoOf) };
    },
    queryInvoiceByKey: (input, request) => {
      const found = store.byKey(session(request, input.sessionId).tin, input.invoiceKeyList, input.direction);
      return { lastBlock: true, currPage: 1, rsCount: found.length, invoiceInfoList: found.map(infoOf) };
    },
    queryInvoiceSummaryByKey: (input, request) => ({
      invoiceSummaryList: store
        .byKey(session(request, input.sessionId).tin, input.invoiceKeyList, input.direction)
        .map(summaryOf),
    }),
    queryInvoiceErrorById: (input, request) => ({
      invoiceErrorList: store
        .visible(session(request, input.sessionId).tin, input.idList)
        .map((record) => ({ invoiceId: record.id, ...(record.errors.length > 0 ? { errors: record.errors } : {}) })),
    }),
    queryInvoiceHistoryById: (input, request) => ({
      resultList: store.visible(session(request, input.sessionId).tin, input.idList).map((record) => ({
        invoiceId: record.id,
        status: record.status,
        dateTime: summaryOf(record).lastUpdateDate as string,
        tin: record.issuerTin,
        clientType: 'API' as const,
      })),
    }),
    queryUpdates: (input, request) => {
      const { tin } = session(request, input.sessionId);
      const limit = input.limit ?? page;
      if (limit < 1) throw esfFault('client', 'businessException', 'limit must be positive');
      try {
        return store.updates(tin, input.direction, input.lastEventDate, limit);
      } catch (error) {
        throw esfFault('client', 'businessException', (error as Error).message);
      }
    },
    queryInvoice: (input, request) => store.query(session(request, input.sessionId).tin, input.criteria, page),
    confirmInvoiceById: (input, request) => ({
      invoiceSummaryList: store.confirm(session(request, input.sessionId).tin, input.idList),
    }),
    declineInvoiceById: (input, request) => {
      const { tin } = session(request, input.sessionId);
      checkSigned(reasonsSignable(input.idWithReasonList), input);
      return { resultList: store.change('decline', tin, input.idWithReasonList) };
    },
    revokeInvoiceById: (input, request) => {
      const { tin } = session(request, input.sessionId);
      checkSigned(reasonsSignable(input.idWithReasonList), input);
      return { resultList: store.change('revoke', tin, input.idWithReasonList) };
    },
    unrevokeInvoiceById: (input, request) => {
      const { tin } = session(request, input.sessionId);
      checkSigned(reasonsSignable(input.idWithReasonList), input);
      return { resultList: store.change('unrevoke', tin, input.idWithReasonList) };
    },
    deleteInvoiceById: (input, request) => {
      const { tin } = session(request, input.sessionId);
      checkSigned(idsSignable(input.idList), input);
      return { resultList: store.delete(tin, input.idList) };
    },
    enterpriseValidation: (input, request) => {
      session(request, input.sessionId);
      return {
        resultList: input.enterpriseKeyList.map((key) => ({ tin: key.tin, resultType: 'SUCCESS' as const })),
      };
    },
  };
}

export function mockUploadOperations(state: EsfMockState): OperationImplementations<UploadInvoiceServiceOperations> {
  return {
    syncInvoice: (input, request) => {
      const { tin } = state.session(state.authenticate(credentialsOf(request)), input.sessionId);
      return state.invoices.upload(tin, input.x509Certificate.replace(/\s+/g, ''), input.invoiceUploadInfoList);
    },
  };
}
