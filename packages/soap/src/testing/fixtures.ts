/** Protocol-test helpers every SOAP package shares: its fixture folder and a replaying transport. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Transport, TransportRequest, TransportResponse } from '../transport.js';

/** A package's protocol-test fixtures (`<Operation>.<kind>.xml` files) in one folder. */
export interface FixtureFolder {
  /** The folder's path, as given to fixtureFolder. */
  readonly dir: string;
  /** A fixture's text. */
  read(name: string): string;
  /** Fixture files of a kind ("request", "response", "fault", ...), sorted. */
  names(kind: string): string[];
}

/** The fixtures in `dir`, read as UTF-8 (synchronously, when asked). */
export function fixtureFolder(dir: string): FixtureFolder {
  return {
    dir,
    read: (name) => readFileSync(path.join(dir, name), 'utf8'),
    names: (kind) =>
      readdirSync(dir)
        .filter((f) => f.endsWith(`.${kind}.xml`))
        .sort(),
  };
}

/** The operation a fixture belongs to: "PayD.response.xml" -> "PayD". */
export function operationOf(file: string): string {
  return file.split('.')[0] as string;
}

/** The SOAP version of an envelope's text: '1.2' when it mentions the SOAP 1.2 namespace anywhere, else '1.1'. */
export function soapVersionOf(xml: string): '1.1' | '1.2' {
  return xml.includes('http://www.w3.org/2003/05/soap-envelope') ? '1.2' : '1.1';
}

/** Answers every request with a canned response and records what was sent. */
export class ReplayTransport implements Transport {
  /** Every request sent to it, in order. */
  readonly sent: TransportRequest[] = [];
  readonly #body: string;
  readonly #status: number;
  readonly #contentType: string;

  constructor(body: string, status = 200, contentType = 'text/xml; charset=utf-8') {
    this.#body = body;
    this.#status = status;
    this.#contentType = contentType;
  }

  /** Records `request` and answers with the canned body, status and content type. */
  async send(request: TransportRequest): Promise<TransportResponse> {
    this.sent.push(request);
    return {
      status: this.#status,
      headers: { 'content-type': this.#contentType },
      body: Buffer.from(this.#body, 'utf8'),
    };
  }

  /** The body of the `index`th request sent, as text. */
  sentXml(index = 0): string {
    const body = this.sent[index]?.body;
    if (!body) throw new Error('nothing was sent');
    return Buffer.from(body).toString('utf8');
  }
}
