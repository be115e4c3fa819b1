/**
 * The write side of a payment. What pay()/payD() check before sending is required in the type
 * (the WSDL leaves these fields optional, as ASMX writes every string), and a looked-up invoice
 * (read side, `InvoceId` as the service spells it) turns into the document that pays it in full
 * (write side, `InvoiceId`).
 */
import type { Invoice, InvoiceLastVers, PaymentDocument, PaymentParameter } from './generated/types.js';
import { fail } from './inputs.js';

/** A payment document as pay()/payD() accept it: invoice, bank reference and services are required. */
export interface PaymentRequest extends PaymentDocument {
  /** The invoice number without its printed check digit (as a lookup returns it in `InvoceId`). */
  InvoiceId: string;
  /** The bank's unique operation reference: how an unknown outcome is settled and a payment rolled back. */
  SysRef: string;
  /** Every service of the invoice (at least one): ALSECO refuses a partial list. */
  PaymentParameters: PaymentParameter[];
}

/** What paymentFromInvoice needs besides the invoice: the bank's reference of the payment and when it was taken. */
export interface PaymentFromInvoiceOptions {
  /** The bank's unique operation reference for this payment. */
  sysRef: string;
  /** When the bank took the payment: a Date (local time) or the wire form "YYYY-MM-DDTHH:mm:ss". Default: now. */
  paymentDate?: Date | string;
}

/**
 * The document that pays `invoice` (from getInvoicesByAccounts & co.) of `accountId` in full: each
 * service's amount due (FixSum), consumption (FixCount) and last reading (LastCount). A
 * ValidationError names what the invoice lacks to be paid this way.
 */
export function paymentFromInvoice(
  accountId: number,
  invoice: Invoice | InvoiceLastVers,
  options: PaymentFromInvoiceOptions,
): PaymentRequest {
  const operation = 'paymentFromInvoice';
  const issues: { field: string; message: string }[] = [];
  if (!invoice.InvoceId) issues.push({ field: 'invoice.InvoceId', message: 'is missing: nothing to pay' });
  const parameters: PaymentParameter[] = [];
  (invoice.InvoiceParameters ?? []).forEach(({ ServiceId, FixSum, FixCount, LastCount }, index) => {
    const missing = Object.entries({ ServiceId, FixSum, FixCount, LastCount }).filter(([, v]) => v === undefined);
    if (missing.length > 0) {
      issues.push({
        field: `invoice.InvoiceParameters[${index}]`,
        message: `lacks ${missing.map(([name]) => name).join(', ')}: the service list must be paid whole`,
      });
    } else {
      parameters.push({
        ServiceId: ServiceId as number,
        PayCounts: FixCount as string,
        LastCounts: LastCount as string,
        PaySum: FixSum as string,
      });
    }
  });
  if (parameters.length === 0 && issues.length === 0) {
    issues.push({ field: 'invoice.InvoiceParameters', message: 'lists no service' });
  }
  if (issues.length > 0) fail(operation, issues);
  return {
    AccountId: accountId,
    InvoiceId: invoice.InvoceId as string,
    PaymentDate: paymentDateOf(operation, options.paymentDate ?? new Date()),
    SysRef: options.sysRef,
    PaymentParameters: parameters,
  };
}

function paymentDateOf(operation: string, date: Date | string): string {
  if (typeof date === 'string') return date;
  if (Number.isNaN(date.getTime())) fail(operation, [{ field: 'paymentDate', message: 'is an invalid Date' }]);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}
