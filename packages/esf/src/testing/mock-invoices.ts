/**
 * The mock's invoices: syncInvoice puts signed invoices in a registration queue (after the
 * synchronous checks: signature, XSD, the body rules), the queue registers or fails them
 * asynchronously (`processingMs` after acceptance, evaluated against the mock's clock, so no timer
 * outlives the mock), and every change is an event that queryUpdates pages through per BIN and
 * direction. Costs are linear: events are appended in time order and found by binary search.
 */
import { verifyRaw } from '@kz/signing';
import { DecodeError } from '@kz/soap';
import type {
  ChangeStatusResult,
  DeleteResult,
  InvoiceDirection,
  InvoiceInfo,
  InvoiceStatus,
  InvoiceSummary,
  QueryInvoiceCriteria,
  QueryInvoiceResponse,
  QueryInvoiceUpdateResponse,
  SignatureType,
} from '../generated/invoice-service/types.js';
import type { InvoiceV2 } from '../generated/invoice-v2/types.js';
import type { StandardResponse } from '../generated/upload/types.js';
import { INVOICE_V2_VERSION, invoiceKeyOf, parseInvoiceBody } from '../invoice-body.js';

/**
 * A problem the mock reports about an invoice (the contract's Error: property, errorCode, text), e.g. from
 * `heavyChecks`.
 */
export interface MockInvoiceIssue {
  /** The field the problem is in, e.g. `customers.customer.tin`. */
  property?: string;
  /** A code such as `SELLER_TIN_NOT_EQUALS_WITH_TIN_IN_SESSION`. */
  errorCode?: string;
  /** Human-readable explanation (the mock's own checks write English). */
  text?: string;
}

/** An invoice the mock holds: what was uploaded and where it is in its life (queue, registered, changed). */
export interface MockInvoice {
  /** The ESF id the mock gave it (digits). */
  readonly id: string;
  /** BIN/IIN of the session that uploaded it. */
  readonly issuerTin: string;
  /** BIN/IINs of its customers: they see it INBOUND once it is registered. */
  readonly customerTins: readonly string[];
  /** The body text as uploaded (what was signed). */
  readonly body: string;
  /** The body parsed as InvoiceV2: what the asynchronous (heavy) checks read. */
  readonly invoice: InvoiceV2;
  /** The invoice's own number (from the body). */
  readonly num: string;
  /** The invoice's date, dd.MM.yyyy (from the body). */
  readonly date: string;
  /** The raw signature of the body, base64, as uploaded. */
  readonly signature: string;
  /** COMPANY or OPERATOR, as uploaded. */
  readonly signatureType: SignatureType;
  /** The signer's certificate (base64 DER) the upload carried. */
  readonly certificate: string;
  /** When it was accepted, ms since the epoch (the mock's clock). */
  readonly inputDate: number;
  /** IN_QUEUE until processed, then DELIVERED (registered) or FAILED; later DECLINED, REVOKED or DELETED. */
  status: InvoiceStatus;
  /** Registration number once registered (`ESF-<issuer BIN>-<date>-<counter>`), else undefined. */
  registrationNumber: string | undefined;
  /** Time of its last change, ms since the epoch (the mock's clock). */
  lastUpdateDate: number;
  /** The reason of a decline or revoke (cleared by unrevoke). */
  cancelReason: string | undefined;
  /** Why processing failed (from `heavyChecks`); empty otherwise. */
  errors: MockInvoiceIssue[];
}

/** How the mock processes invoices (EsfMockOptions.invoices): processing time, the asynchronous checks, page size. */
export interface MockInvoiceOptions {
  /** Time from acceptance to registration (or failure), ms. Default 200. */
  processingMs?: number;
  /**
   * The asynchronous ("heavy") checks: return issues to fail the invoice. Default: the seller's BIN
   * must be the session's, and the customers must be known taxpayers when `knownTins` is given.
   */
  heavyChecks?: (invoice: InvoiceV2, issuerTin: string) => MockInvoiceIssue[];
  /** Taxpayers the heavy checks know (customers outside it fail); default: any. */
  knownTins?: readonly string[];
  /** Invoices per queryInvoice page, and per queryUpdates page when the request names no limit. Default 50. */
  pageSize?: number;
}

interface InvoiceEvent {
  readonly at: number;
  readonly invoiceId: string;
}

const CHANGE_TARGET: Record<'decline' | 'revoke' | 'unrevoke', { from: InvoiceStatus[]; to: InvoiceStatus }> = {
  decline: { from: ['CREATED', 'DELIVERED'], to: 'DECLINED' },
  revoke: { from: ['CREATED', 'DELIVERED'], to: 'REVOKED' },
  unrevoke: { from: ['REVOKED'], to: 'DELIVERED' },
};

