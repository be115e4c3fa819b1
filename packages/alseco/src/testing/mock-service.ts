/**
 * The mock's behaviour: the 24 operations over an in-memory state that follows the document
 * (a payment shows up in GetPaymentsInfo and GetNotMovedPays until the day is confirmed, a
 * rollback removes it, a second rollback reports PaymentNotFound, a confirmed day's payments
 * can no longer be rolled back, a SysRef already registered is refused with a fault).
 */
import { type OperationImplementations, SoapFaultResponse } from '@kz/soap';
import type { AlsecoPaymentsServiceOperations } from '../generated/client.js';
import type {
  AccountInvoices,
  AccountInvoicesLastVers,
  OperationState,
  PaymentDocument,
  ResultRollbackPaymentOfInt32,
} from '../generated/types.js';
import { type MockAccount, SAMPLE_GIF, SAMPLE_PDF, seedAccounts } from './mock-data.js';

/** A payment the ALSECO mock registered (Pay / PayD), until it is rolled back. */
export interface MockPayment {
  /** ALSECO's payment id the mock assigned (what Pay answers and rollbackPayments takes). */
  readonly paymentId: number;
  /** The ALSECO account number (AccountId) the payment was for. */
  readonly accountId: number;
  /** The invoice number paid (without the check digit). */
  readonly invoiceId: string;
  /** The bank's unique reference of the payment, as sent; the mock refuses a second payment with the same one. */
  readonly sysRef: string;
  /** When the bank took the payment, as sent (PaymentDate, "YYYY-MM-DDTHH:MM:SS"). */
  readonly paymentDate: string;
  /** In tiyn (1/100 tenge), summed exactly. */
  readonly sumTiyn: bigint;
  /** When the mock registered it: "YYYY-MM-DDTHH:MM:SS". */
  readonly receivedAt: string;
  /** True once GetBankDayChecks confirmed its day: it can no longer be rolled back and leaves GetNotMovedPays. */
  processed: boolean;
}

/** Options of startAlsecoMock (and `new AlsecoMockState`): accepted bank codes, the open period, the clock. */
export interface AlsecoMockOptions {
  /** Bank codes the mock accepts; any other gets a SOAP fault. Default ALSC and KASP (any case). */
  bankCodes?: readonly string[];
  /** The open period. Default March 2018, as in the document's samples. */
  currentPeriod?: { year: number; month: number };
  /** The mock's clock, for deterministic tests. Default: the real time. */
  now?: () => Date;
}

/**
 * The ALSECO mock's in-memory state and rules (`mock.state`), shared by the 24 mock operations: seed accounts in
 * each state (active, deleted, merged, invoices not formed), the payments registered, the open period. Methods that
 * refuse throw SoapFaultResponse, which the mock sends as a soap:Fault. Test-only.
 */
export class AlsecoMockState {
  /** The seed accounts by account number (e.g. 8888 and 2429284 are active with formed invoices). */
  readonly accounts: Map<number, MockAccount>;
  /** The payments registered and not rolled back, by payment id. */
  readonly payments = new Map<number, MockPayment>();
  readonly #bankCodes: Set<string>;
  /** The open period GetCurrentPeriod answers (AlsecoMockOptions.currentPeriod, default March 2018). */
  readonly period: { year: number; month: number };
  readonly #now: () => Date;
  #nextPaymentId = 8366540;
  /** Banks that already read GetAccountsWithFormedBill (its cursor). */
  readonly #formedBillRead = new Set<string>();

