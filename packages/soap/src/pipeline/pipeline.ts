/**
 * The request pipeline every @kz client sends through, SOAP and REST alike: named policies in
 * fixed phases around a transport (the shape of Azure's core-rest-pipeline and smithy's middleware
 * stack). Outermost first:
 *
 *   serialize  the protocol codec: typed input -> HTTP body; on the way back body -> typed output
 *   sign       message security: WS-Security headers, XML signatures, bearer tokens
 *   retry      runs what is inside it again, for operations marked safe only
 *   verify     checks a response before anything decodes it (signatures); its refusal is final
 *   observe    hooks and logging, once per attempt, secrets redacted
 *   (transport)
 *
 * A policy is `sendRequest(request, next)`: it may change the request, call `next` (or not, or
 * again), and inspect or replace the response. Users add, order and remove policies by name.
 *
 * A server (`createSoapHandler`) runs the same Pipeline with `side: 'server'`: its messages come in
 * from the network, so it meets the phases in the reverse order (observe, verify, retry, sign,
 * serialize, then the operation handler) and every phase keeps its meaning: verify checks what
 * arrives before serialize decodes it, sign secures what leaves after serialize encoded it. See
 * server.ts for the server's request and response.
 */
import { randomUUID } from 'node:crypto';
import { type ErrorContext, hostOf, KzError } from '../errors.js';
import type { RetryOptions } from '../retry.js';
import type { SoapVersion } from '../schema.js';

/** The phases, outermost first. */
export const PIPELINE_PHASES = ['serialize', 'sign', 'retry', 'verify', 'observe'] as const;
/** A phase of the pipeline; see PIPELINE_PHASES for their order. */
export type PipelinePhase = (typeof PIPELINE_PHASES)[number];

/** One call's request as it travels through the pipeline; policies may change the mutable fields. */
export interface PipelineRequest {
  /** Links this call's request, response and error events, and the error it ends with. */
  readonly requestId: string;
  /** The service called. */
  readonly service: string;
  /** The operation called (its name in the contract). */
  readonly operation: string;
  /**
   * Whether sending the request again cannot change state twice (the spec's `safe` flag). Only
   * safe requests are retried or re-sent after a re-login.
   */
  readonly safe: boolean;
  /** Where the request goes. */
  url: string;
  /** The HTTP method. */
  method: string;
  /** HTTP headers, names in lower case. */
  headers: Record<string, string>;
  /** The HTTP body; a string is sent as UTF-8. */
  body: string | Uint8Array | undefined;
  /** The typed input the serialize phase encodes (SOAP); REST requests arrive serialized. */
  readonly input?: unknown;
  /** The SOAP envelope's parts, set by the SOAP codec, for sign-phase policies that add header blocks. */
  envelope?: SoapEnvelopeDraft;
  /** Time limit of each attempt's exchange, ms (the transport's, and reading the response's). */
  timeoutMs: number;
  /** Responses larger than this are refused (RESPONSE_TOO_LARGE). */
  maxResponseBytes: number;
  /** The caller's cancellation. */
  signal?: AbortSignal | undefined;
  /** Refuse response content the schema does not know (overriding the client's `strict`). */
  strict?: boolean | undefined;
  /** This call's retry options (overriding the retry policy's), or false for none. */
  retry?: RetryOptions | false | undefined;
  /** The attempt being made (1-based) and how many are allowed; set by the retry policy. */
  attempt: number;
  /** How many attempts the retry policy allows (1 when the request is not retried). */
  attempts: number;
  /**
   * Values that must never reach a hook, a log or an error (passwords, tokens): a policy that adds
   * a credential adds it here, and everything that reports redacts them.
   */
  readonly secrets: string[];
}

/** What a caller gives to start a request; newPipelineRequest adds what every request starts with. */
export type NewPipelineRequest = Omit<PipelineRequest, 'requestId' | 'attempt' | 'attempts' | 'secrets'> & {
  /** Secrets the request carries from the start (a signing key); policies add theirs. Default none. */
  readonly secrets?: readonly string[];
};

/**
 * A request about to enter a pipeline: a fresh `requestId` (the id its hook events and its
 * error carry), attempt 1 of 1 (the retry policy raises `attempts`), and `fields`.
 */
export function newPipelineRequest(fields: NewPipelineRequest): PipelineRequest {
  return { ...fields, requestId: randomUUID(), attempt: 1, attempts: 1, secrets: [...(fields.secrets ?? [])] };
}

