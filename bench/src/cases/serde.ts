/** create-client, decode-large, encode-large, event-loop-10mb: ours vs node-soap, same WSDL and bytes. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AlsecoPaymentsServiceClient, type GetInvoicesByAccountsNewResponse } from '@kz/alseco';
import type { Transport } from '@kz/soap';
import soap from 'soap';
import { type Result, round, sideBySide, time } from '../harness.js';
import { ALSECO_WSDL, invoicesResponse, LOSSY_PAYSUM, LOSSY_TARIFF, paymentDocuments } from '../payloads.js';

const ENDPOINT = 'http://127.0.0.1:9/AlsecoPaymentsService.asmx';

function dig(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );
}

function replay(body: string): Transport {
  const bytes = Buffer.from(body);
  return { send: async () => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: bytes }) };
}

export async function createClient(): Promise<Result> {
  const { ours, peer } = await sideBySide(
    () => time(() => new AlsecoPaymentsServiceClient({ endpoint: ENDPOINT, bound: { bankCode: 'ALSC' } })),
    () => time(() => soap.createClientAsync(ALSECO_WSDL, { disableCache: true })),
    { warmup: 5, rounds: 21 },
  );
  return {
    id: 'create-client',
    ours: round(ours, 4),
    peer: round(peer, 3),
    peerName: 'soap.createClientAsync (node-soap 1.13.0)',
    unit: 'ms',
    ratio: round(peer / ours, 1),
    goal: 100,
  };
}

export async function decodeLarge(): Promise<Result> {
  const xml = invoicesResponse(1000, 2);
  const ours = new AlsecoPaymentsServiceClient({
    endpoint: ENDPOINT,
    transport: replay(xml),
    bound: { bankCode: 'ALSC' },
  });
  const peer = await soap.createClientAsync(ALSECO_WSDL, { disableCache: true });
  const input = { accounts: [100000] };
  // Both sides start from the same bytes: node-soap's HTTP client hands xmlToObject the body it
  // decoded with Buffer.toString('utf8') (soap/lib/http.js), so that decoding is its work too.
  const bytes = Buffer.from(xml);
  const measured = await sideBySide(
    () => time(() => ours.getInvoicesByAccountsNew(input)),
    () => time(() => peer.wsdl.xmlToObject(bytes.toString('utf8'))),
    { warmup: 5, rounds: 21 },
  );
  // For comparison with earlier runs: node-soap given the string already decoded.
  const fromString = await sideBySide(
    () => time(() => ours.getInvoicesByAccountsNew(input)),
    () => time(() => peer.wsdl.xmlToObject(xml)),
    { warmup: 2, rounds: 21 },
  );
  // Correctness: every long/decimal kept exactly?
  const decoded: GetInvoicesByAccountsNewResponse['GetInvoicesByAccountsNewResult'] =
    await ours.getInvoicesByAccountsNew(input);
  const ourParameters = (decoded ?? []).flatMap((r) => r?.AccountInvoices?.Invoices?.[0]?.InvoiceParameters ?? []);
  const oursExact =
    ourParameters.length === 2000 &&
    ourParameters.every((p) => p?.PaySum === LOSSY_PAYSUM && p.Tariff === LOSSY_TARIFF);
  // node-soap's result is untyped: walk it by name.
  const peerResults = [
    dig(
      peer.wsdl.xmlToObject(xml),
      'Body',
      'GetInvoicesByAccountsNewResponse',
      'GetInvoicesByAccountsNewResult',
      'ResultAccountInvoicesOfInt32',
    ),
  ].flat();
  const peerParameters = peerResults.flatMap((r) =>
    [dig([dig(r, 'AccountInvoices', 'Invoices', 'Invoice')].flat()[0], 'InvoiceParameters', 'InvoiceParameter')].flat(),
  );
  const peerExact =
    peerParameters.length === 2000 &&
    peerParameters.every((p) => String(dig(p, 'PaySum')) === LOSSY_PAYSUM && String(dig(p, 'Tariff')) === LOSSY_TARIFF);
  return {
    id: 'decode-large',
    ours: round(measured.ours),
    peer: round(measured.peer),
    peerName: 'client.wsdl.xmlToObject(body.toString()) (node-soap 1.13.0)',
    unit: 'ms',
    ratio: round(measured.peer / measured.ours),
    goal: 6,
    notes: {
      bytes: Buffer.byteLength(xml),
      accounts: 1000,
      oursLossless: oursExact,
      peerLossless: peerExact,
      peerPaySumSample: String(dig(peerParameters[0], 'PaySum')),
      peerFromStringMs: round(fromString.peer),
      ratioPeerFromString: round(fromString.peer / fromString.ours),
    },
  };
}

/**
 * Building a Pay request with 1000 payment documents: from the call to the bytes handed to the
 * transport, on both sides (ours: invoke with a transport that captures and stops; node-soap:
 * PayAsync with an httpClient that captures and stops).
 */