  constructor(options: AlsecoMockOptions = {}) {
    this.accounts = new Map(seedAccounts().map((a) => [a.accountId, a]));
    this.#bankCodes = new Set((options.bankCodes ?? ['ALSC', 'KASP']).map((c) => c.toUpperCase()));
    this.period = options.currentPeriod ?? { year: 2018, month: 3 };
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * The bank code in upper case, if it is one the mock accepts.
   * @throws SoapFaultResponse (client fault "Не найден банк") for any other code.
   */
  checkBank(bankCode: string | undefined): string {
    const code = (bankCode ?? '').toUpperCase();
    if (!this.#bankCodes.has(code)) throw new SoapFaultResponse('client', 'Не найден банк: unknown bank code');
    return code;
  }

  /**
   * The per-item state of an account: Success, InvoicesNotFormed, AccountNotFound, AccountIsDeleted or AccountIsMerged.
   */
  accountState(accountId: number): OperationState {
    const account = this.accounts.get(accountId);
    if (!account) return 'AccountNotFound';
    if (account.state === 'Deleted') return 'AccountIsDeleted';
    if (account.state === 'Merged') return 'AccountIsMerged';
    return account.invoicesFormed ? 'Success' : 'InvoicesNotFormed';
  }

  /** The account's invoices of the open period as the New (`withIIN` false) or WithIIN methods answer them. */
  invoicesOf(account: MockAccount, withIIN: boolean): AccountInvoices {
    return {
      ...(withIIN ? { IIN: account.iin } : {}),
      AccountId: account.accountId,
      AccountAddress: `${account.name} ${account.address}`,
      Invoices: [
        {
          InvoceId: account.invoiceId,
          FormedDate: `${this.periodPrefix()}-01T09:00:00`,
          ExpireDate: `${this.periodPrefix()}-${lastDay(this.period)}T00:00:00`,
          InvoiceParameters: [...account.services],
        },
      ],
      CalculationParameters: [...account.calculation],
    };
  }

  /** The account's invoices as the LastVers methods answer them (name and address split, service parameters). */
  invoicesLastVers(account: MockAccount): AccountInvoicesLastVers {
    const base = this.invoicesOf(account, true);
    return {
      ...base,
      ConsumerName: account.name,
      ConsumerAddress: account.address,
      Invoices: (base.Invoices ?? []).map((invoice) => ({
        FormedDate: invoice?.FormedDate ?? '',
        ExpireDate: invoice?.ExpireDate ?? '',
        ...(invoice?.InvoceId ? { InvoceId: invoice.InvoceId } : {}),
        InvoiceParameters: account.services.map((service) => ({
          ...service,
          ServiceParameters: [{ ParameterId: 1, ParameterName: 'Тариф', ParameterValue: service.Tariff }],
        })),
      })),
    };
  }

  /** The account whose invoice has this number (without the check digit), or undefined. */
  accountByInvoice(invoiceId: string): MockAccount | undefined {
    for (const account of this.accounts.values()) if (account.invoiceId === invoiceId) return account;
    return undefined;
  }

  /**
   * Registers one payment document: Success with a new payment id when the account exists and the invoice is its
   * own; otherwise the account's state or InvoiceNotFound, and nothing is registered.
   */
  pay(document: PaymentDocument): { state: OperationState; invoiceId: string; paymentId: number; receivedAt?: string } {
    const invoiceId = document.InvoiceId ?? '';
    const state = this.accountState(document.AccountId);
    if (state !== 'Success' && state !== 'InvoicesNotFormed') return { state, invoiceId, paymentId: -1 };
    const account = this.accounts.get(document.AccountId) as MockAccount;
    if (account.invoiceId !== invoiceId) return { state: 'InvoiceNotFound', invoiceId, paymentId: -1 };
    const receivedAt = isoLocal(this.#now());
    const payment: MockPayment = {
      paymentId: this.#nextPaymentId++,
      accountId: account.accountId,
      invoiceId,
      sysRef: document.SysRef ?? '',
      paymentDate: document.PaymentDate,
      sumTiyn: (document.PaymentParameters ?? []).reduce((sum, p) => sum + toTiyn(p?.PaySum ?? '0'), 0n),
      receivedAt,
      processed: false,
    };
    this.payments.set(payment.paymentId, payment);
    return { state: 'Success', invoiceId, paymentId: payment.paymentId, receivedAt };
  }

  /**
   * Refuses a request that would register a SysRef twice (already registered and not rolled back,
   * or repeated within the request), before registering anything: as a careful bank would expect,
   * so a double payment cannot pass a test unnoticed.
   */
  refuseDuplicateSysRefs(documents: readonly (PaymentDocument | null)[]): void {
    const seen = new Set<string>();
    for (const document of documents) {
      const sysRef = document?.SysRef ?? '';
      const registered = [...this.payments.values()].find((p) => p.sysRef === sysRef);
      if (registered) {
        throw new SoapFaultResponse(
          'client',
          `Duplicate SysRef "${sysRef}": a payment with this bank reference is already registered (PaymentId ${registered.paymentId})`,
        );
      }
      if (seen.has(sysRef)) throw new SoapFaultResponse('client', `Duplicate SysRef "${sysRef}" within the request`);
      seen.add(sysRef);
    }
  }

  /** Rolls back a payment: Success (removed), PaymentNotFound, or PaymentProcessed once its day was confirmed. */
  rollback(payment: MockPayment | undefined): ResultRollbackPaymentOfInt32['Result'] {
    if (!payment) return 'PaymentNotFound';
    if (payment.processed) return 'PaymentProcessed';
    this.payments.delete(payment.paymentId);
    return 'Success';
  }

  /** The payments the mock received on `day` ("YYYY-MM-DD"). */
  paymentsOnDay(day: string): MockPayment[] {
    return [...this.payments.values()].filter((p) => p.receivedAt.startsWith(day));
  }

  /**
   * GetAccountsWithFormedBill: the first call per bank lists the active accounts with formed invoices, later calls
   * none (the service keeps a cursor per bank).
   */
  readFormedBills(bankCode: string): number[] {
    if (this.#formedBillRead.has(bankCode)) return [];
    this.#formedBillRead.add(bankCode);
    return [...this.accounts.values()].filter((a) => a.state === 'Active' && a.invoicesFormed).map((a) => a.accountId);
  }

  /** The open period as "YYYY-MM" (what GetCurrentPeriod answers). */
  periodPrefix(): string {
    return `${this.period.year}-${String(this.period.month).padStart(2, '0')}`;
  }

  /** True when year/month is after the open period: GetBillInfoLabels and GetBillInfo then answer "not executed". */
  isAfterCurrent(year: number, month: number): boolean {
    return year * 12 + month > this.period.year * 12 + this.period.month;
  }
}

export function mockOperations(state: AlsecoMockState): OperationImplementations<AlsecoPaymentsServiceOperations> {
  const notExecuted = (message: string) => ({ Executed: false, ErrorMessage: message });
  const executed = { Executed: true };
  return {
    GetCurrentPeriod: ({ bankCode }) => {
      state.checkBank(bankCode);
      return { GetCurrentPeriodResult: state.periodPrefix() };
    },
    GetInvoicesByAccountsNew: ({ accounts, bankCode }) => {
      state.checkBank(bankCode);
      return { GetInvoicesByAccountsNewResult: (accounts ?? []).map((id) => byAccount(state, id, false)) };
    },
    GetInvoicesByAccountsWithIIN: ({ accounts, bankCode }) => {
      state.checkBank(bankCode);
      return { GetInvoicesByAccountsWithIINResult: (accounts ?? []).map((id) => byAccount(state, id, true)) };
    },
    GetInvoicesByAccountsLastVers: ({ accounts, bankCode }) => {
      state.checkBank(bankCode);
      return {
        GetInvoicesByAccountsLastVersResult: (accounts ?? []).map((id) => {
          const found = state.accountState(id);
          const account = state.accounts.get(id);
          return found === 'Success' && account
            ? { InputValue: id, State: found, AccountInvoices: state.invoicesLastVers(account) }
            : { InputValue: id, State: found };
        }),
      };
    },
    GetInvoicesByInvoicesNew: ({ inputInvoices, bankCode }) => {
      state.checkBank(bankCode);
      return { GetInvoicesByInvoicesNewResult: (inputInvoices ?? []).map((id) => byInvoice(state, id ?? '', false)) };
    },
    GetInvoicesByInvoicesWithIIN: ({ inputInvoices, bankCode }) => {
      state.checkBank(bankCode);
      return {
        GetInvoicesByInvoicesWithIINResult: (inputInvoices ?? []).map((id) => byInvoice(state, id ?? '', true)),
      };
    },
    GetInvoicesByInvoicesLastVers: ({ inputInvoices, bankCode }) => {
      state.checkBank(bankCode);
      return {
        GetInvoicesByInvoicesLastVersResult: (inputInvoices ?? []).map((id) => {
          const account = state.accountByInvoice(id ?? '');
          return account
            ? { InputValue: id ?? '', State: 'Success' as const, AccountInvoices: state.invoicesLastVers(account) }
            : { InputValue: id ?? '', State: 'InvoiceNotFound' as const };
        }),
      };
    },
    Pay: ({ paymentDocuments, bankCode }) => {
      state.checkBank(bankCode);
      state.refuseDuplicateSysRefs(paymentDocuments ?? []);
      return {
        PayResult: (paymentDocuments ?? []).map((document) => {
          if (!document) throw new SoapFaultResponse('client', 'empty PaymentDocument');
          const { state: result, invoiceId, paymentId } = state.pay(document);
          return { State: result, InvoiceId: invoiceId, PaymentId: paymentId };
        }),
      };
    },
    PayD: ({ paymentDocuments, bankCode }) => {
      state.checkBank(bankCode);
      state.refuseDuplicateSysRefs(paymentDocuments ?? []);
      return {
        PayDResult: (paymentDocuments ?? []).map((document) => {
          if (!document) throw new SoapFaultResponse('client', 'empty PaymentDocument');
          const { state: result, invoiceId, paymentId, receivedAt } = state.pay(document);
          return {
            State: result,
            InvoiceId: invoiceId,
            PaymentId: paymentId,
            PayResDate: receivedAt ?? '0001-01-01T00:00:00',
          };
        }),
      };
    },
    RollbackPayments: ({ paymentIds, bankCode }) => {
      state.checkBank(bankCode);
      return {
        RollbackPaymentsResult: (paymentIds ?? []).map((id) => ({
          PaymentId: id,
          Result: state.rollback(state.payments.get(id)),
        })),
      };
    },
    RollbackPaymentsBySysRef: ({ sysRefs, bankCode }) => {
      state.checkBank(bankCode);
      return {
        RollbackPaymentsBySysRefResult: (sysRefs ?? []).map((sysRef) => ({
          PaymentId: sysRef ?? '',
          Result: state.rollback([...state.payments.values()].find((p) => p.sysRef === sysRef)),
        })),
      };
    },
    GetPaymentsInfo: ({ year, month, day, bankCode }) => {
      state.checkBank(bankCode);
      const prefix = `${year}-${pad(month)}${day ? `-${pad(day)}` : ''}`;
      return {
        GetPaymentsInfoResult: [...state.payments.values()]
          .filter((p) => p.receivedAt.startsWith(prefix))
          .map((p) => ({ PaymentId: p.paymentId, SysRef: p.sysRef })),
      };
    },
    GetNotMovedPays: ({ bankCode, dateIn }) => {
      state.checkBank(bankCode);
      return {
        GetNotMovedPaysResult: state
          .paymentsOnDay(dateIn.slice(0, 10))
          .filter((p) => !p.processed)
          .map((p) => ({
            InvoicePaymentId: p.paymentId,
            InvoiceId: p.invoiceId,
            AccountId: p.accountId,
            SysRef: p.sysRef,
            PaymentDate: p.paymentDate,
            PaySum: fromTiyn(p.sumTiyn),
            PaymentReceiveDate: p.receivedAt,
          })),
      };
    },
    GetBankDayChecks: ({ bankCode, dateIn }) => {
      const code = state.checkBank(bankCode);
      const day = dateIn.slice(0, 10);
      for (const payment of state.paymentsOnDay(day)) payment.processed = true;
      return { GetBankDayChecksResult: [{ BankCode: code, PaymentDate: `${day}T00:00:00`, CheckedSign: true }] };
    },
    GetBankPayByMonth: ({ bankCode, year, month }) => {
      state.checkBank(bankCode);
      const prefix = `${year}-${pad(month)}`;
      return {
        GetBankPayByMonthResult: {
          result: true,
          list: [...state.payments.values()]
            .filter((p) => p.receivedAt.startsWith(prefix))
            .map((p) => ({
              InvoicePaymentId: p.paymentId,
              AccountId: p.accountId,
              InvoiceId: p.invoiceId,
              PaymentReceiveDate: p.receivedAt,
              SysRef: p.sysRef,
              PaySum: fromTiyn(p.sumTiyn),
            })),
        },
      };
    },
    getPaysInfo: ({ bankCode, DateBegin, DateEnd }) => {
      state.checkBank(bankCode);
      const from = DateBegin.slice(0, 10);
      const to = DateEnd.slice(0, 10);
      return {
        getPaysInfoResult: [...state.payments.values()]
          .filter((p) => p.receivedAt.slice(0, 10) >= from && p.receivedAt.slice(0, 10) <= to)
          .map((p) => ({
            AccountId: p.accountId,
            InvoiceId: p.invoiceId,
            PaymentId: p.paymentId,
            SysRef: p.sysRef,
            PaySum: fromTiyn(p.sumTiyn),
            PayDate: p.receivedAt,
          })),
      };
    },
    GetAccountsWithFormedBill: ({ bankCode }) => ({
      GetAccountsWithFormedBillResult: state.readFormedBills(state.checkBank(bankCode)),
    }),
    GetBillInfoLabels: ({ bankCode, year, month }) => {
      state.checkBank(bankCode);
      if (state.isAfterCurrent(year, month))
        return { GetBillInfoLabelsResult: { exRes: notExecuted('Месяц позже текущего') } };
      const labels = [...new Set([...state.accounts.values()].map((a) => a.labelId))].sort((a, b) => a - b);
      return { GetBillInfoLabelsResult: { exRes: executed, list: labels.map((labelId) => ({ labelId })) } };
    },
    GetBillInfo: ({ bankCode, year, month, labelId }) => {
      state.checkBank(bankCode);
      if (state.isAfterCurrent(year, month))
        return { GetBillInfoResult: { exRes: notExecuted('Месяц позже текущего') } };
      const bills = [...state.accounts.values()].filter((a) => a.labelId === labelId && a.state === 'Active');
      if (bills.length === 0) return { GetBillInfoResult: { exRes: notExecuted('Нет данных') } };
      return {
        GetBillInfoResult: {
          exRes: executed,
          list: bills.map((a) => ({
            accountId: a.accountId,
            accountName: a.name,
            accountAddress: a.address,
            invoiceId: a.invoiceId,
            fixSum: fromTiyn(a.services.reduce((sum, s) => sum + toTiyn(s.FixSum ?? '0'), 0n)),
          })),
        },
      };
    },
    GetAccountState: ({ accountId, bankCode }) => {
      state.checkBank(bankCode);
      return { GetAccountStateResult: state.accounts.get(accountId)?.state ?? 'NotFound' };
    },
    GetAccountInfo: ({ accountId, bankCode }) => {
      state.checkBank(bankCode);
      const account = state.accounts.get(accountId);
      if (!account) return {};
      return {
        GetAccountInfoResult: {
          Name: account.name,
          Address: account.address,
          RNN: '600400112233',
          Phone: '+7 727 000 00 00',
          Square: '44.00',
          QuantityPeople: 1,
        },
      };
    },
    GetPrintedInvoicePDF: ({ accountId, bankCode }) => {
      state.checkBank(bankCode);
      return state.accounts.has(accountId) ? { GetPrintedInvoicePDFResult: SAMPLE_PDF } : {};
    },
    GetPrintedInvoice: ({ accountId, bankCode }) => {
      state.checkBank(bankCode);
      return state.accounts.has(accountId) ? { GetPrintedInvoiceResult: SAMPLE_GIF } : {};
    },
    GetReport108e: ({ bankCode, dateIn }) => {
      state.checkBank(bankCode);
      const day = dateIn.slice(0, 10);
      const payments = state.paymentsOnDay(day);
      if (payments.length === 0)
        return { GetReport108eResult: { result: '', ErrorMessage: 'Нет данных за выбранный день' } };
      const [y, m, d] = day.split('-');
      return {
        GetReport108eResult: {
          result: 'sucsess',
          list: payments.map((p) => ({
            DAT: `${d}.${m}.${y}`,
            KODBN: 'ALSCKZKA',
            NUMRS: 'KZ000000000000000001',
            BIN: '990340001234',
            SUMP: fromTiyn(p.sumTiyn),
            NAME_POL: 'ГККП Государственная',
            NAZN_PL: 'АЛСЕКО за услуги',
            SERV_ID: 13,
            FL: false,
            KBE: '16',
            KNP: '856',
          })),
        },
      };
    },
  };
}

function byAccount(state: AlsecoMockState, accountId: number, withIIN: boolean) {
  const found = state.accountState(accountId);
  const account = state.accounts.get(accountId);
  return found === 'Success' && account
    ? { InputValue: accountId, State: found, AccountInvoices: state.invoicesOf(account, withIIN) }
    : { InputValue: accountId, State: found };
}

function byInvoice(state: AlsecoMockState, invoiceId: string, withIIN: boolean) {
  const account = state.accountByInvoice(invoiceId);
  return account
    ? { InputValue: invoiceId, State: 'Success' as const, AccountInvoices: state.invoicesOf(account, withIIN) }
    : { InputValue: invoiceId, State: 'InvoiceNotFound' as const };
}

const pad = (n: number) => String(n).padStart(2, '0');

function lastDay(period: { year: number; month: number }): string {
  return pad(new Date(Date.UTC(period.year, period.month, 0)).getUTCDate());
}

function isoLocal(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function toTiyn(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole || '0') * 100n + BigInt(`${fraction}00`.slice(0, 2));
}

function fromTiyn(tiyn: bigint): string {
  const whole = tiyn / 100n;
  const cents = tiyn % 100n;
  return `${whole}.${String(cents).padStart(2, '0')}`;
}
