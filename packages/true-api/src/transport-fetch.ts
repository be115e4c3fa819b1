/**
 * fetch() on @kz/soap's node:http transport, the default under openapi-fetch: keep-alive sockets,
 * TLS options (the national root CA of the state systems, client certificates), and a timer per
 * call instead of a timeout signal on every Request (which costs undici a second Request).
 */
import type { Transport } from '@kz/soap';

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
    return new Response(empty ? null : response.body, { status: response.status, headers: responseHeaders });
  };
}