/** The envelope a SOAP request is built from; `buildEnvelope(version, parts)` gives its text. */
export interface SoapEnvelopeDraft {
  /** The SOAP version of the envelope. */
  readonly version: SoapVersion;
  /** Header blocks, as XML text. */
  headers: string[];
  /** The Body's content, as XML text. */
  body: string;
  /** Extra attributes of the Body element (a wsu:Id a signature refers to). */
  bodyAttributes?: string;
  /** Extra namespace declarations of the Envelope element, by prefix. */
  namespaces?: Record<string, string>;
}

/** A response as it travels back through the pipeline. */
export interface PipelineResponse {
  /** The HTTP status. */
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The body's bytes (at most the request's maxResponseBytes). */
  body: Buffer;
  /** A `performance.now()` time: reading this response (verifying, decoding) stops there (the attempt's timeout). */
  readonly deadline: number;
  /** The decoded value, set by the serialize phase on the way back. */
  output?: unknown;
}

/**
 * The rest of the pipeline, from a policy's point of view. The type parameters are a client's
 * request and response unless given (a server's are IncomingSoapRequest and OutgoingSoapResponse).
 */
export type SendRequest<Request = PipelineRequest, Response = PipelineResponse> = (
  request: Request,
) => Promise<Response>;

/** A step of the pipeline: sees each request on its way in and its response on its way back. */
export interface PipelinePolicy<Request = PipelineRequest, Response = PipelineResponse> {
  /** Unique within a pipeline: what `before`, `after` and `remove` refer to. */
  readonly name: string;
  /** Handles one request: usually changes it, calls `next`, and inspects the response. */
  sendRequest(request: Request, next: SendRequest<Request, Response>): Promise<Response>;
}

/**
 * Where a policy goes: a phase (appended to it), or next to a policy already there (`before` or
 * `after` it, in its phase).
 */
export interface PolicyPlacement {
  /** The phase to append the policy to. */
  phase?: PipelinePhase;
  /** The name of the policy to put it before (in that policy's phase). */
  before?: string;
  /** The name of the policy to put it after (in that policy's phase). */
  after?: string;
}

/** A policy with its placement, as the clients' (and servers') `pipeline` option takes them. */
export interface PipelinePolicyEntry<Request = PipelineRequest, Response = PipelineResponse> extends PolicyPlacement {
  /** The policy to add. */
  policy: PipelinePolicy<Request, Response>;
}

/**
 * Which way a pipeline's messages travel: a client's request goes out to the network (phases in
 * PIPELINE_PHASES order), a server's comes in from it (the reverse order).
 */
export type PipelineSide = 'client' | 'server';

/** How a Pipeline is set up. */
export interface PipelineOptions {
  /** Default 'client'. */
  side?: PipelineSide;
}

/** What every request carries, so that an error it ends with can say which exchange it was. */
export type PipelineRequestIdentity = Pick<PipelineRequest, 'requestId'> &
  Partial<Pick<PipelineRequest, 'url' | 'timeoutMs' | 'attempt' | 'attempts'>>;

interface Entry<Request, Response> {
  readonly policy: PipelinePolicy<Request, Response>;
  readonly phase: PipelinePhase;
}

const CONFIGURE: ErrorContext = { service: 'pipeline', operation: 'configure' };

/**
 * An ordered set of named policies in phases; `send` runs a request through them to a terminal
 * step (a client's transport, a server's operation handler).
 */
export class Pipeline<Request extends PipelineRequestIdentity = PipelineRequest, Response = PipelineResponse> {
  /** Whether requests go out (client) or come in (server): it orders the phases. */
  readonly side: PipelineSide;
  #entries: Entry<Request, Response>[] = [];
  /** The composed chain for the last terminal step used; rebuilt after a change. */
  #composed: { terminal: SendRequest<Request, Response>; chain: SendRequest<Request, Response> } | undefined;

  /** A pipeline holding `entries`, each added as `add` would. */
  constructor(entries: readonly PipelinePolicyEntry<Request, Response>[] = [], options: PipelineOptions = {}) {
    this.side = options.side ?? 'client';
    for (const { policy, ...placement } of entries) this.add(policy, placement);
  }

