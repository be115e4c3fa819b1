/** Leaf values at their edges, and the codec's strictness on both directions. */
import { describe, expect, it } from 'vitest';
import { formatLeaf, formatSimple, parseLeaf, parseSimple } from '../src/codec/leaf.js';
import { LeafError } from '../src/index.js';

describe('leaf mapping is lossless', () => {
  it('keeps longs beyond 2^53 and at the xs:long edges as exact strings', () => {
    expect(parseLeaf('long', '21374509837942784')).toBe('21374509837942784');
    expect(parseLeaf('long', '9223372036854775807')).toBe('9223372036854775807');
    expect(parseLeaf('long', '-9223372036854775808')).toBe('-9223372036854775808');
    expect(() => parseLeaf('long', '9223372036854775808')).toThrow(LeafError);
    expect(parseLeaf('unsignedLong', '18446744073709551615')).toBe('18446744073709551615');
    expect(() => parseLeaf('unsignedLong', '-1')).toThrow(LeafError);
    expect(formatLeaf('long', 21374509837942784n)).toBe('21374509837942784');
    expect(() => formatLeaf('long', 21374509837942784)).toThrow(/expected an integer string/);
  });

  it('keeps decimals as written: no float rounding, trailing zeros kept', () => {
    expect(parseLeaf('decimal', ' 7865.08 ')).toBe('7865.08');
    expect(parseLeaf('decimal', '0.10')).toBe('0.10');
    expect(parseLeaf('decimal', '12345678901234567890.123456789')).toBe('12345678901234567890.123456789');
    expect(() => parseLeaf('decimal', '1e5')).toThrow(LeafError);
    for (const valid of ['1.', '.5', '+.5', '-0', '+7.']) expect(parseLeaf('decimal', valid)).toBe(valid);
    for (const invalid of ['', '.', '+', '-.', '1.2.3', '1,5', '--1', '٣']) {
      expect(() => parseLeaf('decimal', invalid)).toThrow(LeafError);
      expect(() => formatLeaf('decimal', invalid)).toThrow(LeafError);
    }
    expect(() => formatLeaf('decimal', 0.1)).toThrow(/decimal string/);
  });

  it('checks int ranges both ways', () => {
    expect(parseLeaf('int', '2147483647')).toBe(2147483647);
    expect(() => parseLeaf('int', '2147483648')).toThrow(/outside xs:int/);
    expect(() => formatLeaf('int', 1.5)).toThrow(/integer/);
    expect(() => formatLeaf('unsignedByte', 256)).toThrow(/outside/);
  });

  it('keeps date-times with their offset and fraction', () => {
    expect(parseLeaf('dateTime', '2007-12-04T18:58:03.5381358+06:00')).toBe('2007-12-04T18:58:03.5381358+06:00');
    expect(parseLeaf('dateTime', '2018-03-26T00:00:00')).toBe('2018-03-26T00:00:00');
    expect(() => parseLeaf('dateTime', '26.03.2018')).toThrow(LeafError);
    expect(parseLeaf('date', '2018-03-26+06:00')).toBe('2018-03-26+06:00');
  });

  it('booleans accept 1/0, floats INF/NaN, base64 bytes', () => {
    expect(parseLeaf('boolean', '1')).toBe(true);
    expect(parseLeaf('boolean', 'false')).toBe(false);
    expect(() => parseLeaf('boolean', 'yes')).toThrow(LeafError);
    expect(parseLeaf('double', '-INF')).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(parseLeaf('float', 'NaN'))).toBe(true);
    expect(parseLeaf('base64Binary', 'AAEC/w==')).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(() => parseLeaf('base64Binary', 'not base64!')).toThrow(LeafError);
    expect(formatLeaf('base64Binary', new Uint8Array([0, 1, 2, 255]))).toBe('AAEC/w==');
  });

  it('strings stay exactly as written, leading zeros and spaces included', () => {
    expect(parseLeaf('string', ' 000123456789 ')).toBe(' 000123456789 ');
  });
});

