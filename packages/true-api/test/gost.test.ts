/**
 * A GOST key container logs in to True API with no change to @kz/true-api: loadSigner reads the
 * NCA-style PKCS#12, the client sends its CAdES-BES over the challenge, and the mock (verifyCms)
 * accepts it as the holder's certificate.
 */
import { loadSigner, verifyCms } from '@kz/signing';
import { createGostTestIdentity } from '@kz/signing/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrueApiClient } from '../src/index.js';
import { startTrueApiMock, type TrueApiMock } from '../src/testing/index.js';

const identity = createGostTestIdentity({ commonName: 'ТЕСТ УОТ (GOST)', iin: '880101300123', purpose: 'AUTH' });
let mock: TrueApiMock;

beforeAll(async () => {
  mock = await startTrueApiMock({ documentCount: 1 });
});
afterAll(async () => {
  await mock.close();
});

describe('login with a GOST key container', () => {
  it('signs the challenge as GOST CMS; the mock verifies it and records the certificate', async () => {
    const trueApi = createTrueApiClient({
      endpoint: mock.endpoint,
      signer: loadSigner(identity.pkcs12, identity.pkcs12Password),
    });
    await trueApi.login();
    expect(trueApi.authenticated).toBe(true);
    expect(mock.state.logins.at(-1)).toBe(identity.certificate);
    const signIn = mock.calls.find((call) => call.operation === 'simpleSignIn');
    const { data } = JSON.parse(signIn?.body ?? '{}') as { data: string };
    const verified = verifyCms(Buffer.from(data, 'base64'));
    expect(verified.certificate).toBe(identity.certificate);
    expect(Buffer.from(verified.content).toString('utf8')).toMatch(/^[A-Z0-9_-]{32}$/);
  });
});
