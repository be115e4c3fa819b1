/**
 * Known secret values (passwords, PINs, private keys, certificates) against servers that echo
 * everything back in faults, HTML pages and headers: no error message, stack, fault detail,
 * hook payload or log line of any package may contain them.
 */
import { inspect } from 'node:util';
import { createEsfClient } from '@kz/esf';
import { createShepClient } from '@kz/shep';
import { RsaSha256Signer } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import type { RequestEvent, ResponseEvent } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'Pa$$w0rd<&>"-секрет-7391';
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

function leaked(seen: unknown): string[] {
  const text = typeof seen === 'string' ? seen : `${JSON.stringify(seen)}\n${inspect(seen, { depth: 8 })}`;
  const forms = SECRETS.flatMap((s) => [
    s,
    encodeURIComponent(s),
    Buffer.from(s).toString('base64'),
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;'),
  ]);
  return forms.filter((form) => text.includes(form));
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
