/**
 * The Alseco client a bank uses: the workflows over the generated client (which fills the bank
 * code in and unwraps each .NET `XResult` itself: kz-codegen.json `bind`, `unwrapResults`): inputs
 * checked before sending, and per-item results as unions on `ok`.
 * Pay, PayD and the rollbacks change money: they are never retried (their spec operations are
 * not marked safe, so @kz/soap's retry option does not apply to them).
 */
import type { BaseClientOptions, CallOptions, SoapClientOptions } from '@kz/soap';
import { DecodeError, requireHttpUrl } from '@kz/soap';
import { AlsecoPaymentsServiceClient } from './generated/client.js';
import type {
  AccountInfo,
  AccountState,
  BankPayByMonthResult,
  BankPayInfo,
  BillInfo,
  Form108eItems,
  PaymentInfo,
  PaymentParameter,
  ResultBankDayCheck,
  ResultNotMovedPays,
} from './generated/types.js';
import {
  type CalendarDate,
  checkBankCode,
  checkUniqueList,
  checkYearMonth,
  fail,
  isAccountId,
  isDigits,
  SERVICE,
  toServiceDay,
} from './inputs.js';
import {
  AlsecoServiceError,
  checkExecuted,
  type InvoiceLookup,
  type InvoiceLookupLastVers,
  lookup,
  type PaymentOutcome,
  paymentOutcome,
  present,
  type RollbackOutcome,
  rollbackOutcome,
} from './outcomes.js';
import type { PaymentRequest } from './payment.js';
import { type PaymentSettlement, type SettleOptions, settlePayment } from './settlement.js';

/**
 * Options of createAlsecoClient: the service URL, the bank code, and the SOAP transport options (timeouts, TLS,
 * retry of the safe reads, hooks).
 */
export interface AlsecoClientOptions
  extends BaseClientOptions,
    Omit<SoapClientOptions, keyof BaseClientOptions | 'useContractEndpoints'> {
  /** The service URL (…/AlsecoPaymentsService.asmx). */
  endpoint: string;
  /** The bank's four-letter abbreviation assigned by ALSECO. */
  bankCode: string;
}

/** A billing month in ALSECO's database (what getCurrentPeriod answers and the monthly reports take). */
export interface Period {
  /** Four-digit year, e.g. 2024. */
  readonly year: number;
  /** Month 1..12. */
  readonly month: number;
}

/** Which of the three invoice method families to use (New, WithIIN, LastVers). */
export type InvoiceVariant = 'new' | 'withIIN';

/**
 * Creates an AlsecoClient (same as `new AlsecoClient(options)`).
 * @throws KzError (`CONFIG_ERROR`) when `endpoint` is missing or not http(s); ValidationError when `bankCode` is not
 * a four-letter code.
 */
export function createAlsecoClient(options: AlsecoClientOptions): AlsecoClient {
  return new AlsecoClient(options);
}

/**
 * The client of ALSECO's payment service (AlsecoPaymentsService) for a bank that takes utility payments: reads the
 * accounts' e-invoices, pays them (pay / payD), rolls payments back, and reconciles the bank day. Inputs are checked
 * before sending (ValidationError); per-item results are unions on `ok`; a call the service reports as not executed
 * is an AlsecoServiceError. Money-moving calls are never retried. `await using alseco = createAlsecoClient(…)`
 * releases connections at the end of the scope.
 */
export class AlsecoClient {
  /** The four-letter code ALSECO assigned to your bank (e.g. "ALSC"); sent as `bankCode` in every request. */
  readonly bankCode: string;
  /**
   * The generated client: every operation as the WSDL defines it, the bank code filled in and each
   * .NET `XResult` answer unwrapped (the codegen's `bind` and `unwrapResults`), no other checks.
   */
  readonly operations: AlsecoPaymentsServiceClient;

