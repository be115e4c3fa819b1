/**
 * Transport-signature verification is bounded: a size cap, an element cap and the WS-Security
 * structure are checked by one linear pass of @kz/soap's scanner before any DOM is built, so a
 * hostile body costs what reading it costs. Measured against the receiver and the client with
 * 15 MiB bodies (memory, event-loop stall). A refused answer signature is a final SignatureError,
 * never retried.
 */
import http from 'node:http';
import { createTestIdentity } from '@kz/signing/testing';
import { buildEnvelope, SignatureError, type Transport, TransportError } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

// Megabytes of XML on a shared machine: generous per-test time (the bounds asserted are separate).
vi.setConfig({ testTimeout: 60_000 });

import {
  createShepClient,
  createShepReceiver,
  MAX_SIGNED_ENVELOPE_ELEMENTS,
  signEnvelope,
  type VerifyEnvelopeOptions,
  verifyEnvelope,
  verifyEnvelopeAsync,
  XmlSignatureFailure,
} from '../src/index.js';

const gateway = createTestIdentity({ commonName: 'SHEP GATEWAY' });
const trust: VerifyEnvelopeOptions = { trustedCertificates: [gateway.certificatePem] };
const MIB = 1024 * 1024;

const answer = (inner: string) =>
  buildEnvelope('1.1', {
    headers: [],
    body: `<ns2:getMessageStatusResponse xmlns:ns2="http://bip.bee.kz/AsyncChannel/v10/Types">${inner}</ns2:getMessageStatusResponse>`,
  });
const signed = await signEnvelope(answer('<response/>'), gateway.signer);

/** The signed envelope with its Body content replaced (the signature header copied as is). */
function withBodyContent(content: string): string {
  return signed.replace(
    /(<soap:Body[^>]*>)[\s\S]*(<\/soap:Body>)/,
    (_m, open: string, close: string) => open + content + close,
  );
}

/** `unit` repeated to about `bytes`. */
const fill = (unit: string, bytes: number) => unit.repeat(Math.floor(bytes / unit.length));

/** Hostile bodies of 15 MiB (over the size cap) and 7 MiB (under it: the element cap refuses them). */
const HOSTILE: Record<string, string> = {};
for (const mib of [15, 7]) {
  HOSTILE[`${mib} MiB of empty elements, no signature`] = buildEnvelope('1.1', {
    headers: [],
    body: fill('<a/>', mib * MIB),
  });
  HOSTILE[`${mib} MiB of empty elements behind a copied, valid signature header`] = withBodyContent(
    fill('<a/>', mib * MIB),
  );
  HOSTILE[`${mib} MiB of nested elements behind a copied signature header`] = withBodyContent(
    fill('<b><c/></b>', mib * MIB),
  );
}

/** Well-shaped, signed by another key, with the gateway's certificate put in its token. */
const forgedSmall = (
  await signEnvelope(answer('<response/>'), createTestIdentity({ commonName: 'FORGER' }).signer)
).replace(
  /(<wsse:BinarySecurityToken[^>]*>)[^<]*/,
  (_m, open: string) => open + gateway.certificatePem.replace(/-----[^-]+-----|\s/g, ''),
);
/** The forged message with `content` in its Body: within the caps. */
function forged(content: string): string {
  return forgedSmall.replace(
    /(<soap:Body[^>]*>)[\s\S]*(<\/soap:Body>)/,
    (_m, open: string, close: string) => open + content + close,
  );
}

/** Every DOM xmldom builds, by the length of its input. */
const domInputs: number[] = [];
const parse = DOMParser.prototype.parseFromString;
DOMParser.prototype.parseFromString = function (this: DOMParser, source: string, mimeType?: string) {
  domInputs.push(source.length);
  return parse.call(this, source, mimeType);
};
afterAll(() => {
  DOMParser.prototype.parseFromString = parse;
});
afterEach(() => {
  domInputs.length = 0;
});
const domCount = () => domInputs.length;

function refusedBeforeDom(run: () => unknown, reason: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(XmlSignatureFailure);
  expect((error as Error).message).toMatch(reason);
  expect(domCount()).toBe(0);
}

