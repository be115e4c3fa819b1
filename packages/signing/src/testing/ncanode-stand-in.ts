/**
 * A local stand-in for NCANode 3.x on 127.0.0.1 (random port), for tests and the sample: the same
 * paths, JSON shapes and error answers (`{status, message}`, HTTP 500 for a key it cannot open)
 * as NCANode's openapi.yml and controllers, signing with RSA keys through this package (real
 * NCANode signs with Kalkan, GOST keys included). Not a signing server for real use.
 */
import { X509Certificate } from 'node:crypto';
import { readRequestBody } from '@kz/soap';
import { type LocalServer, startLocalServer } from '@kz/soap/testing';
import { RsaSha256Signer } from '../rsa-signer.js';
import { ENVELOPED_C14N_WITH_COMMENTS, signXmlDocument } from '../xmldsig.js';

/** A running NCANode stand-in. */
export interface NcaNodeStandIn {
  /** Base URL, e.g. http://127.0.0.1:43127 */
  readonly url: string;
  /** Paths requested, in order (bodies are not kept: they hold keys and passwords). */
  readonly requests: string[];
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
  /** The same as close(), for `await using standIn = await startNcaNodeStandIn()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** How the NCANode stand-in answers. */
export interface NcaNodeStandInOptions {
  /** Delay before each answer, in ms (to test time limits). */
  delayMs?: number;
}

interface SignerRequest {
  key?: unknown;
  password?: unknown;
  keyAlias?: unknown;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the stand-in (see the module comment): POST /xml/sign, /cms/sign and /pkcs12/info with
 * RSA test containers, refusals as NCANode words them. Give its `url` as NcaNodeSigner's endpoint.
 */
export async function startNcaNodeStandIn(options: NcaNodeStandInOptions = {}): Promise<NcaNodeStandIn> {
  const requests: string[] = [];
  const server: LocalServer = await startLocalServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    requests.push(path);
    const answer = (status: number, body: Record<string, unknown>) => {
      const send = () =>
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status, message: 'OK', ...body }));
      if (options.delayMs) setTimeout(send, options.delayMs);
      else send();
    };
    if (req.method !== 'POST' || !HANDLERS[path]) {
      answer(404, { message: 'Not Found' });
      return;
    }
    const handler = HANDLERS[path];
    readRequestBody(req, 8 * 1024 * 1024)
      .then(async (bytes) => {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
        } catch {
          throw new Refusal(400, 'Bad Request');
        }
        answer(200, await handler(body));
      })
      .catch((error: unknown) => {
        if (error instanceof Refusal) answer(error.status, { message: error.message });
        else answer(500, { message: 'Internal Server Error' });
      });
  });
  return { url: server.url, requests, close: () => server.close(), [Symbol.asyncDispose]: () => server.close() };
}

const HANDLERS: Record<string, (body: Record<string, unknown>) => Promise<Record<string, unknown>>> = {
  '/xml/sign': async (body) => {
    if (typeof body.xml !== 'string' || body.xml === '') throw new Refusal(400, 'xml: must not be empty');
    const signers = keysOf(body.signers);
    let xml = body.xml.trim();
    for (const signer of signers) xml = await signXmlDocument(xml, signer, ENVELOPED_C14N_WITH_COMMENTS);
    // NCANode serializes the DOM with a Transformer, which writes this declaration.
    const declaration = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>';
    return { xml: `${declaration}${xml.replace(/^<\?xml[^?]*\?>\s*/, '')}` };
  },
  '/cms/sign': async (body) => {
    if (typeof body.data !== 'string') throw new Refusal(400, 'data: must not be empty');
    const [signer] = keysOf(body.signers);
    const cms = await (signer as RsaSha256Signer).signCms(Buffer.from(body.data, 'base64'), {
      detached: body.detached === true,
    });
    return { cms: Buffer.from(cms).toString('base64') };
  },
  '/pkcs12/info': async (body) => {
    const signers = keysOf(body.keys).map((signer) => certificateInfo(signer.certificate));
    return { valid: signers.every((s) => s.valid), signers };
  },
};

/** Opens each key as NCANode does, with its error texts (MessageConstants, KalkanWrapper). */
function keysOf(list: unknown): RsaSha256Signer[] {
  if (!Array.isArray(list) || list.length === 0) throw new Refusal(400, 'signers: must not be empty');
  return list.map((entry: SignerRequest, index) => {
    if (typeof entry?.key !== 'string' || typeof entry.password !== 'string') {
      throw new Refusal(400, `signers[${index}]: key and password must not be empty`);
    }
    if (entry.keyAlias !== undefined && entry.keyAlias !== null) {
      throw new Refusal(
        500,
        `signers[${index}]: Key reading error: Key does not have '${String(entry.keyAlias)}' alias`,
      );
    }
    try {
      return RsaSha256Signer.fromPkcs12(Buffer.from(entry.key, 'base64'), entry.password);
    } catch {
      throw new Refusal(500, `signers[${index}]: Key reading error: Password incorrect.`);
    }
  });
}

function certificateInfo(certificate: string) {
  const parsed = new X509Certificate(Buffer.from(certificate, 'base64'));
  const field = (name: string) => new RegExp(`(?:^|\\n)${name}=([^\\n]*)`).exec(parsed.subject)?.[1];
  const serial = field('serialNumber') ?? '';
  const now = Date.now();
  return {
    valid: now >= Date.parse(parsed.validFrom) && now <= Date.parse(parsed.validTo),
    notBefore: new Date(parsed.validFrom).toISOString(),
    notAfter: new Date(parsed.validTo).toISOString(),
    keyUsage: 'SIGN',
    serialNumber: parsed.serialNumber.toLowerCase(),
    signAlg: 'SHA256withRSA',
    subject: {
      commonName: field('CN'),
      ...(serial.startsWith('IIN') ? { iin: serial.slice(3) } : {}),
      ...(field('OU')?.startsWith('BIN') ? { bin: field('OU')?.slice(3) } : {}),
      country: field('C'),
      dn: parsed.subject.replace(/\n/g, ', '),
    },
  };
}
