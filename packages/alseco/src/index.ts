export {
  AlsecoClient,
  type AlsecoClientOptions,
  createAlsecoClient,
  type InvoiceVariant,
  type Period,
} from './client.js';
export {
  type AlsecoPaymentsServiceBound,
  AlsecoPaymentsServiceClient,
  type AlsecoPaymentsServiceOperations,
} from './generated/client.js';
export { serviceMeta } from './generated/schema.js';
export type * from './generated/types.js';
export type { CalendarDate } from './inputs.js';
export { invoiceNumberForRequest, invoicePeriod } from './invoice-number.js';
export {
  AlsecoServiceError,
  type FailureState,
  type InvoiceLookup,
  type InvoiceLookupLastVers,
  type PaymentOutcome,
  type RollbackOutcome,
} from './outcomes.js';
export { type PaymentFromInvoiceOptions, type PaymentRequest, paymentFromInvoice } from './payment.js';
export type { PaymentSettlement, SettleOptions } from './settlement.js';
