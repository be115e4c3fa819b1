/**
 * A transport error says what a person needs to act on it: the host called (never the userinfo,
 * path or query, which may carry credentials), the timeout that applied and which attempt of how
 * many failed. Real servers on 127.0.0.1.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostOf, SoapClient, TransportError } from '../src/index.js';
import { type LocalServer, startLocalServer } from '../src/testing/index.js';
import { testMeta } from './meta.js';

let silent: LocalServer;
beforeAll(async () => {
  silent = await startLocalServer(() => {}); // never answers: every call times out
});
afterAll(() => silent.close());

const failure = (promise: Promise<unknown>): Promise<TransportError> =>
  promise.then(
    () => {
      throw new Error('expected a TransportError');
    },
    (error: unknown) => {
      if (!(error instanceof TransportError)) throw error;
      return error;
    },
  );

describe('transport errors name host, timeout and attempts', () => {
  it('a timeout: the host without userinfo, path or query; the timeout; attempt 1 of 1', async () => {
    const { port } = new URL(silent.url);
    const endpoint = `http://bank:s3cret-pass@127.0.0.1:${port}/svc.asmx?apiKey=key-123`;
    const client = new SoapClient(testMeta, { endpoint, timeoutMs: 150 });
    const error = await failure(client.invoke('Echo', { id: '1' }, { retry: false }));
    client.close();
    expect(error.code).toBe('TIMEOUT');
    expect(error).toMatchObject({ host: `127.0.0.1:${port}`, timeoutMs: 150, attempt: 1, attempts: 1 });
    expect(error.message).toContain(`(host 127.0.0.1:${port}, timeout 150 ms, attempt 1 of 1)`);
    for (const secret of ['bank', 's3cret-pass', 'key-123', 'apiKey', 'svc.asmx']) {
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify({ ...error })).not.toContain(secret);
    }
  });

  it('a safe operation retried: the last attempt and how many were allowed', async () => {
    const client = new SoapClient(testMeta, { endpoint: `${silent.url}/svc`, timeoutMs: 100 });
    const error = await failure(
      client.invoke('Echo', { id: '1' }, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }),
    );
    client.close();
    expect(error).toMatchObject({ code: 'TIMEOUT', attempt: 3, attempts: 3, timeoutMs: 100 });
    expect(error.message).toContain('attempt 3 of 3');
  });

  it('a refused connection names the host too', async () => {
    const server = net.createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
    );
    await new Promise((resolve) => server.close(resolve)); // nothing listens there now
    const client = new SoapClient(testMeta, { endpoint: `http://127.0.0.1:${port}/svc`, timeoutMs: 2_000 });
    const error = await failure(client.invoke('Echo', { id: '1' }, { retry: false }));
    client.close();
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', maybeDelivered: false, host: `127.0.0.1:${port}` });
    expect(error.message).toContain(`host 127.0.0.1:${port}`);
  });

  it('hostOf keeps only host and port', () => {
    expect(hostOf('https://user:pw@esf.gov.kz:8443/esf-web/ws/api1/SessionService?token=x#f')).toBe('esf.gov.kz:8443');
    expect(hostOf('not a url')).toBe('(invalid URL)');
  });
});
