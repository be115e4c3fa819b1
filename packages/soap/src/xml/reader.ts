/**
 * The safe XML event source every decoder in @kz/soap sits on: our own strict scanner
 * (./scanner.ts) plus the input rules: only UTF-8, invalid UTF-8 is an error, size and nesting
 * depth are capped, and large inputs are scanned in slices that yield to the event loop, so a
 * 10 MB response never stalls a server. docs/decisions/0002-xml-parser.md records the choice.
 */
import { isUtf8 } from 'node:buffer';
import type { XmlScope } from './namespaces.js';
import { XmlScanner, XmlSyntaxError } from './scanner.js';

export type { XmlScope };
export { XmlSyntaxError };

/** parseXml stopped between slices: the caller's deadline passed or its signal aborted. */
export class XmlParseInterrupted extends Error {
  constructor(
    /** 'timeout': the `deadline` passed; 'aborted': the `signal` was aborted. */
    readonly reason: 'timeout' | 'aborted',
  ) {
    super(reason === 'timeout' ? 'the deadline passed while parsing' : 'aborted while parsing');
  }
}

/** An attribute, namespace-resolved. */
export interface XmlAttribute {
  /** The qualified name as written, e.g. `xsi:type` (the key in `XmlHandler.open`'s attributes). */
  readonly name: string;
  /**
   * The namespace URI its prefix is bound to; '' for an unprefixed attribute (no namespace);
   * http://www.w3.org/2000/xmlns/ for a namespace declaration (declarations are listed too).
   */
  readonly uri: string;
  /** The local name, without the prefix. */
  readonly local: string;
  /** The prefix as written; '' when there is none. */
  readonly prefix: string;
  /** The value as XML normalizes it: literal tabs and line breaks become spaces, references are resolved. */
  readonly value: string;
}

/** Receives the events of one document. Any exception thrown aborts the parse. */
export interface XmlHandler {
  /**
   * An element opens. `attributes` is keyed by qualified name and inherits nothing (an attribute
   * may be named `__proto__`; see newAttributes). `scope` resolves prefixes at the current position and tells the
   * prefix the element was written with; it is live, read it during the parse only.
   */
  open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void;
  /** Character data (CDATA included), references resolved; one run of text may arrive in several calls. */
  text(text: string): void;
  /** The element opened last (and not yet closed) closes. */
  close(): void;
}

/** Caps on what a parse accepts; a document past one is an XmlSyntaxError. */
export interface XmlLimits {
  /** Largest document accepted, in bytes (or UTF-16 units for string input). Default 64 MiB. */
  maxBytes?: number;
  /** Deepest element nesting accepted. Default 256. */
  maxDepth?: number;
  /** Most attributes (namespace declarations included) on one element. Default 2048. */
  maxAttributes?: number;
}

/** parseXml's options: the limits, and what may stop it between slices. */
export interface XmlParseOptions extends XmlLimits {
  /** When aborted, the parse stops at the next slice with XmlParseInterrupted('aborted'). */
  signal?: AbortSignal;
  /** A `performance.now()` time; past it the parse stops at the next slice with XmlParseInterrupted('timeout'). */
  deadline?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 256;
const DEFAULT_MAX_ATTRIBUTES = 2048;
/** Large inputs are scanned in slices of this size... */
const SLICE_CHARS = 32 * 1024;
/** ...yielding to the event loop whenever this much time has passed since the last yield. */
const YIELD_AFTER_MS = 4;

/**
 * What the scanner reads: a string as it is; bytes (validated as UTF-8, natively and fast) as
 * their Latin-1 view, one character per byte, which the scanner decodes piece by piece
 * (./scanner.ts). Decoding a whole document up front would cost more than the rest of the scan
 * for text that is not ASCII, and would hold the document twice.
 */
interface Prepared {
  text: string;
  bytes: Uint8Array | undefined;
}

function prepare(input: string | Uint8Array, limits: XmlLimits | undefined): Prepared {
  const max = limits?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (input.length > max) throw new XmlSyntaxError(`document of ${input.length} bytes exceeds the ${max}-byte limit`);
  if (typeof input === 'string') {
    if (input.trim() === '') throw new XmlSyntaxError('the document is empty');
    return { text: input, bytes: undefined };
  }
  if (!isUtf8(input)) throw new XmlSyntaxError('the document is not valid UTF-8');
  const text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  if (text.replace(/^\xEF\xBB\xBF/, '').trim() === '') throw new XmlSyntaxError('the document is empty');
  return { text, bytes: input };
}

function scannerLimits(limits: XmlLimits | undefined): { maxDepth: number; maxAttributes: number } {
  return {
    maxDepth: limits?.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxAttributes: limits?.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES,
  };
}

/** Parses a whole document synchronously. Use for small documents. */
export function parseXmlSync(input: string | Uint8Array, handler: XmlHandler, limits?: XmlLimits): void {
  const { text, bytes } = prepare(input, limits);
  new XmlScanner(text, handler, scannerLimits(limits), bytes).scan();
}

/**
 * Parses a document, yielding to the event loop between slices when it is large, so that
 * other work (timers, sockets) keeps running while a multi-megabyte response is decoded, and
 * so that a deadline or an abort (checked between slices) can stop it.
 */
export async function parseXml(
  input: string | Uint8Array,
  handler: XmlHandler,
  options?: XmlParseOptions,
): Promise<void> {
  const { text, bytes } = prepare(input, options);
  const scanner = new XmlScanner(text, handler, scannerLimits(options), bytes);
  const signal = options?.signal;
  const deadline = options?.deadline ?? Number.POSITIVE_INFINITY;
  let lastYield = performance.now();
  for (let until = SLICE_CHARS; !scanner.scan(until); until += SLICE_CHARS) {
    const now = performance.now();
    if (signal?.aborted) throw new XmlParseInterrupted('aborted');
    if (now > deadline) throw new XmlParseInterrupted('timeout');
    if (now - lastYield >= YIELD_AFTER_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
