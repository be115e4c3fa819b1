/**
 * The safe XML event source every decoder in @kz/soap sits on: our own strict scanner
 * (./scanner.ts) plus the input rules: only UTF-8, invalid UTF-8 is an error, size and nesting
 * depth are capped, and large inputs are scanned in slices that yield to the event loop, so a
 * 10 MB response never stalls a server. docs/decisions/0002-xml-parser.md records the choice.
 */
import { isUtf8 } from 'node:buffer';
import { XmlScanner, XmlSyntaxError } from './scanner.js';

export { XmlSyntaxError };

/** An attribute, namespace-resolved. */
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

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 256;
/** Large inputs are scanned in slices of this size... */
const SLICE_CHARS = 32 * 1024;
/** ...yielding to the event loop whenever this much time has passed since the last yield. */
const YIELD_AFTER_MS = 4;

function decodeUtf8(bytes: Uint8Array): string {
  // isUtf8 validates natively and fast; toString then cannot meet an invalid sequence.
  if (!isUtf8(bytes)) throw new XmlSyntaxError('the document is not valid UTF-8');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function prepare(input: string | Uint8Array, limits: XmlLimits | undefined): string {
  const max = limits?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (input.length > max) throw new XmlSyntaxError(`document of ${input.length} bytes exceeds the ${max}-byte limit`);
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  if (text.trim() === '') throw new XmlSyntaxError('the document is empty');
  return text;
}

/** Parses a whole document synchronously. Use for small documents. */
export function parseXmlSync(input: string | Uint8Array, handler: XmlHandler, limits?: XmlLimits): void {
  const text = prepare(input, limits);
  new XmlScanner(text, handler, limits?.maxDepth ?? DEFAULT_MAX_DEPTH).scan();
}

/**
 * Parses a document, yielding to the event loop between slices when it is large, so that
 * other work (timers, sockets) keeps running while a multi-megabyte response is decoded.
 */
export async function parseXml(input: string | Uint8Array, handler: XmlHandler, limits?: XmlLimits): Promise<void> {
  const text = prepare(input, limits);
  const scanner = new XmlScanner(text, handler, limits?.maxDepth ?? DEFAULT_MAX_DEPTH);
  let lastYield = performance.now();
  for (let until = SLICE_CHARS; !scanner.scan(until); until += SLICE_CHARS) {
    if (performance.now() - lastYield >= YIELD_AFTER_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
