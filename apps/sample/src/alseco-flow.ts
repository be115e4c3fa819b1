/**
 * A bank's day with Alseco: current period -> invoices by accounts -> Pay -> GetNotMovedPays
 * -> GetBankDayChecks, and a rollback of a second payment before the day is confirmed.
 */
import { createAlsecoClient, type PaymentRequest, paymentFromInvoice } from '@kz/alseco';
import { startAlsecoMock } from '@kz/alseco/testing';
import { type TlsOptions, ValidationError } from '@kz/soap';
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
    const payable: PaymentRequest[] = [];
    for (const lookup of lookups) {
      const account = `account ${lookup.input}`.padEnd(22);
      const invoice = lookup.ok ? lookup.account.Invoices?.[0] : undefined;
      if (!invoice) {
        log(`${account}${lookup.ok ? 'no invoice' : lookup.state}`);
        continue;
      }
      try {
        const sysRef = `SAMPLE-${lookup.input}-${Date.now()}`;
        const document = paymentFromInvoice(lookup.input, invoice, { sysRef });
        const due = document.PaymentParameters.reduce((sum, s) => sum + Math.round(Number(s.PaySum) * 100), 0);
        log(`${account}invoice ${invoice.InvoceId}, due ${(due / 100).toFixed(2)} KZT`);
        payable.push(document);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        log(
          `${account}invoice ${invoice.InvoceId} not paid: ${error.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
        );
      }
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

function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
