/**
 * The SOAP packages under test: their metadata, valid sample exchanges (from each package's
 * fixtures) to derive hostile variants from, and their mocks. A package joins the suite by
 * adding an entry here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceMeta as alsecoMeta } from '@kz/alseco';
import { startAlsecoMock } from '@kz/alseco/testing';
import { serviceMeta as esfMeta } from '@kz/esf';
import { startEsfMock } from '@kz/esf/testing';
import { serviceMeta as isgoMeta } from '@kz/isgo';
import { startIsgoMock } from '@kz/isgo/testing';
import { asyncChannelClientMeta, asyncChannelMeta, syncChannelMeta } from '@kz/shep';
import { type ServiceMeta, SoapFaultResponse, SoapServiceCodec, type SoapVersion } from '@kz/soap';

export interface Exchange {
  operation: string;
  input: unknown;
  request: string;
  response: string;
  version: SoapVersion;
}

export interface SoapTarget {
  name: string;
  meta: ServiceMeta;
  exchanges: Exchange[];
  /** A running mock of the service, for hostile requests (absent: decoder side only). */
  startMock?(): Promise<{ endpoint: string; close(): Promise<void> }>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Request/response fixture pairs of a package: the request decoded gives the call's input. */
async function exchangesFrom(pkg: string, meta: ServiceMeta, prefix = ''): Promise<Exchange[]> {
  const dir = path.join(ROOT, 'packages', pkg, 'test', 'fixtures');
  const codec = new SoapServiceCodec(meta);
  const exchanges: Exchange[] = [];
  const responses = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.response.xml'));
  for (const file of responses.sort()) {
    const requestFile = file.replace('.response.xml', '.request.xml');
    let request: string;
    try {
      request = readFileSync(path.join(dir, requestFile), 'utf8');
    } catch {
      continue;
    }
    // A request the seed prints with placeholders (`int`, `?`) does not decode: it has typed-error
    // tests of its own in its package, and no call input to derive hostile answers from.
    const decoded = await codec.decodeRequest(request).catch((error: unknown) => {
      if (error instanceof SoapFaultResponse) return undefined;
      throw error;
    });
    if (!decoded) continue;
    const response = readFileSync(path.join(dir, file), 'utf8');
    // Likewise a response the seed elides (`JVB…=` for a PDF): its package tests the DecodeError.
    if (/>[A-Za-z0-9+/]*…=*</.test(response)) continue;
    exchanges.push({
      operation: decoded.operation.name,
      input: decoded.input,
      request,
      response,
      version: decoded.version,
    });
  }
  return exchanges;
}

export async function soapTargets(): Promise<SoapTarget[]> {
  return [
    {
      name: '@kz/alseco',
      meta: alsecoMeta,
      exchanges: await exchangesFrom('alseco', alsecoMeta),
      startMock: startAlsecoMock,
    },
    { name: '@kz/esf', meta: esfMeta, exchanges: await exchangesFrom('esf', esfMeta), startMock: startEsfMock },
    { name: '@kz/isgo', meta: isgoMeta, exchanges: await exchangesFrom('isgo', isgoMeta), startMock: startIsgoMock },
    { name: '@kz/shep sync', meta: syncChannelMeta, exchanges: await exchangesFrom('shep', syncChannelMeta, 'sync.') },
    {
      name: '@kz/shep async',
      meta: asyncChannelMeta,
      exchanges: await exchangesFrom('shep', asyncChannelMeta, 'async.'),
    },
    {
      name: '@kz/shep receiver',
      meta: asyncChannelClientMeta,
      exchanges: await exchangesFrom('shep', asyncChannelClientMeta, 'asyncClient.'),
    },
  ];
}
