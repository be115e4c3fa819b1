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
import { type ServiceMeta, SoapServiceCodec, type SoapVersion } from '@kz/soap';

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
  /** A running mock of the service, for hostile requests. */
  startMock(): Promise<{ endpoint: string; close(): Promise<void> }>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Request/response fixture pairs of a package: the request decoded gives the call's input. */
async function exchangesFrom(pkg: string, meta: ServiceMeta): Promise<Exchange[]> {
  const dir = path.join(ROOT, 'packages', pkg, 'test', 'fixtures');
  const codec = new SoapServiceCodec(meta);
  const exchanges: Exchange[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.response.xml'))
    .sort()) {
    const requestFile = file.replace('.response.xml', '.request.xml');
    let request: string;
    try {
      request = readFileSync(path.join(dir, requestFile), 'utf8');
    } catch {
      continue;
    }
    const decoded = await codec.decodeRequest(request);
    exchanges.push({
      operation: decoded.operation.name,
      input: decoded.input,
      request,
      response: readFileSync(path.join(dir, file), 'utf8'),
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
  ];
}
