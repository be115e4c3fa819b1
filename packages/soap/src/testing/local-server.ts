/** Starts an HTTP server on 127.0.0.1 with a random port, for mocks and tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  /** Base URL, e.g. http://127.0.0.1:43127 */
  readonly url: string;
  readonly server: http.Server;
  /** Stops accepting, closes idle keep-alive sockets, resolves when closed. */
  close(): Promise<void>;
}

export async function startLocalServer(handler: http.RequestListener): Promise<LocalServer> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
