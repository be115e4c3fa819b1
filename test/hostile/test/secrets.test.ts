/**
 * Known secret values (passwords, PINs, private keys, certificates, tokens, credentials in
 * headers) against servers that echo everything back in faults, HTML pages, JSON and headers, in
 * every encoding a secret takes on the wire: no error message, stack, fault detail, hook payload
 * or log line of any package may contain them, whole or in part.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { serviceMeta as alsecoMeta, createAlsecoClient } from '@kz/alseco';
import { createEsfClient } from '@kz/esf';
import { createShepClient } from '@kz/shep';
import { RsaSha256Signer } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import { type KzError, type RequestEvent, type ResponseEvent, SoapServiceCodec } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { createTrueApiClient } from '@kz/true-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Every character a password may hold that some encoding changes: & < > " ' % + space, non-ASCII. */
const PASSWORD = `Pa$$ w0rd<&>"'%+-секрет-7391`;
const identity = createTestIdentity({ commonName: 'SECRET HOLDER' });
// A line from the end of the PKCS#8 key: the private primes (its first lines hold the public
// modulus, which the certificate carries too).
const keyLines = identity.privateKeyPem.trim().split('\n');
const PRIVATE_KEY_BODY = keyLines[keyLines.length - 4] as string;
const SECRETS = [PASSWORD, PRIVATE_KEY_BODY, identity.pkcs12Password];

