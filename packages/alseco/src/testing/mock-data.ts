/**
 * The mock's seed data, shaped like the document's samples: accounts in each state, invoices
 * numbered YYMM + digits (e.g. "180310134655"), services and calculation parameters.
 */
import type { AccountState, CalculationParameter, InvoiceParameter } from '../generated/types.js';

/** A payer's account as the ALSECO mock keeps it (AlsecoMockState.accounts), with its open-period invoice. */
export interface MockAccount {
  /** The account number (AccountId in the operations), e.g. 8888. */
  readonly accountId: number;
  /** The account's state as GetAccountState-style answers report it. */
  readonly state: AccountState;
  /** False: the current period's invoices are not formed yet (state InvoicesNotFormed). */
  readonly invoicesFormed: boolean;
  /** The payer's IIN (12 digits), matched by the WithIIN operations. */
  readonly iin: string;
  /** The payer's name as invoices show it. */
  readonly name: string;
  /** The payer's address as invoices show it. */
  readonly address: string;
  /** The open period's invoice number: YYMM + digits, e.g. "180310134655". */
  readonly invoiceId: string;
  /** The invoice batch (label) the account's invoice belongs to (BillInfoLabels.labelId, GetBillInfo's input). */
  readonly labelId: number;
  /** The invoice's services: tariff, meter readings, debt, as InvoiceParameters. */
  readonly services: readonly InvoiceParameter[];
  /** The invoice's calculation lines, as CalculationParameters. */
  readonly calculation: readonly CalculationParameter[];
}

const electricity: InvoiceParameter = {
  ServiceId: 13,
  ServiceName: 'Электроэнергия',
  IsCounterService: true,
  Measure: 'тг/кВт.ч',
  Tariff: '8.090000',
  AvgPaySum: '896.00',
  AvgCount: '140.000000',
  LastCount: '0.000000',
  PrevCount: '4870.000000',
  FixCount: '0.000000',
  FixSum: '1132.60',
  DebtInfo: 'долг 339.78',
};

const gas: InvoiceParameter = {
  ServiceId: 37,
  ServiceName: 'Газ со счетчиком',
  IsCounterService: false,
  Measure: 'тг/м3',
  Tariff: '14.850000',
  ExpireDateInfo: 'Срок оплаты до 30.04.2018г.',
  AvgPaySum: '0.00',
  AvgCount: '0.000000',
  LastCount: '610.000000',
  PrevCount: '595.000000',
  FixCount: '15.000000',
  FixSum: '222.75',
  DebtInfo: 'арт.төлен переп. 415.90',
};

const household: CalculationParameter[] = [
  { ParameterId: 1, ParameterName: 'Количество проживающих', ParameterValue: '1.000000' },
  { ParameterId: 2, ParameterName: 'Отапливаемая площадь', ParameterValue: '44.000000' },
];

function account(
  accountId: number,
  invoiceId: string,
  name: string,
  address: string,
  extra: Partial<MockAccount> = {},
): MockAccount {
  return {
    accountId,
    state: 'Active',
    invoicesFormed: true,
    iin: '660523302303',
    name,
    address,
    invoiceId,
    labelId: 1,
    services: [electricity, gas],
    calculation: household,
    ...extra,
  };
}

export function seedAccounts(): MockAccount[] {
  return [
    account(8888, '180310088880', 'Плательщик А.', 'г. Алматы, ул. Абая, дом 10, кв. 5'),
    account(2429284, '180310134655', 'Сейткали Б.', 'г. Алматы, ул. Толе би, дом 3, кв. 12', { labelId: 2 }),
    account(1988565, '180310145089', 'Иванова В.', 'г. Алматы, пр. Достык, дом 7, кв. 1', { labelId: 2 }),
    account(100110, '180210100110', 'Ким Г.', 'г. Алматы, ул. Сатпаева, дом 22, кв. 40', { invoicesFormed: false }),
    account(4444, '180310044440', 'Удалённый Д.', 'г. Алматы, ул. Жандосова, дом 1', { state: 'Deleted' }),
    account(3333, '180310033330', 'Слитый Е.', 'г. Алматы, ул. Байзакова, дом 2', { state: 'Merged' }),
  ];
}

/** A one-page PDF and a 1x1 GIF: the printed invoice and its image. */
export const SAMPLE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
export const SAMPLE_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