  constructor(options: AlsecoClientOptions) {
    const { bankCode, ...soapOptions } = options;
    // Required here: the generated client would fall back to the WSDL's sample address.
    const endpoint = requireHttpUrl(
      { service: SERVICE, operation: 'configure' },
      'createAlsecoClient',
      'endpoint',
      options.endpoint,
    );
    this.bankCode = checkBankCode(bankCode);
    this.operations = new AlsecoPaymentsServiceClient({ ...soapOptions, endpoint, bound: { bankCode: this.bankCode } });
  }

  /** The period currently open in ALSECO's database; it changes on the 1st-3rd of a month. */
  async getCurrentPeriod(options?: CallOptions): Promise<Period> {
    const response = await this.operations.getCurrentPeriod({}, options);
    const text = response ?? '';
    const match = /^(\d{4})-(\d{1,2})$/.exec(text.trim());
    const month = Number(match?.[2]);
    if (!match || month < 1 || month > 12) {
      throw new DecodeError(
        { service: SERVICE, operation: 'GetCurrentPeriod' },
        // Quoted only when it looks like a date: an echoed request (credentials) must not reach the error.
        `expected "YYYY-MM", got ${/^[\d\s./:-]{0,20}$/.test(text) ? `"${text}"` : `${text.length} other characters`}`,
      );
    }
    return { year: Number(match[1]), month };
  }

  /** Invoices of the current period (or the previous one, if not formed yet) for each account. */
  async getInvoicesByAccounts(
    accounts: readonly number[],
    variant: InvoiceVariant = 'new',
    options?: CallOptions,
  ): Promise<InvoiceLookup<number>[]> {
    const operation = variant === 'new' ? 'GetInvoicesByAccountsNew' : 'GetInvoicesByAccountsWithIIN';
    checkUniqueList(operation, 'accounts', accounts, isAccountId, 'a positive account number');
    const input = { accounts: [...accounts] };
    const results =
      variant === 'new'
        ? await this.operations.getInvoicesByAccountsNew(input, options)
        : await this.operations.getInvoicesByAccountsWithIIN(input, options);
    return present(results).map(lookup);
  }

  /** As getInvoicesByAccounts, with the consumer's name and address split and service parameters. */
  async getInvoicesByAccountsLastVers(
    accounts: readonly number[],
    options?: CallOptions,
  ): Promise<InvoiceLookupLastVers<number>[]> {
    checkUniqueList('GetInvoicesByAccountsLastVers', 'accounts', accounts, isAccountId, 'a positive account number');
    const response = await this.operations.getInvoicesByAccountsLastVers({ accounts: [...accounts] }, options);
    return present(response).map(lookup);
  }

  /** Invoices by their numbers (without the printed check digit: see invoiceNumberForRequest). */
  async getInvoicesByInvoices(
    invoiceNumbers: readonly string[],
    variant: InvoiceVariant = 'new',
    options?: CallOptions,
  ): Promise<InvoiceLookup<string>[]> {
    const operation = variant === 'new' ? 'GetInvoicesByInvoicesNew' : 'GetInvoicesByInvoicesWithIIN';
    checkUniqueList(operation, 'inputInvoices', invoiceNumbers, isDigits, 'an invoice number (digits)');
    const input = { inputInvoices: [...invoiceNumbers] };
    const results =
      variant === 'new'
        ? await this.operations.getInvoicesByInvoicesNew(input, options)
        : await this.operations.getInvoicesByInvoicesWithIIN(input, options);
    return present(results).map(lookup);
  }

  /**
   * As getInvoicesByInvoices (numbers without the check digit), with the consumer's name and address split and each
   * service's parameters (GetInvoicesByInvoicesLastVers). One result per number, in order: `ok` with the account's
   * invoices, or the state (InvoiceNotFound).
   * @throws ValidationError when the list is empty, repeats a number or holds a non-digit one.
   */
  async getInvoicesByInvoicesLastVers(
    invoiceNumbers: readonly string[],
    options?: CallOptions,
  ): Promise<InvoiceLookupLastVers<string>[]> {
    checkUniqueList(
      'GetInvoicesByInvoicesLastVers',
      'inputInvoices',
      invoiceNumbers,
      isDigits,
      'an invoice number (digits)',
    );
    const response = await this.operations.getInvoicesByInvoicesLastVers(
      { inputInvoices: [...invoiceNumbers] },
      options,
    );
    return present(response).map(lookup);
  }

