/** Deterministic TypeScript names for XML names. */

const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'as',
  'implements',
  'interface',
  'let',
  'package',
  'private',
  'protected',
  'public',
  'static',
  'yield',
  'any',
  'boolean',
  'number',
  'string',
  'symbol',
  'type',
  'from',
  'of',
  'never',
  'unknown',
  'object',
  'Array',
  'Promise',
  'Record',
  'Uint8Array',
  'Date',
  'Error',
  'Map',
  'Set',
]);

function words(name: string): string[] {
  return name
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

export function pascalCase(name: string): string {
  const result = words(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  if (result === '') return 'Type';
  return /^[0-9]/.test(result) ? `T${result}` : result;
}

export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  // Keep leading acronyms readable: "GetInvoicesByIIN" -> "getInvoicesByIIN", "URLs" -> "urls".
  const match = /^[A-Z]+(?=[A-Z][a-z]|[0-9]|$)/.exec(pascal);
  if (match && match[0].length > 1) return match[0].toLowerCase() + pascal.slice(match[0].length);
  const camel = pascal.charAt(0).toLowerCase() + pascal.slice(1);
  return RESERVED.has(camel) ? `${camel}_` : camel;
}

/** A name usable as a type name: PascalCase, not clashing with TypeScript's own names. */
export function typeName(name: string): string {
  const pascal = pascalCase(name);
  return RESERVED.has(pascal) ? `${pascal}Type` : pascal;
}

export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** Hands out unique names in request order: the first asker gets the plain name. */
export class NameAllocator {
  readonly #taken = new Set<string>();
  readonly #nextNumber = new Map<string, number>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.#taken.add(name);
  }

  allocate(preferred: string, alternatives: readonly string[] = []): string {
    for (const candidate of [preferred, ...alternatives]) {
      if (!this.#taken.has(candidate)) {
        this.#taken.add(candidate);
        return candidate;
      }
    }
    // Numbering resumes where it stopped for this name: many same-named types cost linear time.
    for (let n = this.#nextNumber.get(preferred) ?? 2; ; n++) {
      const candidate = `${preferred}${n}`;
      if (!this.#taken.has(candidate)) {
        this.#taken.add(candidate);
        this.#nextNumber.set(preferred, n + 1);
        return candidate;
      }
    }
  }
}

/** A short PascalCase tag for a namespace URI, used to tell apart same-named types. */
export function namespaceTag(ns: string): string {
  const parts = ns
    .replace(/^[a-z]+:\/\//i, '')
    .split(/[/:#]+/)
    .filter((p) => p && !/^(www|http|https|urn)$/i.test(p));
  return pascalCase(parts.slice(-2).join(' ')) || 'NoNamespace';
}