export async function encodeLarge(): Promise<Result> {
  const documents = paymentDocuments(1000);
  let oursBody: string | Uint8Array | undefined;
  const capture: Transport = {
    send: async (request) => {
      oursBody = request.body; // measured after the timing: the HTTP layer's job on both sides
      throw new Error('captured');
    },
  };
  const ours = new AlsecoPaymentsServiceClient({ endpoint: ENDPOINT, transport: capture, bound: { bankCode: 'ALSC' } });
  let peerBody = '';
  const httpClient = {
    request(_url: string, data: string, callback: (error: Error) => void) {
      peerBody = data;
      callback(new Error('captured'));
      return {};
    },
  };
  const peer = await soap.createClientAsync(ALSECO_WSDL, {
    disableCache: true,
    endpoint: ENDPOINT,
    httpClient: httpClient as never,
  });
  const peerArgs = {
    paymentDocuments: {
      PaymentDocument: documents.map((d) => ({ ...d, PaymentParameters: { PaymentParameter: d.PaymentParameters } })),
    },
    bankCode: 'ALSC',
  };
  const measured = await sideBySide(
    () => time(() => ours.pay({ paymentDocuments: documents }).catch(() => undefined)),
    () => time(() => peer.PayAsync(peerArgs).catch(() => undefined)),
    { warmup: 5, rounds: 21 },
  );
  return {
    id: 'encode-large',
    ours: round(measured.ours, 3),
    peer: round(measured.peer),
    peerName: 'client.PayAsync up to the HTTP call (node-soap 1.13.0)',
    unit: 'ms',
    ratio: round(measured.peer / measured.ours, 1),
    goal: 20,
    notes: { documents: 1000, oursBytes: Buffer.byteLength(oursBody ?? ''), peerBytes: Buffer.byteLength(peerBody) },
  };
}

/** The longest event-loop stall (ms, histogram max) while `work` runs. */
async function longestStall(work: () => Promise<unknown> | unknown): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const ticker = setInterval(() => {}, 1);
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await work();
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  clearInterval(ticker);
  return histogram.max / 1e6;
}

export async function eventLoop10mb(): Promise<Result> {
  const xml = invoicesResponse(4000, 2);
  const ours = new AlsecoPaymentsServiceClient({
    endpoint: ENDPOINT,
    transport: replay(xml),
    bound: { bankCode: 'ALSC' },
  });
  const peer = await soap.createClientAsync(ALSECO_WSDL, { disableCache: true });
  const input = { accounts: [100000] };
  const measured = await sideBySide(
    () => longestStall(() => ours.getInvoicesByAccountsNew(input)),
    () => longestStall(() => peer.wsdl.xmlToObject(xml)),
    { warmup: 1, rounds: 5 },
  );
  return {
    id: 'event-loop-10mb',
    ours: round(measured.ours),
    peer: round(measured.peer),
    peerName: 'node-soap 1.13.0 xmlToObject',
    unit: 'ms (longest stall)',
    ratio: round(measured.peer / measured.ours, 1),
    goal: 5,
    notes: { bytes: Buffer.byteLength(xml) },
  };
}
