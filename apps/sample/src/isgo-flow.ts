/**
 * ISGO over an ESF session: open a session (certificate login) -> current user -> profiles -> ISGO
 * system list -> send an invoice to an IS GO (signed create-action) -> query it by id -> close the
 * session, also when a step fails.
 */
import { createEsfClient, type EsfSession } from '@kz/esf';
import { createIsgoClient } from '@kz/isgo';
import type { Signer } from '@kz/signing';
import type { TlsOptions } from '@kz/soap';
import { optionalRenamed, required, requiredFile, requiredSigner, tlsFromEnvironment } from './config.js';

export interface IsgoFlowOptions {
  sessionEndpoint: string;
  isgoEndpoint: string;
  username: string;
  password: string;
  /** BIN/IIN to act for. */
  tin: string;
  /** The authentication certificate (PEM or base64). */
  certificate: string;
  /** Signs the ISGO action documents. */
  signer: Signer;
  /** The ESF invoice to send: its registration number and the signature of its document. */
  registrationNumber: string;
  originalInvoiceDocumentSignature: string;
  /** IS GO code; default the first of the system list. */
  isgoSystemCode?: string;
  /** false against the mocks: the seed's sample BIN/IINs fail the national check digit (@kz/core). */
  checkIdentifiers?: boolean;
  tls?: TlsOptions;
  log: (line: string) => void;
}

export async function runIsgoFlow(options: IsgoFlowOptions): Promise<void> {
  const { log } = options;
  const tls = options.tls ? { tls: options.tls } : {};
  const esf = createEsfClient({
    endpoint: options.sessionEndpoint,
    username: options.username,
    password: options.password,
    ...(options.checkIdentifiers === false ? { checkIdentifiers: false } : {}),
    ...tls,
  });
  let session: EsfSession | undefined;
  try {
    session = await esf.openSession({ tin: options.tin, x509Certificate: options.certificate, sourceType: 'OTHER' });
    log(`${'session'.padEnd(22)}${session.sessionId}`);

    const user = await session.user();
    const name = user.taxpayer.nameRu ?? user.taxpayer.nameKz ?? '';
    log(`${'current user'.padEnd(22)}${user.login} ${name} (${user.status})`);

    const profiles = await session.profiles();
    log(
      `${'profiles'.padEnd(22)}${profiles.map((p) => `${p.tin}/${p.businessProfileType ?? '?'}`).join(', ') || 'none'}`,
    );

    const isgo = createIsgoClient({ endpoint: options.isgoEndpoint, session, signer: options.signer, ...tls });
    try {
      const systems = await isgo.systems();
      log(`${'ISGO systems'.padEnd(22)}${systems.map((s) => `${s.code} (${s.nameRu ?? ''})`).join(', ')}`);
      const isgoSystemCode = options.isgoSystemCode ?? systems[0]?.code;
      if (!isgoSystemCode) throw new Error('the service lists no IS GO');

      const sent = await isgo.sendInvoice({
        registrationNumber: options.registrationNumber,
        isgoSystemCode,
        originalInvoiceDocumentSignature: options.originalInvoiceDocumentSignature,
        reason: 'sample',
      });
      if (!sent.ok) {
        const why = sent.errors.map((e) => `${e.errorCode ?? ''} ${e.text ?? ''}`.trim()).join('; ');
        log(`${'send to ISGO'.padEnd(22)}${sent.registrationNumber} declined${why ? `: ${why}` : ''}`);
        return;
      }
      log(`${'send to ISGO'.padEnd(22)}${sent.registrationNumber} -> isgoInvoiceId ${sent.isgoInvoiceId}`);

      const [invoice] = await isgo.queryById([sent.isgoInvoiceId]);
      log(
        `${'query by id'.padEnd(22)}${invoice?.id}: ${invoice?.status}, ESF invoiceId ${invoice?.invoiceId}, created ${invoice?.createDate}`,
      );
      const document = invoice?.creatorSignature?.document;
      if (document?.kind === 'create') {
        log(`${'signed create-action'.padEnd(22)}${document.action.actionType} ${document.action.registrationNumber}`);
      }
    } finally {
      isgo.close();
    }
  } finally {
    if (session)
      log(`${'close session'.padEnd(22)}${await session.close().catch((e: unknown) => `failed: ${String(e)}`)}`);
    esf.close();
  }
}

/**
 * The ISGO part of `npm run sample`: against the @kz/esf and @kz/isgo mocks by default, or against
 * a real stand when ESF_ISGO_ENDPOINT is set, with ESF_SESSION_ENDPOINT, ESF_USERNAME, ESF_PASSWORD,
 * ESF_TIN, ESF_CERTIFICATE (PEM file), ESF_SIGNING_P12 + ESF_SIGNING_P12_PASSWORD (the key, RSA
 * or GOST, that signs the action documents), ESF_REGISTRATION_NUMBER and ESF_INVOICE_SIGNATURE,
 * and optionally ESF_ISGO_SYSTEM_CODE (formerly ISGO_SYSTEM_CODE, still read). A missing variable
 * is a SampleConfigError naming it, before anything is sent.
 */
export async function runIsgoSample(log: (line: string) => void): Promise<void> {
  const isgoEndpoint = process.env.ESF_ISGO_ENDPOINT;
  if (isgoEndpoint) {
    const why = 'with ESF_ISGO_ENDPOINT set';
    const isgoSystemCode = optionalRenamed('ESF_ISGO_SYSTEM_CODE', 'ISGO_SYSTEM_CODE');
    const options: IsgoFlowOptions = {
      sessionEndpoint: required('ESF_SESSION_ENDPOINT', why),
      isgoEndpoint,
      username: required('ESF_USERNAME', why),
      password: required('ESF_PASSWORD', why),
      tin: required('ESF_TIN', why),
      certificate: requiredFile('ESF_CERTIFICATE', why).toString('utf8'),
      signer: requiredSigner('ESF_SIGNING_P12', 'ESF_SIGNING_P12_PASSWORD', why),
      registrationNumber: required('ESF_REGISTRATION_NUMBER', why),
      originalInvoiceDocumentSignature: required('ESF_INVOICE_SIGNATURE', why),
      ...(isgoSystemCode ? { isgoSystemCode } : {}),
      ...tlsFromEnvironment(),
      log,
    };
    console.log(`ISGO: session, user, profiles, send an invoice to ISGO (${isgoEndpoint})`);
    await runIsgoFlow(options);
    return;
  }
  const { SEED_USER_LOGIN, SEED_USER_PASSWORD, startEsfMock } = await import('@kz/esf/testing');
  const { startIsgoMock } = await import('@kz/isgo/testing');
  const { createTestIdentity } = await import('@kz/signing/testing');
  const esfMock = await startEsfMock();
  const isgoMock = await startIsgoMock({ sessions: esfMock.state });
  try {
    console.log(`ISGO: session, user, profiles, send an invoice to ISGO (mocks at ${new URL(esfMock.endpoint).host})`);
    const identity = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: `IIN${SEED_USER_LOGIN}` });
    await runIsgoFlow({
      sessionEndpoint: esfMock.endpoint,
      isgoEndpoint: isgoMock.endpoint,
      checkIdentifiers: false,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
      tin: '123456789021',
      certificate: identity.certificatePem,
      signer: identity.signer,
      registrationNumber: 'ESF-753159846249-20231103-00008011',
      originalInvoiceDocumentSignature: Buffer.from('signature of the ESF invoice').toString('base64'),
      log,
    });
  } finally {
    await isgoMock.close();
    await esfMock.close();
  }
}
