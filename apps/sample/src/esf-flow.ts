/**
 * ESF invoices: ticket login (the key signs the AuthService ticket) -> upload a signed invoice ->
 * wait for its registration number -> read it back -> the counterparty's mailbox via updates ->
 * close the sessions, also when a step fails.
 */
import { createEsfClient, type EsfClient, type InvoiceV2Input, parseInvoiceBody, type TicketSigner } from '@kz/esf';
import type { Signer } from '@kz/signing';
import type { TlsOptions } from '@kz/soap';
import { optional, required, requiredFile, tlsFromEnvironment } from './config.js';

export interface EsfFlowOptions {
  /** The SessionService URL; the other ESF services sit beside it. */
  sessionEndpoint: string;
  /** The ESF cabinet login (IIN) and password. */
  username: string;
  password: string;
  /** BIN the invoice is issued from. */
  tin: string;
  /** BIN whose mailbox is read (the invoice's customer). */
  counterpartyTin: string;
  /** Signs the login ticket: a Signer, or NCANode. */
  loginSigner: TicketSigner;
  /** Signs the invoice bodies (a raw signature). */
  invoiceSigner: Signer;
  /** The invoice to upload; none: log in and read the mailbox only. */
  invoice?: InvoiceV2Input;
  /** false against the mocks: the seed's sample BIN/IINs fail the national check digit (@kz/core). */
  checkIdentifiers?: boolean;
  tls?: TlsOptions;
  log: (line: string) => void;
}

