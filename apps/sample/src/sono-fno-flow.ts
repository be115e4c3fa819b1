/**
 * SONO FNO through SHEP: submit a tax form signed by the taxpayer, follow it to its final status;
 * then receive a PUSH message on a local SHEP receiver. Runs against the @kz/shep mock gateway by
 * default; real SHEP with SHEP_SYNC_ENDPOINT, SHEP_SENDER_ID, SHEP_PASSWORD, SHEP_P12 and
 * SHEP_P12_PASSWORD (the organisation's key, RSA or GOST), SONO_TAXPAYER_P12 and SONO_TAXPAYER_P12_PASSWORD,
 * SONO_IIN_BIN, SHEP_TRUSTED_CERT (PEM of the certificate SHEP signs its answers with: answers are
 * verified against it; the word `none` turns verification off explicitly); optionally SHEP_ASYNC_ENDPOINT.
 * Without SHEP_ASYNC_ENDPOINT the client has only the sync channel, the one SONO FNO uses.
 */
import { readFileSync } from 'node:fs';
import { createShepClient, createShepReceiver, type ShepClientOptions } from '@kz/shep';
import { type ShepMock, startShepMock } from '@kz/shep/testing';
import type { Signer } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import { startLocalServer } from '@kz/soap/testing';
import { createSonoFnoClient } from '@kz/sono-fno';
import { registerSonoFnoService } from '@kz/sono-fno/testing';
import { optional, required, requiredSigner, SampleConfigError, tlsFromEnvironment } from './config.js';

export async function runSonoFnoSample(log: (line: string) => void): Promise<void> {
  const env = process.env;
  const real = env.SHEP_SYNC_ENDPOINT;
  let gateway: ShepMock | undefined;
  let shepOptions: ShepClientOptions;
  let taxpayer: Signer;
  let iinBin: string;
  if (real) {
    const why = 'with SHEP_SYNC_ENDPOINT set';
    const asyncEndpoint = optional('SHEP_ASYNC_ENDPOINT');
    shepOptions = {
      endpoint: { sync: real, ...(asyncEndpoint ? { async: asyncEndpoint } : {}) },
      senderId: required('SHEP_SENDER_ID', why),
      password: required('SHEP_PASSWORD', why),
      signer: requiredSigner('SHEP_P12', 'SHEP_P12_PASSWORD', why),
      verify: shepVerification(why),
      ...tlsFromEnvironment(),
    };
    taxpayer = requiredSigner('SONO_TAXPAYER_P12', 'SONO_TAXPAYER_P12_PASSWORD', why);
    iinBin = required('SONO_IIN_BIN', why);
  } else {
    const org = createTestIdentity({ commonName: 'SAMPLE ORGANISATION' });
    taxpayer = createTestIdentity({ commonName: 'SAMPLE TAXPAYER' }).signer;
    gateway = await startShepMock({
      senders: { sample_system: { password: 'sample-password', certificates: [org.certificatePem] } },
    });
    registerSonoFnoService(gateway);
    shepOptions = {
      endpoint: gateway.endpoints,
      senderId: 'sample_system',
      password: 'sample-password',
      signer: org.signer,
      verify: { trustedCertificates: [gateway.certificate] },
    };
    iinBin = '880101300123';
  }
  console.log(`SONO FNO over SHEP (${real ?? `mock gateway at ${gateway?.endpoints.sync}`})`);
  const shep = createShepClient(shepOptions);
  try {
    const sono = createSonoFnoClient({ shep, taxpayerSigner: taxpayer });
    const submitted = await sono.submitForm({
      iinBin,
      taxPeriod: { year: '2024', halfYear: 2 },
      // KGD's public form format: fno -> form -> sheetGroup -> sheet -> field (field names: the 910.00 template).
      form: {
        code: '910.00',
        version: '27',
        forms: [
          {
            name: 'form_910_00',
            sheets: [
              {
                name: 'page_910_00_01',
                fields: {
                  iin: iinBin,
                  period_year: 2024,
                  period_half_year: 2,
                  dt_main: true,
                  field_910_00_001: 1500000,
                },
              },
            ],
          },
        ],
      },
    });
    log(
      `form 910.00 submitted: registration ${submitted.registrationNumber}, ${submitted.status} (${submitted.label})`,
    );
    const final = await sono.waitForStatus(submitted.registrationNumber, {
      intervalMs: real ? 10_000 : 5,
      timeoutMs: real ? 600_000 : 10_000,
      onProgress: (s) => log(`  -> ${s.status} (${s.label})`),
    });
    log(`final: ${final.status} (${final.label}), ${final.isError ? 'an error' : 'no error'}`);
    if (!gateway) return;
    // The receiver side: SHEP PUSHes a message to our IAsyncChannelClient endpoint.
    const received: string[] = [];
    const receiver = await startLocalServer(
      createShepReceiver({
        verify: { trustedCertificates: [gateway.certificate] },
        onMessage: (m) => void received.push(`${m.info.serviceId}: ${m.data}`),
      }),
    );
    try {
      await gateway.push(receiver.url, { serviceId: 'SONO_FNO_NOTICE', data: '<notice>form 910.00 posted</notice>' });
      log(`PUSH received on ${receiver.url}: ${received.join('; ')}`);
    } finally {
      await receiver.close();
    }
  } finally {
    shep.close();
    await gateway?.close();
  }
}

/** SHEP_TRUSTED_CERT: SHEP's certificate, or `none` to accept unverified answers knowingly. */
function shepVerification(why: string): ShepClientOptions['verify'] {
  const trusted = required('SHEP_TRUSTED_CERT', `${why}; a PEM file, or none to skip verification`);
  return trusted === 'none' ? false : { trustedCertificates: [readPem('SHEP_TRUSTED_CERT', trusted)] };
}

function readPem(variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new SampleConfigError(variable, `points to ${file}, which cannot be read`);
  }
}