/**
 * The ESF mock's invoices (`mock.state.invoices`): syncInvoice's synchronous checks, the registration queue
 * (processed lazily against the mock's clock whenever the store is read, so no timer outlives the mock), the
 * status changes and the events queryUpdates pages through. Test-only.
 */
export class MockInvoiceStore {
  /** Every invoice uploaded and accepted, by id. */
  readonly invoices = new Map<string, MockInvoice>();
  /**
   * Invoices per queryInvoice page, and per queryUpdates page without `limit` (MockInvoiceOptions.pageSize; default
   * 50).
   */
  readonly pageSize: number;
  readonly #processingMs: number;
  readonly #heavyChecks: (invoice: InvoiceV2, issuerTin: string) => MockInvoiceIssue[];
  readonly #now: () => number;
  /** Accepted invoices waiting for processing, in acceptance (= due) order. */
  readonly #queue: MockInvoice[] = [];
  #queueHead = 0;
  /** Invoices by `${num}|${date}`. */
  readonly #byKey = new Map<string, MockInvoice[]>();
  /** Events per `${direction}|${tin}`, in time order. */
  readonly #events = new Map<string, InvoiceEvent[]>();
  #lastEventAt = 0;
  #nextId = 21374509837942784n;
  #registrations = 8011;

  constructor(options: MockInvoiceOptions, now: () => number) {
    this.#processingMs = options.processingMs ?? 200;
    this.pageSize = options.pageSize ?? 50;
    const known = options.knownTins ? new Set(options.knownTins) : undefined;
    this.#heavyChecks = options.heavyChecks ?? ((invoice, issuerTin) => defaultHeavyChecks(invoice, issuerTin, known));
    this.#now = now;
  }

