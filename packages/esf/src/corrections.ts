/**
 * The hand-off from a registered invoice to the invoices that change it: a corrected invoice
 * (FIXED_INVOICE, form line A 4) and an additional invoice (ADDITIONAL_INVOICE, A 5). Both carry
 * `relatedInvoice { date, num, registrationNumber }`, which "links a corrected/additional invoice to
 * the main one" (ESF API v2 §3.3.2 field 6, §3.3.4 RelatedInvoice, §3.3.11 InvoiceType).
 *
 * The original is an invoice as the queries return it (InvoiceInfo of `byId`, `findByKey`, `query`,
 * `updates`): its body (the InvoiceV2 XML) gives num and date, InvoiceInfo gives the registration
 * number. What the documents do not say is marked GUESS. Rules that can be checked here come from the
 * contract's error codes (UploadInvoiceService.wsdl ErrorCode; the codes have names, not texts) and
 * are refused with one ValidationError listing every problem, before anything is signed or sent.
 */
import { type ErrorContext, type FieldIssue, ValidationError } from '@kz/soap';
import type { InvoiceInfo } from './generated/invoice-service/types.js';
import type { InvoiceV2, Product } from './generated/invoice-v2/types.js';
import { type InvoiceV2Input, normalizeDate, normalizeDecimal, parseInvoiceBody } from './invoice-body.js';
import { IN_PROGRESS, REFUSED } from './invoices.js';

/** An invoice as the queries return it: what a correction needs of it. */
export type RegisteredInvoice = Pick<InvoiceInfo, 'invoiceBody' | 'registrationNumber' | 'invoiceStatus'>;

/** The link to the invoice being changed (§3.3.4), with the registration number always filled. */
export interface RelatedInvoiceLink {
  /** The original's date of issue, dd.MM.yyyy (A 4.1, A 5.1). */
  date: string;
  /** The original's outgoing number (A 4.2, A 5.2). */
  num: string;
  /** The original's registration number in ESF. */
  registrationNumber: string;
}

/** What a corrected or additional invoice must have of its own. */
export interface CorrectionKey {
  /** Its own outgoing number (A 1), digits. With `date`, not the original's num and date. */
  num: string;
  /** Its own date of issue (A 2): dd.MM.yyyy, or a Date (its calendar date in Kazakhstan). */
  date: string | Date;
}

/** A corrected invoice (FIXED_INVOICE) ready for `upload`: the type requires the link. */
export interface FixedInvoiceInput extends InvoiceV2Input {
  /** FIXED_INVOICE (A 4). */
  invoiceType: 'FIXED_INVOICE';
  /** The invoice this one changes. */
  relatedInvoice: RelatedInvoiceLink;
}

/** An additional invoice (ADDITIONAL_INVOICE) ready for `upload`: the type requires the link. */
export interface AdditionalInvoiceInput extends InvoiceV2Input {
  /** ADDITIONAL_INVOICE (A 5). */
  invoiceType: 'ADDITIONAL_INVOICE';
  /** The invoice this one changes. */
  relatedInvoice: RelatedInvoiceLink;
}

/**
 * A correction: its own num and date, and the fields that change (each replaces the original's
 * field whole, e.g. a corrected `productSet` with its totals). Sellers, customers (by IIN/BIN) and the
 * VAT type stay the original's.
 */
export type FixedInvoiceChanges = CorrectionKey &
  Partial<Omit<InvoiceV2Input, 'num' | 'date' | 'invoiceType' | 'relatedInvoice'>>;

/** An amount as the invoice input takes it: a number, a bigint or decimal text. */
export type InvoiceAmount = string | number | bigint;

/**
 * One changed line of an additional invoice: which product of the original it changes, and by how
 * much (negative to reduce; the original's amount plus the change may not go below zero).
 */
export interface AdditionalInvoiceLine {
  /** Position of the changed product in the original's `productSet.products` (from 0). */
  product: number;
  /** Change of the quantity (G 6). */
  quantity?: InvoiceAmount;
  /** Change of the unit price (G 7): required in an additional invoice (ADDITIONAL_INVOICE_PRODUCT_UNIT_PRICE_IS_ABSENT). */
  unitPrice: InvoiceAmount;
  /** Change of the price without taxes (G 8). */
  priceWithoutTax: InvoiceAmount;
  /** Change of the excise amount (G 10). */
  exciseAmount?: InvoiceAmount;
  /** Change of the turnover (G 11). */
  turnoverSize: InvoiceAmount;
  /** Change of the VAT amount (G 13). */
  ndsAmount: InvoiceAmount;
  /** Change of the price with taxes (G 15). */
  priceWithTax: InvoiceAmount;
  /** Reason of the turnover adjustment (G 11/1), when it applies. */
  turnoverAdjustment?: number;
}

