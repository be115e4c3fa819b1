/**
 * HTTP transport on node:http / node:https: keep-alive, a whole-exchange timeout, AbortSignal,
 * TLS options for services behind Kazakhstan's national root CA, and a response size cap.
 * Pluggable: anything implementing `Transport` can replace it (a fetch-based one, a test double).
 *
 * When request bytes may have left (`maybeDelivered`): node:http buffers a request until the
 * agent assigns it a socket (it may wait in the agent's queue when `maxSockets` are busy), and a
 * socket buffers writes until it is connected; a TLS socket sends no application data before its
 * handshake completes. So bytes may reach the server only once the request's socket is connected
 * (https: `secureConnect`), or is a reused keep-alive socket, which is connected already. A failure
 * before that (refused, DNS, certificate rejected, handshake or pool wait timed out or aborted) is
 * `maybeDelivered: false`; any failure after it, or any response, is `true`.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { type SecureContextOptions, TLSSocket } from 'node:tls';
import type { ErrorContext } from './errors.js';

/** One HTTP exchange a Transport is asked to make (one attempt of a call). */
export interface TransportRequest {
  /** The absolute URL to call; NodeHttpTransport fails any but http(s) with CONNECTION_FAILED. */
  url: string;
  /** HTTP method (POST for SOAP). */
  method: string;
  /** Request headers as the pipeline built them; NodeHttpTransport adds content-length from the body. */
  headers: Record<string, string>;
  /** A string is sent as UTF-8 (the transport converts it, so callers hand over text as built). */
  body: string | Uint8Array | undefined;
  /** Aborts the exchange (the caller's cancellation). */
  signal?: AbortSignal;
  /** Whole-exchange time limit in ms; on expiry the request is destroyed (TIMEOUT). */
  timeoutMs?: number;
  /** Responses larger than this are refused (RESPONSE_TOO_LARGE). */
  maxResponseBytes: number;
  /** The call the request belongs to, for a family error the transport raises itself. */
  context?: ErrorContext;
}

/** What a Transport hands back: the whole response, any status (it is not an error here). */
export interface TransportResponse {
  /** The HTTP status code, whatever it is (non-2xx are interpreted by the pipeline, not the transport). */
  status: number;
  /** Response headers as node:http gives them: names in lower case, set-cookie as an array. */
  headers: Record<string, string | string[] | undefined>;
  /** The complete body, at most the request's `maxResponseBytes`. */
  body: Buffer;
}

/** Failure classes a transport reports; the client maps them to TransportError. */
export class TransportFailure extends Error {
  constructor(
    /** Why the exchange failed; becomes the TransportError's `code` (see TransportErrorCode). */
    readonly code: 'TIMEOUT' | 'ABORTED' | 'CONNECTION_FAILED' | 'RESPONSE_TOO_LARGE',
    /** What failed, e.g. "connection refused": it becomes the error's message, so never the body or a secret. */
    message: string,
    /**
     * True when request bytes may have reached the server (its socket was connected), so a
     * state-changing request must not be re-sent blindly; false when nothing can have left.
     */
    readonly maybeDelivered: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Sends one request. Implementations must honour `signal` and `timeoutMs`. */
export interface Transport {
  /**
   * Makes the exchange and resolves with the response, whatever its status. Rejects with a
   * TransportFailure when no complete response arrived (a KzError is passed on as it is; any other
   * error becomes CONNECTION_FAILED with `maybeDelivered: true`).
   */
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Releases pooled connections. */
  close?(): void;
}

/**
 * TLS settings of the built-in transport's https agent, as node:tls takes them: `ca` for a service
 * behind Kazakhstan's national root CA, `cert`/`key` or `pfx`/`passphrase` for a client certificate.
 */
export interface TlsOptions extends Pick<SecureContextOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase'> {
  /** Defaults to true; turn off only against a local test server. */
  rejectUnauthorized?: boolean;
  /** SNI host name to send and check the certificate against, when it differs from the URL's host. */
  servername?: string;
}

/** How a NodeHttpTransport connects. */
export interface NodeHttpTransportOptions {
  /** TLS settings for https URLs (custom CA, client certificate). */
  tls?: TlsOptions;
  /** Sockets kept open per host. Default 16. */
  maxSockets?: number;
  /** Use your own agent (proxies, custom pooling); `tls` and `maxSockets` are then ignored. */
  agent?: http.Agent;
}

/**
 * The built-in Transport on node:http / node:https: keep-alive agents (created on first use), a
 * whole-exchange timer per request, AbortSignal, the response size cap, and `maybeDelivered` set
 * by whether the request's socket was connected (see TransportFailure).
 */
export class NodeHttpTransport implements Transport {
  readonly #options: NodeHttpTransportOptions;
  // Created on first use: building a client stays cheap, and a client never used opens nothing.
  #httpAgent: http.Agent | undefined;
  #httpsAgent: https.Agent | undefined;

  constructor(options: NodeHttpTransportOptions = {}) {
    this.#options = options;
  }

