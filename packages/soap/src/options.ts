/**
 * The options every client factory of the family takes, under the same names everywhere. A facade
 * extends this with what its service needs (credentials, signers) and, where a service has several
 * channels, widens `endpoint` to a typed per-channel object (SHEP: `{ sync, async }`).
 *
 * `endpoint` is required: no client falls back to a contract's sample address. A missing or
 * non-http(s) endpoint is KzError CONFIG_ERROR naming the option when the client is created.
 */
import type { ClientHooks } from './pipeline/hooks.js';
import type { PipelinePolicyEntry } from './pipeline/pipeline.js';
import type { RetryOptions } from './retry.js';
import type { TlsOptions, Transport } from './transport.js';

/**
 * The shared client options. `Endpoint` is the URL (a string) or, for a service with several
 * channels, its per-channel shape; `Hooks` is the observer shape of the client (SOAP clients take
 * `ClientHooks`).
 */
export interface BaseClientOptions<Endpoint = string, Hooks = ClientHooks> {
  /** The service URL (or, per channel, the URLs). Required: never a contract's sample address. */
  endpoint: Endpoint;
  /** Whole-exchange timeout per attempt, ms (each client documents its default). */
  timeoutMs?: number;
  /** TLS settings of the built-in transport (custom CA such as the national root, client certificate). */
  tls?: TlsOptions;
  /** A transport instead of the built-in node:http one; `close()` releases it. */
  transport?: Transport;
  /** Opt-in retries, for operations the contract marks safe only; state-changing ones never are. */
  retry?: RetryOptions;
  /** Observers for logging and metrics (secrets redacted). */
  hooks?: Hooks;
  /**
   * Policies added to the client's request pipeline, each with its phase or neighbour (see
   * `Pipeline.add`); the client's `pipeline` (or its generated clients') lists them.
   */
  pipeline?: readonly PipelinePolicyEntry[];
}

/**
 * What every client of the family offers besides its workflows: the generated client under
 * `operations`, and `close()` / `await using` to release its transport.
 */
export interface KzClient<Operations = unknown> extends AsyncDisposable {
  /** The generated client (or, per channel, the generated clients). */
  readonly operations: Operations;
  /** Releases the transport's pooled connections; the client is not used after this. */
  close(): void;
}
