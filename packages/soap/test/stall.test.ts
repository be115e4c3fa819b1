/**
 * A 300 KiB adversarial message of each shape (test/adversarial.ts) is handled in well under a
 * second without stalling the event loop for more than 100 ms: as a response through a real
 * client call over 127.0.0.1, and as a request to a SOAP handler. Times are CPU times of this
 * process (test/timing.ts), and each shape gets three attempts, so load from other processes on
 * a shared machine does not fail it; a quadratic decoder (seconds per message) fails them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoapHandler, KzError, SoapClient } from '../src/index.js';
import { type LocalServer, startLocalServer } from '../src/testing/index.js';
import { adversarialMeta, requestEnvelope, responseEnvelope, shapes, sizeFor } from './adversarial.js';
import { type Measured, measureStalls } from './timing.js';

const SIZE = 300 * 1024;
const MAX_MS = 1000;
const MAX_STALL_MS = 100;
const ATTEMPTS = 3;

async function bestOf(work: () => Promise<unknown>): Promise<Measured<unknown>> {
  let best: Measured<unknown> | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const result = await measureStalls(work);
    if (!best || result.stallMs + result.cpuMs < best.stallMs + best.cpuMs) best = result;
    if (best.cpuMs < MAX_MS && best.stallMs < MAX_STALL_MS) break;
  }
  return best as Measured<unknown>;
}

/** A value, or a typed error: never anything else. */
function expectTypedOutcome(outcome: unknown): void {
  if (outcome instanceof Error) expect(outcome).toBeInstanceOf(KzError);
  else expect(outcome).toBeTypeOf('object');
}

let current = '';
let responses: LocalServer;
let handler: LocalServer;

beforeAll(async () => {
  responses = await startLocalServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(current));
  });
  handler = await startLocalServer(
    createSoapHandler(adversarialMeta, { Get: (input: never) => ({ result: { name: typeof input } }) }),
  );
});

afterAll(async () => {
  await responses.close();
  await handler.close();
});

describe.each(shapes.filter((shape) => shape.maxDepth === undefined).map((shape) => [shape.name, shape] as const))(
  '300 KiB of %s',
  (_name, shape) => {
    const parts = shape.build(sizeFor(shape, SIZE));

    it('as a response through a client call over HTTP', async () => {
      current = responseEnvelope(parts);
      const client = new SoapClient(adversarialMeta, { endpoint: responses.url, timeoutMs: 10_000 });
      const result = await bestOf(() => client.invoke('Get', {}));
      client.close();
      expectTypedOutcome(result.outcome);
      expect(result.cpuMs).toBeLessThan(MAX_MS);
      expect(result.stallMs).toBeLessThan(MAX_STALL_MS);
    }, 120_000);

    it('as a request to a SOAP handler', async () => {
      const body = requestEnvelope(parts);
      const result = await bestOf(async () => {
        const response = await fetch(handler.url, {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
          body,
        });
        return { status: response.status, text: await response.text() };
      });
      const { status, text } = result.outcome as { status: number; text: string };
      expect([200, 500]).toContain(status);
      expect(text).toMatch(/<soap:Envelope/);
      expect(result.cpuMs).toBeLessThan(MAX_MS);
      expect(result.stallMs).toBeLessThan(MAX_STALL_MS);
    }, 120_000);
  },
);