  /** syncInvoice: the synchronous checks, then the queue. */
  upload(
    issuerTin: string,
    certificate: string,
    items: readonly { invoiceBody: string; version: string; signature: string; signatureType: SignatureType }[],
  ): { acceptedSet: StandardResponse[]; declinedSet: StandardResponse[] } {
    this.advance();
    const acceptedSet: StandardResponse[] = [];
    const declinedSet: StandardResponse[] = [];
    for (const item of items) {
      const key = keyOf(item.invoiceBody);
      const decline = (errors: MockInvoiceIssue[]) => declinedSet.push({ errors, ...key });
      if (item.version !== INVOICE_V2_VERSION) {
        decline([
          { property: 'version', errorCode: 'INVALID_INVOICE_VERSION', text: `unknown version ${item.version}` },
        ]);
        continue;
      }
      if (!verifyRaw(item.invoiceBody, item.signature, certificate)) {
        decline([
          { property: 'signature', errorCode: 'SIGNATURE_VERIFICATION_FAILED', text: 'the signature does not verify' },
        ]);
        continue;
      }
      let invoice: InvoiceV2;
      try {
        invoice = parseInvoiceBody(item.invoiceBody, { service: 'mock', operation: 'syncInvoice' });
      } catch (error) {
        const text = error instanceof DecodeError ? error.message : 'the body cannot be read';
        decline([{ property: 'invoiceBody', errorCode: 'FIELD_INVALID', text }]);
        continue;
      }
      if ((this.#byKey.get(`${invoice.num}|${invoice.date}`) ?? []).some((i) => i.issuerTin === issuerTin)) {
        decline([
          { property: 'num', errorCode: 'NOT_UNIQUE_DB_ERROR_MSG', text: 'an invoice with this num and date exists' },
        ]);
        continue;
      }
      const at = this.#tick();
      const record: MockInvoice = {
        id: (this.#nextId++).toString(),
        issuerTin,
        customerTins: (invoice.customers ?? []).flatMap((c) => (c.tin ? [c.tin] : [])),
        body: item.invoiceBody,
        invoice,
        num: invoice.num,
        date: invoice.date,
        signature: item.signature,
        signatureType: item.signatureType,
        certificate,
        inputDate: at,
        status: 'IN_QUEUE',
        registrationNumber: undefined,
        lastUpdateDate: at,
        cancelReason: undefined,
        errors: [],
      };
      this.invoices.set(record.id, record);
      const sameKey = this.#byKey.get(`${record.num}|${record.date}`);
      if (sameKey) sameKey.push(record);
      else this.#byKey.set(`${record.num}|${record.date}`, [record]);
      this.#queue.push(record);
      this.#event(record, at, false);
      acceptedSet.push({ id: record.id, num: record.num, date: record.date });
    }
    return { acceptedSet, declinedSet };
  }

  /** Processes what is due: each accepted invoice is registered or fails `processingMs` after acceptance. */
  advance(): void {
    const now = this.#now();
    while (this.#queueHead < this.#queue.length) {
      const record = this.#queue[this.#queueHead] as MockInvoice;
      if (record.inputDate + this.#processingMs > now) break;
      this.#queueHead++;
      const errors = this.#heavyChecks(record.invoice, record.issuerTin);
      const at = this.#tick(record.inputDate + this.#processingMs);
      if (errors.length > 0) {
        record.status = 'FAILED';
        record.errors = errors;
        record.lastUpdateDate = at;
        this.#event(record, at, false);
      } else {
        record.status = 'DELIVERED';
        record.registrationNumber = `ESF-${record.issuerTin}-${compactDate(record.inputDate)}-${String(this.#registrations++).padStart(8, '0')}`;
        record.lastUpdateDate = at;
        this.#event(record, at, true);
      }
    }
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
  }

  /** The invoices of these ids the session's BIN may see (issued by it, or addressed to it). */
  visible(tin: string, ids: readonly string[]): MockInvoice[] {
    this.advance();
    return ids.flatMap((id) => {
      const record = this.invoices.get(id);
      return record && (record.issuerTin === tin || (record.registrationNumber && record.customerTins.includes(tin)))
        ? [record]
        : [];
    });
  }

  /**
   * queryInvoiceByKey: the invoices of these num/date keys: OUTBOUND the ones `tin` issued, INBOUND the registered
   * ones addressed to it.
   */
  byKey(tin: string, keys: readonly { num: string; date: string }[], direction: InvoiceDirection): MockInvoice[] {
    this.advance();
    return keys.flatMap((key) =>
      (this.#byKey.get(`${key.num}|${key.date}`) ?? []).filter((record) =>
        direction === 'OUTBOUND'
          ? record.issuerTin === tin
          : record.registrationNumber !== undefined && record.customerTins.includes(tin),
      ),
    );
  }

  /** queryUpdates: events after the cursor for this BIN and direction, `limit` per page. */
  updates(tin: string, direction: InvoiceDirection, lastEventDate: string, limit: number): QueryInvoiceUpdateResponse {
    this.advance();
    const after = Date.parse(lastEventDate);
    if (Number.isNaN(after)) throw new Error(`lastEventDate ${lastEventDate} is not a date`);
    const events = this.#events.get(`${direction}|${tin}`) ?? [];
    let low = 0;
    let high = events.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((events[mid] as InvoiceEvent).at <= after) low = mid + 1;
      else high = mid;
    }
    const page = events.slice(low, low + limit);
    const last = page.at(-1);
    return {
      lastEventDate: last ? isoDate(last.at) : lastEventDate,
      ...(last ? { lastInvoiceId: last.invoiceId } : {}),
      lastBlock: low + page.length >= events.length,
      invoiceInfoList: page.map((event) => infoOf(this.invoices.get(event.invoiceId) as MockInvoice)),
    };
  }

  /** queryInvoice: criteria over the BIN's invoices, pages of `pageSize`. */
  query(tin: string, criteria: QueryInvoiceCriteria, pageSize: number): QueryInvoiceResponse {
    this.advance();
    const from = Date.parse(criteria.dateFrom);
    const to = Date.parse(criteria.dateTo);
    const statuses = criteria.invoiceStatusList ? new Set<string>(criteria.invoiceStatusList) : undefined;
    const matching = [...this.invoices.values()].filter((record) => {
      const mine =
        criteria.direction === 'OUTBOUND'
          ? record.issuerTin === tin
          : record.registrationNumber !== undefined && record.customerTins.includes(tin);
      if (!mine || record.inputDate < from || record.inputDate > to) return false;
      if (statuses && !statuses.has(record.status)) return false;
      if (criteria.contragentTin) {
        const other = criteria.direction === 'OUTBOUND' ? record.customerTins : [record.issuerTin];
        if (!other.includes(criteria.contragentTin)) return false;
      }
      return true;
    });
    const page = Math.max(1, criteria.pageNum ?? 1);
    const slice = matching.slice((page - 1) * pageSize, page * pageSize);
    return {
      lastBlock: page * pageSize >= matching.length,
      currPage: page,
      rsCount: matching.length,
      invoiceInfoList: slice.map((record) => infoOf(record)),
    };
  }

  /** confirmInvoiceById: the summaries of the invoices `tin` may see (the mock changes no status). */
  confirm(tin: string, ids: readonly string[]): InvoiceSummary[] {
    return this.visible(tin, ids).map((record) => summaryOf(record));
  }

  /**
   * decline (by a customer), revoke or unrevoke (by the issuer): changes the status when the invoice's status
   * allows it, else answers `isChanged: false` with errorCode WRONG_STATUS; unknown ids are left out.
   */
  change(
    kind: 'decline' | 'revoke' | 'unrevoke',
    tin: string,
    items: readonly { id: string; reason: string }[],
  ): ChangeStatusResult[] {
    this.advance();
    const rule = CHANGE_TARGET[kind];
    return items.flatMap((item): ChangeStatusResult[] => {
      const record = this.invoices.get(item.id);
      if (!record) return [];
      const allowed =
        rule.from.includes(record.status) &&
        (kind === 'decline' ? record.customerTins.includes(tin) : record.issuerTin === tin);
      if (!allowed) return [{ invoiceSummary: summaryOf(record), isChanged: false, errorCode: 'WRONG_STATUS' }];
      const at = this.#tick();
      record.status = rule.to;
      record.cancelReason = kind === 'unrevoke' ? undefined : item.reason;
      record.lastUpdateDate = at;
      this.#event(record, at, true);
      return [{ invoiceSummary: summaryOf(record), isChanged: true }];
    });
  }

  /** deleteInvoiceById: deletes the issuer's FAILED invoices (status DELETED); others answer `isDeleted: false`. */
  delete(tin: string, ids: readonly string[]): DeleteResult[] {
    this.advance();
    return ids.map((id) => {
      const record = this.invoices.get(id);
      if (!record || record.issuerTin !== tin || record.status !== 'FAILED') return { invoiceId: id, isDeleted: false };
      const at = this.#tick();
      record.status = 'DELETED';
      record.lastUpdateDate = at;
      this.#event(record, at, false);
      return { invoiceId: id, isDeleted: true };
    });
  }

  /** A strictly increasing event time (so the time alone orders events). */
  #tick(at = this.#now()): number {
    this.#lastEventAt = Math.max(at, this.#lastEventAt + 1);
    return this.#lastEventAt;
  }

  #event(record: MockInvoice, at: number, visibleToCustomers: boolean): void {
    const push = (key: string) => {
      const list = this.#events.get(key);
      if (list) list.push({ at, invoiceId: record.id });
      else this.#events.set(key, [{ at, invoiceId: record.id }]);
    };
    push(`OUTBOUND|${record.issuerTin}`);
    if (visibleToCustomers || record.registrationNumber) {
      for (const tin of new Set(record.customerTins)) push(`INBOUND|${tin}`);
    }
  }
}

