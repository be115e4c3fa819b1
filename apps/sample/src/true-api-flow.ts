/**
 * True API (IS MPT): signed login -> cises/info on a few codes -> order my codes and unpack the
 * result ZIP -> a page of documents.
 */
import type { CmsSigner } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import type { TlsOptions } from '@kz/soap';
import { createTrueApiClient, type TrueApiEnvironment } from '@kz/true-api';
import { startTrueApiMock } from '@kz/true-api/testing';
import { required, requiredSigner, SampleConfigError, tlsFromEnvironment } from './config.js';

export interface TrueApiFlowOptions {
  /** A base URL (the mock's, or a custom one), or a named environment. */
  endpoint?: string;
  environment?: TrueApiEnvironment;
  signer: CmsSigner;
  codes: string[];
  gtin: string;
  tls?: TlsOptions;
  log: (line: string) => void;
}

export async function runTrueApiFlow(options: TrueApiFlowOptions): Promise<void> {
  const { log } = options;
  const trueApi = createTrueApiClient({
    ...(options.endpoint ? { endpoint: options.endpoint } : { environment: options.environment ?? 'stage' }),
    signer: options.signer,
    ...(options.tls ? { tls: options.tls } : {}),
  });

  await trueApi.login();
  log(`login                 ${trueApi.authenticated ? 'token issued (CMS-signed challenge)' : 'failed'}`);

  const infos = await trueApi.cisesInfo(options.codes);
  for (const info of infos) {
    const code = info.cisInfo?.requestedCis ?? '?';
    const line = info.cisInfo?.status
      ? `${info.cisInfo.status} ${info.cisInfo.packageType ?? ''} gtin ${info.cisInfo.gtin ?? ''}`
      : `not found (${info.errorMessage ?? 'no data'})`;
    log(`${`cis ${code.slice(0, 18)}…`.padEnd(22)}${line}`);
  }

  const order = await trueApi.orderMyCodes(
    { gtin: options.gtin },
    {
      intervalMs: options.endpoint?.startsWith('http://127.0.0.1') ? 50 : 2000,
      timeoutMs: 5 * 60_000,
      onProgress: (p) => {
        if (p.stage === 'status') log(`${`order ${p.uuid.slice(0, 8)}`.padEnd(22)}${p.status}`);
      },
    },
  );
  log(
    `${'order result'.padEnd(22)}${order.zip.byteLength} B ZIP, ${order.entries.length} file(s), ${order.records.length} code(s)`,
  );

  let shown = 0;
  for await (const doc of trueApi.documents({ limit: 5 }, { maxPages: 1 })) {
    log(`${`doc ${String(doc.number).slice(0, 18)}…`.padEnd(22)}${doc.type} ${doc.status} ${doc.receivedAt ?? ''}`);
    shown++;
  }
  log(`${'documents'.padEnd(22)}${shown} on the first page`);
}

/**
 * The sample's True API part: the mock with a throwaway key by default; a real stand with
 * TRUE_API_BASE_URL or TRUE_API_ENVIRONMENT (stage|prod), TRUE_API_P12 (a PKCS#12 RSA or GOST
 * key registered with IS MPT) and TRUE_API_P12_PASSWORD, TRUE_API_CODES (comma-separated codes to look
 * up) and TRUE_API_GTIN (the GTIN to order codes of: the order is real).
 */
export async function runTrueApiSample(log: (line: string) => void): Promise<void> {
  const env = process.env;
  if (env.TRUE_API_BASE_URL || env.TRUE_API_ENVIRONMENT) {
    const why = `with ${env.TRUE_API_BASE_URL ? 'TRUE_API_BASE_URL' : 'TRUE_API_ENVIRONMENT'} set`;
    const environment = env.TRUE_API_ENVIRONMENT;
    if (!env.TRUE_API_BASE_URL && environment !== 'stage' && environment !== 'prod') {
      throw new SampleConfigError('TRUE_API_ENVIRONMENT', 'must be stage or prod');
    }
    const signer = requiredSigner('TRUE_API_P12', 'TRUE_API_P12_PASSWORD', why);
    const options: TrueApiFlowOptions = {
      ...(env.TRUE_API_BASE_URL
        ? { endpoint: env.TRUE_API_BASE_URL }
        : { environment: environment as TrueApiEnvironment }),
      signer,
      codes: required('TRUE_API_CODES', why).split(','),
      gtin: required('TRUE_API_GTIN', why),
      ...tlsFromEnvironment(),
      log,
    };
    console.log(`True API: login, codes, an order of my codes, documents (${env.TRUE_API_BASE_URL ?? environment})`);
    await runTrueApiFlow(options);
    return;
  }
  const mock = await startTrueApiMock();
  try {
    console.log(`True API: login, codes, an order of my codes, documents (mock at ${mock.endpoint})`);
    await runTrueApiFlow({
      endpoint: mock.endpoint,
      signer: createTestIdentity({ commonName: 'SAMPLE PARTICIPANT' }).signer,
      codes: ['010460026601438220071121072610XY36141322', '0100000046229175215mock1', '010000000000000021nope"+&'],
      gtin: '00000046229175',
      log,
    });
  } finally {
    await mock.close();
  }
}
