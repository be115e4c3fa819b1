/**
 * Round trips over real HTTP against @kz/esf/testing: all 6 operations, the session life cycle
 * (OK until closed, then CLOSED; unknown NOT_FOUND), `await using`, typed faults, credentials.
 */
import { createTestIdentity } from '@kz/signing/testing';
import { SoapFaultError, ValidationError } from '@kz/soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEsfClient,
  EsfAccessDeniedError,
  EsfBusinessError,
  type EsfClient,
  EsfServiceError,
  EsfSessionClosedError,
  serviceMeta,
} from '../src/index.js';
import { type EsfMock, SEED_USER_LOGIN, SEED_USER_PASSWORD, startEsfMock } from '../src/testing/index.js';

let mock: EsfMock;
let esf: EsfClient;
const identity = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: `IIN${SEED_USER_LOGIN}` });
const stranger = createTestIdentity({ commonName: 'ДРУГОЙ', serialNumber: 'IIN999999999999' });

beforeAll(async () => {
  mock = await startEsfMock();
  esf = createEsfClient({
    checkIdentifiers: false,
    endpoint: mock.endpoint,
    username: SEED_USER_LOGIN,
    password: SEED_USER_PASSWORD,
  });
});
afterAll(async () => {
  esf.close();
  await mock.close();
});

describe('the 6 operations over HTTP', () => {
  it('declares 6 operations, and createSessionSigned', () => {
    expect(Object.keys(serviceMeta.operations).sort()).toEqual([
      'closeSession',
      'closeSessionByCredentials',
      'createSession',
      'createSessionSigned',
      'currentSessionStatus',
      'currentUser',
      'currentUserProfiles',
    ]);
  });

  it('createSession, currentSessionStatus, currentUser, currentUserProfiles, closeSession', async () => {
    const session = await esf.openSession({
      tin: '123456789021',
      x509Certificate: identity.certificatePem,
      businessProfileType: 'ADMIN_ENTERPRISE',
      sourceType: 'OTHER',
    });
    expect(session.sessionId).toMatch(/^[0-9a-f]{32}-123456789021--ADMIN_ENTERPRISE$/);
    expect(session.tin).toBe('123456789021');
    expect(await session.status()).toBe('OK');
    const user = await session.user();
    expect(user.login).toBe(SEED_USER_LOGIN);
    expect(user.taxpayer.type).toBe('INDIVIDUAL_ENTREPRENEUR');
    const profiles = await session.profiles();
    expect(profiles.map((p) => `${p.tin}/${p.businessProfileType}`)).toContain('123456789021/ADMIN_ENTERPRISE');
    expect(await session.close()).toBe('CLOSED');
    expect(await session.status()).toBe('CLOSED');
    expect(mock.state.sessionStatus(session.sessionId)).toBe('CLOSED');
  });

  it('closeSessionByCredentials closes a session whose id was lost', async () => {
    const lost = await esf.openSession({ tin: '123456789021', x509Certificate: identity.signer.certificate });
    expect(mock.state.sessionStatus(lost.sessionId)).toBe('OK');
    expect(lost.sessionId).toMatch(/-123456789021-$/);
    expect(await esf.closeSessionByCredentials({ tin: '123456789021', x509Certificate: identity.certificatePem })).toBe(
      'CLOSED',
    );
    expect(await esf.sessionStatus(lost.sessionId)).toBe('CLOSED');
    expect(
      await esf.closeSessionByCredentials({ tin: '123456789021', x509Certificate: identity.signer.certificate }),
    ).toBe('NOT_FOUND');
  });

  it('an unknown sessionId is NOT_FOUND, and closing it too', async () => {
    const ghost = esf.attachSession('00000000000000000000000000000000-123456789021-');
    expect(await ghost.status()).toBe('NOT_FOUND');
    expect(await ghost.close()).toBe('NOT_FOUND');
  });
});

describe('sessions close themselves', () => {
  it('await using closes the session at the end of the scope', async () => {
    let id = '';
    {
      await using session = await esf.openSession({ tin: '123456789011', x509Certificate: identity.certificatePem });
      id = session.sessionId;
      expect(await session.status()).toBe('OK');
    }
    expect(mock.state.sessionStatus(id)).toBe('CLOSED');
  });

  it('await using closes it also when the scope throws', async () => {
    let id = '';
    const run = async () => {
      await using session = await esf.openSession({ tin: '123456789011', x509Certificate: identity.certificatePem });
      id = session.sessionId;
      throw new Error('step failed');
    };
    await expect(run()).rejects.toThrow('step failed');
    expect(mock.state.sessionStatus(id)).toBe('CLOSED');
  });

  it('close() is sent once however often it is called', async () => {
    const session = await esf.openSession({ tin: '123456789011', x509Certificate: identity.certificatePem });
    const before = mock.calls.filter((c) => c.operation === 'closeSession').length;
    const results = await Promise.all([session.close(), session.close()]);
    await session[Symbol.asyncDispose]();
    expect(results).toEqual(['CLOSED', 'CLOSED']);
    expect(session.closed).toBe(true);
    expect(mock.calls.filter((c) => c.operation === 'closeSession').length - before).toBe(1);
  });
});

