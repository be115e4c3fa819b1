/**
 * true-api-page: one GET /doc/listV2 page of 10 000 documents (about 2 MB of JSON), decoded
 * through the typed @kz/true-api client (login done; its body cap, UTF-8 check and JSON parse)
 * vs a bare openapi-fetch client sending the same request with the same token. Both read the
 * same bytes from the same local server, which answers with a page built once (the mock's
 * document shape), so the server's cost is the same small constant on both sides.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestIdentity } from '@kz/signing/testing';
import { createTrueApiClient, type paths } from '@kz/true-api';
import { TrueApiMockState } from '@kz/true-api/testing';
import createClient from 'openapi-fetch';
import { type Result, round, sideBySide, time } from '../harness.js';

const ITEMS = 10_000;
const BASE = '/api/v3/true-api';
const TOKEN = 'bench-token';

/** A server for the page and for the login handshake (which it does not verify: not measured). */
async function startPageServer(page: Buffer): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const json = (res: http.ServerResponse, body: Buffer | string) => {
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === `${BASE}/auth/key`)
        return json(res, JSON.stringify({ uuid: 'bench', data: 'BENCHCHALLENGE' }));
      if (url.pathname === `${BASE}/auth/simpleSignIn`) return json(res, JSON.stringify({ token: TOKEN }));
      if (url.pathname === `${BASE}/doc/listV2` && req.headers.authorization === `Bearer ${TOKEN}`)
        return json(res, page);
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${BASE}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export async function trueApiPage(): Promise<Result> {
  const documents = new TrueApiMockState({ documentCount: ITEMS }).documents;
  const page = Buffer.from(JSON.stringify({ results: documents, total: documents.length }));
  const server = await startPageServer(page);
  try {
    const identity = createTestIdentity({ commonName: 'BENCH PARTICIPANT' });
    const ours = createTrueApiClient({ endpoint: server.baseUrl, signer: identity.signer });
    await ours.login();
    const bare = createClient<paths>({ baseUrl: server.baseUrl });
    const headers = { authorization: `Bearer ${TOKEN}` };
    const params = { query: { pg: 'milk' as const, limit: ITEMS } };
    const count = (data: unknown) => (data as { results?: unknown[] } | undefined)?.results?.length ?? 0;
    // Both must decode the whole page, or the comparison would be of error paths.
    const [a, b] = await Promise.all([
      ours.operations.GET('/doc/listV2', { params }),
      bare.GET('/doc/listV2', { params, headers }),
    ]);
    if (count(a.data) !== ITEMS || count(b.data) !== ITEMS)
      throw new Error(`GET /doc/listV2: ${count(a.data)} / ${count(b.data)} items, ${ITEMS} expected`);
    const measured = await sideBySide(
      () => time(() => ours.operations.GET('/doc/listV2', { params })),
      () => time(() => bare.GET('/doc/listV2', { params, headers })),
      { warmup: 5, rounds: 31 },
    );
    return {
      id: 'true-api-page',
      ours: round(measured.ours),
      peer: round(measured.peer),
      peerName: 'bare openapi-fetch 0.17.0 client, same token',
      unit: 'ms',
      ratio: round(measured.peer / measured.ours),
      goal: 0.95,
      notes: { items: ITEMS, bytes: page.length, operation: 'GET /doc/listV2?pg=milk&limit=10000' },
    };
  } finally {
    await server.close();
  }
}