  /**
   * Pays invoices. Sent once: a timeout or a broken connection surfaces as a TransportError with
   * `maybeDelivered`; find out what happened with getPaymentsInfo / getNotMovedPays, not by resending.
   */
  async pay(documents: readonly PaymentRequest[], options?: CallOptions): Promise<PaymentOutcome[]> {
    checkPaymentDocuments('Pay', documents);
    const response = await this.operations.pay({ paymentDocuments: [...documents] }, noRetry(options));
    return present(response).map(paymentOutcome);
  }

  /** As pay, and each successful outcome carries when ALSECO accepted it. */
  async payD(documents: readonly PaymentRequest[], options?: CallOptions): Promise<PaymentOutcome[]> {
    checkPaymentDocuments('PayD', documents);
    const response = await this.operations.payD({ paymentDocuments: [...documents] }, noRetry(options));
    return present(response).map(paymentOutcome);
  }

  /**
   * What became of a payment whose outcome is unknown (a TransportError with `maybeDelivered`
   * after pay/payD), from the reconciliation lists of its day: paid (with ALSECO's payment id),
   * not paid, or cannot tell yet. Nothing is sent again; see settlement.ts for the rules.
   */
  settlePayment(sysRef: string, day: CalendarDate, options?: SettleOptions): Promise<PaymentSettlement> {
    return settlePayment(this, sysRef, day, options);
  }

  /** Rolls back payments by ALSECO payment id; possible only on the day the payment arrived. */
  async rollbackPayments(paymentIds: readonly number[], options?: CallOptions): Promise<RollbackOutcome<number>[]> {
    checkUniqueList('RollbackPayments', 'paymentIds', paymentIds, isAccountId, 'a positive payment id');
    const response = await this.operations.rollbackPayments({ paymentIds: [...paymentIds] }, noRetry(options));
    return present(response).map(rollbackOutcome<number>);
  }

  /** Rolls back payments by the bank's own reference (SysRef). */
  async rollbackPaymentsBySysRef(
    sysRefs: readonly string[],
    options?: CallOptions,
  ): Promise<RollbackOutcome<string>[]> {
    checkUniqueList(
      'RollbackPaymentsBySysRef',
      'sysRefs',
      sysRefs,
      (s) => typeof s === 'string' && s.length > 0,
      'a SysRef',
    );
    const response = await this.operations.rollbackPaymentsBySysRef({ sysRefs: [...sysRefs] }, noRetry(options));
    return present(response).map(rollbackOutcome<string>);
  }

  /** Payments of a processing day (or a whole month when `day` is omitted) with their ids and SysRefs. */
  async getPaymentsInfo(period: Period & { day?: number }, options?: CallOptions): Promise<PaymentInfo[]> {
    checkYearMonth('GetPaymentsInfo', period.year, period.month);
    if (period.day !== undefined && (!Number.isInteger(period.day) || period.day < 1 || period.day > 31)) {
      fail('GetPaymentsInfo', [{ field: 'day', message: 'must be 1..31' }]);
    }
    const response = await this.operations.getPaymentsInfo(
      { year: period.year, month: period.month, day: period.day ?? null },
      options,
    );
    return present(response);
  }

  /** Payments of the current and/or finished bank day not yet taken into processing (reconciliation). */
  async getNotMovedPays(day: CalendarDate, options?: CallOptions): Promise<ResultNotMovedPays[]> {
    const dateIn = toServiceDay('GetNotMovedPays', 'day', day);
    const response = await this.operations.getNotMovedPays({ dateIn }, options);
    return present(response);
  }

