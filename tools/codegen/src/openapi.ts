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
import { sanitizeDoc, shorten } from './docs.js';
import { header } from './emit.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** How one OpenAPI operation is called, as `operations.ts` lists it for the hand-written layer. */
export interface OpenApiOperationMeta {
  /** The HTTP method, lower case ('get', 'post', ...). */
  readonly method: string;
  /** The path template as the spec writes it, with `{name}` placeholders. */
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
  const document = (await loadDocument(location)) as OpenAPI3;
  documentRoots(nodes, document as unknown as Json);
  const types = astToString(nodes).trimStart();
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

/** A doc comment on a node openapi-typescript left without one (contract text: sanitized). */
function addDoc(node: ts.Node, text: string): void {
  if (ts.getSyntheticLeadingComments(node)?.length) return;
  const lines = sanitizeDoc(text).split('\n');
  const body = lines.length === 1 ? `* ${lines[0]} ` : `*\n * ${lines.join('\n * ')}\n `;
  ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, body, true);
}

const COMPONENTS: Record<string, string> = {
  schemas: 'Schemas',
  responses: 'Responses',
  parameters: 'Parameters',
  requestBodies: 'Request bodies',
  headers: 'Headers',
  pathItems: 'Path items',
};

/**
 * Docs for what openapi-typescript declares without one: its top-level `paths`, `webhooks`,
 * `components`, `$defs` and `operations` and their direct members (one per path, component kind
 * and operation), from the spec's summaries or, without them, what the spec says they are.
 */
function documentRoots(nodes: readonly ts.Node[], document: Json): void {
  const paths = (document.paths ?? {}) as Record<string, Json>;
  const byId = new Map<string, { method: string; route: string; operation: Json }>();
  for (const [route, item] of Object.entries(paths))
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (operation && typeof operation.operationId === 'string')
        byId.set(operation.operationId, { method, route, operation });
    }
  const count = (value: unknown): number => Object.keys((value as Json | undefined) ?? {}).length;
  const components = (document.components ?? {}) as Json;
  const roots: Record<string, { doc: string; member?: (name: string) => string | undefined }> = {
    paths: {
      doc: 'Every path of the spec, by path template: its parameters and, per HTTP method, its operation (see `operations`).',
      member: (route) => {
        const item = paths[route];
        if (!item) return undefined;
        const ops = METHODS.filter((m) => item[m]).map(
          (m) => `${m.toUpperCase()} \`${(item[m] as Json).operationId ?? '?'}\``,
        );
        const own = [item.summary, item.description].filter((t): t is string => typeof t === 'string').map(shorten);
        return [...own, `Path \`${route}\`: ${ops.join(', ') || 'no operations'}.`].join('\n');
      },
    },
    webhooks: {
      doc: `Webhooks the spec declares (${count(document.webhooks) || 'none'}).`,
    },
    components: {
      doc: 'Reusable parts of the spec (`components`), referred to by `paths` and `operations`.',
      member: (kind) => {
        const n = count(components[kind]);
        const label = COMPONENTS[kind] ?? kind;
        return n > 0 ? `${label} of \`components/${kind}\`, by name (${n}).` : `${label}: none in this spec.`;
      },
    },
    $defs: { doc: `JSON Schema \`$defs\` of the spec (${count(document.$defs) || 'none'}).` },
    operations: {
      doc: 'Every operation of the spec, by operationId: its parameters, request body and responses.',
      member: (id) => {
        const found = byId.get(id);
        if (!found) return undefined;
        const { summary } = found.operation;
        const safe = found.operation['x-kz-safe'] === true ? '; safe (x-kz-safe): may be retried' : '';
        const title = typeof summary === 'string' ? `${shorten(summary.trim()).replace(/[.:;]$/, '')}: ` : '';
        return `${title}\`${found.method.toUpperCase()} ${found.route}\`${safe}.`;
      },
    },
  };
  for (const node of nodes) {
    if (!ts.isInterfaceDeclaration(node) && !ts.isTypeAliasDeclaration(node)) continue;
    const root = roots[node.name.text];
    if (!root) continue;
    addDoc(node, root.doc);
    if (!ts.isInterfaceDeclaration(node) || !root.member) continue;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member)) continue;
      const name = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : undefined;
      const doc = name === undefined ? undefined : root.member(name);
      if (doc) addDoc(member, doc);
    }
  }
}

async function loadDocument(location: string): Promise<unknown> {
  const text = /^https?:/i.test(location) ? await (await fetch(location)).text() : await readFile(location, 'utf8');
  return parseYaml(text) as unknown;
}

/**
 * Every operation of an OpenAPI document, by operationId, in path and method order.
 * @throws Error when an operation has no operationId or two share one.
 */
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
    '/** How an operation is called: its method, path, retry safety and media types. */',
    'export interface OperationMeta {',
    "  /** The HTTP method, lower case ('get', 'post', ...). */",
    '  readonly method: string;',
    '  /** The path template as the spec writes it, with `{name}` placeholders for path parameters. */',
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
    '/** The operationId of an operation of the spec. */',
    'export type OperationId = keyof typeof operationMeta;',
    '',
  ].join('\n');
}
