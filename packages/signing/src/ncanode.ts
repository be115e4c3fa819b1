/**
 * NCANode (https://github.com/malikzh/NCANode, Kalkan inside) as a signer: the open-source signing
 * server Kazakh teams run beside their systems, so GOST-2015 keys sign without a Kalkan binding in
 * the application. Speaks its 3.x HTTP API (openapi.yml of the project): JSON over POST, every
 * request carrying the key container, `{ key: base64 PKCS#12, password, keyAlias? }`.
 *
 * - `signXmlDocument(xml)`: POST /xml/sign -> enveloped XML-DSig made by Kalkan (the ESF auth
 *   ticket; `XmlDocumentSigner`);
 * - `signCms(data, { detached })`: POST /cms/sign (`CmsSigner`);
 * - `keyInfo()`: POST /pkcs12/info -> what NCANode reads from the certificate (IIN, BIN, validity).
 *
 * NCANode 3.x has no raw-signature endpoint, so it cannot make a `Signer` (ESF's invoice
 * `signature` is a raw signature): use a raw signer for that (see the README).
 *
 * The key and its password travel in every request body: run NCANode on localhost or a private
 * network. Neither ever appears in an error.
 */
import {
  DecodeError,
  type ErrorContext,
  HttpError,
  hostOf,
  KzError,
  NodeHttpTransport,
  newPipelineRequest,
  Pipeline,
  redact,
  type SendRequest,
  SignatureError,
  type TlsOptions,
  type Transport,
  transportStep,
} from '@kz/soap';
import type { CmsSigner } from './signer.js';
import type { XmlDocumentSigner } from './xmldsig.js';

const SERVICE = 'NCANode';
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/** Where NCANode runs and the key container it signs with. */
export interface NcaNodeOptions {
  /** NCANode's address, e.g. http://127.0.0.1:14579 (its default port). */
  endpoint: string;
  /** The key container (PKCS#12, .p12). */
  key: Uint8Array;
  /** Its password (the key PIN): sent to NCANode, never logged nor put in errors. */
  password: string;
  /** The key's alias in the container, when it holds several (NCANode takes the first otherwise). */
  keyAlias?: string;
  /** Time limit per request in ms. Default 30 000. */
  timeoutMs?: number;
  /** TLS settings when NCANode sits behind HTTPS. */
  tls?: TlsOptions;
  /** Your own transport (tests, proxies). */
  transport?: Transport;
}

/** What NCANode reports about a certificate (CertificateInfo of its API; fields may be absent). */
export interface NcaNodeCertificateInfo {
  /** True when it trusts the issuer and now is within validity (keyInfo asks no revocation check). */
  valid?: boolean;
  /** Start of validity, ISO 8601 text as NCANode writes it (e.g. 2022-05-02T08:38:13.000+00:00). */
  notBefore?: string;
  /** End of validity, ISO 8601 text as NCANode writes it. */
  notAfter?: string;
  /** What the key is for: AUTH (authentication) or SIGN (signing documents); UNKNOWN when NCANode cannot tell. */
  keyUsage?: 'UNKNOWN' | 'AUTH' | 'SIGN' | (string & {});
  /** The certificate's serial number, hex. */
  serialNumber?: string;
  /** The certificate's signature algorithm as Kalkan names it, e.g. ECGOST34310 or SHA256withRSA. */
  signAlg?: string;
  /** The holder's roles as NCANode reads them from the certificate, e.g. INDIVIDUAL, ORGANIZATION, CEO, CAN_SIGN. */
  keyUser?: string[];
  /** The holder: IIN, BIN (organisation keys), name, organisation and the whole DN as text. */
  subject?: { iin?: string; bin?: string; commonName?: string; organization?: string; dn?: string };
  /** The issuing CA: its name and DN. */
  issuer?: { commonName?: string; dn?: string };
  /** Whatever else NCANode sent, kept as it came. */
  [field: string]: unknown;
}

/**
 * Signs through an NCANode 3.x server (see the module comment): enveloped XML-DSig and CMS made by
 * Kalkan there, with the key container sent in every request. The constructor throws KzError
 * CONFIG_ERROR for a non-http(s) endpoint, empty key or missing password. Calls throw
 * SignatureError when NCANode refuses (wrong password, unreadable key), HttpError, DecodeError or
 * TransportError otherwise; none carries the key or the password.
 */
export class NcaNodeSigner implements XmlDocumentSigner, CmsSigner, AsyncDisposable {
  /** NCANode's base URL without a trailing slash; the paths (xml/sign, cms/sign, pkcs12/info) go after it. */
  readonly endpoint: string;
  readonly #signer: { key: string; password: string; keyAlias?: string };
  readonly #secrets: string[];
  readonly #timeoutMs: number;
  readonly #transport: Transport;
  readonly #terminal: SendRequest;
  /** The request pipeline of every @kz client (no policies by default): add logging or tracing here. */
  readonly pipeline = new Pipeline();

