/**
 * Lexical parsing and formatting of XSD leaf values, lossless by construction:
 * longs and decimals stay strings (validated), dates keep their lexical form and offset.
 */
import type { Facets, LeafKind, SimpleTypeMeta } from '../schema.js';
import { clip } from '../xml/clip.js';

/** Thrown by parseLeaf/formatLeaf; the codec turns it into a DecodeError or ValidationError. */
export class LeafError extends Error {}

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-?INF|NaN)$/;
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
// Padding and trailing whitespace cannot overlap the first class: refusal stays linear however
// long a whitespace run is (the old /^[A-Za-z0-9+/\s]*={0,2}\s*$/ backtracked quadratically).
const BASE64 = /^[A-Za-z0-9+/\s]*(?:=\s*){0,2}$/;
const HEX = /^([0-9a-fA-F]{2})*$/;

/** Inclusive ranges of the integer kinds that map to number. */
const NUMBER_RANGES: Partial<Record<LeafKind, readonly [number, number]>> = {
  int: [-2147483648, 2147483647],
  unsignedInt: [0, 4294967295],
  short: [-32768, 32767],
  unsignedShort: [0, 65535],
  byte: [-128, 127],
  unsignedByte: [0, 255],
};

/** Sign constraints of the integer kinds that map to string. */
const BIG_INTEGER_SIGN: Partial<Record<LeafKind, 'any' | 'nonNeg' | 'pos' | 'nonPos' | 'neg'>> = {
  long: 'any',
  integer: 'any',
  unsignedLong: 'nonNeg',
  nonNegativeInteger: 'nonNeg',
  positiveInteger: 'pos',
  nonPositiveInteger: 'nonPos',
  negativeInteger: 'neg',
};

/**
 * The longest text (surrounding whitespace included) accepted for each bounded kind, checked
 * before any regular expression, Number() or BigInt() sees it: one hostile leaf of millions of
 * digits is refused at once. The caps leave room for leading zeros and whitespace that XSD
 * allows; integer and decimal have no range of their own, 2048 characters is far beyond any use.
 */
const MAX_LEXICAL: Partial<Record<LeafKind, number>> = {
  boolean: 256,
  int: 256,
  unsignedInt: 256,
  short: 256,
  unsignedShort: 256,
  byte: 256,
  unsignedByte: 256,
  long: 256,
  unsignedLong: 256,
  integer: 2048,
  nonNegativeInteger: 2048,
  positiveInteger: 2048,
  nonPositiveInteger: 2048,
  negativeInteger: 2048,
  decimal: 2048,
  float: 2048,
  double: 2048,
  dateTime: 256,
  date: 256,
  time: 256,
};

