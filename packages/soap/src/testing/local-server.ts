/** Starts an HTTP server on 127.0.0.1 with a random port, for mocks and tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running startLocalServer server. */
export interface LocalServer {
  /** Base URL, e.g. http://127.0.0.1:43127 */
  readonly url: string;
  /** The node:http server, e.g. to count connections or attach listeners. */
  readonly server: http.Server;
  /** Stops accepting, closes its connections, resolves when closed (again: the same promise). */
  close(): Promise<void>;
  /** The same as close(), for `await using server = await startLocalServer(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves `handler` on 127.0.0.1 at a free port the system picks (keep-alive 5 s); resolves once it
 * listens. Close it with `close()`, or `await using` it.
 */
export async function startLocalServer(handler: http.RequestListener): Promise<LocalServer> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closed;
  };
  return { url: `http://127.0.0.1:${port}`, server, close, [Symbol.asyncDispose]: close };
}