describe('the pre-pass refuses before any DOM is built', () => {
  it('a genuine answer still verifies (the DOM is built for it)', async () => {
    expect(verifyEnvelope(signed, trust)).toMatchObject({ signed: true });
    await expect(verifyEnvelopeAsync(signed, trust)).resolves.toMatchObject({ signed: true });
    expect(domCount()).toBeGreaterThan(0);
  });

  it.each(Object.entries(HOSTILE))('%s', async (_name, xml) => {
    refusedBeforeDom(() => verifyEnvelope(xml, trust), /exceeds the \d+-byte limit|more than \d+ elements/);
    await expect(verifyEnvelopeAsync(xml, trust)).rejects.toBeInstanceOf(XmlSignatureFailure);
    expect(domCount()).toBe(0);
  });

  it('a forged signature within the caps: refused on SignedInfo, no DOM of the message', async () => {
    for (const content of [fill('<a/>', 36_000), `<t>${'x'.repeat(7 * MIB)}</t>`]) {
      const xml = forged(content);
      domInputs.length = 0;
      await expect(verifyEnvelopeAsync(xml, trust)).rejects.toThrow('the signature value does not verify');
      // Only SignedInfo (about a kilobyte) was given to xmldom.
      expect(domInputs.every((length) => length < 4096)).toBe(true);
    }
  });

  it('more bytes or elements than the caps', () => {
    refusedBeforeDom(() => verifyEnvelope(signed, { ...trust, maxBytes: 1000 }), /exceeds the 1000-byte limit/);
    refusedBeforeDom(() => verifyEnvelope(signed, { ...trust, maxElements: 5 }), /more than 5 elements/);
    const justOver = withBodyContent(fill('<a/>', 4 * MAX_SIGNED_ENVELOPE_ELEMENTS));
    refusedBeforeDom(() => verifyEnvelope(justOver, trust), /more than \d+ elements/);
  });

  it('a structure that is not one signature over the Body', () => {
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)?.[0] as string;
    const security = /<wsse:Security[\s\S]*<\/wsse:Security>/.exec(signed)?.[0] as string;
    const reference = /<ds:Reference[\s\S]*?<\/ds:Reference>/.exec(signed)?.[0] as string;
    const bodyId = /wsu:Id="(id-[^"]+)"/.exec(signed)?.[1] as string;
    const cases: [string, string, RegExp][] = [
      ['two signatures', signed.replace(signature, signature + signature), /exactly one ds:Signature/],
      ['two Security headers', signed.replace(security, security + security), /more than one wsse:Security/],
      ['a reference elsewhere', signed.replace(`URI="#${bodyId}"`, 'URI="#elsewhere"'), /does not cover the Body/],
      ['too many references', signed.replace(reference, reference.repeat(6)), /References/],
      [
        'the Body id on another element too',
        withBodyContent(
          `<x xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" wsu:Id="${bodyId}"/>`,
        ),
        /not unique/,
      ],
      ['no Body id', signed.replace(/ wsu:Id="id-[^"]+"/, ''), /no wsu:Id/],
      ['not an envelope', '<a/>', /not a SOAP envelope/],
      ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY e "e">]>${signed}`, /malformed XML/],
    ];
    for (const [name, xml, reason] of cases) {
      domInputs.length = 0;
      expect({ name, refused: true }).toEqual({ name, refused: true });
      refusedBeforeDom(() => verifyEnvelope(xml, trust), reason);
    }
  });

  it('an unsigned fault is accepted when allowed, without a DOM', () => {
    const fault = buildEnvelope('1.1', {
      headers: [],
      body: '<soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring></soap:Fault>',
    });
    expect(verifyEnvelope(fault, { ...trust, allowUnsignedFault: true })).toEqual({ signed: false });
    expect(domCount()).toBe(0);
  });
});

/** Runs `work` while sampling the event loop (longest gap between 2 ms ticks) and the RSS peak. */
async function measure<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number; rssGrowthMiB: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  let last = performance.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  const result = await work();
  await new Promise((resolve) => setTimeout(resolve, 20)); // one more tick after the work
  clearInterval(tick);
  return { result, stallMs, rssGrowthMiB: (peak - base) / MIB };
}

describe('hostile bodies against verification, the receiver and the client: stall and memory', () => {
  it('verification itself stalls no longer than decoding the bytes as UTF-8, plus 100 ms', async () => {
    const bodies = [...Object.values(HOSTILE), forged(`<t>${'x'.repeat(7 * MIB)}</t>`)].map((x) => Buffer.from(x));
    for (const body of bodies) {
      // The reader turns the bytes into text in one step (the scan after it yields): measured
      // side by side, the least disturbed of three runs, so that a loaded machine moves both.
      let decodeMs = 0;
      let stallMs = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        body.toString('utf8');
        decodeMs = Math.max(decodeMs, performance.now() - started);
        const measured = await measure(() => verifyEnvelopeAsync(body, trust).catch((e: unknown) => e));
        expect(measured.result).toBeInstanceOf(XmlSignatureFailure);
        stallMs = Math.min(stallMs, measured.stallMs);
      }
      expect(stallMs).toBeLessThan(100 + 2 * decodeMs);
    }
  });

  // End to end, the 15 MiB also cross HTTP in this process (and this machine is shared): the
  // bounds are far below what the DOM-first verification cost (over 60 s, over 2 GB).
  const body = Buffer.from(HOSTILE['15 MiB of empty elements behind a copied, valid signature header'] as string);

  it('the receiver answers with a fault, without stalling or swelling', async () => {
    const errors: Error[] = [];
    const server = await startLocalServer(
      createShepReceiver({ verify: trust, onMessage() {}, onError: (e) => errors.push(e) }),
    );
    try {
      const { result, stallMs, rssGrowthMiB } = await measure(
        () =>
          new Promise<string>((resolve, reject) => {
            const req = http.request(server.url, { method: 'POST', headers: { 'content-type': 'text/xml' } }, (res) => {
              let text = '';
              res.on('data', (c: Buffer) => {
                text += c.toString();
              });
              res.on('end', () => resolve(`${res.statusCode} ${text}`));
            });
            req.on('error', reject);
            req.end(body);
          }),
      );
      expect(result).toMatch(/^500 .*transport signature refused/);
      expect(errors[0]).toBeInstanceOf(SignatureError);
      expect(stallMs).toBeLessThan(1000);
      expect(rssGrowthMiB).toBeLessThan(300);
      console.log(`receiver, 15 MiB hostile body: stall ${stallMs.toFixed(0)} ms, RSS +${rssGrowthMiB.toFixed(0)} MiB`);
    } finally {
      await server.close();
    }
  });

  it('the client refuses the answer with a SignatureError, without stalling or swelling', async () => {
    const server = await startLocalServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(body));
    });
    const shep = createShepClient({ endpoint: server.url, senderId: 'bank', verify: trust });
    try {
      const { result, stallMs, rssGrowthMiB } = await measure(() =>
        shep.async.getMessageStatus('m-1').catch((e: unknown) => e),
      );
      expect(result).toBeInstanceOf(SignatureError);
      expect(stallMs).toBeLessThan(1000);
      expect(rssGrowthMiB).toBeLessThan(300);
      console.log(`client, 15 MiB hostile answer: stall ${stallMs.toFixed(0)} ms, RSS +${rssGrowthMiB.toFixed(0)} MiB`);
    } finally {
      shep.close();
      await server.close();
    }
  });
});

describe('a refused answer signature is final', () => {
  it('SignatureError (SIGNATURE_ERROR, maybe delivered), never retried, even with retries on', async () => {
    let requests = 0;
    const stranger = createTestIdentity({ commonName: 'NOT THE GATEWAY' });
    const forged = await signEnvelope(
      answer(
        '<response><messageState>DELIVERED</messageState><status><statusCode>OK</statusCode><statusMessage>ok</statusMessage><statusDate>2024-01-01T00:00:00Z</statusDate></status><responseDate>2024-01-01T00:00:00Z</responseDate><sessionId>s</sessionId></response>',
      ),
      stranger.signer,
    );
    const server = await startLocalServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(forged));
    });
    const shep = createShepClient({
      endpoint: server.url,
      senderId: 'bank',
      verify: trust,
      retry: { attempts: 4, baseDelayMs: 1 },
    });
    try {
      const error = await shep.async.getMessageStatus('m-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SignatureError);
      expect(error).toMatchObject({ code: 'SIGNATURE_ERROR', maybeDelivered: true, operation: 'getMessageStatus' });
      expect((error as Error).message).toContain('unexpected certificate');
      expect(requests).toBe(1);
    } finally {
      shep.close();
      await server.close();
    }
  });
});

describe("verification is inside the call's timeout and signal", () => {
  it('an abort while the pre-pass reads the answer is ABORTED (maybe delivered), not a refusal', async () => {
    const controller = new AbortController();
    // The forged answer would be refused (SignatureError) if verification ran to its end.
    const body = Buffer.from(forged(fill('<a/>', 200_000)));
    const transport: Transport = {
      async send() {
        controller.abort();
        return { status: 200, headers: { 'content-type': 'text/xml' }, body };
      },
    };
    const shep = createShepClient({ endpoint: 'http://127.0.0.1:9/', senderId: 'bank', verify: trust, transport });
    try {
      const error = await shep.async
        .getMessageStatus('m-1', {}, { signal: controller.signal })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: true });
      expect((error as Error).message).toContain('while verifying the response');
    } finally {
      shep.close();
    }
  });
});
