/**
 * Invoices of one session: upload signed invoices, wait for their registration numbers, change
 * their status, read the mailbox. Bound to a session (`session.invoices`).
 *
 * Uploading and the status changes (confirm, decline, revoke, unrevoke, delete) change state: they
 * are never retried. A timeout or a dropped connection during syncInvoice leaves a TransportError
 * with `maybeDelivered`; find out what arrived with `findByKey` (the invoice's num and date) or
 * `updates({ direction: 'OUTBOUND' })` before uploading again. The queries are safe and follow the
 * client's `retry` option.
 */
import { pemBody, type Signer, signRaw } from '@kz/signing';
import {
  type CallOptions,
  DecodeError,
  type ErrorContext,
  escapeText,
  type FieldIssue,
  type PollOptions,
  poll,
  ValidationError,
} from '@kz/soap';
import { toEsfError } from './errors.js';
import type { SignatureType } from './generated/common/types.js';
import type { InvoiceServiceClient } from './generated/invoice-service/client.js';
import type {
  ChangeStatusResult,
  DeleteResult,
  InvoiceDirection,
  InvoiceInfo,
  InvoiceInfoHistoryRecord,
  InvoiceStatus,
  InvoiceSummary,
  QueryInvoiceCriteria,
} from './generated/invoice-service/types.js';
import type { UploadInvoiceServiceClient } from './generated/upload/client.js';
import type { StandardResponse } from './generated/upload/types.js';
import {
  buildInvoiceBody,
  INVOICE_V2_VERSION,
  type InvoiceV2Input,
  invoiceKeyOf,
  parseInvoiceBody,
} from './invoice-body.js';

/** The most characters the `signature` field takes (UploadInvoiceService.wsdl, FACTS.md fact 2). */
export const MAX_SIGNATURE_LENGTH = 400;

/** A problem ESF reports about an invoice (Error of the contracts). */
export interface EsfInvoiceIssue {
  /** The field of the invoice the problem is in (ESF's property path), when ESF names one. */
  readonly property?: string;
  /** ESF's code of the problem (e.g. a validation rule's code); see the ESF API documentation for the list. */
  readonly errorCode?: string;
  /** ESF's human-readable description of the problem (usually in Russian). */
  readonly text?: string;
}

/**
 * What happened to one invoice of an `upload()`: `accepted` (ESF gave it an id; its registration is still to
 * come, see waitForRegistration), `declined` (refused at once, with ESF's errors) or `unknown` (the answer
 * did not mention it: look it up with findByKey before uploading again). `num` and `date` are the invoice's
 * own number and date (dd.MM.yyyy), the key ESF pairs answers by.
 */
export type UploadOutcome =
  | {
      readonly status: 'accepted';
      /** Position in the list given to upload(). */
      readonly index: number;
      /** ESF's id of the invoice, for waitForRegistration and the queries. */
      readonly id: string;
      readonly num: string;
      readonly date: string;
      /** The body sent (what was signed). */
      readonly body: string;
    }
  | {
      readonly status: 'declined';
      readonly index: number;
      readonly num: string;
      readonly date: string;
      readonly errors: readonly EsfInvoiceIssue[];
      readonly body: string;
    }
  | {
      /** The answer says nothing about this invoice (it names neither its num nor its date). */
      readonly status: 'unknown';
      readonly index: number;
      readonly num: string;
      readonly date: string;
      readonly body: string;
    };

/** The result of `upload()`: one outcome per invoice sent, plus any answer entries that matched none. */
export interface UploadReport {
  /** One outcome per invoice, in the order given. */
  readonly outcomes: readonly UploadOutcome[];
  /** Entries of the answer that match no invoice sent (kept as they came). */
  readonly unmatched: readonly StandardResponse[];
}

/**
 * Options of `upload()`: the signature type, the clock of the turnoverDate rule, and the call options
 * (never retried, whatever `retry` says).
 */
