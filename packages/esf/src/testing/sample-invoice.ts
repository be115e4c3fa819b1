/**
 * A plausible invoice for tests, the mock and the sample: one service line with 12% VAT, amounts as
 * numbers (buildInvoiceBody writes them without trailing zeros), the unit as its ОКЕИ code.
 */
import type { InvoiceV2Input } from '../invoice-body.js';

/** The parties, number and date of the invoice sampleInvoice builds. */
export interface SampleInvoiceOptions {
  /** The seller: the BIN of the session that uploads it. */
  sellerTin: string;
  /** The buyer's BIN/IIN; with `knownTins` set on the mock, it must be one of them or the invoice fails. */
  customerTin: string;
  /** Digits; default 1001. */
  num?: string;
  /** dd.MM.yyyy or a Date; default today (also the turnover date). */
  date?: string | Date;
}

/**
 * A valid InvoiceV2 input for tests and demos: an ORDINARY_INVOICE for one consulting service line (2 × 300 000
 * KZT, 12% VAT, total 672 000), seller `sellerTin`, buyer `customerTin`. Pass it to `session.invoices.upload`.
 */
export function sampleInvoice(options: SampleInvoiceOptions): InvoiceV2Input {
  const date = options.date ?? new Date();
  return {
    date,
    invoiceType: 'ORDINARY_INVOICE',
    num: options.num ?? '1001',
    operatorFullname: 'Тестов Тест Тестович',
    turnoverDate: date,
    sellers: [
      {
        tin: options.sellerTin,
        name: 'ТОО «Тестовый продавец»',
        address: 'г. Астана, ул. Тестовая, 4',
        certificateSeries: '13788',
        certificateNum: '1399478',
        kbe: '17',
        iik: 'KZ000000000000000001',
        bik: 'HSBKKZKX',
        bank: 'АО «Народный Банк Казахстана»',
      },
    ],
    customers: [
      {
        tin: options.customerTin,
        name: 'ТОО «Тестовый покупатель»',
        address: 'г. Алматы, пр. Абая, 1',
        countryCode: 'KZ',
      },
    ],
    deliveryTerm: { hasContract: true, contractNum: '7', contractDate: '10.01.2024' },
    productSet: {
      currencyCode: 'KZT',
      products: [
        {
          catalogTruId: '1',
          description: 'Консультационные услуги',
          unitNomenclature: '796',
          quantity: 2,
          unitPrice: 300000,
          priceWithoutTax: 600000,
          ndsRate: 12,
          ndsAmount: 72000,
          priceWithTax: 672000,
          turnoverSize: 600000,
          truOriginCode: '6',
        },
      ],
      totalPriceWithoutTax: 600000,
      totalExciseAmount: 0,
      totalTurnoverSize: 600000,
      totalNdsAmount: 72000,
      totalPriceWithTax: 672000,
    },
  };
}