/**
 * An additional invoice: its own num, date and turnover date, and the changed lines. The parties,
 * delivery terms, currency and the products' descriptions are the original's.
 */
export interface AdditionalInvoiceChanges
  extends CorrectionKey,
    Partial<
      Pick<
        InvoiceV2Input,
        | 'operatorFullname'
        | 'addInf'
        | 'deliveryDocNum'
        | 'deliveryDocDate'
        | 'deliveryDocNum2'
        | 'deliveryDocDate2'
        | 'sellerParticipants'
        | 'customerParticipants'
        | 'datePaper'
        | 'reasonPaper'
      >
    > {
  /**
   * Date of the turnover this invoice records (A 3). GUESS: the date the turnover changed (a return,
   * a new price), which is not the original's; ESF compares it with the original's
   * (MAIN_AND_ADDITIONAL_INVOICES_TURNOVER_DATE_NOT_CORRESPONDED).
   */
  turnoverDate: string | Date;
  /** The changed lines, at least one, one per product. */
  lines: readonly AdditionalInvoiceLine[];
}

/**
 * Fields an additional invoice may have of its own besides its key. GUESS: the supply documents,
 * joint-activity shares and paper-issue fields describe this change, not the original's turnover,
 * so they are not copied.
 */
const ADDITIONAL_OWN_FIELDS = [
  'operatorFullname',
  'addInf',
  'deliveryDocNum',
  'deliveryDocDate',
  'deliveryDocNum2',
  'deliveryDocDate2',
  'sellerParticipants',
  'customerParticipants',
  'datePaper',
  'reasonPaper',
] as const satisfies readonly (keyof AdditionalInvoiceChanges)[];

/** The amounts of a product line an additional invoice changes, with the error code of each (§ ErrorCode). */
const LINE_AMOUNTS = [
  ['quantity', 'MAIN_AND_ADDITIONAL_INVOICES_QUANTITY_SUM_NEGATIVE'],
  ['unitPrice', 'MAIN_AND_ADDITIONAL_INVOICES_UNIT_PRICE_SUM_NEGATIVE'],
  ['priceWithoutTax', 'MAIN_AND_ADDITIONAL_INVOICES_PRICE_WITHOUT_TAX_SUM_NEGATIVE'],
  ['exciseAmount', 'MAIN_AND_ADDITIONAL_INVOICES_EXCISE_AMOUNT_SUM_NEGATIVE'],
  ['turnoverSize', 'MAIN_AND_ADDITIONAL_INVOICES_TURNOVER_SIZE_SUM_NEGATIVE'],
  ['ndsAmount', 'MAIN_AND_ADDITIONAL_INVOICES_NDS_AMOUNT_SUM_NEGATIVE'],
  ['priceWithTax', 'MAIN_AND_ADDITIONAL_INVOICES_PRICE_WITH_TAX_SUM_NEGATIVE'],
] as const;
type LineAmount = (typeof LINE_AMOUNTS)[number][0];
const REQUIRED_AMOUNTS: ReadonlySet<LineAmount> = new Set([
  'unitPrice',
  'priceWithoutTax',
  'turnoverSize',
  'ndsAmount',
  'priceWithTax',
]);

/** Statuses of an invoice that is not (or no longer) registered, besides those still queued or refused. */
const NEVER_REGISTERED: ReadonlySet<string> = new Set(['DRAFT', 'DELETED', 'DELETED_BIOMETRICS_VERIFICATION']);

/**
 * The corrected invoice (FIXED_INVOICE) of a registered invoice: the original's content with
 * `changes` applied, `relatedInvoice` from the original. A ValidationError lists what cannot be sent.
 */