export async function runEsfFlow(options: EsfFlowOptions): Promise<void> {
  const line = (label: string, text: string) => options.log(`${label.padEnd(22)}${text}`);
  {
    // Leaving this block closes every session the client opened (closeSession), also on a throw.
    await using esf = createEsfClient({
      endpoint: options.sessionEndpoint,
      username: options.username,
      password: options.password,
      ...(options.checkIdentifiers === false ? { checkIdentifiers: false } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
    });
    await steps(esf, options, line);
  }
  line('close', 'the sessions are closed');
}

async function steps(
  esf: EsfClient,
  options: EsfFlowOptions,
  line: (label: string, text: string) => void,
): Promise<void> {
  const seller = await esf.openSession({
    tin: options.tin,
    signer: options.loginSigner,
    login: 'ticket',
    sourceType: 'OTHER',
  });
  line('ticket login', `${seller.tin}: session ${seller.sessionId}`);

  let registrationNumber: string | undefined;
  if (options.invoice) {
    const report = await seller.invoices.upload([options.invoice], options.invoiceSigner);
    const [outcome] = report.outcomes;
    if (outcome?.status !== 'accepted') {
      const why = outcome?.status === 'declined' ? outcome.errors.map((e) => e.errorCode ?? e.text).join(', ') : '';
      throw new Error(`the invoice was not accepted: ${outcome?.status ?? 'no answer'} ${why}`.trim());
    }
    line('upload', `invoice ${outcome.num} of ${outcome.date} accepted, id ${outcome.id}`);

    const [registration] = await seller.invoices.waitForRegistration([outcome.id], {
      intervalMs: 100,
      timeoutMs: 60_000,
    });
    if (registration?.status !== 'registered') {
      const why = registration?.status === 'failed' ? registration.errors.map((e) => e.errorCode).join(', ') : '';
      throw new Error(`the invoice was not registered: ${registration?.status ?? 'no answer'} ${why}`.trim());
    }
    registrationNumber = registration.registrationNumber;
    line('registration', `${registrationNumber} (${registration.invoiceStatus})`);

    const [stored] = await seller.invoices.byId([outcome.id]);
    const invoice = parseInvoiceBody(stored?.invoiceBody ?? '');
    line(
      'read back',
      `num ${invoice.num}, ${invoice.date}, ${invoice.productSet.totalPriceWithTax} ${invoice.productSet.currencyCode}, to ${invoice.customers[0]?.tin}`,
    );
  }

  const counterparty = await esf.openSession({
    tin: options.counterpartyTin,
    signer: options.loginSigner,
    login: 'ticket',
  });
  let received = 0;
  let found = false;
  for await (const page of counterparty.invoices.updates({ direction: 'INBOUND', limit: 50 })) {
    received += page.invoices.length;
    found ||= page.invoices.some((i) => i.registrationNumber === registrationNumber);
  }
  line(
    'counterparty mailbox',
    `${counterparty.tin}: ${received} update(s)${registrationNumber ? `, ${registrationNumber} ${found ? 'among them' : 'not there'}` : ''}`,
  );
  if (registrationNumber && !found) throw new Error(`${registrationNumber} did not reach the counterparty's mailbox`);
}

/**
 * The ESF part of `npm run sample`: against the @kz/esf mock by default, or a real stand when
 * ESF_SESSION_ENDPOINT is set, with ESF_USERNAME, ESF_PASSWORD, ESF_TIN, ESF_COUNTERPARTY_TIN and
 * ESF_SIGNING_P12 + ESF_SIGNING_P12_PASSWORD (an RSA or GOST key container); ESF_NCANODE_URL signs
 * the login ticket through NCANode with the same container instead. Against a real stand nothing
 * is uploaded unless ESF_UPLOAD_SAMPLE_INVOICE=1 (use a test stand: it registers a real invoice).
 * A missing variable is a SampleConfigError naming it, before anything is sent.
 */
export async function runEsfSample(log: (line: string) => void): Promise<void> {
  const { sampleInvoice } = await import('@kz/esf/testing');
  const sessionEndpoint = optional('ESF_SESSION_ENDPOINT');
  if (sessionEndpoint) {
    const why = 'with ESF_SESSION_ENDPOINT set';
    const { loadSigner, NcaNodeSigner } = await import('@kz/signing');
    const username = required('ESF_USERNAME', why);
    const password = required('ESF_PASSWORD', why);
    const tin = required('ESF_TIN', why);
    const counterpartyTin = required('ESF_COUNTERPARTY_TIN', why);
    const p12 = requiredFile('ESF_SIGNING_P12', why);
    const pin = required('ESF_SIGNING_P12_PASSWORD', why);
    const upload = optional('ESF_UPLOAD_SAMPLE_INVOICE') === '1';
    const ncanodeUrl = optional('ESF_NCANODE_URL');
    const { tls } = tlsFromEnvironment();
    // RSA or GOST: the container says which; it signs the invoice bodies (and the ticket without NCANode).
    const invoiceSigner = loadSigner(p12, pin);
    const ncanode = ncanodeUrl
      ? new NcaNodeSigner({ endpoint: ncanodeUrl, key: p12, password: pin, ...(tls ? { tls } : {}) })
      : undefined;
    console.log(`ESF: ticket login, upload, registration, read back, counterparty mailbox (${sessionEndpoint})`);
    try {
      await runEsfFlow({
        sessionEndpoint,
        username,
        password,
        tin,
        counterpartyTin,
        loginSigner: ncanode ?? invoiceSigner,
        invoiceSigner,
        ...(upload
          ? {
              invoice: sampleInvoice({
                sellerTin: tin,
                customerTin: counterpartyTin,
                num: String(Date.now()).slice(-9),
              }),
            }
          : {}),
        ...(tls ? { tls } : {}),
        log,
      });
    } finally {
      ncanode?.close();
    }
    return;
  }
  const { SEED_USER_LOGIN, SEED_USER_PASSWORD, startEsfMock } = await import('@kz/esf/testing');
  const { createTestIdentity } = await import('@kz/signing/testing');
  const mock = await startEsfMock();
  try {
    console.log(
      `ESF: ticket login, upload, registration, read back, counterparty mailbox (mock at ${new URL(mock.endpoint).host})`,
    );
    const identity = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: `IIN${SEED_USER_LOGIN}` });
    await runEsfFlow({
      sessionEndpoint: mock.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
      checkIdentifiers: false,
      tin: '123456789021',
      counterpartyTin: '753159846249',
      loginSigner: identity.signer,
      invoiceSigner: identity.signer,
      invoice: sampleInvoice({ sellerTin: '123456789021', customerTin: '753159846249' }),
      log,
    });
  } finally {
    await mock.close();
  }
}