export interface UploadOptions extends CallOptions {
  /** COMPANY (the company's key, default) or OPERATOR (a person authorized to sign invoices). */
  signatureType?: SignatureType;
  /** The clock for the turnoverDate rule. */
  now?: () => Date;
}

/** An invoice status as the service reports it: a status added after this release is kept as received. */
export type ReportedInvoiceStatus = InvoiceStatus | (string & {});

/**
 * How an uploaded invoice settled (waitForRegistration): `registered` with its ESF registration number, or
 * `failed` (status FAILED, DECLINED or FAILED_BIOMETRICS_VERIFICATION) with the reasons ESF gives.
 */
export type RegistrationOutcome =
  | {
      readonly status: 'registered';
      readonly id: string;
      readonly registrationNumber: string;
      readonly invoiceStatus: ReportedInvoiceStatus;
      readonly summary: InvoiceSummary;
    }
  | {
      readonly status: 'failed';
      readonly id: string;
      readonly invoiceStatus: ReportedInvoiceStatus;
      /** Why, from queryInvoiceErrorById. */
      readonly errors: readonly EsfInvoiceIssue[];
      readonly summary: InvoiceSummary;
    };

/**
 * What waitForRegistration has seen so far: passed to `onProgress` on every poll and kept in
 * WaitTimeoutError's `last` when time runs out.
 */
export interface RegistrationProgress {
  /** The invoices registered or failed so far, in the order of the ids asked for. */
  readonly settled: readonly RegistrationOutcome[];
  /** Ids still in the queue, with the status last seen. */
  readonly pending: readonly { readonly id: string; readonly invoiceStatus: ReportedInvoiceStatus | undefined }[];
}

/** Statuses of an invoice still being processed after syncInvoice accepted it. */
export const IN_PROGRESS: ReadonlySet<string> = new Set(['IN_QUEUE', 'IN_PROCESSING', 'WAIT_BIOMETRICS_VERIFICATION']);
/** Statuses of an invoice the asynchronous checks refused (FACTS.md fact 21). */
export const REFUSED: ReadonlySet<string> = new Set(['FAILED', 'DECLINED', 'FAILED_BIOMETRICS_VERIFICATION']);

/** Where queryUpdates continues: the last page's lastEventDate and lastInvoiceId. */
export interface UpdatesCursor {
  /** Time of the last event already read (xs:dateTime with zone, as ESF wrote it). */
  readonly lastEventDate: string;
  /** Id of the last invoice already read at that time, so invoices with the same event time are not repeated. */
  readonly lastInvoiceId?: string;
}

/** One page of `updates()` (queryUpdates): invoices whose status changed or that arrived, in event order. */
export interface UpdatesPage {
  /** The invoices of this page (full data for new invoices; on status changes only when `fullInfoOnStatusChange`). */
  readonly invoices: readonly InvoiceInfo[];
  /** Give it back as `after` to continue from here later. */
  readonly cursor: UpdatesCursor;
  /** True on the last page: nothing newer for now (the generator stops after it). */
  readonly lastBlock: boolean;
}

/** Options of `updates()`: which mailbox, where to start, the page size, and the call options of each page. */
export interface UpdatesOptions extends CallOptions {
  /** INBOUND (invoices issued to you) or OUTBOUND (invoices you issued). */
  direction: InvoiceDirection;
  /** Continue after this point (a page's `cursor`), or start at a time (xs:dateTime with zone, or a Date). */
  after?: UpdatesCursor | Date | string;
  /** Invoices per page (the server's default when absent). */
  limit?: number;
  /** Full invoice data also on status changes. Default false. */
  fullInfoOnStatusChange?: boolean;
}

/** One page of `query()` (queryInvoice): the invoices matching the criteria on this page. */
export interface QueryPage {
  /**
   * The matching invoices on this page, with their bodies (read one with parseInvoiceBody), status and registration
   * number.
   */
  readonly invoices: readonly InvoiceInfo[];
  /** The page number ESF reports (`currPage`). */
  readonly page: number;
  /** Invoices matching the criteria, over all pages. */
  readonly total: number;
  /** True on the last page (the generator stops after it). */
  readonly lastBlock: boolean;
}