export function fixedInvoiceFrom(original: RegisteredInvoice, changes: FixedInvoiceChanges): FixedInvoiceInput {
  const context: ErrorContext = { service: 'UploadInvoiceService', operation: 'fixedInvoiceFrom' };
  const issues: FieldIssue[] = [];
  const source = readOriginal(original, issues);
  if (!source) throw new ValidationError(context, issues);
  const { invoice, link } = source;
  checkKey(changes, link, issues);
  // The fixed invoice must keep the main one's sellers, customers and VAT type
  // (MAIN_AND_FIXED_INVOICES_SELLERS_NOT_EQUALS, _CUSTOMERS_NOT_EQUALS, _NDS_RATE_TYPES_NOT_EQUALS). GUESS:
  // parties are compared by IIN/BIN, so a corrected name or address is let through.
  if (changes.sellers !== undefined) sameTins('sellers', invoice.sellers, changes.sellers, issues);
  if (changes.customers !== undefined) sameTins('customers', invoice.customers, changes.customers, issues);
  if (changes.productSet !== undefined && changes.productSet?.ndsRateType !== invoice.productSet.ndsRateType) {
    issues.push({
      field: 'productSet.ndsRateType',
      message: `must stay the original's (${invoice.productSet.ndsRateType ?? 'absent'}): MAIN_AND_FIXED_INVOICES_NDS_RATE_TYPES_NOT_EQUALS`,
    });
  }
  if (issues.length > 0) throw new ValidationError(context, issues);
  // GUESS: the paper-issue fields say why the original went out on paper; they are not the correction's.
  const {
    datePaper: _datePaper,
    reasonPaper: _reasonPaper,
    $type: _type,
    relatedInvoice: _related,
    ...copied
  } = invoice;
  // GUESS: the turnover date stays the original's (a correction fixes errors in the same turnover) unless given.
  return { ...copied, ...changes, invoiceType: 'FIXED_INVOICE', relatedInvoice: link };
}

/**
 * The additional invoice (ADDITIONAL_INVOICE) of a registered invoice: the changed lines (by how much
 * each amount changes) with the original's parties and product descriptions, totals summed from the
 * lines, `relatedInvoice` from the original. A ValidationError lists what cannot be sent.
 */
