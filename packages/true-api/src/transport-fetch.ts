/**
 * fetch() on @kz/soap's node:http transport, the default under openapi-fetch: keep-alive sockets,
 * TLS options (the national root CA of the state systems, client certificates), a timer per call
 * instead of a timeout signal on every Request (which costs undici a second Request), the response
 * cap enforced while the body streams, and gzip/deflate bodies (which a proxy may send unasked)
 * decoded within the same cap.
 */
import type { Transport } from '@kz/soap';
import { BodyFailure, decodeContent } from './body.js';

/** Statuses whose responses carry no body (a Response must not be given one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

export function transportFetch(transport: Transport, timeoutMs: number, maxResponseBytes: number): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const response = await transport.send({
      url: request.url,
      method: request.method,
      headers,
      body,
      signal: request.signal,
      timeoutMs,
      maxResponseBytes,
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
      else if (value !== undefined) responseHeaders.set(name, value);
    }
    const empty = NULL_BODY.has(response.status) || request.method === 'HEAD';
    if (empty) return new Response(null, { status: response.status, headers: responseHeaders });
    const encoding = responseHeaders.get('content-encoding') ?? '';
    const decoded = encoding
      ? await decodeContent(response.body, encoding, maxResponseBytes).catch((error: unknown) => {
          throw error instanceof BodyFailure ? new BodyFailure(error.kind, error.message, response.status) : error;
        })
      : response.body;
    if (encoding) {
      // The body handed on is decoded: its length and encoding headers no longer apply.
      responseHeaders.delete('content-encoding');
      responseHeaders.delete('content-length');
    }
    return new Response(decoded, { status: response.status, headers: responseHeaders });
  };
}
