/**
 * Each True API body is sent and read as the media type the spec gives its operation (the
 * generated `operationMeta`): JSON by default, `text/plain` signature uploads as the text itself,
 * the formal document upload as `multipart/form-data` (a Blob becomes a file part), and answers
 * that are text, ZIP or JSON read as such. The client picks this per call from the route, so a
 * call site writes only the typed body and reads the typed `data`. An answer whose Content-Type
 * is not one the operation documents is a DecodeError, never data.
 */
import { DecodeError, ValidationError } from '@kz/soap';
import type { Client } from 'openapi-fetch';
import { SERVICE } from './errors.js';
import { type OperationId, operationMeta } from './generated/operations.js';
import type { paths } from './generated/types.js';

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

interface Route {
  readonly id: OperationId;
  readonly requestMediaType?: string;
  readonly responseMediaTypes: readonly string[];
}

const ROUTES = new Map<string, Route>(
  (Object.entries(operationMeta) as [OperationId, (typeof operationMeta)[OperationId]][]).map(([id, op]) => [
    `${op.method.toUpperCase()} ${op.path}`,
    { id, ...op },
  ]),
);

type ParseAs = 'json' | 'text' | 'blob' | 'arrayBuffer' | 'stream';

interface Init {
  body?: unknown;
  headers?: Record<string, string | undefined>;
  parseAs?: ParseAs;
  bodySerializer?: (body: unknown, headers?: Headers | Record<string, string>) => unknown;
}

const essence = (mediaType: string | null | undefined) => (mediaType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');
const isText = (mediaType: string) => mediaType.startsWith('text/');

/** How the body of a call goes out, from its operation's request media type. */
function encodingOf(route: Route): Pick<Init, 'bodySerializer'> & { contentType?: string } {
  switch (route.requestMediaType) {
    case 'text/plain':
      return {
        contentType: 'text/plain;charset=UTF-8',
        bodySerializer: (body) => {
          if (typeof body !== 'string') {
            throw new ValidationError({ service: SERVICE, operation: route.id }, [
              { field: 'body', message: 'this operation takes text (text/plain)' },
            ]);
          }
          return body;
        },
      };
    case 'multipart/form-data':
      // No Content-Type: the Request writes multipart/form-data with its boundary.
      return { bodySerializer: (body) => formData(route.id, body) };
    default:
      return {};
  }
}

/** A typed multipart body as FormData: Blobs (and bytes) become file parts, the rest text fields. */
function formData(operation: OperationId, body: unknown): FormData {
  if (body instanceof FormData) return body;
  if (!body || typeof body !== 'object') {
    throw new ValidationError({ service: SERVICE, operation }, [
      { field: 'body', message: 'expected the form fields' },
    ]);
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      if (item instanceof Blob) form.append(name, item, item instanceof File ? item.name : name);
      else if (item instanceof Uint8Array) form.append(name, new Blob([item]), name);
      else form.append(name, String(item));
    }
  }
  return form;
}

/** How the answer is read: text or bytes when the operation documents no JSON answer. */
function parseAsOf(route: Route): ParseAs {
  const types = route.responseMediaTypes;
  if (types.length === 0 || types.some(isJson)) return types.every(isJson) ? 'json' : 'text';
  return types.every(isText) ? 'text' : 'blob';
}

/** The answer's data as its Content-Type says, checked against what the operation documents. */
function readData(route: Route, response: Response, data: unknown, parseAs: ParseAs, explicit: boolean): unknown {
  if (data === undefined || route.responseMediaTypes.length === 0 || !response.ok) return data;
  const got = essence(response.headers.get('content-type'));
  const documented = route.responseMediaTypes.map(essence);
  if (!documented.includes(got)) {
    throw new DecodeError(
      { service: SERVICE, operation: route.id },
      `the answer is ${got || 'untyped'}, the operation answers ${documented.join(' or ')}`,
      '',
      { httpStatus: response.status },
    );
  }
  // Read as text because the operation also answers text: a JSON answer is parsed here.
  if (!explicit && parseAs === 'text' && isJson(got) && typeof data === 'string') {
    try {
      return JSON.parse(data);
    } catch {
      // The parser's message quotes the body (which may hold a secret): not kept as the cause.
      throw new DecodeError({ service: SERVICE, operation: route.id }, 'the JSON answer does not parse', '', {
        httpStatus: response.status,
      });
    }
  }
  return data;
}

type Call = (url: string, init?: Init) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

function mediaCall(method: string, call: Call): Call {
  return async (url, init) => {
    const route = ROUTES.get(`${method} ${url}`);
    if (!route) return call(url, init);
    const explicit = init?.parseAs !== undefined;
    const parseAs = init?.parseAs ?? parseAsOf(route);
    const { contentType, bodySerializer } = encodingOf(route);
    const options: Init = {
      ...init,
      ...(parseAs === 'json' ? {} : { parseAs }),
      ...(bodySerializer && !init?.bodySerializer ? { bodySerializer } : {}),
      ...(contentType && init?.body !== undefined
        ? { headers: { ...(init?.headers as Record<string, string> | undefined), 'Content-Type': contentType } }
        : {}),
    };
    // A JSON body that does not parse is refused by the REST codec policy (rest-codec.ts) already.
    const result = await call(url, options);
    const data = readData(route, result.response, result.data, parseAs, explicit);
    return data === result.data ? result : { ...result, data };
  };
}

/** The client with every call sent and read as its operation's media types. */
export function withMediaTypes(client: Client<paths>): Client<paths> {
  const wrapped: Record<string, unknown> = { ...client };
  for (const method of METHODS) wrapped[method] = mediaCall(method, client[method] as unknown as Call);
  const request = client.request as unknown as (method: string, url: string, init?: Init) => ReturnType<Call>;
  wrapped.request = (method: string, url: string, init?: Init) =>
    mediaCall(method.toUpperCase(), (u, i) => request(method, u, i))(url, init);
  return wrapped as unknown as Client<paths>;
}
