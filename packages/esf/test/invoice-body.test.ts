/**
 * The InvoiceV2 body against reference-docs/FACTS.md §1.3: the exact text (root and prefixes,
 * unqualified children in schema order, dd.MM.yyyy, amounts without trailing zeros, no prolog),
 * every problem listed with its field path before anything is signed, the body read back, and a
 * cost linear in the number of lines.
 */
import { ValidationError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { buildInvoiceBody, type InvoiceV2Input, invoiceKeyOf, parseInvoiceBody } from '../src/index.js';
import { sampleInvoice } from '../src/testing/index.js';

const base = () => sampleInvoice({ sellerTin: '123456789021', customerTin: '753159846249', date: '15.01.2024' });
const NOW = () => new Date('2024-06-01T06:00:00Z');

/** The body for the sample, written out by hand from the facts (not produced by our code). */
const EXPECTED =
  '<v2:invoice xmlns:a="abstractInvoice.esf" xmlns:v2="v2.esf">' +
  '<date>15.01.2024</date><invoiceType>ORDINARY_INVOICE</invoiceType><num>1001</num>' +
  '<operatorFullname>Тестов Тест Тестович</operatorFullname><turnoverDate>15.01.2024</turnoverDate>' +
  '<customers><customer><address>г. Алматы, пр. Абая, 1</address><countryCode>KZ</countryCode>' +
  '<name>ТОО «Тестовый покупатель»</name><tin>753159846249</tin></customer></customers>' +
  '<deliveryTerm><contractDate>10.01.2024</contractDate><contractNum>7</contractNum><hasContract>true</hasContract></deliveryTerm>' +
  '<productSet><currencyCode>KZT</currencyCode><products><product><catalogTruId>1</catalogTruId>' +
  '<description>Консультационные услуги</description><ndsAmount>72000</ndsAmount><ndsRate>12</ndsRate>' +
  '<priceWithTax>672000</priceWithTax><priceWithoutTax>600000</priceWithoutTax><quantity>2</quantity>' +
  '<truOriginCode>6</truOriginCode><turnoverSize>600000</turnoverSize><unitNomenclature>796</unitNomenclature>' +
  '<unitPrice>300000</unitPrice></product></products><totalExciseAmount>0</totalExciseAmount>' +
  '<totalNdsAmount>72000</totalNdsAmount><totalPriceWithTax>672000</totalPriceWithTax>' +
  '<totalPriceWithoutTax>600000</totalPriceWithoutTax><totalTurnoverSize>600000</totalTurnoverSize></productSet>' +
  '<sellers><seller><address>г. Астана, ул. Тестовая, 4</address><bank>АО «Народный Банк Казахстана»</bank>' +
  '<bik>HSBKKZKX</bik><certificateNum>1399478</certificateNum><certificateSeries>13788</certificateSeries>' +
  '<iik>KZ000000000000000001</iik><kbe>17</kbe><name>ТОО «Тестовый продавец»</name><tin>123456789021</tin>' +
  '</seller></sellers></v2:invoice>';

function issuesOf(input: InvoiceV2Input): { field: string; message: string }[] {
  try {
    buildInvoiceBody(input, { now: NOW });
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('buildInvoiceBody', { timeout: 60_000 }, () => {
  it('writes the body the live server accepts, exactly', () => {
    expect(buildInvoiceBody(base(), { now: NOW })).toBe(EXPECTED);
  });

  it('text that looks like markup (a prefix, xsi:) is written as text, not taken for markup of the encoder', () => {
    const invoice = base();
    const product = invoice.productSet.products[0] as Record<string, unknown>;
    product.description = 'Настройка схем: xsi:type, ns1:item, <a:b>';
    expect(buildInvoiceBody(invoice, { now: NOW })).toContain(
      '<description>Настройка схем: xsi:type, ns1:item, &lt;a:b&gt;</description>',
    );
  });

  it('amounts: numbers and decimal strings lose insignificant zeros, never precision', () => {
    const invoice = base();
    const product = invoice.productSet.products[0] as Record<string, unknown>;
    Object.assign(product, { unitPrice: '300000.000000', priceWithoutTax: '600000.00', quantity: '2.500' });
    Object.assign(invoice.productSet, {
      totalExciseAmount: '0.00',
      totalNdsAmount: '-0',
      totalPriceWithTax: '0672000.10',
    });
    const body = buildInvoiceBody(invoice, { now: NOW });
    expect(body).toContain('<unitPrice>300000</unitPrice>');
    expect(body).toContain('<priceWithoutTax>600000</priceWithoutTax>');
    expect(body).toContain('<quantity>2.5</quantity>');
    expect(body).toContain('<totalExciseAmount>0</totalExciseAmount>');
    expect(body).toContain('<totalNdsAmount>0</totalNdsAmount>');
    expect(body).toContain('<totalPriceWithTax>672000.1</totalPriceWithTax>');
    expect(body).not.toMatch(/\.\d*0</);
  });

  it('a Date is written as its calendar date in Kazakhstan', () => {
    const invoice = {
      ...base(),
      date: new Date('2024-05-14T20:30:00Z'),
      turnoverDate: new Date('2024-05-14T18:30:00Z'),
    };
    const body = buildInvoiceBody(invoice, { now: NOW });
    expect(body).toContain('<date>15.05.2024</date>'); // 01:30 in Astana (UTC+5 since March 2024)
    expect(body).toContain('<turnoverDate>14.05.2024</turnoverDate>'); // 23:30 in Astana
  });

  it('lists every problem of the invoice with its field path and rule', () => {
    const invoice = base();
    Object.assign(invoice, {
      num: 'A-17',
      operatorFullname: 'x'.repeat(201),
      turnoverDate: '01.07.2024',
      date: '31.02.2024',
    });
    Object.assign(invoice.productSet.products[0] as object, {
      unitNomenclature: 'шт',
      priceWithoutTax: 0.1 + 0.2,
      turnoverSize: 1e21,
      truOriginCode: '9',
    });
    Object.assign(invoice.productSet, { totalTurnoverSize: 'twelve' });
    (invoice.customers[0] as Record<string, unknown>).countryCode = undefined;
    const issues = issuesOf(invoice);
    const fields = issues.map((i) => i.field).sort();
    expect(fields).toEqual(
      [
        'customers[0].countryCode',
        'date',
        'num',
        'operatorFullname',
        'productSet.products[0].priceWithoutTax',
        'productSet.products[0].truOriginCode',
        'productSet.products[0].turnoverSize',
        'productSet.products[0].unitNomenclature',
        'productSet.totalTurnoverSize',
        'turnoverDate',
      ].sort(),
    );
    const text = (field: string) => issues.find((i) => i.field === field)?.message ?? '';
    expect(text('date')).toMatch(/not a calendar date/);
    expect(text('turnoverDate')).toMatch(/in the future/);
    expect(text('productSet.products[0].unitNomenclature')).toMatch(/ОКЕИ/);
    expect(text('productSet.products[0].priceWithoutTax')).toMatch(/fraction digits/);
    expect(text('num')).toMatch(/pattern/);
  });

  it('prefixes the paths when building one of several invoices', () => {
    const invoice = { ...base(), num: 'X' };
    try {
      buildInvoiceBody(invoice, { now: NOW, path: 'invoices[3]' });
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.field)).toEqual(['invoices[3].num']);
    }
  });

  it('is read back by parseInvoiceBody and invoiceKeyOf', () => {
    const invoice = parseInvoiceBody(EXPECTED);
    expect(invoice.num).toBe('1001');
    expect(invoice.sellers[0]?.tin).toBe('123456789021');
    expect(invoice.productSet.products[0]?.priceWithTax).toBe('672000');
    expect(invoiceKeyOf(EXPECTED)).toEqual({ num: '1001', date: '15.01.2024' });
  });

  it('costs time linear in the number of lines (n and 8n, minimum of 5 runs)', () => {
    const withLines = (count: number) => {
      const invoice = base();
      const line = invoice.productSet.products[0];
      invoice.productSet.products = Array.from({ length: count }, () => ({
        ...line,
      })) as typeof invoice.productSet.products;
      return invoice;
    };
    const timeOf = (count: number) => {
      const invoice = withLines(count);
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 5; run++) {
        const started = performance.now();
        parseInvoiceBody(buildInvoiceBody(invoice, { now: NOW }));
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    timeOf(50); // warm up
    // Sizes large enough that a quadratic step (e.g. copying the line list per line) dominates.
    const small = timeOf(200);
    const large = timeOf(1600);
    // Linear: about 8x; quadratic: about 64x.
    expect(large / small).toBeLessThan(24);
  });
});
