/** Shared helpers for the protocol tests: fixtures on disk and a transport that replays them. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Transport, TransportRequest, TransportResponse } from '@kz/soap';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function fixtureNames(kind: 'request' | 'response'): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith(`.${kind}.xml`))
    .sort();
}

/** The operation a fixture belongs to: "PayD.response.xml" -> "PayD". */
export function operationOf(file: string): string {
  return file.split('.')[0] as string;
}

export function soapVersionOf(xml: string): '1.1' | '1.2' {
  return xml.includes('http://www.w3.org/2003/05/soap-envelope') ? '1.2' : '1.1';
}

/** Answers every request with a canned response and records what was sent. */
export class ReplayTransport implements Transport {
  readonly sent: TransportRequest[] = [];
  constructor(
    private readonly body: string,
    private readonly status = 200,
    private readonly contentType = 'text/xml; charset=utf-8',
  ) {}

  async send(request: TransportRequest): Promise<TransportResponse> {
    this.sent.push(request);
    return { status: this.status, headers: { 'content-type': this.contentType }, body: Buffer.from(this.body, 'utf8') };
  }

  sentXml(index = 0): string {
    const body = this.sent[index]?.body;
    if (!body) throw new Error('nothing was sent');
    return Buffer.from(body).toString('utf8');
  }
}