function checkLength(kind: LeafKind, text: string): void {
  const max = MAX_LEXICAL[kind];
  if (max !== undefined && text.length > max)
    // Not quoted: cutting a long concatenated string would first copy all of it.
    throw new LeafError(`a value of ${text.length} characters is too long for xs:${kind} (at most ${max})`);
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const ULONG_MAX = 2n ** 64n - 1n;

/** `text` is within the kind's length cap (checkLength), so BigInt stays cheap. */
function checkBigInteger(kind: LeafKind, text: string): void {
  if (!INTEGER.test(text)) throw new LeafError(`"${clip(text)}" is not an integer`);
  const sign = BIG_INTEGER_SIGN[kind];
  const value = BigInt(text);
  const shown = clip(text);
  if (kind === 'long' && (value < LONG_MIN || value > LONG_MAX)) throw new LeafError(`${shown} is outside xs:long`);
  if (kind === 'unsignedLong' && value > ULONG_MAX) throw new LeafError(`${shown} is outside xs:unsignedLong`);
  if (sign === 'nonNeg' && value < 0n) throw new LeafError(`${shown} must not be negative`);
  if (sign === 'pos' && value <= 0n) throw new LeafError(`${shown} must be positive`);
  if (sign === 'nonPos' && value > 0n) throw new LeafError(`${shown} must not be positive`);
  if (sign === 'neg' && value >= 0n) throw new LeafError(`${shown} must be negative`);
}

/** Parses the text of an element or attribute of a leaf type. `text` is raw (not yet trimmed). */
export function parseLeaf(kind: LeafKind, raw: string): unknown {
  if (kind === 'string' || kind === 'anyType') return raw;
  checkLength(kind, raw);
  const text = raw.trim();
  switch (kind) {
    case 'boolean':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw new LeafError(`"${clip(text)}" is not a boolean`);
    case 'int':
    case 'unsignedInt':
    case 'short':
    case 'unsignedShort':
    case 'byte':
    case 'unsignedByte': {
      if (!INTEGER.test(text)) throw new LeafError(`"${clip(text)}" is not an integer`);
      const value = Number(text);
      const [min, max] = NUMBER_RANGES[kind] as readonly [number, number];
      if (value < min || value > max) throw new LeafError(`${clip(text)} is outside xs:${kind}`);
      return value;
    }
    case 'long':
    case 'unsignedLong':
    case 'integer':
    case 'nonNegativeInteger':
    case 'positiveInteger':
    case 'nonPositiveInteger':
    case 'negativeInteger':
      checkBigInteger(kind, text);
      return text;
    case 'decimal':
      if (!isDecimal(text)) throw new LeafError(`"${clip(text)}" is not a decimal`);
      return text;
    case 'float':
    case 'double':
      if (!FLOAT.test(text)) throw new LeafError(`"${clip(text)}" is not a number`);
      return text === 'INF' ? Number.POSITIVE_INFINITY : text === '-INF' ? Number.NEGATIVE_INFINITY : Number(text);
    case 'dateTime':
      if (!DATE_TIME.test(text)) throw new LeafError(`"${clip(text)}" is not an xs:dateTime`);
      return text;
    case 'date':
      if (!DATE.test(text)) throw new LeafError(`"${clip(text)}" is not an xs:date`);
      return text;
    case 'time':
      if (!TIME.test(text)) throw new LeafError(`"${clip(text)}" is not an xs:time`);
      return text;
    case 'base64Binary':
      if (!BASE64.test(text)) throw new LeafError('content is not base64');
      return new Uint8Array(Buffer.from(text, 'base64'));
    case 'hexBinary':
      if (!HEX.test(text)) throw new LeafError('content is not hexBinary');
      return new Uint8Array(Buffer.from(text, 'hex'));
    default:
      return raw;
  }
}

/**
 * An xs:decimal lexical form, /^[+-]?(\d+(\.\d*)?|\.\d+)$/, as a loop (the decoder checks
 * every decimal of a response; a regular expression costs more to start than these short values
 * take to read): a sign, then digits with at most one point, at least one digit.
 */
function isDecimal(text: string): boolean {
  const length = text.length;
  let i = 0;
  const first = text.charCodeAt(0);
  if (first === 43 /* + */ || first === 45 /* - */) i = 1;
  let digits = 0;
  let point = false;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 /* . */ && !point) point = true;
    else return false;
  }
  return digits > 0;
}