export function additionalInvoiceFrom(
  original: RegisteredInvoice,
  changes: AdditionalInvoiceChanges,
): AdditionalInvoiceInput {
  const context: ErrorContext = { service: 'UploadInvoiceService', operation: 'additionalInvoiceFrom' };
  const issues: FieldIssue[] = [];
  const source = readOriginal(original, issues);
  if (!source) throw new ValidationError(context, issues);
  const { invoice, link } = source;
  checkKey(changes, link, issues);
  if (changes.turnoverDate === undefined || changes.turnoverDate === null) {
    issues.push({ field: 'turnoverDate', message: 'is required: the date of the turnover this invoice records' });
  }
  const products = invoice.productSet.products ?? [];
  const lines = Array.isArray(changes.lines) ? changes.lines : [];
  if (lines.length === 0) issues.push({ field: 'lines', message: 'at least one changed line is required' });
  // The sums with the main invoice may not be negative (the *_SUM_NEGATIVE codes). Against an
  // additional invoice they cannot be checked here: the main one and its other additions are not at hand.
  const againstMain = invoice.invoiceType !== 'ADDITIONAL_INVOICE';
  const seen = new Set<number>();
  const totals = { priceWithoutTax: 0n, exciseAmount: 0n, turnoverSize: 0n, ndsAmount: 0n, priceWithTax: 0n };
  const built: InvoiceV2Input['productSet']['products'] = [];
  lines.forEach((line, index) => {
    const at = `lines[${index}]`;
    const base = Number.isInteger(line?.product) ? products[line.product] : undefined;
    if (!base) {
      issues.push({
        field: `${at}.product`,
        message:
          products.length > 0
            ? `expected the position of a product of the original (0 to ${products.length - 1})`
            : 'the original lists no product to change',
      });
      return;
    }
    if (seen.has(line.product)) {
      issues.push({
        field: `${at}.product`,
        message: `product ${line.product} is changed by an earlier line: give one line per product`,
      });
      return;
    }
    seen.add(line.product);
    const amounts: Partial<Record<LineAmount, string>> = {};
    for (const [name, code] of LINE_AMOUNTS) {
      const value = line[name];
      if (value === undefined || value === null) {
        if (REQUIRED_AMOUNTS.has(name)) {
          issues.push({
            field: `${at}.${name}`,
            message:
              name === 'unitPrice'
                ? 'is required in an additional invoice (ADDITIONAL_INVOICE_PRODUCT_UNIT_PRICE_IS_ABSENT)'
                : 'is required',
          });
        }
        continue;
      }
      const change = scaled(value, `${at}.${name}`, issues);
      if (change === undefined) continue;
      amounts[name] = unscaled(change);
      if (name in totals) totals[name as keyof typeof totals] += change;
      const before = base[name];
      if (againstMain && before !== undefined && before !== null) {
        const was = scaled(before, '', []);
        if (was !== undefined && was + change < 0n) {
          issues.push({
            field: `${at}.${name}`,
            message: `${unscaled(change)} takes the original's ${unscaled(was)} below zero (${code})`,
          });
        }
      }
    }
    built.push(changedProduct(base, amounts, line.turnoverAdjustment));
  });
  if (issues.length > 0) throw new ValidationError(context, issues);
  return {
    date: changes.date,
    invoiceType: 'ADDITIONAL_INVOICE',
    num: changes.num,
    operatorFullname: invoice.operatorFullname,
    relatedInvoice: link,
    turnoverDate: changes.turnoverDate,
    // The parties and terms are the main invoice's (MAIN_AND_ADDITIONAL_INVOICES_NOT_EQUALS).
    sellers: invoice.sellers,
    customers: invoice.customers,
    ...optional(invoice, ['deliveryTerm', 'consignor', 'consignee', 'publicOffice']),
    ...optional(invoice, [
      'sellerAgentTin',
      'sellerAgentName',
      'sellerAgentAddress',
      'sellerAgentDocNum',
      'sellerAgentDocDate',
      'customerAgentTin',
      'customerAgentName',
      'customerAgentAddress',
      'customerAgentDocNum',
      'customerAgentDocDate',
    ]),
    productSet: {
      currencyCode: invoice.productSet.currencyCode,
      ...optional(invoice.productSet, ['currencyRate', 'ndsRateType']),
      products: built,
      totalPriceWithoutTax: unscaled(totals.priceWithoutTax),
      totalExciseAmount: unscaled(totals.exciseAmount),
      totalTurnoverSize: unscaled(totals.turnoverSize),
      totalNdsAmount: unscaled(totals.ndsAmount),
      totalPriceWithTax: unscaled(totals.priceWithTax),
    },
    ...optional(changes, ADDITIONAL_OWN_FIELDS),
  };
}

/** The original's body and its link, or undefined with the reasons in `issues`. */
function readOriginal(
  original: RegisteredInvoice,
  issues: FieldIssue[],
): { invoice: InvoiceV2; link: RelatedInvoiceLink } | undefined {
  if (original === null || typeof original !== 'object' || typeof original.invoiceBody !== 'string') {
    issues.push({
      field: 'original.invoiceBody',
      message: 'expected an invoice as the queries return it (InvoiceInfo)',
    });
    return undefined;
  }
  let invoice: InvoiceV2 | undefined;
  try {
    invoice = parseInvoiceBody(original.invoiceBody, {
      service: 'UploadInvoiceService',
      operation: 'read the original',
    });
  } catch (error) {
    issues.push({
      field: 'original.invoiceBody',
      message: `not an InvoiceV2 body: ${(error as Error).message.replace(/^[^:]*: /, '')}`,
    });
  }
  const registrationNumber = original.registrationNumber?.trim() ?? '';
  const status = original.invoiceStatus;
  // relatedInvoice names an invoice registered in ESF (RELATED_INVOICE_NOT_FOUND_*): one still in the
  // queue, refused by the checks, a draft or deleted has nothing to link to.
  if (status !== undefined && (IN_PROGRESS.has(status) || REFUSED.has(status) || NEVER_REGISTERED.has(status))) {
    issues.push({
      field: 'original.invoiceStatus',
      message: `${status}: the invoice is queued, refused, declined, a draft or deleted, not a registered invoice to change`,
    });
  } else if (!registrationNumber) {
    issues.push({
      field: 'original.registrationNumber',
      message: 'is missing: the invoice is not registered (wait for its registration number first)',
    });
  }
  if (!invoice || issues.length > 0) return undefined;
  // The link names the invoice given. GUESS when that is itself a fixed or additional invoice: §3.3.2
  // says the link is "с основным" (to the main one), which may mean the first invoice of the chain.
  return { invoice, link: { date: invoice.date, num: invoice.num, registrationNumber } };
}

