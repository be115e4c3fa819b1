/**
 * The safe XML event source every decoder in @kz/soap sits on.
 *
 * saxes (strict, well-formedness checking, namespace-aware) underneath; this module adds the
 * defences DESIGN.md asks for: DOCTYPE is refused outright (so no entity other than the five
 * predefined ones and numeric references can ever be expanded), only UTF-8 is accepted and
 * invalid UTF-8 is an error, input size and nesting depth are capped. Large inputs are fed in
 * slices that yield to the event loop, so a 10 MB response never stalls a server.
 * docs/decisions/0002-xml-parser.md records why saxes and how it was measured.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';

/** An attribute as saxes reports it (namespace-resolved). */
export interface XmlAttribute {
  readonly name: string;
  readonly uri: string;
  readonly local: string;
  readonly prefix: string;
  readonly value: string;
}

/** Receives the events of one document. Any exception thrown aborts the parse. */
export interface XmlHandler {
  /** `bindings` holds every namespace binding in scope (prefix -> URI, '' for the default). */
  open(
    ns: string,
    local: string,
    attributes: Record<string, XmlAttribute>,
    bindings: Readonly<Record<string, string>>,
  ): void;
  text(text: string): void;
  close(): void;
}

export interface XmlLimits {
  /** Largest document accepted, in bytes (or UTF-16 units for string input). Default 64 MiB. */
  maxBytes?: number;
  /** Deepest element nesting accepted. Default 256. */
  maxDepth?: number;
}

/** A well-formedness or safety violation. The codec turns it into a typed DecodeError. */
export class XmlSyntaxError extends Error {}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 256;
/** Inputs larger than this are parsed in slices with a yield between them. */
const SLICE_CHARS = 64 * 1024;

function createParser(handler: XmlHandler, limits: XmlLimits | undefined): SaxesParser<{ xmlns: true }> {
  const maxDepth = limits?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const parser = new SaxesParser({ xmlns: true, position: false });
  // saxes reports only the bindings a tag declares itself; keep the in-scope ones.
  const scopes: Record<string, string>[] = [{ xml: 'http://www.w3.org/XML/1998/namespace' }];
  parser.on('xmldecl', (decl) => {
    const encoding = decl.encoding?.toLowerCase();
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'utf8') {
      throw new XmlSyntaxError(`unsupported encoding ${decl.encoding}: only UTF-8 is accepted`);
    }
  });
  parser.on('doctype', () => {
    throw new XmlSyntaxError('DOCTYPE is not allowed');
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (scopes.length > maxDepth) throw new XmlSyntaxError(`nesting deeper than ${maxDepth} levels`);
    let scope = scopes[scopes.length - 1] as Record<string, string>;
    for (const _ in tag.ns) {
      scope = { ...scope, ...tag.ns };
      break;
    }
    scopes.push(scope);
    handler.open(tag.uri, tag.local, tag.attributes, scope);
  });
  parser.on('closetag', () => {
    scopes.pop();
    handler.close();
  });
  parser.on('text', (text) => handler.text(text));
  parser.on('cdata', (text) => handler.text(text));
  parser.on('error', (error) => {
    throw new XmlSyntaxError(error.message.replace(/^undefined:\d*:?\d*:? ?/, ''));
  });
  return parser;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new XmlSyntaxError('the document is not valid UTF-8');
  }
}

function checkSize(length: number, limits: XmlLimits | undefined): void {
  const max = limits?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (length > max) throw new XmlSyntaxError(`document of ${length} bytes exceeds the ${max}-byte limit`);
}

function checkNotEmpty(text: string): void {
  if (text.trim() === '') throw new XmlSyntaxError('the document is empty');
}

/** Parses a whole document synchronously. Use for small documents. */
export function parseXmlSync(input: string | Uint8Array, handler: XmlHandler, limits?: XmlLimits): void {
  checkSize(input.length, limits);
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  checkNotEmpty(text);
  createParser(handler, limits).write(text).close();
}

/**
 * Parses a document, yielding to the event loop between slices when it is large, so that
 * other work (timers, sockets) keeps running while a multi-megabyte response is decoded.
 */
export async function parseXml(input: string | Uint8Array, handler: XmlHandler, limits?: XmlLimits): Promise<void> {
  checkSize(input.length, limits);
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  checkNotEmpty(text);
  const parser = createParser(handler, limits);
  if (text.length <= SLICE_CHARS) {
    parser.write(text).close();
    return;
  }
  for (let start = 0; start < text.length; start += SLICE_CHARS) {
    let end = Math.min(start + SLICE_CHARS, text.length);
    // Never split a surrogate pair between slices.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end++;
    parser.write(text.slice(start, end));
    start = end - SLICE_CHARS;
    await yieldToEventLoop();
  }
  parser.close();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