  /** Tells ALSECO the bank reconciled the day; its payments are then loaded for processing. */
  async confirmBankDay(day: CalendarDate, options?: CallOptions): Promise<ResultBankDayCheck[]> {
    const dateIn = toServiceDay('GetBankDayChecks', 'day', day);
    const response = await this.operations.getBankDayChecks({ dateIn }, noRetry(options));
    return present(response);
  }

  /** The account's state; a value outside AccountState is kept as the service sent it. */
  async getAccountState(accountId: number, options?: CallOptions): Promise<AccountState | (string & {})> {
    checkAccount('GetAccountState', accountId);
    const response = await this.operations.getAccountState({ accountId }, options);
    return response;
  }

  /**
   * The account holder's details (GetAccountInfo): name, address, RNN, phone, living area (Square) and number of
   * residents; undefined when the service returns none.
   * @throws ValidationError when `accountId` is not a positive account number.
   */
  async getAccountInfo(accountId: number, options?: CallOptions): Promise<AccountInfo | undefined> {
    checkAccount('GetAccountInfo', accountId);
    const response = await this.operations.getAccountInfo({ accountId }, options);
    return response;
  }

  /** The printed invoice as PDF bytes (the latest of the last 6 months if the month has none). */
  async getPrintedInvoicePdf(
    accountId: number,
    period: Period,
    options?: CallOptions,
  ): Promise<Uint8Array | undefined> {
    checkAccount('GetPrintedInvoicePDF', accountId);
    checkYearMonth('GetPrintedInvoicePDF', period.year, period.month);
    const response = await this.operations.getPrintedInvoicePDF({ accountId, ...period }, options);
    return fileOf('GetPrintedInvoicePDF', response, PDF_MAGIC, 'a PDF file');
  }

  /** The invoice image (GIF bytes) of a formed invoice. */
  async getPrintedInvoiceImage(
    accountId: number,
    billId: number,
    period: Period,
    options?: CallOptions,
  ): Promise<Uint8Array | undefined> {
    checkAccount('GetPrintedInvoice', accountId);
    checkYearMonth('GetPrintedInvoice', period.year, period.month);
    const response = await this.operations.getPrintedInvoice({ accountId, bill_id: billId, ...period }, options);
    return fileOf('GetPrintedInvoice', response, GIF_MAGIC, 'a GIF image');
  }

  /** Accounts with invoices formed since the previous call (the service keeps the cursor). */
  async getAccountsWithFormedBill(options?: CallOptions): Promise<number[]> {
    const response = await this.operations.getAccountsWithFormedBill({}, noRetry(options));
    return response ?? [];
  }

  /**
   * Payments your bank made in a month (GetBankPayByMonth), with their ALSECO payment ids, SysRefs, amounts and
   * dates; `result: false` with ErrorMessage when the service could not answer.
   * @throws ValidationError when `period` is not a valid year and month.
   */
  async getBankPayByMonth(period: Period, options?: CallOptions): Promise<BankPayByMonthResult | undefined> {
    checkYearMonth('GetBankPayByMonth', period.year, period.month);
    const response = await this.operations.getBankPayByMonth({ ...period }, options);
    return response;
  }

  /**
   * Payments your bank made between two days, inclusive (getPaysInfo): ALSECO payment id, SysRef, account, invoice,
   * amount, date; empty when there were none. settlePayment reads it.
   * @throws ValidationError when `from` or `to` is not a calendar day.
   */
  async getPaysInfo(from: CalendarDate, to: CalendarDate, options?: CallOptions): Promise<BankPayInfo[]> {
    const DateBegin = toServiceDay('getPaysInfo', 'from', from);
    const DateEnd = toServiceDay('getPaysInfo', 'to', to);
    const response = await this.operations.getPaysInfo({ DateBegin, DateEnd }, options);
    return present(response);
  }

  /** Numbers of the invoice bundles ("labels") of a month. */
  async getBillInfoLabels(period: Period, options?: CallOptions): Promise<number[]> {
    checkYearMonth('GetBillInfoLabels', period.year, period.month);
    const response = await this.operations.getBillInfoLabels({ ...period }, options);
    checkExecuted('GetBillInfoLabels', response?.exRes);
    return present(response?.list).map((label) => label.labelId);
  }