/** Who changes status: ids with the reason ESF records. */
export interface IdWithReason {
  /** The invoice's ESF id (digits). */
  id: string | number | bigint;
  /** Why: the text ESF records with the status change (required, not empty). */
  reason: string;
}

/**
 * What a signed status change signs, as one client builds it (FACTS.md fact 27; a GUESS: the ESF
 * SDK's LocalService signs this list inside its jar). Give your own with the `signable` option.
 */
export function reasonsSignable(items: readonly { id: string; reason: string }[]): string {
  const entries = items.map(
    (i) => `<idWithReason><id>${i.id}</id><reason>${escapeText(i.reason)}</reason></idWithReason>`,
  );
  return `<signedContent><idsWithReasons>${entries.join('')}</idsWithReasons></signedContent>`;
}

/** The same for deleteInvoiceById (LocalService.signIdList's ids; a GUESS by analogy). */
export function idsSignable(ids: readonly string[]): string {
  return `<signedContent><ids>${ids.map((id) => `<id>${id}</id>`).join('')}</ids></signedContent>`;
}

/**
 * Options of the signed status changes (decline, revoke, unrevoke, delete): what to sign, and the call options
 * (never retried, whatever `retry` says).
 */
export interface SignedChangeOptions extends CallOptions {
  /** What to sign for these ids (default reasonsSignable / idsSignable). */
  signable?: (items: readonly { id: string; reason?: string }[]) => string;
}

const ID = /^\d{1,19}$/;

/**
 * Invoice operations of one ESF session (`session.invoices`): upload (syncInvoice), waitForRegistration,
 * queries, the mailbox (`updates`) and status changes. Service refusals are thrown as EsfAccessDeniedError,
 * EsfBusinessError, EsfSessionClosedError; invalid ids or invoices as ValidationError before anything is sent.
 */
export class EsfInvoices {
  /** The id of the session every call carries. */
  readonly sessionId: string;
  readonly #invoice: InvoiceServiceClient;
  readonly #upload: UploadInvoiceServiceClient;

  constructor(sessionId: string, clients: { invoice: InvoiceServiceClient; upload: UploadInvoiceServiceClient }) {
    this.sessionId = sessionId;
    this.#invoice = clients.invoice;
    this.#upload = clients.upload;
  }

