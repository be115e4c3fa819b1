/** call-loopback and call-overhead: real HTTP calls against the same local Alseco mock. */
import { AlsecoPaymentsServiceClient } from '@kz/alseco';
import { startAlsecoMock } from '@kz/alseco/testing';
import soap from 'soap';
import { burst, type Result, round, sideBySide } from '../harness.js';
import { ALSECO_WSDL } from '../payloads.js';

const CALLS = 400;
const input = { accountId: 2429284 };
/** The same input as it goes on the wire (the client fills the bound bank code in). */
const wireInput = { ...input, bankCode: 'ALSC' };

export async function callCases(): Promise<Result[]> {
  const mock = await startAlsecoMock();
  try {
    const ours = new AlsecoPaymentsServiceClient({ endpoint: mock.endpoint, bound: { bankCode: 'ALSC' } });
    const peer = await soap.createClientAsync(ALSECO_WSDL, { disableCache: true, endpoint: mock.endpoint });
    const loopback = await sideBySide(
      () => burst(() => ours.getAccountState(input), CALLS, 4),
      () => burst(() => peer.GetAccountStateAsync(wireInput), CALLS, 4),
      { warmup: 1, rounds: 7 },
    );
    // The same request bytes our client sends, posted by a bare fetch.
    const body = ours.soap.encodeRequest('GetAccountState', wireInput);
    const headers = {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: '"http://www.alseco.kz/AlsecoPaymentsService/GetAccountState"',
    };
    const rawFetch = async () => {
      const response = await fetch(mock.endpoint, { method: 'POST', headers, body });
      await response.arrayBuffer();
    };
    const overhead = await sideBySide(
      () => burst(() => ours.getAccountState(input), CALLS, 4),
      () => burst(rawFetch, CALLS, 4),
      { warmup: 1, rounds: 7 },
    );
    ours.soap.close();
    const rps = (ms: number) => round((CALLS / ms) * 1000, 0);
    return [
      {
        id: 'call-loopback',
        ours: rps(loopback.ours),
        peer: rps(loopback.peer),
        peerName: 'node-soap 1.13.0 client',
        unit: 'requests/s',
        ratio: round(loopback.peer / loopback.ours),
        goal: 2,
        notes: { calls: CALLS, concurrency: 4, operation: 'GetAccountState' },
      },
      {
        id: 'call-overhead',
        ours: rps(overhead.ours),
        peer: rps(overhead.peer),
        peerName: 'raw fetch with the same bytes',
        unit: 'requests/s',
        ratio: round(overhead.peer / overhead.ours),
        goal: 0.85,
        notes: { calls: CALLS, concurrency: 4 },
      },
    ];
  } finally {
    await mock.close();
  }
}
