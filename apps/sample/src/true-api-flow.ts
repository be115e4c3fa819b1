/**
 * True API (IS MPT): signed login -> cises/info on a few codes -> order my codes and unpack the
 * result ZIP -> a page of documents.
 */
import type { CmsSigner } from '@kz/signing';
import { createTrueApiClient, type TrueApiEnvironment } from '@kz/true-api';

export interface TrueApiFlowOptions {
  /** A base URL (the mock's, or a custom one), or a named environment. */
  baseUrl?: string;
  environment?: TrueApiEnvironment;
  signer: CmsSigner;
  codes: string[];
  gtin: string;
  log: (line: string) => void;
}

export async function runTrueApiFlow(options: TrueApiFlowOptions): Promise<void> {
  const { log } = options;
  const trueApi = createTrueApiClient({
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : { environment: options.environment ?? 'stage' }),
    signer: options.signer,
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
      pollIntervalMs: options.baseUrl?.startsWith('http://127.0.0.1') ? 50 : 2000,
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
 * TRUE_API_BASE_URL (or TRUE_API_ENVIRONMENT=stage|prod), TRUE_API_P12 (path to a PKCS#12 RSA key
 * registered with IS MPT) and TRUE_API_P12_PASSWORD; TRUE_API_CODES (comma-separated) and
 * TRUE_API_GTIN pick the data.
 */
export async function runTrueApiSample(log: (line: string) => void): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const { RsaSha256Signer } = await import('@kz/signing');
  const env = process.env;
  const real = Boolean(env.TRUE_API_BASE_URL || env.TRUE_API_ENVIRONMENT);
  const { startTrueApiMock } = await import('@kz/true-api/testing');
  const mock = real ? undefined : await startTrueApiMock();
  try {
    let signer: CmsSigner;
    if (env.TRUE_API_P12) {
      signer = RsaSha256Signer.fromPkcs12(await readFile(env.TRUE_API_P12), env.TRUE_API_P12_PASSWORD ?? '');
    } else {
      const { createTestIdentity } = await import('@kz/signing/testing');
      signer = createTestIdentity({ commonName: 'SAMPLE PARTICIPANT' }).signer;
    }
    const baseUrl = env.TRUE_API_BASE_URL ?? mock?.baseUrl;
    console.log(`True API: login, codes, an order of my codes, documents (${baseUrl ?? env.TRUE_API_ENVIRONMENT})`);
    await runTrueApiFlow({
      ...(baseUrl ? { baseUrl } : { environment: env.TRUE_API_ENVIRONMENT as TrueApiEnvironment }),
      signer,
      codes: (
        env.TRUE_API_CODES ??
        '010460026601438220071121072610XY36141322,0100000046229175215mock1,010000000000000021nope"+&'
      ).split(','),
      gtin: env.TRUE_API_GTIN ?? '00000046229175',
      log,
    });
  } finally {
    await mock?.close();
  }
}
