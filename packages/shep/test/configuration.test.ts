/**
 * Safe defaults: no channel ever falls back to the WSDLs' sample address, and answer verification is
 * on unless the caller opts out with `verify: false`. Bad configuration is a KzError CONFIG_ERROR at
 * construction naming the option; nothing is sent.
 */
import { KzError, type Transport } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { createShepClient, type ShepClientOptions } from '../src/index.js';

const TRUST = { trustedCertificates: ['MIIBfake'] };

/** A transport that records every URL it is asked for and answers nothing. */
function recordingTransport(): Transport & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    send: async (request) => {
      urls.push(request.url);
      throw new Error('no network in this test');
    },
  } as Transport & { urls: string[] };
}

function configError(make: () => unknown): KzError {
  let caught: unknown;
  try {
    make();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KzError);
  expect((caught as KzError).code).toBe('CONFIG_ERROR');
  return caught as KzError;
}

const base = { senderId: 'bank', verify: TRUST } as const;

describe('endpoints', () => {
  it('a missing endpoint is CONFIG_ERROR naming endpoint', () => {
    const error = configError(() => createShepClient({ ...base } as unknown as ShepClientOptions));
    expect(error.message).toContain('endpoint');
  });

  it('an empty channel object is CONFIG_ERROR naming both channels', () => {
    const error = configError(() => createShepClient({ ...base, endpoint: {} }));
    expect(error.message).toContain('endpoint.sync');
    expect(error.message).toContain('endpoint.async');
  });

  it('a channel URL that is not http(s) is CONFIG_ERROR naming it', () => {
    const error = configError(() => createShepClient({ ...base, endpoint: { sync: 'ftp://x', async: 'not a url' } }));
    expect(error.message).toContain('endpoint.sync');
  });

  it('sync only: the async channel is never built, and using it is CONFIG_ERROR naming endpoint.async', async () => {
    const transport = recordingTransport();
    const shep = createShepClient({ ...base, endpoint: { sync: 'http://127.0.0.1:9/sync' }, transport });
    const viaChannel = configError(() => shep.async);
    expect(viaChannel.message).toContain('endpoint.async');
    const viaOperations = configError(() => shep.operations.async);
    expect(viaOperations.message).toContain('endpoint.async');
    await shep.sync.send({ serviceId: 'ECHO', data: '<x/>' }).catch(() => undefined);
    expect(transport.urls).toEqual(['http://127.0.0.1:9/sync']);
    shep.close();
  });

  it('async only: the sync channel is CONFIG_ERROR naming endpoint.sync', () => {
    const shep = createShepClient({ ...base, endpoint: { async: 'http://127.0.0.1:9/async' } });
    expect(shep.operations.async.soap.endpoint).not.toContain('SerrviceSampleTypesWeb');
    expect(configError(() => shep.sync).message).toContain('endpoint.sync');
    expect(shep.operations.async.soap.endpoint).toBe('http://127.0.0.1:9/async');
    shep.close();
  });
});

describe('answer verification', () => {
  it('verify left out is CONFIG_ERROR naming verify', () => {
    const options = { senderId: 'bank', endpoint: 'http://127.0.0.1:9/' } as unknown as ShepClientOptions;
    const error = configError(() => createShepClient(options));
    expect(error.message).toContain('verify');
  });

  it('verify with nothing to trust is CONFIG_ERROR naming verify.trustedCertificates', () => {
    const error = configError(() =>
      createShepClient({ senderId: 'bank', endpoint: 'http://127.0.0.1:9/', verify: { trustedCertificates: [] } }),
    );
    expect(error.message).toContain('verify.trustedCertificates');
  });

  it('verify: false is an explicit opt-out and builds the client', () => {
    const shep = createShepClient({ senderId: 'bank', endpoint: 'http://127.0.0.1:9/', verify: false });
    expect(shep.sync).toBeDefined();
    shep.close();
  });

  it('the error names the option, never a password', () => {
    const password = 'Sup3r-Secret-Pw';
    const options = { senderId: 'bank', password, endpoint: {} } as unknown as ShepClientOptions;
    const error = configError(() => createShepClient(options));
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(password);
  });
});
