/**
 * `startSoapMock`: a contract's operations served over real HTTP on 127.0.0.1 (a free port), the
 * one way every package's mock starts. Several services can share the server at their own paths
 * (ESF's four services, SHEP's two channels); any other path is a 404.
 */
import { KzError } from '../errors.js';
import type { ServiceMeta } from '../schema.js';
import type { ServerPolicy } from '../server/exchange.js';
import { createSoapHandler, type OperationHandlers, type SoapHandlerOptions } from '../server.js';
import { startLocalServer } from './local-server.js';

/** How a mock serves its service (the handler's options) and where. */
export interface SoapMockOptions extends SoapHandlerOptions {
  /** The path the service answers at. Default: the path of the contract's address, else '/'. */
  path?: string;
  /** More services on the same server, each at its own path. */
  services?: readonly SoapMockService[];
}

/** A further service of a mock's server. */
export interface SoapMockService {
  /** The path it answers at (exact; the query is ignored). */
  path: string;
  /** Its contract's metadata. */
  meta: ServiceMeta;
  /** Its operation handlers. */
  handlers: OperationHandlers;
  /** Its handler's options (policies, hooks, limits). */
  options?: SoapHandlerOptions;
}

/** A request that reached an operation (decoded), whatever it was answered. */
export interface SoapMockCall {
  /** The service's name (ServiceMeta.service). */
  service: string;
  /** The operation called. */
  operation: string;
  /** Its decoded input. */
  input: unknown;
}

/** The name of the observe-phase policy recording a mock's `calls`. */
export const MOCK_CALLS_POLICY = 'mock-calls';

/** A running mock; close it (or `await using` it) when done. */
export interface SoapMock {
  /** Every request that reached an operation, in order, over all the mock's services (`calls.length = 0` clears it). */
  readonly calls: SoapMockCall[];
  /** The first service's URL, path included: give it to a client as `endpoint`. */
  readonly url: string;
  /** The server's origin (http://127.0.0.1:port), for the URLs of the other services. */
  readonly origin: string;
  /** Stops the server, closes its connections and releases the port (again: the same promise). */
  close(): Promise<void>;
  /** The same as close(). */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves `handlers` for `meta` (and `options.services`) on 127.0.0.1 at a free port.
 * @throws KzError CONFIG_ERROR when two services are given the same path.
 */
export async function startSoapMock(
  meta: ServiceMeta,
  handlers: OperationHandlers,
  options: SoapMockOptions = {},
): Promise<SoapMock> {
  const { path = pathOf(meta.defaultEndpoint), services = [], ...handlerOptions } = options;
  const calls: SoapMockCall[] = [];
  const recorder: ServerPolicy = {
    name: MOCK_CALLS_POLICY,
    async sendRequest(request, next) {
      try {
        return await next(request);
      } finally {
        if (request.operation)
          calls.push({ service: request.service, operation: request.operation.name, input: request.input });
      }
    },
  };
  const serve = (meta: ServiceMeta, handlers: OperationHandlers, options: SoapHandlerOptions = {}) =>
    createSoapHandler(meta, handlers, {
      ...options,
      pipeline: [{ policy: recorder, phase: 'observe' }, ...(options.pipeline ?? [])],
    });
  const routes = new Map([[path, serve(meta, handlers, handlerOptions)]]);
  for (const service of services) {
    if (routes.has(service.path)) {
      const context = { service: service.meta.service, operation: 'configure' };
      throw new KzError(context, 'CONFIG_ERROR', `startSoapMock: two services at ${service.path}`);
    }
    routes.set(service.path, serve(service.meta, service.handlers, service.options));
  }
  const server = await startLocalServer((req, res) => {
    const handler = routes.get(req.url?.split('?')[0] ?? '');
    if (handler) handler(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
  });
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= server.close();
    return closed;
  };
  return { calls, url: `${server.url}${path}`, origin: server.url, close, [Symbol.asyncDispose]: close };
}

function pathOf(address: string | undefined): string {
  if (!address) return '/';
  try {
    return new URL(address).pathname;
  } catch {
    return '/';
  }
}