  #agent(isHttps: boolean): http.Agent {
    const options = this.#options;
    const maxSockets = options.maxSockets ?? 16;
    if (isHttps) {
      this.#httpsAgent ??=
        (options.agent as https.Agent | undefined) ?? new https.Agent({ keepAlive: true, maxSockets, ...options.tls });
      return this.#httpsAgent;
    }
    this.#httpAgent ??= options.agent ?? new http.Agent({ keepAlive: true, maxSockets });
    return this.#httpAgent;
  }

  /** Sends one request; rejects with a TransportFailure (TIMEOUT, ABORTED, CONNECTION_FAILED, RESPONSE_TOO_LARGE). */
  send(request: TransportRequest): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      const { signal } = request;
      if (signal?.aborted) {
        reject(abortFailure(signal, false));
        return;
      }
      let url: URL;
      try {
        url = new URL(request.url);
      } catch (error) {
        reject(new TransportFailure('CONNECTION_FAILED', `invalid endpoint URL`, false, { cause: error }));
        return;
      }
      const isHttps = url.protocol === 'https:';
      if (!isHttps && url.protocol !== 'http:') {
        reject(new TransportFailure('CONNECTION_FAILED', `unsupported protocol ${url.protocol}`, false));
        return;
      }
      const headers: Record<string, string | number> = { ...request.headers };
      const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
      if (body) headers['content-length'] = body.byteLength;
      // See the module comment: true once this request's socket is connected.
      let connected = false;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (error: TransportFailure | undefined, response?: TransportResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(response as TransportResponse);
      };
      let req: http.ClientRequest;
      try {
        req = (isHttps ? https : http).request(url, { method: request.method, headers, agent: this.#agent(isHttps) });
      } catch (error) {
        // node:http refuses to build it (a header it cannot carry): nothing was sent.
        const code = (error as NodeJS.ErrnoException).code;
        reject(new TransportFailure('CONNECTION_FAILED', `invalid request (${code ?? 'refused by node:http'})`, false));
        return;
      }
      req.on('socket', (socket: Socket) => {
        if (req.reusedSocket || isConnected(socket)) connected = true;
        else
          socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => {
            connected = true;
          });
      });
      const onAbort = (): void => {
        const failure = abortFailure(signal as AbortSignal, connected);
        req.destroy(failure);
        finish(failure);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // A plain timer per exchange: cheaper than a timeout AbortSignal, and destroys the socket.
      if (request.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const failure = new TransportFailure('TIMEOUT', 'timed out', connected);
          req.destroy(failure);
          finish(failure);
        }, request.timeoutMs);
      }
      req.on('error', (error: NodeJS.ErrnoException) => {
        finish(new TransportFailure('CONNECTION_FAILED', describeSocketError(error), connected, { cause: error }));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxResponseBytes) {
            const failure = new TransportFailure(
              'RESPONSE_TOO_LARGE',
              `response exceeds ${request.maxResponseBytes} bytes`,
              true,
            );
            finish(failure);
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error: NodeJS.ErrnoException) => {
          finish(
            new TransportFailure('CONNECTION_FAILED', `response interrupted: ${describeSocketError(error)}`, true, {
              cause: error,
            }),
          );
        });
        res.on('aborted', () => {
          finish(new TransportFailure('CONNECTION_FAILED', 'response interrupted: connection closed mid-body', true));
        });
        res.on('end', () => {
          if (!res.complete) {
            finish(new TransportFailure('CONNECTION_FAILED', 'response interrupted: connection closed mid-body', true));
            return;
          }
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, size) });
        });
      });
      // Buffered until the socket is connected (see the module comment).
      req.end(body);
    });
  }

  /** Destroys the agents' pooled sockets (your own `agent` included): call it when the client is done. */
  close(): void {
    this.#httpAgent?.destroy();
    this.#httpsAgent?.destroy();
  }
}

/** A socket handed over already connected (https: handshake done), e.g. by a custom agent. */
function isConnected(socket: Socket): boolean {
  if (socket.pending || socket.connecting) return false;
  if (!(socket instanceof TLSSocket)) return true;
  const protocol = socket.getProtocol();
  return protocol !== null && protocol !== 'unknown';
}

function abortFailure(signal: AbortSignal, maybeDelivered: boolean): TransportFailure {
  const reason = signal.reason as unknown;
  if (reason instanceof DOMException && reason.name === 'TimeoutError') {
    return new TransportFailure('TIMEOUT', 'timed out', maybeDelivered);
  }
  if (reason instanceof TransportFailure) return reason;
  return new TransportFailure('ABORTED', 'aborted by the caller', maybeDelivered);
}

function describeSocketError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'connect timed out';
    case 'EPIPE':
      return 'connection closed while sending';
    default:
      if (error.code && /CERT|SSL|TLS/.test(error.code)) return `TLS handshake failed (${error.code})`;
      return error.code ? `network error ${error.code}` : 'network error';
  }
}
