/**
 * A small DER reader and writer: what certificates, PKCS#8 keys and CMS need, with the exact bytes
 * of every element kept (signatures cover the bytes as received, not a re-encoding). The reader
 * accepts BER's indefinite lengths (some CMS producers stream), visits each byte a bounded number of
 * times and limits nesting, so hostile input costs time linear in its size.
 */
import { concatBytes } from './bytes.js';

export class DerError extends Error {}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const MAX_DEPTH = 48;

export interface DerNode {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  readonly tag: number;
  /** The whole element, header included. */
  readonly bytes: Uint8Array;
  /** The contents (for an indefinite length: without the end-of-contents octets). */
  readonly content: Uint8Array;
  /** Sub-elements of a constructed element. */
  readonly children: readonly DerNode[];
}

/** Offsets into the parsed input; views are made only when asked for (a view per node is costly). */
class Node implements DerNode {
  constructor(
    private readonly source: Uint8Array,
    readonly tag: number,
    private readonly start: number,
    private readonly contentStart: number,
    private readonly contentEnd: number,
    /** Where the element ends in the input (after the end-of-contents octets, if any). */
    readonly end: number,
    readonly children: readonly DerNode[],
  ) {}
  get bytes(): Uint8Array {
    return this.source.subarray(this.start, this.end);
  }
  get content(): Uint8Array {
    return this.source.subarray(this.contentStart, this.contentEnd);
  }
}

/** Parses one element that must span all of `input`. */
export function parseDer(input: Uint8Array): DerNode {
  const node = readElement(input, 0, input.length, 0);
  if (node.end !== input.length) throw new DerError('trailing bytes after the DER element');
  return node;
}

/** Reads the element at `start`, which must end by `limit`. */
function readElement(input: Uint8Array, start: number, limit: number, depth: number): Node {
  if (depth > MAX_DEPTH) throw new DerError('DER nesting too deep');
  if (start + 2 > limit) throw new DerError('truncated DER element');
  const tag = input[start] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not supported');
  const constructed = (tag & 0x20) !== 0;
  let offset = start + 1;
  const first = input[offset++] as number;
  if (first === 0x80) {
    // Indefinite length (BER): children up to the end-of-contents octets 00 00.
    if (!constructed) throw new DerError('indefinite length on a primitive element');
    const children: DerNode[] = [];
    for (;;) {
      if (offset + 2 > limit) throw new DerError('unterminated indefinite-length element');
      if (input[offset] === 0 && input[offset + 1] === 0) break;
      const child = readElement(input, offset, limit, depth + 1);
      children.push(child);
      offset = child.end;
    }
    return new Node(input, tag, start, start + 2, offset, offset + 2, children);
  }
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count > 4) throw new DerError('DER length too large');
    length = 0;
    for (let i = 0; i < count; i++) {
      if (offset >= limit) throw new DerError('truncated DER length');
      length = length * 256 + (input[offset++] as number);
    }
  }
  const end = offset + length;
  if (end > limit) throw new DerError('DER element longer than its input');
  const children: DerNode[] = [];
  if (constructed) {
    for (let at = offset; at < end; ) {
      const child = readElement(input, at, end, depth + 1);
      children.push(child);
      at = child.end;
    }
  }
  return new Node(input, tag, start, offset, end, end, children);
}

// ---- reading helpers: each throws DerError when the element is not what is expected ----

export function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node || node.tag !== tag) throw new DerError(`expected ${what}`);
  return node;
}

export function childrenOf(node: DerNode | undefined, tag: number, what: string): readonly DerNode[] {
  return expectTag(node, tag, what).children;
}

export function isContext(node: DerNode | undefined, number: number): boolean {
  return node !== undefined && (node.tag & 0xdf) === (0x80 | number);
}

export function readOid(node: DerNode | undefined): string {
  const { content } = expectTag(node, TAG.OID, 'an OBJECT IDENTIFIER');
  if (content.length === 0 || content.length > 64) throw new DerError('bad OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OBJECT IDENTIFIER arc too large');
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  if ((content[content.length - 1] as number) & 0x80) throw new DerError('truncated OBJECT IDENTIFIER');
  const head = arcs.shift() as number;
  const firstArc = head < 80 ? Math.floor(head / 40) : 2;
  return [firstArc, head - firstArc * 40, ...arcs].join('.');
}

/** An OCTET STRING's bytes, primitive or (BER) constructed of chunks. */
export function readOctets(node: DerNode | undefined): Uint8Array {
  if (node?.tag === TAG.OCTET_STRING) return node.content;
  if (node?.tag === (TAG.OCTET_STRING | 0x20)) return concatBytes(...node.children.map(readOctets));
  throw new DerError('expected an OCTET STRING');
}