function defaultHeavyChecks(invoice: InvoiceV2, issuerTin: string, known: Set<string> | undefined): MockInvoiceIssue[] {
  const issues: MockInvoiceIssue[] = [];
  if (!(invoice.sellers ?? []).some((s) => s.tin === issuerTin)) {
    issues.push({
      property: 'sellers.seller.tin',
      errorCode: 'SELLER_TIN_NOT_EQUALS_WITH_TIN_IN_SESSION',
      text: `no seller has the session's BIN ${issuerTin}`,
    });
  }
  for (const customer of invoice.customers ?? []) {
    if (known && customer.tin && !known.has(customer.tin)) {
      issues.push({
        property: 'customers.customer.tin',
        errorCode: 'CUSTOMER_TIN_ABSENT_IN_DICTIONARY',
        text: `${customer.tin} is not a registered taxpayer`,
      });
    }
  }
  return issues;
}

export function summaryOf(record: MockInvoice): InvoiceSummary {
  return {
    invoiceId: record.id,
    date: record.date,
    invoiceStatus: record.status,
    num: record.num,
    ...(record.cancelReason ? { cancelReason: record.cancelReason } : {}),
    ...(record.registrationNumber ? { registrationNumber: record.registrationNumber } : {}),
    lastUpdateDate: isoDate(record.lastUpdateDate),
  };
}

export function infoOf(record: MockInvoice): InvoiceInfo {
  return {
    invoiceBody: record.body,
    invoiceId: record.id,
    ...(record.registrationNumber ? { registrationNumber: record.registrationNumber } : {}),
    inputDate: isoDate(record.inputDate),
    lastUpdateDate: isoDate(record.lastUpdateDate),
    signatureValid: true,
    invoiceStatus: record.status,
    ...(record.cancelReason ? { cancelReason: record.cancelReason } : {}),
    version: INVOICE_V2_VERSION,
    signature: record.signature,
    signatureType: record.signatureType,
    certificate: record.certificate,
  };
}

function keyOf(body: string): { num: string; date: string } {
  try {
    return invoiceKeyOf(body);
  } catch {
    return { num: '', date: '' };
  }
}

/** xs:dateTime in Astana time, as the service writes it. */
function isoDate(ms: number): string {
  return `${new Date(ms + 5 * 3600_000).toISOString().slice(0, 23)}+05:00`;
}

function compactDate(ms: number): string {
  return new Date(ms + 5 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}