  /**
   * syncInvoice: builds each body (all problems of all invoices in one ValidationError), signs each
   * with `signer` (a raw signature of the body's UTF-8 bytes), sends them in one request with the
   * certificate once, and pairs the answer with the invoices by num and date. Never retried.
   */
  async upload(
    invoices: readonly (InvoiceV2Input | string)[],
    signer: Signer,
    options: UploadOptions = {},
  ): Promise<UploadReport> {
    const context: ErrorContext = { service: 'UploadInvoiceService', operation: 'syncInvoice' };
    if (!Array.isArray(invoices) || invoices.length === 0) {
      throw new ValidationError(context, [{ field: 'invoices', message: 'at least one invoice is required' }]);
    }
    const issues: FieldIssue[] = [];
    const bodies = invoices.map((invoice, index) => {
      const path = `invoices[${index}]`;
      if (typeof invoice === 'string') {
        const problem = bodyProblem(invoice);
        if (problem) issues.push({ field: path, message: problem });
        return invoice;
      }
      try {
        return buildInvoiceBody(invoice, { path, ...(options.now ? { now: options.now } : {}) });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        issues.push(...error.issues);
        return '';
      }
    });
    if (issues.length > 0) throw new ValidationError(context, issues);
    const signatureType = options.signatureType ?? 'COMPANY';
    const uploads: { invoiceBody: string; version: string; signature: string; signatureType: SignatureType }[] = [];
    for (const [index, body] of bodies.entries()) {
      const { base64 } = await signRaw(signer, body);
      if (base64.length > MAX_SIGNATURE_LENGTH) {
        issues.push({
          field: `invoices[${index}].signature`,
          message: `the signature is ${base64.length} characters; the signature field takes at most ${MAX_SIGNATURE_LENGTH} (a raw RSA-2048 or GOST-2015 signature fits; a CMS or a longer RSA key does not)`,
        });
      }
      uploads.push({ invoiceBody: body, version: INVOICE_V2_VERSION, signature: base64, signatureType });
    }
    if (issues.length > 0) throw new ValidationError(context, issues);
    const { signatureType: _ignored, now: _now, ...call } = options;
    const response = await this.#call(() =>
      this.#upload.syncInvoice(
        { sessionId: this.sessionId, invoiceUploadInfoList: uploads, x509Certificate: pemBody(signer.certificate) },
        { ...call, retry: false },
      ),
    );
    return pairOutcomes(bodies, response.acceptedSet ?? [], response.declinedSet ?? []);
  }

  /**
   * Polls queryInvoiceSummaryById until every id is registered (a registration number) or failed (with
   * the reasons of queryInvoiceErrorById). Running out of time throws @kz/soap's WaitTimeoutError:
   * `resume.invoiceIds` are the ids still pending (wait for those again), `last.settled` what settled.
   * Defaults: `intervalMs` 2 s, `timeoutMs` 2 minutes.
   */
  async waitForRegistration(
    ids: readonly (string | number | bigint)[],
    options: PollOptions<RegistrationProgress> & CallOptions = {},
  ): Promise<RegistrationOutcome[]> {
    const context: ErrorContext = { service: 'InvoiceService', operation: 'waitForRegistration' };
    const wanted = checkIds(ids, context);
    const settled = new Map<string, RegistrationOutcome>();
    const call = callOptions(options);
    const progress = await poll(
      async () => {
        const pendingIds = wanted.filter((id) => !settled.has(id));
        const summaries = await this.summaries(pendingIds, call);
        const byId = new Map(summaries.map((s) => [s.invoiceId, s]));
        const failed: { summary: InvoiceSummary; status: ReportedInvoiceStatus }[] = [];
        const pending: { id: string; invoiceStatus: ReportedInvoiceStatus | undefined }[] = [];
        for (const id of pendingIds) {
          const summary = byId.get(id);
          const status = summary?.invoiceStatus;
          if (!summary || !status || IN_PROGRESS.has(status)) pending.push({ id, invoiceStatus: status });
          else if (REFUSED.has(status)) failed.push({ summary, status });
          else if (summary.registrationNumber) {
            settled.set(id, {
              status: 'registered',
              id,
              registrationNumber: summary.registrationNumber,
              invoiceStatus: status,
              summary,
            });
          } else pending.push({ id, invoiceStatus: status });
        }
        if (failed.length > 0) {
          const reasons = await this.errors(
            failed.map(({ summary }) => summary.invoiceId),
            call,
          );
          for (const { summary, status } of failed) {
            settled.set(summary.invoiceId, {
              status: 'failed',
              id: summary.invoiceId,
              invoiceStatus: status,
              errors: reasons.get(summary.invoiceId) ?? [],
              summary,
            });
          }
        }
        const outcomes = wanted.flatMap((id) => settled.get(id) ?? []);
        return { done: pending.length === 0, progress: { settled: outcomes, pending } };
      },
      options,
      {
        context,
        defaults: { intervalMs: 2_000, timeoutMs: 120_000 },
        // The checks only read: an abort says nothing reached the service that it acted on.
        maybeDelivered: false,
        resume: (last) => ({ invoiceIds: last?.pending.map((p) => p.id) ?? wanted }),
        describe: (last, timeoutMs) =>
          `${last?.pending.length ?? wanted.length} invoice(s) not registered within ${timeoutMs} ms`,
      },
    );
    return [...progress.settled];
  }

  /** queryInvoiceSummaryById. */
  async summaries(ids: readonly (string | number | bigint)[], options?: CallOptions): Promise<InvoiceSummary[]> {
    const idList = checkIds(ids, { service: 'InvoiceService', operation: 'queryInvoiceSummaryById' });
    const response = await this.#call(() =>
      this.#invoice.queryInvoiceSummaryById({ sessionId: this.sessionId, idList }, options),
    );
    return response.invoiceSummaryList;
  }

  /** queryInvoiceById: the invoices with their bodies (parse one with parseInvoiceBody). */
  async byId(ids: readonly (string | number | bigint)[], options?: CallOptions): Promise<InvoiceInfo[]> {
    const idList = checkIds(ids, { service: 'InvoiceService', operation: 'queryInvoiceById' });
    const response = await this.#call(() =>
      this.#invoice.queryInvoiceById({ sessionId: this.sessionId, idList }, options),
    );
    return response.invoiceInfoList;
  }

  /**
   * queryInvoiceByKey: invoices by their own num and date (dd.MM.yyyy), e.g. to learn whether an
   * upload that timed out arrived. `keys` may be bodies you uploaded.
   */
  async findByKey(
    keys: readonly ({ num: string; date: string } | string)[],
    direction: InvoiceDirection = 'OUTBOUND',
    options?: CallOptions,
  ): Promise<InvoiceInfo[]> {
    const invoiceKeyList = keys.map((key) => (typeof key === 'string' ? invoiceKeyOf(key) : key));
    const response = await this.#call(() =>
      this.#invoice.queryInvoiceByKey({ sessionId: this.sessionId, invoiceKeyList, direction }, options),
    );
    return response.invoiceInfoList;
  }

  /** queryInvoiceErrorById: the reasons per id. */
  async errors(
    ids: readonly (string | number | bigint)[],
    options?: CallOptions,
  ): Promise<Map<string, EsfInvoiceIssue[]>> {
    const idList = checkIds(ids, { service: 'InvoiceService', operation: 'queryInvoiceErrorById' });
    const response = await this.#call(() =>
      this.#invoice.queryInvoiceErrorById({ sessionId: this.sessionId, idList }, options),
    );
    return new Map(response.invoiceErrorList.map((e) => [e.invoiceId, e.errors ?? []]));
  }

  /** queryInvoiceHistoryById. */
  async history(
    ids: readonly (string | number | bigint)[],
    options?: CallOptions,
  ): Promise<InvoiceInfoHistoryRecord[]> {
    const idList = checkIds(ids, { service: 'InvoiceService', operation: 'queryInvoiceHistoryById' });
    const response = await this.#call(() =>
      this.#invoice.queryInvoiceHistoryById({ sessionId: this.sessionId, idList }, options),
    );
    return response.resultList;
  }

  /** confirmInvoiceById: the recipient confirms (no signature). Never retried. */
  async confirm(ids: readonly (string | number | bigint)[], options?: CallOptions): Promise<InvoiceSummary[]> {
    const idList = checkIds(ids, { service: 'InvoiceService', operation: 'confirmInvoiceById' });
    const response = await this.#call(() =>
      this.#invoice.confirmInvoiceById({ sessionId: this.sessionId, idList }, { ...options, retry: false }),
    );
    return response.invoiceSummaryList;
  }

  /** declineInvoiceById: the recipient declines, signed. */
  decline(
    items: readonly IdWithReason[],
    signer: Signer,
    options?: SignedChangeOptions,
  ): Promise<ChangeStatusResult[]> {
    return this.#changeWithReason('declineInvoiceById', items, signer, options);
  }

  /** revokeInvoiceById: the issuer revokes, signed. */
  revoke(items: readonly IdWithReason[], signer: Signer, options?: SignedChangeOptions): Promise<ChangeStatusResult[]> {
    return this.#changeWithReason('revokeInvoiceById', items, signer, options);
  }

  /** unrevokeInvoiceById, signed. */
  unrevoke(
    items: readonly IdWithReason[],
    signer: Signer,
    options?: SignedChangeOptions,
  ): Promise<ChangeStatusResult[]> {
    return this.#changeWithReason('unrevokeInvoiceById', items, signer, options);
  }

  /** deleteInvoiceById (invoices that failed registration), signed. */
  async delete(
    ids: readonly (string | number | bigint)[],
    signer: Signer,
    options: SignedChangeOptions = {},
  ): Promise<DeleteResult[]> {
    const context: ErrorContext = { service: 'InvoiceService', operation: 'deleteInvoiceById' };
    const idList = checkIds(ids, context);
    const { signable, ...call } = options;
    const text = signable ? signable(idList.map((id) => ({ id }))) : idsSignable(idList);
    const { base64 } = await signRaw(signer, text);
    const response = await this.#call(() =>
      this.#invoice.deleteInvoiceById(
        { sessionId: this.sessionId, idList, signature: base64, x509Certificate: pemBody(signer.certificate) },
        { ...call, retry: false },
      ),
    );
    return response.resultList;
  }

  /**
   * queryUpdates as pages: from `after` (a cursor or a time; default the start of 2018, as the SDK's
   * sample client), feeding each answer's lastEventDate/lastInvoiceId into the next request until
   * lastBlock. Keep the last page's `cursor` to continue later.
   */
  async *updates(options: UpdatesOptions): AsyncGenerator<UpdatesPage, void, undefined> {
    const context: ErrorContext = { service: 'InvoiceService', operation: 'queryUpdates' };
    const { direction, after, limit, fullInfoOnStatusChange, ...call } = options;
    let cursor = startCursor(after);
    for (;;) {
      const response = await this.#call(() =>
        this.#invoice.queryUpdates(
          {
            sessionId: this.sessionId,
            lastEventDate: cursor.lastEventDate,
            ...(cursor.lastInvoiceId !== undefined ? { lastInvoiceId: cursor.lastInvoiceId } : {}),
            direction,
            ...(limit !== undefined ? { limit } : {}),
            fullInfoOnStatusChange: fullInfoOnStatusChange === true,
          },
          call,
        ),
      );
      const next: UpdatesCursor = {
        lastEventDate: response.lastEventDate,
        ...(response.lastInvoiceId !== undefined ? { lastInvoiceId: response.lastInvoiceId } : {}),
      };
      yield { invoices: response.invoiceInfoList, cursor: next, lastBlock: response.lastBlock };
      if (response.lastBlock) return;
      if (next.lastEventDate === cursor.lastEventDate && next.lastInvoiceId === cursor.lastInvoiceId) {
        throw new DecodeError(context, 'queryUpdates did not move past the previous page and is not the last block');
      }
      cursor = next;
    }
  }

  /** queryInvoice as pages: the first without pageNum, then currPage + 1 until lastBlock. */
  async *query(criteria: QueryInvoiceCriteria, options: CallOptions = {}): AsyncGenerator<QueryPage, void, undefined> {
    const context: ErrorContext = { service: 'InvoiceService', operation: 'queryInvoice' };
    const { pageNum: _start, ...rest } = criteria;
    let pageNum: number | undefined;
    for (;;) {
      const response = await this.#call(() =>
        this.#invoice.queryInvoice(
          { sessionId: this.sessionId, criteria: { ...rest, ...(pageNum !== undefined ? { pageNum } : {}) } },
          options,
        ),
      );
      yield {
        invoices: response.invoiceInfoList,
        page: response.currPage,
        total: response.rsCount,
        lastBlock: response.lastBlock,
      };
      if (response.lastBlock) return;
      if (pageNum !== undefined && response.currPage < pageNum) {
        throw new DecodeError(context, `queryInvoice answered page ${response.currPage} when asked for ${pageNum}`);
      }
      pageNum = response.currPage + 1;
    }
  }

  async #changeWithReason(
    operation: 'declineInvoiceById' | 'revokeInvoiceById' | 'unrevokeInvoiceById',
    items: readonly IdWithReason[],
    signer: Signer,
    options: SignedChangeOptions = {},
  ): Promise<ChangeStatusResult[]> {
    const context: ErrorContext = { service: 'InvoiceService', operation };
    if (!Array.isArray(items) || items.length === 0) {
      throw new ValidationError(context, [{ field: 'items', message: 'at least one id with a reason is required' }]);
    }
    const issues: FieldIssue[] = [];
    const list = items.map((item, index) => {
      const id = String(item?.id ?? '');
      if (!ID.test(id)) issues.push({ field: `items[${index}].id`, message: 'expected an invoice id (digits)' });
      if (typeof item?.reason !== 'string' || item.reason.trim() === '') {
        issues.push({ field: `items[${index}].reason`, message: 'a reason is required' });
      }
      return { id, reason: String(item?.reason ?? '') };
    });
    if (issues.length > 0) throw new ValidationError(context, issues);
    const { signable, ...call } = options;
    const text = signable ? signable(list) : reasonsSignable(list);
    const { base64 } = await signRaw(signer, text);
    const request = {
      sessionId: this.sessionId,
      signature: base64,
      x509Certificate: pemBody(signer.certificate),
      idWithReasonList: list,
    };
    const response = await this.#call(() => this.#invoice[operation](request, { ...call, retry: false }));
    return response.resultList;
  }

  async #call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toEsfError(error);
    }
  }
}

