/**
 * OpenAPI 3.x -> TypeScript for clients on openapi-fetch.
 *
 * `types.ts` is openapi-typescript's output (`paths`, `components`, `operations`), with
 * `format: binary` typed as Blob. `operations.ts` lists every operation (method, path, whether
 * `x-kz-safe: true` marks it safe to retry, its servers when it overrides the document's, the
 * media type of its request body and those of its success responses) so the hand-written layer
 * can send and read each body as its media type, and tests can rely on the spec's own
 * inventory. Output is deterministic: same spec, same bytes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseYaml } from '@redocly/openapi-core';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { header } from './emit.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface OpenApiOperationMeta {
  readonly method: string;
  readonly path: string;
  /** `x-kz-safe: true` in the spec: the call changes nothing and may be retried. */
  readonly safe: boolean;
  /** The operation's or path's own servers, when they override the document's. */
  readonly servers?: readonly string[];
  /** Media type of the request body (the first the spec lists), when it has one. */
  readonly requestMediaType?: string;
  /** Media types of the success (2xx) responses, in spec order, without duplicates. */
  readonly responseMediaTypes: readonly string[];
}

type Json = Record<string, unknown>;

/** Follows local `$ref`s (`#/components/...`) to the object they name. */
function resolveRef(document: Json, value: unknown): Json | undefined {
  let current = value as Json | undefined;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 32; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#/')) return undefined;
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (node, key) => (node as Json | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        document,
      ) as Json | undefined;
  }
  return current;
}

function mediaTypes(
  document: Json,
  operation: Json,
): Pick<OpenApiOperationMeta, 'requestMediaType' | 'responseMediaTypes'> {
  const body = resolveRef(document, operation.requestBody);
  const request = Object.keys((body?.content as Json | undefined) ?? {})[0];
  const responses = new Set<string>();
  for (const [status, response] of Object.entries((operation.responses as Json | undefined) ?? {})) {
    if (!/^2/.test(status)) continue;
    for (const type of Object.keys((resolveRef(document, response)?.content as Json | undefined) ?? {}))
      responses.add(type);
  }
  return { ...(request ? { requestMediaType: request } : {}), responseMediaTypes: [...responses] };
}

/** Builds `types.ts`, `operations.ts` and `index.ts` for an OpenAPI file, without touching the disk. */
export async function renderOpenApi(
  location: string,
  origin: string,
  regenerate?: string,
): Promise<Map<string, string>> {
  const url = /^https?:/i.test(location) ? new URL(location) : pathToFileURL(path.resolve(location));
  const nodes = await openapiTS(url, {
    silent: true,
    alphabetize: false,
    transform(schema) {
      if (schema.format === 'binary') {
        const blob = ts.factory.createTypeReferenceNode('Blob');
        return schema.nullable
          ? ts.factory.createUnionTypeNode([blob, ts.factory.createLiteralTypeNode(ts.factory.createNull())])
          : blob;
      }
      return undefined;
    },
  });
  const types = astToString(nodes).trimStart();
  const document = (await loadDocument(location)) as OpenAPI3;
  const operations = collectOperations(document);
  const files = new Map<string, string>();
  files.set('types.ts', `${header(origin, regenerate)}\n${types}`);
  files.set('operations.ts', `${header(origin, regenerate)}\n${emitOperations(operations)}`);
  files.set(
    'index.ts',
    `${header(origin, regenerate)}\nexport type * from './types.js';\nexport * from './operations.js';\n`,
  );
  return files;
}

async function loadDocument(location: string): Promise<unknown> {
  const text = /^https?:/i.test(location) ? await (await fetch(location)).text() : await readFile(location, 'utf8');
  return parseYaml(text) as unknown;
}

export function collectOperations(document: OpenAPI3): Record<string, OpenApiOperationMeta> {
  const out: Record<string, OpenApiOperationMeta> = {};
  for (const [route, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const id = operation.operationId;
      if (typeof id !== 'string') throw new Error(`${method.toUpperCase()} ${route}: operationId is missing`);
      if (out[id]) throw new Error(`operationId ${id} is used twice`);
      const servers = (operation.servers ?? item.servers) as { url: string }[] | undefined;
      out[id] = {
        method,
        path: route,
        safe: operation['x-kz-safe'] === true,
        ...(servers ? { servers: servers.map((s) => s.url) } : {}),
        ...mediaTypes(document as unknown as Json, operation),
      };
    }
  }
  return out;
}

function emitOperations(operations: Record<string, OpenApiOperationMeta>): string {
  const lines = Object.entries(operations).map(([id, op]) => {
    const servers = op.servers ? `, servers: ${JSON.stringify(op.servers)}` : '';
    const request = op.requestMediaType ? `, requestMediaType: ${JSON.stringify(op.requestMediaType)}` : '';
    const responses = `, responseMediaTypes: ${JSON.stringify(op.responseMediaTypes)}`;
    return `  ${id}: { method: '${op.method}', path: '${op.path}', safe: ${op.safe}${servers}${request}${responses} },`;
  });
  return [
    'export interface OperationMeta {',
    '  readonly method: string;',
    '  readonly path: string;',
    '  /** `x-kz-safe: true` in the spec: the call changes nothing and may be retried. */',
    '  readonly safe: boolean;',
    "  /** The operation's own servers, when they override the document's. */",
    '  readonly servers?: readonly string[];',
    '  /** Media type of the request body, when it has one. */',
    '  readonly requestMediaType?: string;',
    '  /** Media types of the success (2xx) responses. */',
    '  readonly responseMediaTypes: readonly string[];',
    '}',
    '',
    '/** Every operation of the spec, by operationId. */',
    'export const operationMeta = {',
    ...lines,
    '} as const satisfies Record<string, OperationMeta>;',
    '',
    'export type OperationId = keyof typeof operationMeta;',
    '',
  ].join('\n');
}