/** num and date together name one invoice (queryInvoiceByKey; NOT_UNIQUE_NUMBER_AND_DATE): not the original's. */
function checkKey(key: CorrectionKey, link: RelatedInvoiceLink, issues: FieldIssue[]): void {
  if (typeof key.num !== 'string' || key.num.trim() === '') {
    issues.push({ field: 'num', message: "is required: the new invoice's own outgoing number" });
  }
  if (key.date === undefined || key.date === null) {
    issues.push({ field: 'date', message: "is required: the new invoice's own date of issue" });
    return;
  }
  const date = normalizeDate(key.date, 'date', issues);
  if (key.num?.trim() === link.num && date === link.date) {
    issues.push({
      field: 'num',
      message: `${link.num} of ${link.date} is the original's num and date: the new invoice needs its own (NOT_UNIQUE_NUMBER_AND_DATE)`,
    });
  }
}

function sameTins(
  field: 'sellers' | 'customers',
  before: readonly { tin?: string }[] | undefined,
  after: readonly { tin?: unknown }[] | undefined,
  issues: FieldIssue[],
): void {
  const tins = (list: readonly { tin?: unknown }[] | undefined) =>
    (Array.isArray(list) ? list : []).map((party) => String(party?.tin ?? '')).sort();
  const was = tins(before);
  const now = tins(after);
  if (was.length !== now.length || was.some((tin, i) => tin !== now[i])) {
    const code =
      field === 'sellers'
        ? 'MAIN_AND_FIXED_INVOICES_SELLERS_NOT_EQUALS'
        : 'MAIN_AND_FIXED_INVOICES_CUSTOMERS_NOT_EQUALS';
    issues.push({ field, message: `the IIN/BINs must stay the original's (${was.join(', ')}): ${code}` });
  }
}

/** A product of the original with its amounts replaced by the changes (the original's amounts are not carried). */
function changedProduct(
  base: Product,
  amounts: Partial<Record<LineAmount, string>>,
  turnoverAdjustment: number | undefined,
): InvoiceV2Input['productSet']['products'][number] {
  const {
    $type: _type,
    quantity: _quantity,
    unitPrice: _unitPrice,
    priceWithoutTax: _priceWithoutTax,
    exciseAmount: _exciseAmount,
    turnoverSize: _turnoverSize,
    ndsAmount: _ndsAmount,
    priceWithTax: _priceWithTax,
    turnoverAdjustment: _adjustment,
    ...kept
  } = base;
  return {
    ...kept,
    priceWithoutTax: amounts.priceWithoutTax ?? '0',
    turnoverSize: amounts.turnoverSize ?? '0',
    ndsAmount: amounts.ndsAmount ?? '0',
    priceWithTax: amounts.priceWithTax ?? '0',
    ...(amounts.quantity !== undefined ? { quantity: amounts.quantity } : {}),
    ...(amounts.unitPrice !== undefined ? { unitPrice: amounts.unitPrice } : {}),
    ...(amounts.exciseAmount !== undefined ? { exciseAmount: amounts.exciseAmount } : {}),
    ...(turnoverAdjustment !== undefined ? { turnoverAdjustment } : {}),
  };
}

/** The fields of `source` that are present. */
function optional<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined && source[key] !== null) out[key] = source[key];
  return out;
}

/** Amounts are compared and summed exactly, as integers of millionths (quantity and prices carry 6 digits). */
const SCALE = 6;

function scaled(value: unknown, field: string, issues: FieldIssue[]): bigint | undefined {
  const before = issues.length;
  const text = normalizeDecimal(value, field, issues);
  if (issues.length > before || typeof text !== 'string') {
    if (issues.length === before) issues.push({ field, message: 'expected an amount' });
    return undefined;
  }
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  if (fraction.length > SCALE) {
    issues.push({ field, message: `${text} has more than ${SCALE} decimal places` });
    return undefined;
  }
  const magnitude = BigInt(whole + fraction.padEnd(SCALE, '0'));
  return negative ? -magnitude : magnitude;
}

function unscaled(value: bigint): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(SCALE + 1, '0');
  const whole = digits.slice(0, -SCALE);
  const fraction = digits.slice(-SCALE).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
