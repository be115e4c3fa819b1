/**
 * The write side: pay() requires in its type what it checks at run time, and a looked-up invoice
 * becomes the document that pays it, accepted by the mock.
 */
import { ValidationError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { createAlsecoClient, type Invoice, type PaymentRequest, paymentFromInvoice } from '../src/index.js';
import { startAlsecoMock } from '../src/testing/index.js';

const SERVICE = { ServiceId: 13, ServiceName: 'Электроэнергия', FixSum: '1132.60', FixCount: '15', LastCount: '610' };

describe('paymentFromInvoice', () => {
  it('pays a looked-up invoice in full, against the mock', async () => {
    const mock = await startAlsecoMock();
    const alseco = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    try {
      const [lookup] = await alseco.getInvoicesByAccounts([2429284]);
      if (!lookup?.ok) throw new Error(`lookup failed: ${lookup?.state}`);
      const invoice = lookup.account.Invoices?.[0];
      if (!invoice) throw new Error('no invoice');
      const document = paymentFromInvoice(lookup.input, invoice, { sysRef: 'HELPER-1' });
      expect(document.InvoiceId).toBe(invoice.InvoceId);
      expect(document.PaymentParameters).toHaveLength(invoice.InvoiceParameters?.length ?? -1);
      const [outcome] = await alseco.pay([document]);
      expect(outcome).toMatchObject({ ok: true, invoiceId: invoice.InvoceId });
    } finally {
      alseco.close();
      await mock.close();
    }
  });

  it('maps each service and writes the payment date in local wire form', () => {
    const invoice: Invoice = { InvoceId: '180310134655', InvoiceParameters: [SERVICE] };
    const document = paymentFromInvoice(2429284, invoice, {
      sysRef: 'R',
      paymentDate: new Date(2018, 2, 26, 10, 5, 9),
    });
    expect(document).toEqual({
      AccountId: 2429284,
      InvoiceId: '180310134655',
      PaymentDate: '2018-03-26T10:05:09',
      SysRef: 'R',
      PaymentParameters: [{ ServiceId: 13, PayCounts: '15', LastCounts: '610', PaySum: '1132.60' }],
    });
  });

  it('names what an invoice lacks instead of paying part of it', () => {
    const { FixSum: _dropped, ...noSum } = SERVICE;
    const invoice: Invoice = { InvoiceParameters: [SERVICE, noSum] };
    const error = (() => {
      try {
        paymentFromInvoice(1, invoice, { sysRef: 'R' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: 'invoice.InvoceId', message: expect.stringContaining('missing') },
      { field: 'invoice.InvoiceParameters[1]', message: expect.stringContaining('lacks FixSum') },
    ]);
    expect(() => paymentFromInvoice(1, { InvoceId: '1803101' }, { sysRef: 'R' })).toThrow(/lists no service/);
  });

  it('pay() does not type-check without what it checks: SysRef, InvoiceId, PaymentParameters', () => {
    const complete: PaymentRequest = {
      AccountId: 1,
      InvoiceId: '180310134655',
      PaymentDate: '2018-03-26T10:15:00',
      SysRef: 'R',
      PaymentParameters: [],
    };
    // @ts-expect-error SysRef is required
    const noSysRef: PaymentRequest = { ...complete, SysRef: undefined };
    // @ts-expect-error InvoiceId is required
    const noInvoice: PaymentRequest = { ...complete, InvoiceId: undefined };
    expect([noSysRef, noInvoice]).toHaveLength(2);
  });
});
