/**
 * The conventions the runtime gives every package: SoapClient needs an endpoint (or an explicit
 * opt-in to the contract's address), one `poll` with one option vocabulary, one WaitTimeoutError
 * carrying what is needed to resume, and a closed list of error codes.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  KZ_ERROR_CODES,
  KzError,
  type KzErrorCode,
  poll,
  SoapClient,
  type Transport,
  TransportError,
  WaitTimeoutError,
} from '../src/index.js';
import { testMeta } from './meta.js';

const urls: string[] = [];
const recording: Transport = {
  async send(request) {
    urls.push(request.url);
    throw new Error('not sent');
  },
};

describe('SoapClient endpoint', () => {
  it('without endpoint is CONFIG_ERROR naming the option, even when the contract has an address', () => {
    expect(testMeta.defaultEndpoint).toBeDefined();
    const error = (() => {
      try {
        new SoapClient(testMeta, { transport: recording });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(KzError);
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', message: 'SoapClient: endpoint is required' });
  });

  it('a non-http(s) endpoint is CONFIG_ERROR', () => {
    expect(() => new SoapClient(testMeta, { endpoint: 'ftp://h/x' })).toThrow(/SoapClient: endpoint is not an http/);
  });

  it("useContractEndpoints: true is the explicit opt-in to the contract's address", () => {
    const client = new SoapClient(testMeta, { useContractEndpoints: true, transport: recording });
    expect(client.endpoint).toBe(testMeta.defaultEndpoint);
    const pinned = new SoapClient(testMeta, { endpoint: 'http://127.0.0.1:9/mine', useContractEndpoints: true });
    expect(pinned.endpoint).toBe('http://127.0.0.1:9/mine');
    const { defaultEndpoint: _, ...noAddress } = testMeta;
    expect(() => new SoapClient(noAddress, { useContractEndpoints: true })).toThrow(/the contract gives no address/);
  });
});

describe('poll', () => {
  const context = { service: 'Svc', operation: 'status' };
  const spec = (maybeDelivered = false) => ({
    context,
    defaults: { intervalMs: 1, timeoutMs: 1000 },
    maybeDelivered,
    resume: (last: number | undefined) => ({ messageId: 'm-1', lastSeen: last }),
  });

  it('checks until done, reporting every check to onProgress', async () => {
    let n = 0;
    const seen: number[] = [];
    const result = await poll(
      async () => ({ done: ++n === 3, progress: n }),
      { intervalMs: 1, onProgress: (p) => seen.push(p) },
      spec(),
    );
    expect(result).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('runs out with WaitTimeoutError WAIT_TIMEOUT carrying what resumes the wait, after a last check', async () => {
    let n = 0;
    const error = await poll(
      async () => ({ done: false, progress: ++n }),
      { intervalMs: 5, timeoutMs: 30 },
      spec(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toBeInstanceOf(KzError);
    const timeout = error as WaitTimeoutError<{ messageId: string; lastSeen: number | undefined }, number>;
    expect(timeout.code).toBe('WAIT_TIMEOUT');
    expect(timeout.timeoutMs).toBe(30);
    expect(timeout.resume).toEqual({ messageId: 'm-1', lastSeen: n });
    expect(timeout.last).toBe(n);
    expect(timeout.message).toBe('Svc.status: not done within 30 ms');
  });

  it('an abort is TransportError ABORTED with the wait’s maybeDelivered, and leaves no listener', async () => {
    const controller = new AbortController();
    let n = 0;
    const check = async () => {
      if (++n === 2) controller.abort();
      return { done: false, progress: n };
    };
    const error = await poll(check, { intervalMs: 1, signal: controller.signal }, spec(true)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: true });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an abort during a long pause: at once, one check, no listener left', async () => {
    const controller = new AbortController();
    let checks = 0;
    const started = Date.now();
    const error = await poll(
      async () => {
        checks++;
        setTimeout(() => controller.abort(), 10);
        return { done: false, progress: checks };
      },
      { intervalMs: 60_000, timeoutMs: 120_000, signal: controller.signal },
      spec(),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: false, operation: 'status' });
    expect(checks).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a timeout signal is TIMEOUT; an aborted signal stops before any check', async () => {
    const error = await poll(
      async () => ({ done: false, progress: 0 }),
      { intervalMs: 60_000, timeoutMs: 120_000, signal: AbortSignal.timeout(20) },
      spec(),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', maybeDelivered: false });
    let checks = 0;
    const stopped = await poll(
      async () => ({ done: ++checks > 0, progress: checks }),
      { signal: AbortSignal.abort() },
      spec(),
    ).catch((e: unknown) => e);
    expect(stopped).toMatchObject({ code: 'ABORTED' });
    expect(checks).toBe(0);
  });

  it('many checks leave at most one listener on the signal, none at the end', async () => {
    const controller = new AbortController();
    let most = 0;
    let checks = 0;
    const result = await poll(
      async () => {
        most = Math.max(most, getEventListeners(controller.signal, 'abort').length);
        return { done: ++checks === 200, progress: checks };
      },
      { intervalMs: 1, timeoutMs: 60_000, signal: controller.signal },
      spec(),
    );
    expect(result).toBe(200);
    expect(most).toBeLessThanOrEqual(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an error of a check ends the wait as it is', async () => {
    const failure = new KzError(context, 'DECODE_ERROR', 'bad');
    await expect(poll(() => Promise.reject(failure), {}, spec())).rejects.toBe(failure);
  });
});

describe('error codes', () => {
  it('are a closed list: the union is exactly the listed codes, with no open string', () => {
    expectTypeOf<'SOAP_FAULT'>().toExtend<KzErrorCode>();
    expectTypeOf<string>().not.toExtend<KzErrorCode>();
    const all = Object.values(KZ_ERROR_CODES).flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain('WAIT_TIMEOUT');
    expect(all).toContain('CONFIG_ERROR');
  });
});