function pairOutcomes(
  bodies: readonly string[],
  accepted: readonly StandardResponse[],
  declined: readonly StandardResponse[],
): UploadReport {
  const entries = [
    ...accepted.map((entry) => ({ entry, accepted: true })),
    ...declined.map((entry) => ({ entry, accepted: false })),
  ];
  // num|date -> answer entries not yet paired, in answer order (linear in the number of invoices).
  const open = new Map<string, (typeof entries)[number][]>();
  for (const item of entries) {
    const key = `${item.entry.num}|${item.entry.date}`;
    const list = open.get(key);
    if (list) list.push(item);
    else open.set(key, [item]);
  }
  const outcomes: UploadOutcome[] = bodies.map((body, index) => {
    const { num, date } = invoiceKeyOf(body);
    const item = open.get(`${num}|${date}`)?.shift();
    if (!item) return { status: 'unknown', index, num, date, body };
    if (item.accepted && item.entry.id !== undefined) {
      return { status: 'accepted', index, id: item.entry.id, num, date, body };
    }
    return { status: 'declined', index, num, date, errors: item.entry.errors ?? [], body };
  });
  const unmatched = [...open.values()].flat().map((item) => item.entry);
  return { outcomes, unmatched };
}

/** Why a body given as text is not an InvoiceV2 document (structure and types; its facets are the caller's). */
function bodyProblem(body: string): string | undefined {
  try {
    parseInvoiceBody(body, { service: 'UploadInvoiceService', operation: 'syncInvoice' });
    return undefined;
  } catch (error) {
    return `not an InvoiceV2 body: ${(error as Error).message.replace(/^[^:]*: /, '')}`;
  }
}

function checkIds(ids: readonly (string | number | bigint)[], context: ErrorContext): string[] {
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new ValidationError(context, [{ field: 'ids', message: 'at least one invoice id is required' }]);
  }
  const issues: FieldIssue[] = [];
  const list = ids.map((id, index) => {
    const text = String(id);
    if (!ID.test(text)) issues.push({ field: `ids[${index}]`, message: 'expected an invoice id (digits)' });
    return text;
  });
  if (issues.length > 0) throw new ValidationError(context, issues);
  return list;
}

function callOptions<P>(options: PollOptions<P> & CallOptions): CallOptions {
  const { intervalMs: _i, timeoutMs: _t, onProgress: _p, ...call } = options;
  return call;
}

const START = '2018-01-01T00:00:00.000+06:00';

function startCursor(after: UpdatesOptions['after']): UpdatesCursor {
  if (after === undefined) return { lastEventDate: START };
  if (after instanceof Date) return { lastEventDate: after.toISOString() };
  if (typeof after === 'string') return { lastEventDate: after };
  return after;
}
