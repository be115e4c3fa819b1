/**
 * NcaNodeSigner against a local stand-in that follows NCANode 3.x's HTTP API (paths, JSON shapes,
 * `{status, message}` refusals): requests, answers, refusals, time limits and secrets.
 */
import type http from 'node:http';
import { HttpError, KzError, SignatureError, TransportError } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENVELOPED_C14N_WITH_COMMENTS,
  envelopedSignatureCertificate,
  NcaNodeSigner,
  verifyCms,
  verifyXmlDocument,
} from '../src/index.js';
import { createTestIdentity, type NcaNodeStandIn, startNcaNodeStandIn } from '../src/testing/index.js';

const identity = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: 'IIN123456789011' });
const TICKET =
  '<authSign><timeMark>2024-05-01T10:00:00.000+06:00</timeMark><state>abc</state><iin>123456789011</iin><ttlInMinutes>30</ttlInMinutes></authSign>';

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection<T>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to fail');
}

let ncanode: NcaNodeStandIn;
let signer: NcaNodeSigner;

beforeAll(async () => {
  ncanode = await startNcaNodeStandIn();
  signer = new NcaNodeSigner({ endpoint: ncanode.url, key: identity.pkcs12, password: identity.pkcs12Password });
}, 120_000);
afterAll(async () => {
  signer.close();
  await ncanode.close();
});

describe('NcaNodeSigner', { timeout: 60_000 }, () => {
  it('signXmlDocument: POST /xml/sign returns the ticket with an enveloped signature by the key', async () => {
    const signed = await signer.signXmlDocument(TICKET);
    expect(ncanode.requests.at(-1)).toBe('/xml/sign');
    expect(signed.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="no"?><authSign>')).toBe(true);
    expect(envelopedSignatureCertificate(signed)).toBe(identity.signer.certificate);
    const verified = verifyXmlDocument(signed, { trustedCertificates: [identity.certificatePem] }, [
      ENVELOPED_C14N_WITH_COMMENTS,
    ]);
    expect(verified.certificate).toBe(identity.signer.certificate);
  });

  it('signCms: POST /cms/sign, attached and detached', async () => {
    const data = new TextEncoder().encode('challenge');
    expect(Buffer.from(verifyCms(await signer.signCms(data)).content).toString()).toBe('challenge');
    const detached = await signer.signCms(data, { detached: true });
    expect(verifyCms(detached, data).certificate).toBe(identity.signer.certificate);
    expect(() => verifyCms(detached)).toThrow(/no content/);
  });

  it('keyInfo: POST /pkcs12/info, the certificate as NCANode reads it', async () => {
    const info = await signer.keyInfo();
    expect(info.subject?.iin).toBe('123456789011');
    expect(info.valid).toBe(true);
  });

  it('a wrong password: NCANode refuses, a SignatureError naming neither password nor key', async () => {
    const password = 'wrong-pin-7431';
    const wrong = new NcaNodeSigner({ endpoint: ncanode.url, key: identity.pkcs12, password });
    const error = await rejection<Error>(wrong.signXmlDocument(TICKET));
    wrong.close();
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.message).toMatch(/Password incorrect/);
    // Sent through the request pipeline: the error names the call as every client's do.
    expect((error as SignatureError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((error as SignatureError).host).toBe(new URL(ncanode.url).host);
    const key = Buffer.from(identity.pkcs12).toString('base64');
    for (const text of [error.message, JSON.stringify(error), String(error.stack)]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(key.slice(0, 40));
    }
  });

  it('an alias the container lacks is refused with NCANode’s message', async () => {
    const aliased = new NcaNodeSigner({
      endpoint: ncanode.url,
      key: identity.pkcs12,
      password: identity.pkcs12Password,
      keyAlias: 'no-such-alias',
    });
    await expect(aliased.signXmlDocument(TICKET)).rejects.toThrow(/does not have 'no-such-alias' alias/);
    aliased.close();
  });

  it('configuration mistakes fail at construction', () => {
    const base = { key: identity.pkcs12, password: 'x' };
    for (const bad of [
      { ...base, endpoint: 'not a url' },
      { ...base, endpoint: 'ftp://127.0.0.1' },
      { ...base, endpoint: 'http://127.0.0.1:14579', key: new Uint8Array() },
      { ...base, endpoint: 'http://127.0.0.1:14579', password: '' },
    ]) {
      const error = (() => {
        try {
          new NcaNodeSigner(bad);
        } catch (e) {
          return e as KzError;
        }
      })();
      expect(error).toBeInstanceOf(KzError);
      expect(error?.code).toBe('CONFIG_ERROR');
    }
  });

  it('NCANode not running: CONNECTION_FAILED, nothing delivered', async () => {
    const server = await startLocalServer((_req, res) => res.end());
    const url = server.url;
    await server.close();
    const down = new NcaNodeSigner({ endpoint: url, key: identity.pkcs12, password: identity.pkcs12Password });
    const error = await rejection<TransportError>(down.signXmlDocument(TICKET));
    down.close();
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.maybeDelivered).toBe(false);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a slow NCANode hits the time limit (TIMEOUT)', async () => {
    const slow = await startNcaNodeStandIn({ delayMs: 2_000 });
    const client = new NcaNodeSigner({
      endpoint: slow.url,
      key: identity.pkcs12,
      password: identity.pkcs12Password,
      timeoutMs: 200,
    });
    const started = Date.now();
    const error = await rejection<TransportError>(client.signXmlDocument(TICKET));
    client.close();
    await slow.close();
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1_900);
  });

  it('a proxy error page (not NCANode JSON) is an HttpError with a bounded excerpt', async () => {
    const proxy = await startLocalServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end(`<html>${'Bad Gateway '.repeat(200)}</html>`);
    });
    const client = new NcaNodeSigner({ endpoint: proxy.url, key: identity.pkcs12, password: identity.pkcs12Password });
    const error = await rejection<HttpError>(client.signXmlDocument(TICKET));
    client.close();
    await proxy.close();
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(502);
    expect(error.bodyExcerpt.length).toBeLessThanOrEqual(300);
  });

  it('sends the key container and password as NCANode expects them', async () => {
    let seen: Record<string, unknown> | undefined;
    const spy = await startLocalServer((req: http.IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":200,"message":"OK","xml":"<a/>"}');
      });
    });
    const client = new NcaNodeSigner({
      endpoint: `${spy.url}/`,
      key: identity.pkcs12,
      password: 'pin',
      keyAlias: 'alias-1',
    });
    expect(await client.signXmlDocument('<a/>')).toBe('<a/>');
    client.close();
    await spy.close();
    expect(seen).toEqual({
      xml: '<a/>',
      signers: [{ key: Buffer.from(identity.pkcs12).toString('base64'), password: 'pin', keyAlias: 'alias-1' }],
    });
  });
});