describe('facets are checked before sending', () => {
  const iin = { kind: 'simple', base: 'string', facets: { patterns: ['^(?:[0-9]{12})$'] } } as const;
  const quarter = { kind: 'simple', base: 'int', facets: { minInclusive: '1', maxInclusive: '4' } } as const;
  const money = {
    kind: 'simple',
    base: 'decimal',
    facets: { totalDigits: 15, fractionDigits: 2, minExclusive: '0' },
  } as const;
  const name = { kind: 'simple', base: 'string', facets: { minLength: 1, maxLength: 5 } } as const;

  it('accepts values inside them', () => {
    expect(formatSimple(iin, '000101500123')).toBe('000101500123');
    expect(formatSimple(quarter, 4)).toBe('4');
    expect(formatSimple(money, '7865.08')).toBe('7865.08');
    expect(formatSimple(name, 'Абай')).toBe('Абай');
  });

  it('refuses values outside them, saying which facet', () => {
    expect(() => formatSimple(iin, '12345')).toThrow(/does not match the pattern \[0-9\]\{12\}/);
    expect(() => formatSimple(quarter, 5)).toThrow(/must be at most 4/);
    expect(() => formatSimple(money, '1.005')).toThrow(/more than 2 fraction digits/);
    expect(() => formatSimple(money, '0')).toThrow(/must be more than 0/);
    expect(() => formatSimple(money, '1234567890123456')).toThrow(/more than 15 digits/);
    expect(() => formatSimple(name, 'Нурсултан')).toThrow(/above the maximum 5/);
    expect(() => formatSimple(name, '')).toThrow(/below the minimum 1/);
  });

  it('are not applied when decoding: a service breaking its own pattern stays readable', () => {
    expect(parseSimple(iin, '12345')).toBe('12345');
  });
});

describe('huge numeric leaves are refused in bounded time, with a bounded message', () => {
  const digits = '7'.repeat(20_000_000);
  const kinds = ['long', 'unsignedLong', 'integer', 'positiveInteger', 'int', 'decimal', 'double'] as const;

  it.each(kinds)('xs:%s of 20 million digits', (kind) => {
    const started = performance.now();
    let error: unknown;
    try {
      parseLeaf(kind, digits);
    } catch (e) {
      error = e;
    }
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(LeafError);
    expect((error as Error).message.length).toBeLessThan(200);
    // Checking the length first costs nothing; a regex or BigInt over the digits costs far more.
    expect(elapsed).toBeLessThan(50);
  });

  it('encoding refuses them the same way', () => {
    for (const kind of ['long', 'integer', 'decimal'] as const) {
      expect(() => formatLeaf(kind, digits)).toThrow(LeafError);
      try {
        formatLeaf(kind, digits);
      } catch (error) {
        expect((error as Error).message.length).toBeLessThan(200);
      }
    }
  });

  it('zero padding and surrounding whitespace stay accepted within the caps', () => {
    expect(parseLeaf('long', ` ${'0'.repeat(30)}42 `)).toBe(`${'0'.repeat(30)}42`);
    expect(parseLeaf('decimal', `-${'0'.repeat(20)}1.50${'0'.repeat(20)}`)).toBe(
      `-${'0'.repeat(20)}1.50${'0'.repeat(20)}`,
    );
    expect(() => parseLeaf('long', '9'.repeat(19))).toThrow(/outside xs:long/);
    expect(parseLeaf('integer', '9'.repeat(300))).toBe('9'.repeat(300));
  });

  it('a simple type with totalDigits bounds the value before any arithmetic', () => {
    const money = { kind: 'simple', base: 'decimal', facets: { totalDigits: 15, minExclusive: '0' } } as const;
    const started = performance.now();
    expect(() => formatSimple(money, '9'.repeat(900))).toThrow(/more than 15 digits/);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('base64 with a long whitespace run before a bad character is refused in linear time', () => {
    const started = performance.now();
    expect(() => parseLeaf('base64Binary', `AAAA${' '.repeat(100_000)}!`)).toThrow(LeafError);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
