/**
 * SoapClient against servers on 127.0.0.1 that echo what they received, in the encodings servers
 * use (escaped once or twice, percent, base64, JSON): no form of a password of the security
 * policy or of a credential passed in `headers` reaches an error, a hook payload or a log line.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpError,
  type KzError,
  type RequestEvent,
  type ResponseEvent,
  SoapClient,
  SoapFaultError,
} from '../src/index.js';
import { type LocalServer, startLocalServer } from '../src/testing/index.js';
import { testMeta } from './meta.js';

const PASSWORD = `p&ss<wo>rd"'%+ секрет`;
const TOKEN = 'tok-9f8e7d6c5b4a';
const BASIC = `Basic ${Buffer.from(`bank-user:${PASSWORD}`).toString('base64')}`;

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The forms a secret may be seen in; any one of them in an output is a leak. */
function forms(secret: string): string[] {
  return [
    secret,
    xml(secret),
    xml(xml(secret)),
    xml(xml(xml(secret))),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('base64'),
    // Parts long enough to mean something: a secret cut in half must not leave its first half.
    secret.slice(0, Math.ceil(secret.length / 2)),
    xml(xml(secret)).slice(0, Math.ceil(xml(xml(secret)).length / 2)),
  ];
}

function leaks(seen: unknown): string[] {
  const text = typeof seen === 'string' ? seen : `${JSON.stringify(seen)}\n${inspect(seen, { depth: 8 })}`;
  return [PASSWORD, TOKEN, `bank-user:${PASSWORD}`].flatMap(forms).filter((form) => text.includes(form));
}

function errorTexts(error: unknown): unknown[] {
  const e = error as Error;
  return [e.message, e.stack, { ...e }, inspect(e, { depth: 8 })];
}

/** Echo servers: the request body and headers come back in every encoding at once. */
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = JSON.stringify(req.headers);
      const echoed = [
        xml(body),
        xml(xml(body)),
        xml(headers),
        xml(xml(headers)),
        encodeURIComponent(headers),
        Buffer.from(headers).toString('base64'),
        xml(JSON.stringify(body)),
      ].join('\n');
      if (req.url === '/fault') {
        res.writeHead(500, { 'content-type': 'text/xml', 'x-echo': encodeURIComponent(headers) });
        res.end(
          `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>rejected: ${echoed}</faultstring><detail><echo>${echoed}</echo><twice>${xml(echoed)}</twice></detail></s:Fault></s:Body></s:Envelope>`,
        );
      } else if (req.url?.startsWith('/html')) {
        // The secret lands across the excerpt's cut point (512 characters).
        const shift = Number(req.url.split('/')[2] ?? 0);
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end(`${'.'.repeat(512 - shift)}${xml(xml(PASSWORD))} ${TOKEN} ${echoed}`);
      } else {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>${echoed}</x></s:Body></s:Envelope>`,
        );
      }
    });
  });
});
afterAll(() => server.close());

function client(path: string, events: unknown[]): SoapClient {
  return new SoapClient(testMeta, {
    endpoint: `${server.url}${path}`,
    headers: { authorization: BASIC, 'x-auth-token': TOKEN },
    security: {
      headers: () => [`<Token>${xml(PASSWORD)}</Token>`],
      secrets: () => [PASSWORD],
    },
    hooks: {
      onRequest: (e: RequestEvent) => events.push(e),
      onResponse: (e: ResponseEvent) => events.push(e),
      onError: (e: { error: KzError }) => events.push(e),
    },
  });
}

describe('a password and header credentials echoed back', () => {
  it('in a SOAP fault (reason and detail, escaped once and twice): hidden everywhere', async () => {
    const events: unknown[] = [];
    const soap = client('/fault', events);
    const error = (await soap.invoke('Echo', { id: '1' }).catch((e: unknown) => e)) as SoapFaultError;
    soap.close();
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error.detail).toContain('***');
    expect(events).toHaveLength(3);
    expect((events[0] as RequestEvent).headers).toMatchObject({ authorization: '***', 'x-auth-token': '***' });
    expect(leaks([...errorTexts(error), events])).toEqual([]);
  });

  it('in a response that does not decode, and in onResponse', async () => {
    const events: unknown[] = [];
    const soap = client('/ok', events);
    const error = await soap.invoke('Echo', { id: '1' }).catch((e: unknown) => e);
    soap.close();
    expect(error).toMatchObject({ code: 'DECODE_ERROR' });
    expect((events[1] as ResponseEvent).body).toContain('***');
    expect(leaks([...errorTexts(error), events])).toEqual([]);
  });

  it('in an HTML page: the excerpt is redacted before it is cut, wherever the cut falls', async () => {
    for (let shift = 0; shift <= 40; shift += 4) {
      const events: unknown[] = [];
      const soap = client(`/html/${shift}`, events);
      const error = (await soap.invoke('Echo', { id: '1' }).catch((e: unknown) => e)) as HttpError;
      soap.close();
      expect(error).toBeInstanceOf(HttpError);
      expect(error.bodyExcerpt.startsWith('.'.repeat(512 - shift))).toBe(true);
      expect(leaks([...errorTexts(error), events])).toEqual([]);
    }
  });
});
