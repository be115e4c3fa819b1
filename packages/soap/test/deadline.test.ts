/**
 * The per-call timeout and AbortSignal cover the whole exchange, the security policy's check of
 * the response and decoding included: a response that takes long to read ends in TIMEOUT or
 * ABORTED (maybeDelivered: the server answered), at about the deadline, not when reading it would
 * have finished.
 */
import { describe, expect, it } from 'vitest';
import {
  parseXml,
  type SecurityPolicy,
  SoapClient,
  type Transport,
  TransportError,
  type VerifyContext,
} from '../src/index.js';
import { ADV, adversarialMeta } from './adversarial.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
/** About 16 MB of valid items: far longer to decode than the deadlines below. */
const big = Buffer.from(
  `<s:Envelope xmlns:s="${SOAP11}"><s:Body><GetResponse xmlns="${ADV}"><result>${'<item id="1"><name>an item of the list</name></item>'.repeat(300_000)}</result></GetResponse></s:Body></s:Envelope>`,
);

function replayAfter(delayMs: number): Transport {
  return {
    send: () =>
      new Promise((resolve) =>
        setTimeout(() => resolve({ status: 200, headers: { 'content-type': 'text/xml' }, body: big }), delayMs),
      ),
  };
}

describe('decoding is inside the deadline', () => {
  it('a timeout lands during a long decode', async () => {
    const client = new SoapClient(adversarialMeta, {
      useContractEndpoints: true,
      transport: replayAfter(20),
      timeoutMs: 150,
    });
    const started = performance.now();
    const error = await client.invoke('Get', {}).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'TIMEOUT', maybeDelivered: true });
    expect(elapsed).toBeLessThan(1500);
  });

  it('an abort lands during a long decode', async () => {
    const client = new SoapClient(adversarialMeta, { useContractEndpoints: true, transport: replayAfter(0) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    const started = performance.now();
    const error = await client.invoke('Get', {}, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: true });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('the same response decodes in full without a deadline (the cases above are not failing for another reason)', async () => {
    const client = new SoapClient(adversarialMeta, {
      useContractEndpoints: true,
      transport: replayAfter(0),
      timeoutMs: 120_000,
    });
    const value = (await client.invoke('Get', {})) as { result: { items: unknown[] } };
    expect(value.result.items).toHaveLength(300_000);
  }, 120_000);
});

/** A policy that reads the whole response with the scanner, as SHEP's signature pre-pass does. */
function scanningPolicy(seen: VerifyContext[]): SecurityPolicy {
  return {
    secrets: () => [],
    async verifyResponse(response, context) {
      seen.push(context);
      await parseXml(
        response.body,
        { open() {}, text() {}, close() {} },
        {
          ...(context.deadline !== undefined ? { deadline: context.deadline } : {}),
          ...(context.signal ? { signal: context.signal } : {}),
        },
      );
    },
  };
}

describe("the security policy's check of the response is inside the deadline", () => {
  it('a timeout lands during the check: TIMEOUT, not a refusal', async () => {
    const seen: VerifyContext[] = [];
    const client = new SoapClient(adversarialMeta, {
      useContractEndpoints: true,
      transport: replayAfter(20),
      timeoutMs: 100,
      security: scanningPolicy(seen),
    });
    const started = performance.now();
    const error = await client.invoke('Get', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'TIMEOUT', maybeDelivered: true });
    expect((error as Error).message).toContain('while verifying the response');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(seen[0]?.deadline).toBeTypeOf('number');
  });

  it('an abort lands during the check: ABORTED', async () => {
    const client = new SoapClient(adversarialMeta, {
      useContractEndpoints: true,
      transport: replayAfter(0),
      security: scanningPolicy([]),
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await client.invoke('Get', {}, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: true });
    expect((error as Error).message).toContain('while verifying the response');
  });
});