  /** The invoices of one bundle of a month (current or previous month only). */
  async getBillInfo(period: Period, labelId: number, options?: CallOptions): Promise<BillInfo[]> {
    checkYearMonth('GetBillInfo', period.year, period.month);
    const response = await this.operations.getBillInfo({ ...period, labelId }, options);
    checkExecuted('GetBillInfo', response?.exRes);
    return present(response?.list);
  }

  /** Electronic payment orders to service providers for a day (form 108e). */
  async getReport108e(day: CalendarDate, options?: CallOptions): Promise<Form108eItems[]> {
    const dateIn = toServiceDay('GetReport108e', 'day', day);
    const response = await this.operations.getReport108e({ dateIn }, options);
    const result = response;
    if (result?.ErrorMessage) throw new AlsecoServiceError('GetReport108e', result.ErrorMessage);
    return present(result?.list);
  }

  /** Releases the transport's pooled connections. */
  close(): void {
    this.operations.soap.close();
  }

  /** `await using alseco = createAlsecoClient(…)`: close() at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

const PDF_MAGIC = ['%PDF-'];
const GIF_MAGIC = ['GIF87a', 'GIF89a'];

/**
 * The document says what file each printed-invoice method returns (PDF, GIF): bytes of another
 * kind (an error page, the documents' own placeholders such as "base64Binary") are a DecodeError.
 */
function fileOf(
  operation: string,
  bytes: Uint8Array | undefined,
  magic: readonly string[],
  what: string,
): Uint8Array | undefined {
  if (bytes === undefined) return undefined;
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  if (!magic.some((m) => head.startsWith(m))) {
    throw new DecodeError(
      { service: SERVICE, operation },
      `${operation}Result is not ${what} (starts with ${JSON.stringify(head.slice(0, 5))})`,
      `${operation}Response/${operation}Result`,
    );
  }
  return bytes;
}

/** Money-moving calls are never retried, even when the caller passes retry options. */
function noRetry(options: CallOptions | undefined): CallOptions {
  return { ...options, retry: false };
}

function checkAccount(operation: string, accountId: number): void {
  if (!isAccountId(accountId)) fail(operation, [{ field: 'accountId', message: 'must be a positive account number' }]);
}

const DECIMAL = /^\d{1,13}(\.\d{1,2})?$/;

function checkPaymentDocuments(operation: string, documents: readonly PaymentRequest[]): void {
  if (!Array.isArray(documents) || documents.length === 0)
    fail(operation, [{ field: 'paymentDocuments', message: 'must not be empty' }]);
  const issues: { field: string; message: string }[] = [];
  const sysRefs = new Set<string>();
  documents.forEach((document, index) => {
    const at = `paymentDocuments[${index}]`;
    if (!isAccountId(document.AccountId))
      issues.push({ field: `${at}.AccountId`, message: 'must be a positive account number' });
    if (!document.InvoiceId || !isDigits(document.InvoiceId)) {
      issues.push({
        field: `${at}.InvoiceId`,
        message: 'must be the invoice number (digits, without the check digit)',
      });
    }
    if (!document.SysRef)
      issues.push({ field: `${at}.SysRef`, message: "is required: the bank's unique operation reference" });
    else if (sysRefs.has(document.SysRef))
      issues.push({ field: `${at}.SysRef`, message: 'repeats within the request' });
    else sysRefs.add(document.SysRef);
    const parameters = present<PaymentParameter>(document.PaymentParameters);
    if (parameters.length === 0)
      issues.push({ field: `${at}.PaymentParameters`, message: 'must list the paid services' });
    parameters.forEach((parameter, p) => {
      if (!DECIMAL.test(parameter.PaySum)) {
        issues.push({
          field: `${at}.PaymentParameters[${p}].PaySum`,
          message: 'must be a non-negative amount like "1532.00"',
        });
      }
    });
  });
  if (issues.length > 0) fail(operation, issues);
}
