/**
 * A bank's day with Alseco: current period -> invoices by accounts -> Pay -> GetNotMovedPays
 * -> GetBankDayChecks, and a rollback of a second payment before the day is confirmed.
 */
import { createAlsecoClient, type PaymentDocument } from '@kz/alseco';
import { startAlsecoMock } from '@kz/alseco/testing';
import type { TlsOptions } from '@kz/soap';
import { required, SampleConfigError, tlsFromEnvironment } from './config.js';

/**
 * Runs the flow against the mock, or against ALSECO_ENDPOINT with ALSECO_BANK_CODE and
 * ALSECO_ACCOUNTS (comma-separated account numbers). It pays and rolls back: use a test stand.
 */
export async function runAlsecoSample(log: (line: string) => void): Promise<void> {
  const realEndpoint = process.env.ALSECO_ENDPOINT;
  if (realEndpoint) {
    const why = 'with ALSECO_ENDPOINT set';
    const options = {
      endpoint: realEndpoint,
      bankCode: required('ALSECO_BANK_CODE', why),
      accounts: accountsOf(required('ALSECO_ACCOUNTS', why)),
      ...tlsFromEnvironment(),
      log,
    };
    console.log(`Alseco: a bank's day (${realEndpoint})`);
    await runAlsecoFlow(options);
    return;
  }
  const mock = await startAlsecoMock();
  try {
    console.log(`Alseco: a bank's day (mock at ${mock.endpoint})`);
    await runAlsecoFlow({ endpoint: mock.endpoint, bankCode: 'ALSC', accounts: [2429284, 1988565, 7777444], log });
  } finally {
    await mock.close();
  }
}

function accountsOf(list: string): number[] {
  const accounts = list.split(',').map((a) => Number(a.trim()));
  if (accounts.some((a) => !Number.isSafeInteger(a) || a <= 0)) {
    throw new SampleConfigError('ALSECO_ACCOUNTS', 'must be account numbers separated by commas');
  }
  return accounts;
}

export interface AlsecoFlowOptions {
  endpoint: string;
  bankCode: string;
  accounts: number[];
  tls?: TlsOptions;
  log: (line: string) => void;
}

export async function runAlsecoFlow(options: AlsecoFlowOptions): Promise<void> {
  const { log } = options;
  const client = createAlsecoClient({
    endpoint: options.endpoint,
    bankCode: options.bankCode,
    ...(options.tls ? { tls: options.tls } : {}),
  });
  try {
    const period = await client.getCurrentPeriod();
    log(`current period        ${period.year}-${String(period.month).padStart(2, '0')}`);

    const lookups = await client.getInvoicesByAccounts(options.accounts);
    const payable: PaymentDocument[] = [];
    for (const lookup of lookups) {
      if (!lookup.ok) {
        log(`${`account ${lookup.input}`.padEnd(22)}${lookup.state}`);
        continue;
      }
      const invoice = lookup.account.Invoices?.find((i) => i !== null);
      const services = (invoice?.InvoiceParameters ?? []).flatMap((p) => (p ? [p] : []));
      // The service list of a payment must be the invoice's whole list: an incomplete one is not paid.
      const complete = services.flatMap(({ ServiceId, FixSum, FixCount, LastCount }) =>
        ServiceId !== undefined && FixSum !== undefined && FixCount !== undefined && LastCount !== undefined
          ? [{ ServiceId, FixSum, FixCount, LastCount }]
          : [],
      );
      if (complete.length !== services.length) {
        log(`${`account ${lookup.input}`.padEnd(22)}invoice ${invoice?.InvoceId} lacks service data, not paid`);
        continue;
      }
      const due = complete.reduce((sum, s) => sum + Math.round(Number(s.FixSum) * 100), 0);
      log(`${`account ${lookup.input}`.padEnd(22)}invoice ${invoice?.InvoceId}, due ${(due / 100).toFixed(2)} KZT`);
      payable.push(paymentFor(lookup.input, invoice?.InvoceId ?? '', complete));
    }

    const outcomes = await client.pay(payable);
    const paid: number[] = [];
    for (const outcome of outcomes) {
      if (outcome.ok) paid.push(outcome.paymentId);
      log(`pay ${outcome.invoiceId}`.padEnd(22) + (outcome.ok ? `paymentId ${outcome.paymentId}` : outcome.state));
    }

    const today = localDay(new Date());
    const [toRollBack] = paid.slice(-1);
    if (toRollBack !== undefined && paid.length > 1) {
      const [rollback] = await client.rollbackPayments([toRollBack]);
      log(`rollback ${toRollBack}`.padEnd(22) + (rollback?.ok ? 'rolled back' : rollback?.result));
    }

    const notMoved = await client.getNotMovedPays(today);
    const total = notMoved.reduce((sum, p) => sum + Math.round(Number(p.PaySum) * 100), 0);
    log(`${`not moved ${today}`.padEnd(22)}${notMoved.length} payment(s), ${(total / 100).toFixed(2)} KZT`);

    const checks = await client.confirmBankDay(today);
    log(
      `bank day confirmed`.padEnd(22) +
        checks.map((c) => `${c.BankCode} ${c.PaymentDate.slice(0, 10)} ${c.CheckedSign ? 'ok' : 'NOT ok'}`).join(', '),
    );
  } finally {
    client.close();
  }
}

function paymentFor(
  accountId: number,
  invoiceId: string,
  services: { ServiceId: number; FixSum: string; FixCount: string; LastCount: string }[],
): PaymentDocument {
  return {
    AccountId: accountId,
    InvoiceId: invoiceId,
    PaymentDate: `${localDay(new Date())}T${new Date().toTimeString().slice(0, 8)}`,
    SysRef: `SAMPLE-${accountId}-${Date.now()}`,
    PaymentParameters: services.map((s) => ({
      ServiceId: s.ServiceId,
      PayCounts: s.FixCount,
      LastCounts: s.LastCount,
      PaySum: s.FixSum,
    })),
  };
}

function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
