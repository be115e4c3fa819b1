/**
 * SONO FNO through SHEP: submit a tax form signed by the taxpayer, follow it to its final status;
 * then receive a PUSH message on a local SHEP receiver. Runs against the @kz/shep mock gateway by
 * default; real SHEP with SHEP_SYNC_ENDPOINT, SHEP_SENDER_ID, SHEP_PASSWORD, SHEP_P12 and
 * SHEP_P12_PASSWORD (the organisation's key), SONO_TAXPAYER_P12 and SONO_TAXPAYER_P12_PASSWORD.
 */
import { readFileSync } from 'node:fs';
import { createShepClient, createShepReceiver } from '@kz/shep';
import { type ShepMock, startShepMock } from '@kz/shep/testing';
import { RsaSha256Signer, type Signer } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import { startLocalServer } from '@kz/soap/testing';
import { createSonoFnoClient } from '@kz/sono-fno';
import { registerSonoFnoService } from '@kz/sono-fno/testing';

const fromP12 = (file: string, password: string | undefined): Signer =>
  RsaSha256Signer.fromPkcs12(readFileSync(file), password ?? '');

export async function runSonoFnoFlow(log: (line: string) => void): Promise<void> {
  const env = process.env;
  const real = env.SHEP_SYNC_ENDPOINT;
  let gateway: ShepMock | undefined;
  let organisation: Signer;
  let taxpayer: Signer;
  if (real) {
    organisation = fromP12(env.SHEP_P12 ?? '', env.SHEP_P12_PASSWORD);
    taxpayer = fromP12(env.SONO_TAXPAYER_P12 ?? '', env.SONO_TAXPAYER_P12_PASSWORD);
  } else {
    const org = createTestIdentity({ commonName: 'SAMPLE ORGANISATION' });
    organisation = org.signer;
    taxpayer = createTestIdentity({ commonName: 'SAMPLE TAXPAYER' }).signer;
    gateway = await startShepMock({
      senders: { sample_system: { password: 'sample-password', certificates: [org.certificatePem] } },
    });
    registerSonoFnoService(gateway);
  }
  console.log(`SONO FNO over SHEP (${real ?? `mock gateway at ${gateway?.endpoints.sync}`})`);
  const shep = createShepClient({
    endpoint: real
      ? { sync: real, ...(env.SHEP_ASYNC_ENDPOINT ? { async: env.SHEP_ASYNC_ENDPOINT } : {}) }
      : (gateway as ShepMock).endpoints,
    senderId: env.SHEP_SENDER_ID ?? 'sample_system',
    password: env.SHEP_PASSWORD ?? 'sample-password',
    signer: organisation,
    ...(gateway ? { verify: { trustedCertificates: [gateway.certificate] } } : {}),
  });
  try {
    const sono = createSonoFnoClient({ shep, taxpayerSigner: taxpayer });
    const iin = env.SONO_IIN_BIN ?? '880101300123';
    const submitted = await sono.submitForm({
      iinBin: iin,
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
                fields: { iin, period_year: 2024, period_half_year: 2, dt_main: true, field_910_00_001: 1500000 },
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
