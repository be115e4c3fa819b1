/**
 * The seed's Alseco PayD response sample, exactly as printed (seed 004, "Xml-документ ответа на
 * запрос на проведение оплаты методом PayD"): PayResponse/PayResult holding ResultPaymentInvoiceD
 * items. Read through the Alseco decoders it must never become an empty result: either an error
 * naming the expected and the found element, or the data kept.
 */
import { serviceMeta } from '@kz/alseco';
import { DecodeError, SoapClient, type Transport, type UnknownEvent } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { holdsString } from '../src/corpus.js';

const PAYD_SAMPLE = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <soap:Body>
        <PayResponse xmlns="http://www.alseco.kz/AlsecoPaymentsService/">
          <PayResult>
            <ResultPaymentInvoiceD>
              <State>Success</State>
              <InvoiceId>888555</InvoiceId>
              <PaymentId>26</PaymentId>
              <PayResDate>2016-01-15T10:59:00</PayResDate>
            </ResultPaymentInvoiceD>
          </PayResult>
        </PayResponse>
      </soap:Body>
</soap:Envelope>`;

const replay: Transport = {
  send: async () => ({
    status: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: Buffer.from(PAYD_SAMPLE),
  }),
};

const document = { AccountId: 1, InvoiceId: '888555', PaymentDate: '2016-01-15T10:59:00', SysRef: 'r1' };

function holdsNumber(value: unknown, n: number): boolean {
  if (value === n) return true;
  if (value !== null && typeof value === 'object') return Object.values(value).some((item) => holdsNumber(item, n));
  return false;
}

describe.each(['Pay', 'PayD'])('the seed PayD sample read as a %s response', (operation) => {
  it('is an error naming both elements, or keeps the data: never an empty result', async () => {
    const events: UnknownEvent[] = [];
    const client = new SoapClient(serviceMeta, {
      endpoint: 'http://127.0.0.1:9/',
      transport: replay,
      hooks: { onUnknown: (event) => events.push(event) },
    });
    const outcome = await client
      .invoke(operation, { paymentDocuments: [document], bankCode: 'ALSC' })
      .catch((error: unknown) => error);
    if (outcome instanceof DecodeError) {
      const found = /ResultPaymentInvoiceD|PayResponse/.exec(outcome.message)?.[0];
      expect(found).toBeDefined();
      const expected = found === 'PayResponse' ? `<${operation}Response>` : '<ResultPaymentInvoice>';
      expect(outcome.message).toContain(expected);
      return;
    }
    // Decoded: the payment's data is there (typed, or kept as unknown content and reported).
    expect(outcome).not.toBeInstanceOf(Error);
    expect(holdsString(outcome, '888555', true)).toBe(true);
    // PaymentId is an int: a number when typed, the raw element text when kept as unknown content.
    expect(holdsString(outcome, '<PaymentId>26</PaymentId>', true) || holdsNumber(outcome, 26)).toBe(true);
  });
});
