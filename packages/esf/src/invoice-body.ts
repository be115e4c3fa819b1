/**
 * The InvoiceV2 document (specs/esf/InvoiceV2.xsd, generated into ./generated/invoice-v2): typed input
 * in, the exact body text the live server accepts out, and back.
 *
 * What the body must look like (reference-docs/FACTS.md §1.3):
 * - root `<v2:invoice xmlns:a="abstractInvoice.esf" xmlns:v2="v2.esf">`, every child unqualified, no
 *   `<?xml?>` prolog (facts 4, 14);
 * - children in schema order (the generated metadata writes them so, fact 15);
 * - dates `dd.MM.yyyy` (fact 16): strings are checked, a `Date` is written as its calendar date in
 *   Kazakhstan (Asia/Almaty);
 * - amounts without insignificant trailing zeros (fact 17): `600000`, `1200.5`, `0`; numbers and
 *   decimal strings are normalized, never rounded (too many fraction digits is an issue);
 * - `unitNomenclature` an ОКЕИ code such as `796`, `turnoverDate` not in the future (fact 18).
 *
 * Every problem is collected (XSD rules from the metadata and the rules above, each with its field
 * path) and reported at once in one ValidationError before anything is signed or sent.
 */
import {
  decodeXmlDocument,
  type ErrorContext,
  encodeXmlDocument,
  type FieldIssue,
  type FullComplexTypeMeta,
  parseXmlSync,
  ValidationError,
  withMetaDefaults,
} from '@kz/soap';
import { schemaMeta } from './generated/invoice-v2/schema.js';
import type { InvoiceV2 } from './generated/invoice-v2/types.js';

export const INVOICE_V2_NS = 'v2.esf';
export const ABSTRACT_INVOICE_NS = 'abstractInvoice.esf';
/** The `version` an InvoiceV2 body travels with (FACTS.md fact 3). */
export const INVOICE_V2_VERSION = 'InvoiceV2';

/**
 * `T` as buildInvoiceBody accepts it: every text leaf may also be a number, bigint or Date (turned
 * into the schema's text), arrays and objects loosened likewise, and `$type` left out.
 */
export type Loose<T> = T extends string
  ? string | number | bigint | Date
  : T extends (infer U)[]
    ? Loose<U>[]
    : T extends object
      ? { [K in keyof T as K extends '$type' ? never : K]: Loose<T[K]> }
      : T;

/**
 * An invoice to build: the generated InvoiceV2 type, where amounts may also be numbers (or bigint)
 * and dates `Date` objects. Amount strings are decimal text (`"1200.50"` is sent as `1200.5`).
 */
export type InvoiceV2Input = Loose<InvoiceV2>;

/** Options of buildInvoiceBody: the clock of the turnoverDate rule and where its issues point. */
export interface BuildOptions {
  /** The clock for the turnoverDate rule. Default: now. */
  now?: () => Date;
  /** Prefix of the field paths in issues, e.g. `invoices[2]`. */
  path?: string;
}

const ROOT_NAME = 'invoice';
const ROOT_OPEN = `<v2:invoice xmlns:a="${ABSTRACT_INVOICE_NS}" xmlns:v2="${INVOICE_V2_NS}">`;
const ROOT_CLOSE = '</v2:invoice>';
const DATE_TYPE = 'DateType';
const DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const OKEI_CODE = /^\d{1,4}$/;
const KZ_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Almaty',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** The body text of an invoice: validated, normalized, serialized as the live server wants it. */
export function buildInvoiceBody(input: InvoiceV2Input, options: BuildOptions = {}): string {
  const context: ErrorContext = { service: 'UploadInvoiceService', operation: 'build InvoiceV2 body' };
  const issues: FieldIssue[] = [];
  const prefix = options.path ?? '';
  const at = (field: string) => (prefix ? (field ? `${prefix}.${field}` : prefix) : field || '(invoice)');
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError(context, [{ field: at(''), message: 'expected an invoice object' }]);
  }
  const value = normalize(input, 'InvoiceV2', '', issues) as InvoiceV2;
  checkRules(value, issues, options.now?.() ?? new Date());
  let encoded = '';
  try {
    encoded = encodeInvoiceDocument(value);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // A value the normalizer already explained is not reported a second time by the schema check.
    const explained = new Set(issues.map((i) => i.field));
    issues.push(...error.issues.filter((i) => !explained.has(i.field)));
  }
  if (issues.length > 0) {
    throw new ValidationError(
      context,
      issues.map((i) => ({ field: at(i.field === '(root)' ? '' : i.field), message: i.message })),
    );
  }
  return encoded;
}

/** Parses a body (as InvoiceInfo.invoiceBody returns it) into the typed invoice. */
export function parseInvoiceBody(body: string, context?: ErrorContext): InvoiceV2 {
  const ctx = context ?? { service: 'InvoiceService', operation: 'parse InvoiceV2 body' };
  return decodeXmlDocument<InvoiceV2>(schemaMeta, ROOT_NAME, body, ctx);
}

/** The invoice's own key, as queryInvoiceByKey takes it: its number and date (dd.MM.yyyy). */
export function invoiceKeyOf(body: string): { num: string; date: string } {
  let depth = 0;
  let field: 'num' | 'date' | undefined;
  const key = { num: '', date: '' };
  parseXmlSync(body, {
    open(_ns, local) {
      depth++;
      field = depth === 2 && (local === 'num' || local === 'date') ? local : undefined;
    },
    text(text) {
      if (field) key[field] += text;
    },
    close() {
      field = undefined;
      depth--;
    },
  });
  return { num: key.num.trim(), date: key.date.trim() };
}