/** Echo servers: every byte received comes back in a fault, an HTML page, or a header. */
let echoFault: Awaited<ReturnType<typeof startLocalServer>>;
let echoHtml: Awaited<ReturnType<typeof startLocalServer>>;
beforeAll(async () => {
  const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  echoFault = await startLocalServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      res.writeHead(500, { 'content-type': 'text/xml', 'x-echo': encodeURIComponent(body.slice(0, 2000)) });
      res.end(
        `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>rejected: ${escapeXml(body)}</faultstring><detail><echo>${escapeXml(body)}</echo></detail></s:Fault></s:Body></s:Envelope>`,
      );
    });
  });
  echoHtml = await startLocalServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      res.writeHead(502, { 'content-type': 'text/html' }).end(`<html>${Buffer.concat(chunks).toString()}</html>`),
    );
  });
});
afterAll(async () => {
  await echoFault.close();
  await echoHtml.close();
});

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlQuotes = (s: string) => xml(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const numeric = (s: string) =>
  [...xmlQuotes(s)].map((c) => ((c.codePointAt(0) as number) > 127 ? `&#${c.codePointAt(0)};` : c)).join('');
const jsonText = (s: string) => JSON.stringify(s).slice(1, -1);
const jsonAscii = (s: string) =>
  jsonText(s).replace(/[\u007f-\uffff<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const base64 = (s: string) => Buffer.from(s).toString('base64');

/** The forms servers echo a text in: each of them is a way a secret can come back. */
const ENCODINGS: Record<string, (s: string) => string> = {
  raw: (s) => s,
  'XML-escaped': xml,
  'XML-escaped twice': (s) => xml(xml(s)),
  'XML-escaped three times': (s) => xml(xml(xml(s))),
  'XML-escaped with quotes': xmlQuotes,
  'numeric references': numeric,
  'percent-encoded': encodeURIComponent,
  'percent-encoded, lower case': (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
  'form-encoded': (s) => new URLSearchParams({ v: s }).toString().slice(2),
  base64,
  'JSON string': jsonText,
  'JSON with \\u escapes': jsonAscii,
};

/** Every form of every secret, and the first half of each (a secret cut at an excerpt's end). */
function secretForms(secrets: readonly string[]): string[] {
  const forms = secrets.flatMap((secret) => Object.values(ENCODINGS).map((encode) => encode(secret)));
  return [
    ...new Set([...forms, ...forms.map((f) => f.slice(0, Math.ceil(f.length / 2))).filter((f) => f.length >= 8)]),
  ];
}

function leaked(seen: unknown, secrets: readonly string[] = SECRETS): string[] {
  const text = typeof seen === 'string' ? seen : `${JSON.stringify(seen)}\n${inspect(seen, { depth: 8 })}`;
  return secretForms(secrets).filter((form) => text.includes(form));
}

/** What a server received, echoed in every encoding at once. */
function echoAll(received: string): string {
  return Object.values(ENCODINGS)
    .map((encode) => encode(received))
    .join('\n');
}

/** The request's body and headers, as one text to echo. */
function receivedOf(req: IncomingMessage, body: Buffer): string {
  return `${JSON.stringify(req.headers)}\n${body.toString('utf8')}`;
}

function everything(error: unknown, events: unknown[]): unknown[] {
  const e = error as Error & Record<string, unknown>;
  return [e?.message, e?.stack, { ...e }, inspect(e, { depth: 8 }), events];
}

describe('secrets never leave the client', () => {
  it('the key line under test is private material', () => {
    expect(identity.certificatePem.replace(/\n/g, '')).not.toContain(PRIVATE_KEY_BODY);
    expect(PRIVATE_KEY_BODY).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
  });

  it.each([
    ['a fault echoing the request', () => echoFault.url],
    ['an HTML page echoing the request', () => echoHtml.url],
  ])('@kz/esf password: %s', async (_name, url) => {
    const events: (RequestEvent | ResponseEvent)[] = [];
    const esf = createEsfClient({
      checkIdentifiers: false,
      // The SessionService URL names the other ESF services' folder (createEsfClient refuses one that does not).
      endpoint: `${url()}/esf-web/ws/api1/SessionService`,
      username: '123456789011',
      password: PASSWORD,
      hooks: { onRequest: (e) => events.push(e), onResponse: (e) => events.push(e) },
    });
    const error = await esf
      .openSession({ tin: '123456789021', x509Certificate: identity.certificatePem })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(events.length).toBeGreaterThan(0);
    expect((events[0] as RequestEvent).body).toContain('***');
    expect(leaked(everything(error, events))).toEqual([]);
  });

  it.each([
    ['a fault echoing the request', () => echoFault.url],
    ['an HTML page echoing the request', () => echoHtml.url],
  ])('@kz/shep password and signing key: %s', async (_name, url) => {
    const events: (RequestEvent | ResponseEvent)[] = [];
    const shep = createShepClient({
      endpoint: url(),
      senderId: 'bank-system',
      password: PASSWORD,
      signer: identity.signer,
      // The echo servers sign nothing: verification would stop before the leak this test looks for.
      verify: false,
      hooks: { onRequest: (e) => events.push(e), onResponse: (e) => events.push(e) },
    });
    const error = await shep.sync.send({ serviceId: 'SONO_FNO_SEND', data: '<form/>' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(events.length).toBeGreaterThan(0);
    expect(leaked(everything(error, events))).toEqual([]);
  });

  it('a signer shows no key material, and a wrong PKCS#12 password is not in the error', () => {
    const signer = RsaSha256Signer.fromPem(identity.privateKeyPem, identity.certificatePem);
    expect(leaked([JSON.stringify(signer), inspect(signer, { depth: 8, showHidden: true }), String(signer)])).toEqual(
      [],
    );
    const wrong = `${identity.pkcs12Password}-x`;
    const error = (() => {
      try {
        RsaSha256Signer.fromPkcs12(identity.pkcs12, wrong);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/PKCS#12/);
    expect(`${error?.message}${error?.stack}`).not.toContain(wrong);
  });
});

describe('echoed in every encoding, wherever the server puts it', () => {
  // Header values are ASCII: the password (in Basic) carries the non-ASCII part.
  const API_KEY = `k3y-&<>"'%+ 9f8e7d`;
  const BASIC = `Basic ${base64(`bank-user:${PASSWORD}`)}`;
  // A header value: visible ASCII, with what encodings change.
  const TOKEN = `opaque+T0k/en=&<>"'%x`;
  const ALL = [...SECRETS, API_KEY, BASIC.slice(6), `bank-user:${PASSWORD}`, TOKEN];

  /** Echo server: the mode is the first path segment; True API's login is served under /ta/<mode>. */
  let echo: Awaited<ReturnType<typeof startLocalServer>>;
  beforeAll(async () => {
    echo = await startLocalServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const received = receivedOf(req, Buffer.concat(chunks));
        const all = echoAll(received);
        const path = req.url ?? '';
        const mode = path.split('/')[path.startsWith('/ta/') ? 2 : 1];
        const echoHeaders = {
          'x-echo': encodeURIComponent(received).slice(0, 8000),
          'set-cookie': `s=${base64(received).slice(0, 500)}`,
        };
        if (path.endsWith('/auth/key'))
          return void res
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"uuid":"u-1","data":"challenge"}');
        if (path.endsWith('/auth/simpleSignIn'))
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN }));
        const soapFault = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>rejected: ${xml(all)}</faultstring><detail><echo>${xml(all)}</echo></detail></s:Fault></s:Body></s:Envelope>`;
        switch (mode) {
          case 'alseco-result': {
            // A well-formed answer whose value starts with the decoded Basic credentials.
            const credentials = Buffer.from(String(req.headers.authorization).slice(6), 'base64').toString('utf8');
            const codec = new SoapServiceCodec(alsecoMeta);
            const { operation } = await codec.decodeRequest(Buffer.concat(chunks));
            const answer = { GetCurrentPeriodResult: `${credentials} ${all}` };
            return void res
              .writeHead(200, { 'content-type': 'text/xml' })
              .end(codec.encodeResponse(operation, answer, '1.1'));
          }
          case 'soap-fault':
            return void res.writeHead(500, { 'content-type': 'text/xml', ...echoHeaders }).end(soapFault);
          case 'soap-ok':
            return void res
              .writeHead(200, { 'content-type': 'text/xml', ...echoHeaders })
              .end(
                `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><echo>${xml(all)}</echo></s:Body></s:Envelope>`,
              );
          case 'html-cut':
            // The secrets start around the excerpt's cut point (512 characters).
            return void res
              .writeHead(502, { 'content-type': 'text/html', ...echoHeaders })
              .end(`${'.'.repeat(505)}${all}`);
          case 'html':
            return void res.writeHead(502, { 'content-type': 'text/html', ...echoHeaders }).end(`<html>${all}</html>`);
          case 'json200':
            return void res
              .writeHead(200, { 'content-type': 'application/json', ...echoHeaders })
              .end(`<html>${all}</html>`);
          default: {
            const status = Number(mode?.replace('json', '')) || 500;
            return void res
              .writeHead(status, { 'content-type': 'application/json', ...echoHeaders })
              .end(JSON.stringify({ error_message: all, detail: all }));
          }
        }
      });
    });
  });
  afterAll(() => echo.close());

  const SOAP_MODES = ['soap-fault', 'soap-ok', 'html', 'html-cut'];
  type Events = unknown[];
  const soapHooks = (events: Events) => ({
    onRequest: (e: RequestEvent) => events.push(e),
    onResponse: (e: ResponseEvent) => events.push(e),
    onError: (e: { error: KzError }) => events.push(e),
  });

  it.each([...SOAP_MODES, 'alseco-result'])('@kz/alseco, HTTP Basic and an API key in `headers`: %s', async (mode) => {
    const events: Events = [];
    const alseco = createAlsecoClient({
      endpoint: `${echo.url}/${mode}/AlsecoPaymentsService.asmx`,
      bankCode: 'ALSC',
      headers: { authorization: BASIC, 'x-api-key': API_KEY },
      hooks: soapHooks(events),
    });
    const error = await alseco.getCurrentPeriod().catch((e: unknown) => e);
    alseco.operations.soap.close();
    expect(error).toBeInstanceOf(Error);
    expect(events.some((e) => 'durationMs' in (e as object))).toBe(true);
    expect(leaked(everything(error, events), ALL)).toEqual([]);
  });

  it.each(SOAP_MODES)('@kz/esf UsernameToken password: %s', async (mode) => {
    const events: Events = [];
    const esf = createEsfClient({
      checkIdentifiers: false,
      endpoint: `${echo.url}/${mode}/SessionService`,
      username: '123456789011',
      password: PASSWORD,
      hooks: soapHooks(events),
    });
    const error = await esf
      .openSession({ tin: '123456789021', x509Certificate: identity.certificatePem })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(leaked(everything(error, events), ALL)).toEqual([]);
  });

  it.each(SOAP_MODES)('@kz/shep password and signing key: %s', async (mode) => {
    const events: Events = [];
    const shep = createShepClient({
      endpoint: `${echo.url}/${mode}/bip-sync/`,
      senderId: 'bank-system',
      password: PASSWORD,
      signer: identity.signer,
      // The echo servers sign nothing: verification would stop before the leak this test looks for.
      verify: false,
      hooks: soapHooks(events),
    });
    const error = await shep.sync.send({ serviceId: 'SONO_FNO_SEND', data: '<form/>' }).catch((e: unknown) => e);
    shep.close();
    expect(error).toBeInstanceOf(Error);
    expect(events.some((e) => 'durationMs' in (e as object))).toBe(true);
    expect(leaked(everything(error, events), ALL)).toEqual([]);
  });

  it.each(['json400', 'json401', 'json500', 'html', 'json200'])(
    '@kz/true-api token and key-container password: %s',
    async (mode) => {
      for (const fetchOption of [{}, { fetch: globalThis.fetch }]) {
        const events: Events = [];
        const trueApi = createTrueApiClient({
          endpoint: `${echo.url}/ta/${mode}/api/v3/true-api`,
          signer: RsaSha256Signer.fromPkcs12(identity.pkcs12, identity.pkcs12Password),
          hooks: {
            onRequest: (e) => events.push(e),
            onResponse: (e) => events.push(e),
            onLogin: (e) => events.push(e),
          },
          ...fetchOption,
        });
        const error = await trueApi.cisesInfo(['c-1']).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect(events.some((e) => (e as { uuid?: string }).uuid === 'u-1')).toBe(true);
        expect(
          events.some((e) => (e as { operation?: string }).operation === 'getCisesInfo' && 'status' in (e as object)),
        ).toBe(true);
        expect(leaked(everything(error, events), ALL)).toEqual([]);
      }
    },
  );
});