describe('typed faults', () => {
  it('a closed session: currentUser and currentUserProfiles raise EsfSessionClosedError', async () => {
    const session = await esf.openSession({ tin: '123456789011', x509Certificate: identity.certificatePem });
    await session.close();
    for (const call of [() => session.user(), () => session.profiles()]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EsfSessionClosedError);
      expect(error).toBeInstanceOf(SoapFaultError);
      expect((error as EsfServiceError).kind).toBe('SESSION_CLOSED');
      expect((error as EsfServiceError).description).toBe('No open session associated with user.');
    }
  });

  it('a BIN the user has no profile for raises EsfAccessDeniedError', async () => {
    const error = await esf
      .openSession({ tin: '111111111111', x509Certificate: identity.certificatePem })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EsfAccessDeniedError);
    expect((error as EsfServiceError).operation).toBe('createSession');
  });

  it('a profile the user does not have, or somebody else certificate, is refused', async () => {
    await expect(
      esf.openSession({ tin: '123456789021', x509Certificate: identity.certificatePem, businessProfileType: 'NOTARY' }),
    ).rejects.toBeInstanceOf(EsfAccessDeniedError);
    await expect(
      esf.openSession({ tin: '123456789021', x509Certificate: stranger.certificatePem }),
    ).rejects.toBeInstanceOf(EsfAccessDeniedError);
  });

  it('a certificate that is base64 but not X.509 raises EsfBusinessError', async () => {
    const notACertificate = Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), Buffer.alloc(252, 7)]).toString(
      'base64',
    );
    await expect(esf.openSession({ tin: '123456789021', x509Certificate: notACertificate })).rejects.toBeInstanceOf(
      EsfBusinessError,
    );
  });

  it('bad input is refused before sending', async () => {
    const before = mock.calls.length;
    await expect(esf.openSession({ tin: '12345', x509Certificate: identity.certificatePem })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      esf.openSession({ tin: '123456789021', x509Certificate: 'not a certificate!' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      esf.openSession({ tin: '123456789021', x509Certificate: identity.certificatePem, projectCode: '12a' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(() => esf.attachSession('')).toThrow(ValidationError);
    expect(mock.calls.length).toBe(before);
  });
});

describe('credentials', () => {
  it('a wrong password is refused, and neither it nor the right one appears in the error or hooks', async () => {
    const wrong = 'Wr0ng&<Secret>';
    const seen: unknown[] = [];
    const client = createEsfClient({
      checkIdentifiers: false,
      endpoint: mock.endpoint,
      username: SEED_USER_LOGIN,
      password: wrong,
      hooks: { onRequest: (e) => seen.push(e), onResponse: (e) => seen.push(e), onError: (e) => seen.push(e.error) },
    });
    const error = await client
      .openSession({ tin: '123456789021', x509Certificate: identity.certificatePem })
      .catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).not.toBeInstanceOf(EsfServiceError);
    const text = JSON.stringify(seen) + String(error) + JSON.stringify(error) + ((error as Error).stack ?? '');
    expect(text).toContain('wsse:Password');
    for (const secret of [wrong, 'Wr0ng&amp;&lt;Secret&gt;', SEED_USER_PASSWORD]) expect(text).not.toContain(secret);
  });

  it('the password never reaches the hooks of a successful call either', async () => {
    const seen: string[] = [];
    const client = createEsfClient({
      checkIdentifiers: false,
      endpoint: mock.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
      hooks: { onRequest: (e) => seen.push(e.body), onResponse: (e) => seen.push(e.body) },
    });
    await using session = await client.openSession({ tin: '123456789021', x509Certificate: identity.certificatePem });
    await session.user();
    client.close();
    expect(seen.join('\n')).toContain('<wsse:Password');
    expect(seen.join('\n')).not.toContain(SEED_USER_PASSWORD);
    expect(JSON.stringify(session)).not.toContain(SEED_USER_PASSWORD);
    expect(JSON.stringify(client)).not.toContain(SEED_USER_PASSWORD);
  });

  it('a session lifetime ends: the mock reports CLOSED after sessionTtlMs', async () => {
    let now = 1_000;
    const ttlMock = await startEsfMock({ sessionTtlMs: 60_000, now: () => now });
    const client = createEsfClient({
      checkIdentifiers: false,
      endpoint: ttlMock.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
    });
    try {
      const session = await client.openSession({ tin: '123456789021', x509Certificate: identity.certificatePem });
      expect(await session.status()).toBe('OK');
      now += 60_000;
      expect(await session.status()).toBe('CLOSED');
      await expect(session.user()).rejects.toBeInstanceOf(EsfSessionClosedError);
    } finally {
      client.close();
      await ttlMock.close();
    }
  });
});