function encodeInvoiceDocument(value: InvoiceV2): string {
  // encodeXmlDocument writes <?xml?><nsN:invoice xmlns:…>BODY</nsN:invoice>;
  // the children are unqualified and never nil, so only the root's prefix and declarations change.
  const encoded = encodeDocument(value);
  const match = /^<\?xml[^?]*\?><([A-Za-z0-9]+):invoice((?: xmlns:[A-Za-z0-9]+="[^"]*")*)>(.*)<\/\1:invoice>$/s.exec(
    encoded,
  );
  const body = match?.[3];
  // Prefixed tags or xsi: attributes are looked for in tags only: text may well contain "xsi:".
  if (body === undefined || /<\/?[A-Za-z0-9]+:|<[^>]*\sxsi:/.test(body)) {
    // An invariant of our own encoder's output, not of the input: a plain Error (a bug to report).
    throw new Error('unexpected encoding of the InvoiceV2 root; buildInvoiceBody needs updating');
  }
  return `${ROOT_OPEN}${body}${ROOT_CLOSE}`;
}

function encodeDocument(value: InvoiceV2): string {
  return encodeXmlDocument(schemaMeta, ROOT_NAME, value, {
    service: 'UploadInvoiceService',
    operation: 'build InvoiceV2 body',
  });
}

/** Walks the value by the schema: dates and amounts to their wire form; the rest as given. */
function normalize(value: unknown, type: string, path: string, issues: FieldIssue[]): unknown {
  const raw = schemaMeta.types[type];
  const meta = raw && withMetaDefaults(raw);
  if (type === DATE_TYPE) return normalizeDate(value, path, issues);
  if (type === 'xs:decimal' || (meta?.kind === 'simple' && meta.base === 'decimal')) {
    return normalizeDecimal(value, path, issues);
  }
  if (meta?.kind !== 'complex' || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const complex = meta as FullComplexTypeMeta;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const element of complex.elements) {
    const item = out[element.prop];
    if (item === undefined || item === null) continue;
    const child = path ? `${path}.${element.prop}` : element.prop;
    if (Array.isArray(item)) {
      out[element.prop] = item.map((entry, index) => normalize(entry, element.type, `${child}[${index}]`, issues));
    } else out[element.prop] = normalize(item, element.type, child, issues);
  }
  return out;
}

/** A `Date` to its calendar date in Kazakhstan (dd.MM.yyyy); a string is checked, and kept. */
export function normalizeDate(value: unknown, path: string, issues: FieldIssue[]): unknown {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      issues.push({ field: path, message: 'an invalid Date' });
      return value;
    }
    const parts = Object.fromEntries(KZ_DATE.formatToParts(value).map((p) => [p.type, p.value]));
    return `${parts.day}.${parts.month}.${parts.year}`;
  }
  if (typeof value !== 'string') return value;
  const match = DATE.exec(value);
  if (!match) {
    issues.push({ field: path, message: `"${value.slice(0, 40)}" is not a dd.MM.yyyy date` });
    return value;
  }
  const [, day, month, year] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    issues.push({ field: path, message: `${value} is not a calendar date` });
  }
  return value;
}

/** 1200.50 -> "1200.5", "600000.00" -> "600000", -0 -> "0"; never rounds. */
export function normalizeDecimal(value: unknown, path: string, issues: FieldIssue[]): unknown {
  let text: string;
  if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      issues.push({ field: path, message: `${value} is not an amount` });
      return value;
    }
    text = String(value);
    if (/e/i.test(text)) {
      issues.push({ field: path, message: `${text}: write this amount as a decimal string` });
      return value;
    }
  } else if (typeof value === 'string') text = value.trim();
  else return value;
  const match = DECIMAL.exec(text);
  if (!match) {
    issues.push({ field: path, message: `"${text.slice(0, 40)}" is not a decimal number` });
    return value;
  }
  const [, sign, whole, fraction = ''] = match as unknown as [string, string, string, string | undefined];
  const integer = whole.replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  const magnitude = decimals ? `${integer}.${decimals}` : integer;
  return sign === '-' && /[1-9]/.test(magnitude) ? `-${magnitude}` : magnitude;
}

/** The rules the XSD does not express (FACTS.md fact 18). */
function checkRules(invoice: InvoiceV2, issues: FieldIssue[], now: Date): void {
  const turnover = typeof invoice.turnoverDate === 'string' ? DATE.exec(invoice.turnoverDate) : null;
  if (turnover) {
    const [, day, month, year] = turnover.map(Number) as [number, number, number, number];
    const today = DATE.exec(normalizeDate(now, '', []) as string)?.map(Number) as number[];
    const asNumber = (y: number, m: number, d: number) => y * 10_000 + m * 100 + d;
    if (asNumber(year, month, day) > asNumber(today[3] as number, today[2] as number, today[1] as number)) {
      issues.push({ field: 'turnoverDate', message: `${invoice.turnoverDate} is in the future (ESF refuses it)` });
    }
  }
  const products = invoice.productSet?.products;
  if (Array.isArray(products)) {
    products.forEach((product, index) => {
      const unit = product?.unitNomenclature;
      if (unit !== undefined && !OKEI_CODE.test(String(unit))) {
        issues.push({
          field: `productSet.products[${index}].unitNomenclature`,
          message: `"${String(unit).slice(0, 40)}" is not a unit code: ESF wants the ОКЕИ/МКЕИ code (e.g. 796 for a piece)`,
        });
      }
    });
  }
}