/** Formats a value of a leaf type to its lexical form, validating it. Returns unescaped text. */
export function formatLeaf(kind: LeafKind, value: unknown): string {
  switch (kind) {
    case 'string':
    case 'anyType':
      if (typeof value !== 'string') throw new LeafError(`expected a string, got ${describe(value)}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw new LeafError(`expected a boolean, got ${describe(value)}`);
      return value ? 'true' : 'false';
    case 'int':
    case 'unsignedInt':
    case 'short':
    case 'unsignedShort':
    case 'byte':
    case 'unsignedByte': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new LeafError(`expected an integer, got ${describe(value)}`);
      }
      const [min, max] = NUMBER_RANGES[kind] as readonly [number, number];
      if (value < min || value > max) throw new LeafError(`${value} is outside xs:${kind} (${min}..${max})`);
      return String(value);
    }
    case 'long':
    case 'unsignedLong':
    case 'integer':
    case 'nonNegativeInteger':
    case 'positiveInteger':
    case 'nonPositiveInteger':
    case 'negativeInteger': {
      const text = typeof value === 'bigint' ? value.toString() : value;
      if (typeof text !== 'string') throw new LeafError(`expected an integer string, got ${describe(value)}`);
      checkLength(kind, text);
      checkBigInteger(kind, text);
      return text;
    }
    case 'decimal':
      if (typeof value === 'string') checkLength(kind, value);
      if (typeof value !== 'string' || !isDecimal(value)) {
        throw new LeafError(`expected a decimal string like "7865.08", got ${describe(value)}`);
      }
      return value;
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw new LeafError(`expected a number, got ${describe(value)}`);
      if (Number.isNaN(value)) return 'NaN';
      if (value === Number.POSITIVE_INFINITY) return 'INF';
      if (value === Number.NEGATIVE_INFINITY) return '-INF';
      return String(value);
    case 'dateTime':
      return checkString(value, DATE_TIME, 'an xs:dateTime like "2018-03-26T00:00:00+06:00"');
    case 'date':
      return checkString(value, DATE, 'an xs:date like "2018-03-26"');
    case 'time':
      return checkString(value, TIME, 'an xs:time like "10:59:00"');
    case 'base64Binary':
      if (!(value instanceof Uint8Array)) throw new LeafError(`expected a Uint8Array, got ${describe(value)}`);
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    case 'hexBinary':
      if (!(value instanceof Uint8Array)) throw new LeafError(`expected a Uint8Array, got ${describe(value)}`);
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex').toUpperCase();
    default:
      return String(value);
  }
}

function checkString(value: unknown, pattern: RegExp, what: string): string {
  if (typeof value === 'string' && value.length > 256) throw new LeafError(`expected ${what}, got ${describe(value)}`);
  if (typeof value !== 'string' || !pattern.test(value))
    throw new LeafError(`expected ${what}, got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${clip(value)}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}

/**
 * Applies a simple type (leaf kind + enumeration + list) to parsed text. A value outside the
 * enumeration is an error, unless `onOutsideEnum` is given: then it is called and the value kept
 * (the reading side of a response: services add codes between releases).
 */
export function parseSimple(meta: SimpleTypeMeta, raw: string, onOutsideEnum?: () => void): unknown {
  if (meta.list)
    return raw.trim() === ''
      ? []
      : raw
          .trim()
          .split(/\s+/)
          .map((part) => parseSimpleItem(meta, part, onOutsideEnum));
  return parseSimpleItem(meta, raw, onOutsideEnum);
}

function parseSimpleItem(meta: SimpleTypeMeta, raw: string, onOutsideEnum: (() => void) | undefined): unknown {
  const value = parseLeaf(meta.base, raw);
  if (meta.enum && !meta.enum.includes(String(meta.base === 'string' ? raw : raw.trim()))) {
    if (onOutsideEnum === undefined) throw new LeafError(`"${clip(raw)}" is not one of ${meta.enum.join(', ')}`);
    onOutsideEnum();
  }
  return value;
}

/**
 * The lexical form of `value` as the simple type `meta` (a list: its items joined by spaces),
 * checked against its enumeration and facets.
 * @throws LeafError when the value is of the wrong type or breaks the enumeration or a facet.
 */
export function formatSimple(meta: SimpleTypeMeta, value: unknown): string {
  if (meta.list) {
    if (!Array.isArray(value)) throw new LeafError(`expected an array, got ${describe(value)}`);
    return value.map((item) => formatSimpleItem(meta, item)).join(' ');
  }
  return formatSimpleItem(meta, value);
}

function formatSimpleItem(meta: SimpleTypeMeta, value: unknown): string {
  const text = formatLeaf(meta.base, value);
  if (meta.enum && !meta.enum.includes(text)) {
    throw new LeafError(`${describe(value)} is not one of ${meta.enum.join(', ')}`);
  }
  if (meta.facets) checkFacets(meta.base, meta.facets, text);
  return text;
}

const compiledPatterns = new Map<string, RegExp>();

function checkFacets(kind: LeafKind, facets: Facets, text: string): void {
  for (const source of facets.patterns ?? []) {
    let pattern = compiledPatterns.get(source);
    if (!pattern) {
      pattern = new RegExp(source, 'u');
      compiledPatterns.set(source, pattern);
    }
    if (!pattern.test(text)) throw new LeafError(`"${clip(text)}" does not match the pattern ${source.slice(4, -2)}`);
  }
  const isBinary = kind === 'base64Binary' || kind === 'hexBinary';
  const length = isBinary ? Buffer.byteLength(text, kind === 'hexBinary' ? 'hex' : 'base64') : [...text].length;
  if (facets.length !== undefined && length !== facets.length)
    throw new LeafError(`length ${length}, must be ${facets.length}`);
  if (facets.minLength !== undefined && length < facets.minLength) {
    throw new LeafError(`length ${length} is below the minimum ${facets.minLength}`);
  }
  if (facets.maxLength !== undefined && length > facets.maxLength) {
    throw new LeafError(`length ${length} is above the maximum ${facets.maxLength}`);
  }
  // Digits before bounds: the comparisons below work on values no longer than totalDigits allows.
  if (facets.totalDigits !== undefined || facets.fractionDigits !== undefined) {
    const [whole = '', fraction = ''] = text.replace(/^[+-]/, '').split('.');
    const decimals = withoutTrailingZeros(fraction).length;
    const significant = whole.replace(/^0+/, '').length + decimals;
    if (facets.totalDigits !== undefined && significant > facets.totalDigits) {
      throw new LeafError(`${clip(text)} has more than ${facets.totalDigits} digits`);
    }
    if (facets.fractionDigits !== undefined && decimals > facets.fractionDigits) {
      throw new LeafError(`${clip(text)} has more than ${facets.fractionDigits} fraction digits`);
    }
  }
  const bound = (limit: string | undefined, ok: (c: number) => boolean, words: string) => {
    if (limit !== undefined && !ok(compareValues(kind, text, limit)))
      throw new LeafError(`${clip(text)} must be ${words} ${limit}`);
  };
  bound(facets.minInclusive, (c) => c >= 0, 'at least');
  bound(facets.maxInclusive, (c) => c <= 0, 'at most');
  bound(facets.minExclusive, (c) => c > 0, 'more than');
  bound(facets.maxExclusive, (c) => c < 0, 'less than');
}

/** A loop, not /0+$/ (which backtracks quadratically over a long run of zeros). */
function withoutTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return digits.slice(0, end);
}

/** Orders two lexical values of a leaf kind: numbers exactly (no floats), others as text. */
function compareValues(kind: LeafKind, a: string, b: string): number {
  if (kind === 'float' || kind === 'double') return Math.sign(Number(a) - Number(b));
  if (NUMBER_RANGES[kind] !== undefined || BIG_INTEGER_SIGN[kind] !== undefined || kind === 'decimal') {
    return compareDecimals(a.trim(), b.trim());
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareDecimals(a: string, b: string): number {
  const scale = (s: string) => (s.split('.')[1] ?? '').length;
  const digits = Math.max(scale(a), scale(b));
  const toBig = (s: string) => {
    const negative = s.startsWith('-');
    const [whole = '0', fraction = ''] = s.replace(/^[+-]/, '').split('.');
    const value = BigInt(`${whole || '0'}${fraction.padEnd(digits, '0')}`);
    return negative ? -value : value;
  };
  const difference = toBig(a) - toBig(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
