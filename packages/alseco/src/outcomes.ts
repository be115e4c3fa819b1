/**
 * Per-item results the caller cannot ignore by accident: each item is a union on `ok`, and the
 * data of a successful item (invoices, a payment id) is only reachable after checking it.
 * Whole-call failures reported in a result body (exRes / ErrorMessage) become AlsecoServiceError.
 */
import { KzError } from '@kz/soap';
import type {
  AccountInvoices,
  AccountInvoicesLastVers,
  ExecuteResult,
  OperationState,
  RollbackResult,
} from './generated/types.js';
import { SERVICE } from './inputs.js';

/** A state other than Success; values outside OperationState are kept as the service sent them. */
export type FailureState = Exclude<OperationState, 'Success'> | (string & {});

/**
 * The result for one requested account or invoice number: `ok` with the account's invoices (`account`), or the
 * state that says why not (InvoicesNotFormed, AccountNotFound, AccountIsDeleted, AccountIsMerged, InvoiceNotFound).
 * `input` is the account number or invoice number asked for.
 */
export type InvoiceLookup<Input, Account = AccountInvoices> =
  | { readonly ok: true; readonly state: 'Success'; readonly input: Input; readonly account: Account }
  | { readonly ok: false; readonly state: FailureState; readonly input: Input };

/** InvoiceLookup with the LastVers invoices (consumer's name and address split, service parameters). */
export type InvoiceLookupLastVers<Input> = InvoiceLookup<Input, AccountInvoicesLastVers>;

/**
 * The result of one payment document of pay / payD: `ok` with ALSECO's payment id (keep it: rollbackPayments takes
 * it), or the state that says why it was not paid (e.g. InvoiceNotFound). `invoiceId` is the invoice as ALSECO
 * echoed it.
 */
export type PaymentOutcome =
  | {
      readonly ok: true;
      readonly state: 'Success';
      readonly invoiceId: string | undefined;
      readonly paymentId: number;
      /** PayD only: when ALSECO accepted the payment. */
      readonly acceptedAt?: string;
    }
  | { readonly ok: false; readonly state: FailureState; readonly invoiceId: string | undefined };

/**
 * The result of rolling back one payment (`paymentId` is the id or SysRef given): `ok`, or PaymentNotFound, or
 * PaymentProcessed (already taken into processing: a rollback is possible only on the day the payment arrived).
 */
export type RollbackOutcome<Id> =
  | { readonly ok: true; readonly result: 'Success'; readonly paymentId: Id }
  | { readonly ok: false; readonly result: Exclude<RollbackResult, 'Success'> | (string & {}); readonly paymentId: Id };

/** The service answered, but reported that the operation did not execute. */
export class AlsecoServiceError extends KzError {
  /** The service's own error text (StackTrace is deliberately not kept). */
  readonly serviceMessage: string;

  constructor(operation: string, serviceMessage: string) {
    super(
      { service: SERVICE, operation },
      'SERVICE_ERROR',
      `${SERVICE}.${operation}: ${serviceMessage || 'not executed'}`,
    );
    this.serviceMessage = serviceMessage;
  }
}

export function present<T>(items: readonly (T | null)[] | null | undefined): T[] {
  return (items ?? []).filter((item): item is T => item !== null);
}

export function checkExecuted(operation: string, result: ExecuteResult | undefined): void {
  if (!result?.Executed) throw new AlsecoServiceError(operation, result?.ErrorMessage ?? '');
}

export function lookup<Input, Account>(item: {
  InputValue?: Input;
  State: OperationState | (string & {});
  AccountInvoices?: Account;
}): InvoiceLookup<Input, Account> {
  const input = item.InputValue as Input;
  if (item.State === 'Success' && item.AccountInvoices) {
    return { ok: true, state: 'Success', input, account: item.AccountInvoices };
  }
  return { ok: false, state: item.State === 'Success' ? 'InvoiceNotFound' : item.State, input };
}

export function paymentOutcome(item: {
  State: OperationState | (string & {});
  InvoiceId?: string;
  PaymentId: number;
  PayResDate?: string;
}): PaymentOutcome {
  if (item.State === 'Success' && item.PaymentId > 0) {
    return {
      ok: true,
      state: 'Success',
      invoiceId: item.InvoiceId,
      paymentId: item.PaymentId,
      ...(item.PayResDate ? { acceptedAt: item.PayResDate } : {}),
    };
  }
  return { ok: false, state: item.State === 'Success' ? 'InvoiceNotFound' : item.State, invoiceId: item.InvoiceId };
}

export function rollbackOutcome<Id>(item: {
  PaymentId?: Id;
  Result: RollbackResult | (string & {});
}): RollbackOutcome<Id> {
  const paymentId = item.PaymentId as Id;
  return item.Result === 'Success'
    ? { ok: true, result: 'Success', paymentId }
    : { ok: false, result: item.Result, paymentId };
}