/** A BIT STRING's bytes (no unused bits allowed: keys and signatures are whole bytes). */
export function readBitString(node: DerNode | undefined): Uint8Array {
  const { content } = expectTag(node, TAG.BIT_STRING, 'a BIT STRING');
  if (content.length === 0) throw new DerError('empty BIT STRING');
  return content.subarray(1);
}

/** A BIT STRING as flags, bit 0 first (key usage). */
export function readBitFlags(node: DerNode | undefined): boolean[] {
  const { content } = expectTag(node, TAG.BIT_STRING, 'a BIT STRING');
  const bits: boolean[] = [];
  for (let i = 1; i < content.length; i++) {
    for (let b = 7; b >= 0; b--) bits.push((((content[i] as number) >> b) & 1) === 1);
  }
  return bits;
}

export function readInteger(node: DerNode | undefined): bigint {
  const { content } = expectTag(node, TAG.INTEGER, 'an INTEGER');
  if (content.length === 0) throw new DerError('empty INTEGER');
  let value = 0n;
  for (const byte of content) value = (value << 8n) | BigInt(byte);
  if ((content[0] as number) & 0x80) value -= 1n << BigInt(8 * content.length);
  return value;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Text of a string type (UTF8String, PrintableString, IA5String, BMPString...). */
export function readString(node: DerNode | undefined): string {
  if (!node) throw new DerError('expected a string');
  switch (node.tag) {
    case TAG.UTF8_STRING:
      return UTF8.decode(node.content);
    case TAG.BMP_STRING: {
      let text = '';
      for (let i = 0; i + 1 < node.content.length; i += 2) {
        text += String.fromCharCode(((node.content[i] as number) << 8) | (node.content[i + 1] as number));
      }
      return text;
    }
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case 0x14: // TeletexString: Latin-1 in practice
    case 0x1a: // VisibleString
      return Buffer.from(node.content).toString('latin1');
    default:
      throw new DerError('expected a string');
  }
}

export function readTime(node: DerNode | undefined): Date {
  if (!node || (node.tag !== TAG.UTC_TIME && node.tag !== TAG.GENERALIZED_TIME)) throw new DerError('expected a time');
  const text = Buffer.from(node.content).toString('latin1');
  const match =
    node.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (!match) throw new DerError('bad time value');
  let year = Number(match[1]);
  if (node.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900; // RFC 5280 4.1.2.5.1
  return new Date(
    Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])),
  );
}

// ---- writing ----

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag), encodeLength(content.length), content);
}

export const der = {
  sequence: (...items: Uint8Array[]) => tlv(TAG.SEQUENCE, concatBytes(...items)),
  /** A SET OF in DER order (elements sorted by their encodings). */
  set: (...items: Uint8Array[]) => tlv(TAG.SET, concatBytes(...[...items].sort(compareBytes))),
  octets: (bytes: Uint8Array) => tlv(TAG.OCTET_STRING, bytes),
  bitString: (bytes: Uint8Array) => tlv(TAG.BIT_STRING, concatBytes(Uint8Array.of(0), bytes)),
  null: () => Uint8Array.of(TAG.NULL, 0),
  utf8: (text: string) => tlv(TAG.UTF8_STRING, new TextEncoder().encode(text)),
  printable: (text: string) => tlv(TAG.PRINTABLE_STRING, Buffer.from(text, 'latin1')),
  /** Explicit context tag [n], constructed. */
  context: (n: number, ...items: Uint8Array[]) => tlv(0xa0 | n, concatBytes(...items)),
  integer(value: bigint | number): Uint8Array {
    let v = BigInt(value);
    if (v < 0n) throw new RangeError('negative INTEGER not supported');
    const bytes: number[] = [];
    do {
      bytes.unshift(Number(v & 0xffn));
      v >>= 8n;
    } while (v > 0n);
    if ((bytes[0] as number) & 0x80) bytes.unshift(0);
    return tlv(TAG.INTEGER, Uint8Array.from(bytes));
  },
  oid(dotted: string): Uint8Array {
    const arcs = dotted.split('.').map(Number);
    const body: number[] = [];
    const push = (value: number) => {
      const chunk = [value & 0x7f];
      for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128))
        chunk.unshift(0x80 | (rest & 0x7f));
      body.push(...chunk);
    };
    push((arcs[0] as number) * 40 + (arcs[1] as number));
    for (const arc of arcs.slice(2)) push(arc);
    return tlv(TAG.OID, Uint8Array.from(body));
  },
  /** UTCTime through 2049, GeneralizedTime after (RFC 5280). */
  time(date: Date): Uint8Array {
    const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    return date.getUTCFullYear() < 2050
      ? tlv(TAG.UTC_TIME, Buffer.from(`${iso.slice(2)}Z`, 'latin1'))
      : tlv(TAG.GENERALIZED_TIME, Buffer.from(`${iso}Z`, 'latin1'));
  },
};

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}