  /** Adds a policy. A name already present, an unknown anchor or phase is KzError CONFIG_ERROR. */
  add(policy: PipelinePolicy<Request, Response>, placement: PolicyPlacement): this {
    const fail = (message: string): never => {
      throw new KzError(CONFIGURE, 'CONFIG_ERROR', `pipeline.add(${policy?.name}): ${message}`);
    };
    if (!policy || typeof policy.name !== 'string' || typeof policy.sendRequest !== 'function')
      fail('a policy needs a name and sendRequest(request, next)');
    if (this.#index(policy.name) >= 0) fail('a policy of that name is already in the pipeline');
    if (placement.before !== undefined && placement.after !== undefined) fail('give before or after, not both');
    const anchorName = placement.before ?? placement.after;
    if (anchorName !== undefined) {
      const at = this.#index(anchorName);
      if (at < 0) fail(`no policy named ${anchorName}`);
      const phase = (this.#entries[at] as Entry<Request, Response>).phase;
      if (placement.phase !== undefined && placement.phase !== phase)
        fail(`${anchorName} is in phase ${phase}, not ${placement.phase}`);
      this.#entries.splice(placement.before !== undefined ? at : at + 1, 0, { policy, phase });
    } else {
      const phase = placement.phase;
      if (phase === undefined || !PIPELINE_PHASES.includes(phase))
        fail(`phase must be one of ${PIPELINE_PHASES.join(', ')}`);
      const rank = this.#rank(phase as PipelinePhase);
      // After the last policy of this phase or an earlier one.
      let at = this.#entries.length;
      while (at > 0 && this.#rank((this.#entries[at - 1] as Entry<Request, Response>).phase) > rank) at--;
      this.#entries.splice(at, 0, { policy, phase: phase as PipelinePhase });
    }
    this.#composed = undefined;
    return this;
  }

  /** Removes the named policy; returns it, or undefined when there is none. */
  remove(name: string): PipelinePolicy<Request, Response> | undefined {
    const at = this.#index(name);
    if (at < 0) return undefined;
    const [removed] = this.#entries.splice(at, 1);
    this.#composed = undefined;
    return removed?.policy;
  }

  /** The policies in the order a request meets them, with their phases. */
  list(): readonly { name: string; phase: PipelinePhase }[] {
    return this.#entries.map(({ policy, phase }) => ({ name: policy.name, phase }));
  }

  /** A copy that can be changed without changing this one (policies are shared). */
  clone(): Pipeline<Request, Response> {
    const copy = new Pipeline<Request, Response>([], { side: this.side });
    copy.#entries = [...this.#entries];
    return copy;
  }

  /**
   * Sends `request` through every policy to `terminal` (the transport step). A KzError it ends
   * with carries the request id, the host, the attempt and the timeout of the last attempt.
   */
  async send(request: Request, terminal: SendRequest<Request, Response>): Promise<Response> {
    try {
      return await this.#chain(terminal)(request);
    } catch (error) {
      if (error instanceof KzError) stampRequest(error, request);
      throw error;
    }
  }

  #chain(terminal: SendRequest<Request, Response>): SendRequest<Request, Response> {
    if (this.#composed?.terminal === terminal) return this.#composed.chain;
    let chain = terminal;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const { policy } = this.#entries[i] as Entry<Request, Response>;
      const next = chain;
      chain = (request) => policy.sendRequest(request, next);
    }
    this.#composed = { terminal, chain };
    return chain;
  }

  /** Where a phase comes in the order a request meets the phases on this side. */
  #rank(phase: PipelinePhase): number {
    const index = PIPELINE_PHASES.indexOf(phase);
    return this.side === 'server' ? PIPELINE_PHASES.length - 1 - index : index;
  }

  #index(name: string): number {
    return this.#entries.findIndex((entry) => entry.policy.name === name);
  }
}

/** Puts what identifies the exchange on an error that does not say it yet. */
export function stampRequest(error: KzError, request: PipelineRequestIdentity): void {
  const fields = error as { -readonly [K in keyof RequestStamp]: RequestStamp[K] };
  fields.requestId ??= request.requestId;
  if (request.url !== undefined) fields.host ??= hostOf(request.url);
  fields.timeoutMs ??= request.timeoutMs;
  fields.attempt ??= request.attempt;
  fields.attempts ??= request.attempts;
}

type RequestStamp = Pick<KzError, 'requestId' | 'host' | 'timeoutMs' | 'attempt' | 'attempts'>;
