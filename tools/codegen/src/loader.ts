/**
 * Loads a contract and everything it pulls in: wsdl:import, xs:import and xs:include chains
 * across files or URLs, and schemas inline in the WSDL (also when imported without a
 * schemaLocation). Each file is read once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { attr, ContractError, children, parseXmlDocument, type XmlElement } from './xml.js';

export const NS = {
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  xs: 'http://www.w3.org/2001/XMLSchema',
  soap: 'http://schemas.xmlsoap.org/wsdl/soap/',
  soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  wsdlx: 'http://www.w3.org/ns/wsdl-extensions',
  /** Our extension attributes in specs (kz:alsoAccept). */
  kz: 'urn:kz-clients:codegen',
} as const;

export interface LoadedSchema {
  readonly element: XmlElement;
  readonly targetNamespace: string;
  readonly elementQualified: boolean;
  readonly attributeQualified: boolean;
  readonly source: string;
}

export interface LoadedContract {
  readonly main: string;
  readonly wsdls: readonly { readonly element: XmlElement; readonly source: string }[];
  readonly schemas: readonly LoadedSchema[];
  /** Every file read, in load order (for headers and change detection). */
  readonly sources: readonly string[];
}

const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

function resolveLocation(base: string, location: string): string {
  if (isUrl(location)) return location;
  if (isUrl(base)) return new URL(location, base).toString();
  return path.resolve(path.dirname(base), location);
}

async function readSource(location: string): Promise<string> {
  try {
    if (isUrl(location)) {
      const response = await fetch(location, { signal: AbortSignal.timeout(URL_TIMEOUT_MS) });
      if (!response.ok)
        throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
      return await response.text();
    }
    return await readFile(location, 'utf8');
  } catch (error) {
    throw new UnreadableSource(location, whyUnreadable(error));
  }
}

const URL_TIMEOUT_MS = 60_000;

/** fetch says only "fetch failed": the reason is in its cause (DNS, TLS, refused, timeout). */
function whyUnreadable(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; hostname?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? '';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `DNS lookup failed for ${cause?.hostname ?? 'the host'} (${code})`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS: ${cause?.message ?? code} (${code})`;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${URL_TIMEOUT_MS / 1000} s`;
  return cause?.message ?? (error as Error).message;
}

/** A file or URL that could not be read (the message says why: missing, HTTP status, DNS, TLS). */
export class UnreadableSource extends ContractError {
  readonly reason: string;

  constructor(location: string, reason: string) {
    super(`cannot read ${location}: ${reason}`);
    this.reason = reason;
  }
}

class Loader {
  readonly wsdls: { element: XmlElement; source: string }[] = [];
  readonly schemas: LoadedSchema[] = [];
  readonly sources: string[] = [];
  readonly #seen = new Set<string>();
  /** Namespaces the WSDLs' inline schemas declare: an import of one needs no file. */
  readonly #inlineNamespaces = new Set<string>();
  readonly #note: (line: string) => void;

  /** @param note told, in one line, what was assumed (a schema found inside a wrapper) */
  constructor(note: (line: string) => void = (line) => process.emitWarning(line)) {
    this.#note = note;
  }

