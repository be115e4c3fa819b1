/** fast-check arbitraries for any type of a service's metadata: valid values of that type. */
import type {
  FullComplexTypeMeta as ComplexTypeMeta,
  FullElementMeta as ElementMeta,
  LeafKind,
  ServiceMeta,
  SimpleTypeMeta,
} from '@kz/soap';
import { formatSimple, withMetaDefaults } from '@kz/soap';
import fc from 'fast-check';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const offset = fc.oneof(
  fc.constant(''),
  fc.constant('Z'),
  fc
    .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30))
    .map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`),
);
const datePart = fc
  .tuple(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);
const timePart = fc
  .tuple(
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fc.option(fc.integer({ min: 0, max: 9999999 })),
  )
  .map(([h, m, s, f]) => `${pad(h)}:${pad(m)}:${pad(s)}${f === null ? '' : `.${f}`}`);
// biome-ignore lint/suspicious/noControlCharactersInRegex: strings XML can carry, nothing else.
const XML_SAFE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]*$/;
const text = fc
  .string({ unit: 'grapheme', maxLength: 20 })
  .filter((s) => XML_SAFE.test(s) && !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')));
const bigint = (min: bigint, max: bigint) => fc.bigInt({ min, max }).map(String);

function leaf(kind: LeafKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'string':
      return text;
    case 'boolean':
      return fc.boolean();
    case 'int':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'unsignedInt':
      return fc.integer({ min: 0, max: 4294967295 });
    case 'short':
      return fc.integer({ min: -32768, max: 32767 });
    case 'unsignedShort':
      return fc.integer({ min: 0, max: 65535 });
    case 'byte':
      return fc.integer({ min: -128, max: 127 });
    case 'unsignedByte':
      return fc.integer({ min: 0, max: 255 });
    case 'long':
      return bigint(-(2n ** 63n), 2n ** 63n - 1n);
    case 'unsignedLong':
      return bigint(0n, 2n ** 64n - 1n);
    case 'integer':
      return bigint(-(10n ** 30n), 10n ** 30n);
    case 'nonNegativeInteger':
      return bigint(0n, 10n ** 30n);
    case 'positiveInteger':
      return bigint(1n, 10n ** 30n);
    case 'nonPositiveInteger':
      return bigint(-(10n ** 30n), 0n);
    case 'negativeInteger':
      return bigint(-(10n ** 30n), -1n);
    case 'decimal':
      return fc
        .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.option(fc.stringMatching(/^[0-9]{1,8}$/)))
        .map(([whole, fraction]) => (fraction === null ? String(whole) : `${whole}.${fraction}`));
    case 'float':
    case 'double':
      return fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));
    case 'dateTime':
      return fc.tuple(datePart, timePart, offset).map(([d, t, z]) => `${d}T${t}${z}`);
    case 'date':
      return fc.tuple(datePart, offset).map(([d, z]) => `${d}${z}`);
    case 'time':
      return fc.tuple(timePart, offset).map(([t, z]) => `${t}${z}`);
    case 'base64Binary':
    case 'hexBinary':
      return fc.uint8Array({ maxLength: 40 });
    case 'anyType':
      return fc.constantFrom({ $xml: '' }, { $xml: '<a>1</a>' }, { $xml: '<b xmlns="urn:x">t</b>' });
  }
}

export function arbitraryOf(meta: ServiceMeta, type: string, depth = 0): fc.Arbitrary<unknown> {
  if (type.startsWith('xs:')) return leaf(type.slice(3) as LeafKind);
  const found = meta.types[type];
  if (!found) throw new Error(`no type ${type}`);
  if (found.kind === 'simple') return simple(found);
  // Generated metadata omits defaults: read it with them applied.
  return complex(meta, withMetaDefaults(found) as ComplexTypeMeta, depth);
}

function simple(meta: SimpleTypeMeta): fc.Arbitrary<unknown> {
  const item = meta.enum ? fc.constantFrom(...meta.enum) : meta.facets ? faceted(meta) : leaf(meta.base);
  return meta.list ? fc.array(item, { maxLength: 3 }) : item;
}

/** Values inside the facets: built to match patterns, lengths and integer bounds, then checked. */
function faceted(meta: SimpleTypeMeta): fc.Arbitrary<unknown> {
  const facets = meta.facets ?? {};
  let arbitrary: fc.Arbitrary<unknown>;
  const [pattern] = facets.patterns ?? [];
  if (pattern !== undefined) arbitrary = fc.stringMatching(new RegExp(pattern, 'u'));
  else if (
    meta.base === 'string' &&
    (facets.minLength !== undefined || facets.maxLength !== undefined || facets.length !== undefined)
  ) {
    arbitrary = fc.string({
      unit: 'grapheme-ascii',
      minLength: facets.length ?? facets.minLength ?? 0,
      maxLength: facets.length ?? facets.maxLength ?? 20,
    });
  } else if (['int', 'short', 'byte', 'unsignedInt', 'unsignedShort', 'unsignedByte'].includes(meta.base)) {
    const min =
      facets.minInclusive ?? (facets.minExclusive === undefined ? undefined : String(Number(facets.minExclusive) + 1));
    const max =
      facets.maxInclusive ?? (facets.maxExclusive === undefined ? undefined : String(Number(facets.maxExclusive) - 1));
    arbitrary = fc.integer({
      min: min === undefined ? -1000 : Number(min),
      max: max === undefined ? 1000 : Number(max),
    });
  } else arbitrary = leaf(meta.base);
  return arbitrary.filter((value) => {
    try {
      formatSimple(meta, value);
      return true;
    } catch {
      return false;
    }
  });
}

function element(meta: ServiceMeta, e: ElementMeta, depth: number): fc.Arbitrary<unknown> {
  const deep = depth > 3;
  // Past the depth limit, optional content is left out before building it: recursive types end.
  if (deep && e.min === 0) return fc.constant(undefined);
  if (e.item) {
    const item = arbitraryOf(meta, e.type, depth + 1);
    const items = fc.array(e.item.nillable ? fc.option(item, { nil: null }) : item, { maxLength: deep ? 0 : 3 });
    const value = e.nillable ? fc.oneof(items, fc.constant(null)) : items;
    return e.min === 0 ? fc.option(value, { nil: undefined }) : value;
  }
  const single = arbitraryOf(meta, e.type, depth + 1);
  const one = e.nillable ? fc.oneof(single, fc.constant(null)) : single;
  if (e.max !== 1) {
    const max = e.max === -1 ? 3 : Math.min(e.max, 3);
    // An empty repeated element is the same XML as an absent one: generate absent or >= 1 item.
    const list = fc.array(one, { minLength: Math.max(1, e.min), maxLength: Math.max(max, e.min, 1) });
    return e.min === 0 ? fc.option(list, { nil: undefined }) : list;
  }
  if (e.min === 0) return deep ? fc.constant(undefined) : fc.option(one, { nil: undefined });
  return one;
}

function complex(meta: ServiceMeta, type: ComplexTypeMeta, depth: number): fc.Arbitrary<unknown> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  const choices = new Map<number, ElementMeta[]>();
  for (const e of type.elements) {
    if (e.choice !== undefined) {
      const members = choices.get(e.choice) ?? [];
      members.push(e);
      choices.set(e.choice, members);
    } else {
      fields[e.prop] = element(meta, e, depth);
    }
  }
  for (const a of type.attributes ?? []) {
    const value = arbitraryOf(meta, a.type, depth + 1);
    fields[a.prop] = a.required ? value : fc.option(value, { nil: undefined });
  }
  if (type.text !== undefined) fields.$value = arbitraryOf(meta, type.text, depth + 1);
  const base = fc.record(fields);
  if (choices.size === 0) return base.map(dropUndefined);
  const picks = [...choices.entries()].map(([index, members]) => {
    const required = type.choices?.[index]?.required ?? false;
    const options = members.map((m) => element(meta, { ...m, min: 1 }, depth).map((v) => ({ [m.prop]: v })));
    return required ? fc.oneof(...options) : fc.oneof(fc.constant({}), ...options);
  });
  return fc.tuple(base, ...picks).map(([record, ...chosen]) => dropUndefined(Object.assign({}, record, ...chosen)));
}

function dropUndefined(record: unknown): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record as Record<string, unknown>))
    if (value !== undefined) out[key] = value;
  return out;
}
