/** The payloads every case shares: built once from the Alseco spec with our own codec. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type InvoiceParameter, type PaymentDocument, serviceMeta } from '@kz/alseco';
import { SoapServiceCodec } from '@kz/soap';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ALSECO_WSDL = path.join(ROOT, 'specs/alseco/alseco.wsdl');

const codec = new SoapServiceCodec(serviceMeta);

/** Values past 2^53 and with trailing zeros: what a lossy decoder would change. */
export const LOSSY_PAYSUM = '9007199254740993.01';
export const LOSSY_TARIFF = '8.090000';

function parameter(serviceId: number): InvoiceParameter {
  return {
    ServiceId: serviceId,
    ServiceName: 'Электроэнергия',
    IsCounterService: true,
    Measure: 'тг/кВт.ч',
    Tariff: LOSSY_TARIFF,
    AvgPaySum: '896.00',
    AvgCount: '140.000000',
    LastCount: '0.000000',
    PrevCount: '4870.000000',
    FixCount: '0.000000',
    FixSum: '1132.60',
    DebtInfo: 'долг 339.78',
    PaySum: LOSSY_PAYSUM,
  };
}

/** A GetInvoicesByAccountsNew response with `accounts` accounts and `services` services each. */
export function invoicesResponse(accounts: number, services: number): string {
  const results = Array.from({ length: accounts }, (_, a) => ({
    InputValue: 100000 + a,
    State: 'Success' as const,
    AccountInvoices: {
      AccountId: 100000 + a,
      AccountAddress: 'г. Алматы, ул. Абая, дом 10, кв. 5',
      Invoices: [
        {
          InvoceId: `1803${String(a).padStart(8, '0')}`,
          FormedDate: '2018-03-01T09:00:00',
          ExpireDate: '2018-03-31T00:00:00',
          InvoiceParameters: Array.from({ length: services }, (_, s) => parameter(13 + s)),
        },
      ],
      CalculationParameters: [{ ParameterId: 1, ParameterName: 'Количество проживающих', ParameterValue: '1.000000' }],
    },
  }));
  const operation = serviceMeta.operations.GetInvoicesByAccountsNew;
  if (!operation) throw new Error('spec has no GetInvoicesByAccountsNew');
  return codec.encodeResponse(operation, { GetInvoicesByAccountsNewResult: results }, '1.1');
}

/** A Pay request body with `count` payment documents of two services each. */
export function paymentDocuments(count: number): PaymentDocument[] {
  return Array.from({ length: count }, (_, i) => ({
    AccountId: 100000 + i,
    InvoiceId: `1803${String(i).padStart(8, '0')}`,
    PaymentDate: '2018-03-26T10:15:00',
    SysRef: `SYS-${i}`,
    PaymentParameters: [
      { ServiceId: 13, PayCounts: '15', LastCounts: '610', PaySum: '1132.60' },
      { ServiceId: 37, PayCounts: '0', LastCounts: '0', PaySum: '222.75' },
    ],
  }));
}
