/**
 * `maybeDelivered` is exact: false only when no request byte can have left the process, true
 * whenever the service may have received the request (and, for a state-changing call, acted on
 * it). Real servers on 127.0.0.1: a TLS server whose certificate the client does not trust, a
 * server that accepts TCP but never completes a TLS handshake, and a pool of one busy socket.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeError, HttpError, NodeHttpTransport, SoapClient, TransportError } from '../src/index.js';
import { type LocalServer, startLocalServer } from '../src/testing/index.js';
import { testMeta } from './meta.js';

/** A self-signed certificate for 127.0.0.1, made by the openssl CLI for this run. */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kz-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1']
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1'])
        .concat(['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const listen = (server: net.Server): Promise<string> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
const close = (server: net.Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

const call = (client: SoapClient, options: { timeoutMs?: number; signal?: AbortSignal } = {}) =>
  client.invoke('Echo', { id: '1' }, options).catch((e: unknown) => e);

describe('TLS', () => {
  let tlsServer: https.Server;
  let tlsHost: string;
  let tcpServer: net.Server;
  let tcpHost: string;
  let identity: { key: string; cert: string };
  const requests: string[] = [];
  const silentSockets = new Set<net.Socket>();

  beforeAll(async () => {
    identity = selfSigned();
    tlsServer = https.createServer(identity, (req, res) => {
      requests.push(req.url ?? '');
      req.resume();
      if (req.url === '/reset') req.socket.destroy();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('not a SOAP envelope');
    });
    tlsHost = await listen(tlsServer);
    // Accepts TCP connections and never says a word: the TLS handshake never completes.
    tcpServer = net.createServer((socket) => {
      silentSockets.add(socket);
      socket.on('close', () => silentSockets.delete(socket));
    });
    tcpHost = await listen(tcpServer);
  });
  afterAll(async () => {
    for (const socket of silentSockets) socket.destroy();
    tlsServer.closeAllConnections();
    await Promise.all([close(tlsServer), close(tcpServer)]);
  });

  it('an untrusted certificate: refused before a byte of the request is sent', async () => {
    const client = new SoapClient(testMeta, { endpoint: `https://${tlsHost}/echo` });
    const error = await call(client);
    client.close();
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', maybeDelivered: false });
    expect((error as Error).message).toContain('TLS handshake failed');
    expect(requests).toEqual([]);
  });

  it('a handshake that never completes: a timeout with nothing sent', async () => {
    const client = new SoapClient(testMeta, { endpoint: `https://${tcpHost}/echo`, timeoutMs: 150 });
    const error = await call(client);
    client.close();
    expect(error).toMatchObject({ code: 'TIMEOUT', maybeDelivered: false });
  });

  it('with the certificate trusted, the request goes through; a reset after it is "maybe"', async () => {
    const trusted = (p: string) =>
      new SoapClient(testMeta, { endpoint: `https://${tlsHost}${p}`, tls: { ca: identity.cert } });
    const decodeClient = trusted('/echo');
    const decodeError = await call(decodeClient);
    decodeClient.close();
    expect(decodeError).toBeInstanceOf(DecodeError);
    const resetClient = trusted('/reset');
    const resetError = await call(resetClient);
    resetClient.close();
    expect(resetError).toMatchObject({ code: 'CONNECTION_FAILED', maybeDelivered: true });
    expect(requests).toEqual(['/echo', '/reset']);
  });
});

describe('waiting for a pooled socket', () => {
  let server: LocalServer;
  const seen: string[] = [];
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      if (req.url === '/release') res.writeHead(500).end();
      // '/hold': never answers, keeping the pool's only socket busy
    });
  });
  afterAll(() => server.close());

  it('a timeout or an abort while no socket was free: nothing sent', async () => {
    const transport = new NodeHttpTransport({ maxSockets: 1 });
    const busy = new SoapClient(testMeta, { endpoint: `${server.url}/hold`, transport, timeoutMs: 600 });
    const held = call(busy);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const queued = new SoapClient(testMeta, { endpoint: `${server.url}/queued`, transport });
    expect(await call(queued, { timeoutMs: 100 })).toMatchObject({ code: 'TIMEOUT', maybeDelivered: false });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await call(queued, { signal: controller.signal })).toMatchObject({ code: 'ABORTED', maybeDelivered: false });
    // The held request itself was written: its timeout is "maybe".
    expect(await held).toMatchObject({ code: 'TIMEOUT', maybeDelivered: true });
    transport.close();
    expect(seen).toEqual(['/hold']);
  });
});

describe('a request node:http refuses to build', () => {
  it('a header value it cannot carry: nothing sent, a typed error saying so', async () => {
    const client = new SoapClient(testMeta, {
      endpoint: 'http://127.0.0.1:9/echo',
      headers: { 'x-api-key': 'ключ', 'x-other': 'a\r\nInjected: 1' },
    });
    const error = await call(client);
    client.close();
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', maybeDelivered: false });
    expect((error as Error).message).toContain('invalid request');
  });
});

describe('response-side errors', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      req.resume();
      if (req.url === '/html') res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
      else res.writeHead(200, { 'content-type': 'text/xml' }).end('<s:Envelope xmlns:s="http://schemas');
    });
  });
  afterAll(() => server.close());

  it('a 2xx answer that does not decode: the operation may have happened', async () => {
    const client = new SoapClient(testMeta, { endpoint: `${server.url}/truncated` });
    const error = await call(client);
    client.close();
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ maybeDelivered: true, httpStatus: 200 });
  });

  it('an HTTP error came from a server that received the request', async () => {
    const client = new SoapClient(testMeta, { endpoint: `${server.url}/html` });
    const error = await call(client);
    client.close();
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ maybeDelivered: true, status: 502 });
  });

  it('a DecodeError of a document decoded locally says nothing was sent', () => {
    expect(new DecodeError({ service: 's', operation: 'o' }, 'bad')).toMatchObject({ maybeDelivered: false });
  });
});
