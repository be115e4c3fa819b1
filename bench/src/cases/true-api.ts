/**
 * true-api-overhead: a call through @kz/true-api (login done, auth middleware attaching the
 * token, error handling) vs a bare openapi-fetch client sending the same request with the same
 * token, against the same local mock.
 */
import { createTestIdentity } from '@kz/signing/testing';
import { createTrueApiClient, type paths } from '@kz/true-api';
import { startTrueApiMock } from '@kz/true-api/testing';
import createClient from 'openapi-fetch';
import { burst, type Result, round, sideBySide } from '../harness.js';

const CALLS = 1000;

export async function trueApiOverhead(): Promise<Result> {
  const identity = createTestIdentity({ commonName: 'BENCH PARTICIPANT' });
  const mock = await startTrueApiMock();
  try {
    const ours = createTrueApiClient({ endpoint: mock.endpoint, signer: identity.signer });
    await ours.login();
    // The bare client gets a token the same way once, then just sends it.
    const bare = createClient<paths>({ baseUrl: mock.endpoint });
    const key = (await bare.GET('/auth/key')).data as { uuid: string; data: string };
    const signature = Buffer.from(await identity.signer.signCms(Buffer.from(key.data, 'utf8'))).toString('base64');
    const signIn = (await bare.POST('/auth/simpleSignIn', { body: { uuid: key.uuid, data: signature } as never }))
      .data as { token: string };
    const headers = { authorization: `Bearer ${signIn.token}` };
    const params = { query: { pg: 'milk' as const, limit: '10' } };
    // Both must succeed, or the comparison would be of error paths.
    const [a, b] = await Promise.all([
      ours.operations.GET('/product/gtin', { params }),
      bare.GET('/product/gtin', { params, headers }),
    ]);
    if (!a.response.ok || !b.response.ok)
      throw new Error(`GET /product/gtin failed: ${a.response.status} / ${b.response.status}`);
    const measured = await sideBySide(
      () => burst(() => ours.operations.GET('/product/gtin', { params }), CALLS, 4),
      () => burst(() => bare.GET('/product/gtin', { params, headers }), CALLS, 4),
      { warmup: 2, rounds: 9 },
    );
    const rps = (ms: number) => round((CALLS / ms) * 1000, 0);
    return {
      id: 'true-api-overhead',
      ours: rps(measured.ours),
      peer: rps(measured.peer),
      peerName: 'bare openapi-fetch 0.17.0 client, same token',
      unit: 'requests/s',
      ratio: round(measured.peer / measured.ours),
      goal: 0.9,
      notes: { calls: CALLS, concurrency: 4, operation: 'GET /product/gtin?pg=milk' },
    };
  } finally {
    await mock.close();
  }
}