  constructor(options: NcaNodeOptions) {
    const context = { service: SERVICE, operation: 'configure' };
    let url: URL | undefined;
    try {
      url = new URL(options?.endpoint ?? '');
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new KzError(
        context,
        'CONFIG_ERROR',
        'NCANode: endpoint must be an http(s) URL, e.g. http://127.0.0.1:14579',
      );
    }
    if (!(options.key instanceof Uint8Array) || options.key.length === 0) {
      throw new KzError(context, 'CONFIG_ERROR', 'NCANode: key must be the PKCS#12 container bytes');
    }
    if (typeof options.password !== 'string' || options.password === '') {
      throw new KzError(context, 'CONFIG_ERROR', 'NCANode: password is required');
    }
    this.endpoint = url.toString().replace(/\/+$/, '');
    const key = Buffer.from(options.key).toString('base64');
    this.#signer = {
      key,
      password: options.password,
      ...(options.keyAlias === undefined ? {} : { keyAlias: options.keyAlias }),
    };
    this.#secrets = [options.password, key];
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#transport = options.transport ?? new NodeHttpTransport(options.tls ? { tls: options.tls } : {});
    this.#terminal = transportStep(this.#transport);
  }

  /** POST /xml/sign: the document with Kalkan's enveloped ds:Signature appended to its root. */
  async signXmlDocument(xml: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    const answer = await this.#post('xml/sign', { xml, signers: [this.#signer] }, options.signal);
    return stringField(answer, 'xml', { service: SERVICE, operation: 'xml/sign' });
  }

  /** POST /cms/sign: DER CMS SignedData over `data`, attached unless `detached`. */
  async signCms(data: Uint8Array, options: { detached?: boolean; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const answer = await this.#post(
      'cms/sign',
      { data: Buffer.from(data).toString('base64'), signers: [this.#signer], detached: options.detached === true },
      options.signal,
    );
    const cms = stringField(answer, 'cms', { service: SERVICE, operation: 'cms/sign' });
    return new Uint8Array(Buffer.from(cms, 'base64'));
  }

  /** POST /pkcs12/info: NCANode's reading of the key's certificate (no revocation check). */
  async keyInfo(options: { signal?: AbortSignal } = {}): Promise<NcaNodeCertificateInfo> {
    const answer = await this.#post('pkcs12/info', { keys: [this.#signer], revocationCheck: [] }, options.signal);
    const signers = answer.signers;
    const first = Array.isArray(signers) ? signers[0] : undefined;
    if (!first || typeof first !== 'object') {
      throw new DecodeError(
        { service: SERVICE, operation: 'pkcs12/info' },
        'the answer names no certificate',
        'signers',
      );
    }
    return first as NcaNodeCertificateInfo;
  }

  /** Releases pooled connections. */
  close(): void {
    this.#transport.close?.();
  }

  /** `await using` support: the same as close(). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  async #post(path: string, body: unknown, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    const request = newPipelineRequest({
      service: SERVICE,
      operation: path,
      // Never sent again by the pipeline: a retry policy added by the caller leaves it alone.
      safe: false,
      url: `${this.endpoint}/${path}`,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
      timeoutMs: this.#timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      secrets: this.#secrets,
    });
    const response = await this.pipeline.send(request, this.#terminal);
    // The answer's errors name the call as the pipeline's do (never the request itself: its body holds the key).
    const context: ErrorContext = {
      service: SERVICE,
      operation: path,
      requestId: request.requestId,
      host: hostOf(request.url),
      timeoutMs: request.timeoutMs,
      attempt: 1,
      attempts: 1,
    };
    const text = response.body.toString('utf8');
    let answer: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) answer = parsed as Record<string, unknown>;
    } catch {
      answer = undefined;
    }
    if (response.status !== 200 || (typeof answer?.status === 'number' && answer.status !== 200)) {
      // NCANode reports a refusal (wrong password, unreadable key, bad input) as {status, message}.
      if (typeof answer?.message === 'string') {
        const reason = redact(answer.message.slice(0, 300), this.#secrets);
        throw new SignatureError(context, `NCANode refused (HTTP ${response.status}): ${reason}`);
      }
      throw new HttpError(context, response.status, redact(text.slice(0, 300), this.#secrets));
    }
    if (!answer) throw new DecodeError(context, 'the answer is not a JSON object', '', { httpStatus: response.status });
    return answer;
  }
}

function stringField(answer: Record<string, unknown>, field: string, context: ErrorContext): string {
  const value = answer[field];
  if (typeof value !== 'string' || value === '') {
    throw new DecodeError(context, `the answer carries no ${field}`, field);
  }
  return value;
}