  async loadWsdl(location: string): Promise<void> {
    if (this.#seen.has(location)) return;
    this.#seen.add(location);
    const root = parseXmlDocument(await readSource(location), location);
    this.sources.push(location);
    if (root.ns !== NS.wsdl || root.local !== 'definitions') {
      throw new ContractError(`${location} is not a WSDL 1.1 document: its root element is <${root.local}>`);
    }
    this.wsdls.push({ element: root, source: location });
    for (const imported of children(root, NS.wsdl, 'import')) {
      const loc = attr(imported, 'location');
      if (loc) await this.loadWsdl(resolveLocation(location, loc));
    }
    const inline = children(root, NS.wsdl, 'types').flatMap((types) => children(types, NS.xs, 'schema'));
    for (const schema of inline) this.#inlineNamespaces.add(attr(schema, 'targetNamespace') ?? '');
    for (const schema of inline) await this.addSchema(schema, location, undefined);
  }

  async loadSchemaFile(location: string, chameleonNamespace: string | undefined): Promise<void> {
    const key = `${location}|${chameleonNamespace ?? ''}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const text = await readSource(location);
    const root = parseSchemaDocument(text, location);
    if (!this.sources.includes(location)) this.sources.push(location);
    if (root.ns === NS.xs && root.local === 'schema') {
      await this.addSchema(root, location, chameleonNamespace);
      return;
    }
    const embedded = findDescendant(root, NS.xs, 'schema') ?? schemaInText(root, location);
    if (embedded) {
      this.#note(`${location}: root is <${root.local}>, using the xs:schema embedded in it`);
      await this.addSchema(embedded, location, chameleonNamespace);
      return;
    }
    throw new ContractError(
      `${location} is not an XML Schema: its root element is <${root.local}>${root.ns ? ` in ${root.ns}` : ''}, and it embeds no xs:schema element`,
    );
  }

  async addSchema(element: XmlElement, source: string, chameleonNamespace: string | undefined): Promise<void> {
    const targetNamespace = attr(element, 'targetNamespace') ?? chameleonNamespace ?? '';
    this.schemas.push({
      element,
      targetNamespace,
      elementQualified: attr(element, 'elementFormDefault') === 'qualified',
      attributeQualified: attr(element, 'attributeFormDefault') === 'qualified',
      source,
    });
    for (const child of element.children) {
      if (child.ns !== NS.xs) continue;
      const location = attr(child, 'schemaLocation');
      if (!location) continue; // an import without a location names a schema loaded elsewhere (e.g. inline)
      const target = resolveLocation(source, location);
      try {
        if (child.local === 'import') await this.loadSchemaFile(target, undefined);
        else if (child.local === 'include' || child.local === 'redefine') {
          await this.loadSchemaFile(target, targetNamespace);
        }
      } catch (error) {
        if (!(error instanceof UnreadableSource)) throw error;
        // A location only the publishing server resolves (Service.svc?xsd=xsd0) of a namespace an
        // inline schema of the same WSDL declares: the namespace is what counts.
        const namespace = attr(child, 'namespace');
        if (child.local === 'import' && namespace !== undefined && this.#inlineNamespaces.has(namespace)) continue;
        throw new ContractError(`${source} ${child.local}s ${location}, which cannot be read: ${error.reason}`);
      }
    }
  }
}

/**
 * A schema file as saved from a SDK or a service response: not well-formed XML that has an
 * xs:schema pasted into it (a SOAP response around an unescaped schema) is named as such.
 */
function parseSchemaDocument(text: string, location: string): XmlElement {
  try {
    return parseXmlDocument(text, location);
  } catch (error) {
    const pasted = /<([\w.-]+:)?schema[\s>]/.exec(text);
    if (!(error instanceof ContractError) || !pasted || pasted.index < 1 || !text.includes(NS.xs)) throw error;
    const wrapper = /<([\w.-]+:)?(\w+)/.exec(text.replace(/<\?[^>]*\?>/g, ''))?.[2] ?? 'another element';
    throw new ContractError(
      `${error.message}; the file is <${wrapper}> (e.g. a saved SOAP response) with an xs:schema pasted inside unescaped: save that schema as a file of its own`,
    );
  }
}

/** An xs:schema carried as text (CDATA or escaped) inside a wrapper such as a SOAP response. */
function schemaInText(element: XmlElement, location: string): XmlElement | undefined {
  const text = element.text.trim();
  if (text.startsWith('<') && text.includes(NS.xs)) {
    const inner = parseXmlDocument(
      text.replace(/^<\?xml[^>]*\?>\s*/, ''),
      `${location} (a schema inside <${element.local}>)`,
    );
    if (inner.ns === NS.xs && inner.local === 'schema') return inner;
  }
  for (const c of element.children) {
    const found = schemaInText(c, location);
    if (found) return found;
  }
  return undefined;
}

function findDescendant(element: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of element.children) {
    if (c.ns === ns && c.local === local) return c;
    const found = findDescendant(c, ns, local);
    if (found) return found;
  }
  return undefined;
}

/**
 * Loads a WSDL (file path or http(s) URL) with every WSDL and XSD it imports or includes,
 * following schemaLocations; `note` is told what was assumed (one line each).
 * @throws ContractError when a document is not what it should be or an import cannot be read.
 */
export async function loadWsdl(location: string, note?: (line: string) => void): Promise<LoadedContract> {
  const main = isUrl(location) ? location : path.resolve(location);
  const loader = new Loader(note);
  await loader.loadWsdl(main);
  return { main, wsdls: loader.wsdls, schemas: loader.schemas, sources: loader.sources };
}

/** One schema, or several that refer to each other by namespace (the first is the main one). */
export async function loadXsd(
  locations: string | readonly string[],
  note?: (line: string) => void,
): Promise<LoadedContract> {
  const all = (typeof locations === 'string' ? [locations] : locations).map((l) => (isUrl(l) ? l : path.resolve(l)));
  const loader = new Loader(note);
  for (const location of all) await loader.loadSchemaFile(location, undefined);
  return { main: all[0] ?? '', wsdls: [], schemas: loader.schemas, sources: loader.sources };
}
