/**
 * The real workflows on top of the typed client: ordering one's codes (order -> poll -> ZIP ->
 * records), lookups of any number of codes (chunked by the documented 1000, order kept), and
 * async iterators over the paged lists. State-changing calls (POST /cises/my) are never retried.
 */
import { validateIdentifierFormat, validateIinOrBin } from '@kz/core';
import { DecodeError, KzError, type PollOptions, poll, ValidationError } from '@kz/soap';
import type { TrueApiFetchClient } from './client.js';
import { SERVICE, TrueApiError } from './errors.js';
import type { components, operations } from './generated/types.js';
import { encodeRfc3986 } from './query.js';
import { readZip, type ZipEntry } from './zip.js';

/** The schemas of True API's OpenAPI document (`components.schemas`), by name. */
export type Schemas = components['schemas'];
/** The query parameters of an operation (by its operationId), as the typed client takes them (`params.query`). */
export type OperationQuery<Op extends keyof operations> = operations[Op]['parameters'] extends { query?: infer Q }
  ? NonNullable<Q>
  : never;

/**
 * Status of a code-list order (GET /cises/orders/{uuid}/status): NEW, PRODUCTION, IN_PROGRESS (or "IN PROGRESS") while
 * it is prepared; SUCCESS when the ZIP is ready; VALIDATION_FAILED, ERROR or RESULT_EXPIRED when it failed.
 */
export type CisesOrderStatus = Schemas['CisesOrderStatus'];
/** What to order with POST /cises/my: your codes of a GTIN (`gtin`), optionally of one package type. */
export type CisesOrderRequest = Schemas['CreateCisesOrderRequest'];
/**
 * One code record of an order's result ZIP: the code as requested and in IS MPT, its status, product and owner data.
 */
export type CisesOrderRecord = Schemas['CisesOrderResultRecord'];
/** The answer for one code of POST /cises/info: its `cisInfo` (status, GTIN, owner, packaging…) or an `errorCode`. */
export type CisInfoResult = Schemas['CisInfoResult'];
/** A product group as True API names it in `pg`: shoes, tobacco, pharma, milk or alcohol. */
export type ProductGroup = Schemas['ProductGroup'];

/** The documented maximum of codes per request of /cises/info, /cises/aggregated/list and /cises/list. */
export const MAX_CODES_PER_REQUEST = 1000;

/** What orderMyCodes / resumeOrder report to `onProgress` at each step (never the token). */
export interface OrderProgress {
  /**
   * The step: `ordered` (POST /cises/my answered), `status` (after each status poll), `downloading` (SUCCESS, fetching
   * the ZIP), `done`.
   */
  stage: 'ordered' | 'status' | 'downloading' | 'done';
  /** The order's uuid: give it to resumeOrder to pick the order up again. */
  uuid: string;
  /** The last status read, from the first poll on. */
  status?: CisesOrderStatus;
  /** Status polls so far. */
  polls: number;
}

/**
 * @kz/soap's PollOptions: `onProgress` is called at each step (never with the token); `timeoutMs`
 * (default 10 minutes) ends the status polls with WaitTimeoutError whose `resume.orderId` goes to
 * `resumeOrder`; `intervalMs` is the pause between status polls (default 2000 ms); `signal` cancels
 * the wait: TransportError ABORTED (TIMEOUT for a timeout signal), `maybeDelivered` true after
 * orderMyCodes created the order (its uuid came in onProgress).
 */
export type OrderOptions = PollOptions<OrderProgress>;

/** What an order wait's WaitTimeoutError carries to resume: give `orderId` to `resumeOrder`. */
export interface OrderWaitResume {
  /** The order's uuid, for resumeOrder. */
  orderId: string;
}

/** A finished code order: the result ZIP, its files and the code records read from them. */
export interface OrderResult {
  /** The uuid the order was placed under (what orderMyCodes created, or what resumeOrder was given). */
  uuid: string;
  /** The ZIP as downloaded. */
  zip: Uint8Array;
  /** Its unpacked files. */
  entries: ZipEntry[];
  /** The code records found in the JSON or CSV files of the archive. */
  records: CisesOrderRecord[];
}

/** An order that ended in ERROR / VALIDATION_FAILED / RESULT_EXPIRED, or whose creation returned no uuid. */
export class CisesOrderError extends KzError {
  /** The order's uuid (`?` when POST /cises/my returned none). */
  readonly uuid: string;
  /** The status the order ended in (ERROR, VALIDATION_FAILED, RESULT_EXPIRED); undefined when no uuid was returned. */
  readonly status: string | undefined;
  constructor(
    uuid: string,
    status: string | undefined,
    message: string,
    code: 'ORDER_FAILED' | 'DECODE_ERROR' = 'ORDER_FAILED',
  ) {
    super({ service: SERVICE, operation: 'orderMyCodes' }, code, `TrueApi.orderMyCodes: order ${uuid}: ${message}`);
    this.uuid = uuid;
    this.status = status;
  }
}

const FAILED: readonly string[] = ['ERROR', 'VALIDATION_FAILED', 'RESULT_EXPIRED'];

/** Query parameters the seed describes as a participant's IIN/BIN. */
const IIN_BIN_PARAMETERS = ['ownerInn', 'producerInn', 'producerIin', 'partner_inn'] as const;

/** Options of the workflow conveniences (also taken by createTrueApiClient). */
export interface WorkflowOptions {
  /**
   * Check the IIN/BIN query parameters (ownerInn, producerInn, producerIin, partner_inn) with the
   * national check-digit algorithm (@kz/core) before sending. Default true; false checks only for
   * 12 digits.
   */
  checkIdentifiers?: boolean;
}

/**
 * The workflows over the typed client (what createTrueApiClient adds to a session): ordering one's codes (order,
 * poll, download and unpack the ZIP), lookups of any number of codes (chunked by the documented 1000, order kept),
 * and async iterators over the paged lists. Failures are thrown as TrueApiError (HTTP status and errorMessage),
 * ValidationError (bad input, nothing sent), CisesOrderError (a failed order), WaitTimeoutError (an order not ready in
 * time).
 */
export class TrueApiWorkflows {
  readonly #api: TrueApiFetchClient;
  readonly #checkIdentifiers: boolean;
  constructor(api: TrueApiFetchClient, options: WorkflowOptions = {}) {
    this.#api = api;
    this.#checkIdentifiers = options.checkIdentifiers ?? true;
  }

  /** POST /cises/my (once, never retried), then polls and downloads: see `resumeOrder`. */
  async orderMyCodes(request: CisesOrderRequest, options: OrderOptions = {}): Promise<OrderResult> {
    const { data } = await this.#api.POST('/cises/my', { body: request, ...signalOf(options) });
    const uuid = data?.uuid;
    if (!uuid) throw new CisesOrderError('?', undefined, 'the service returned no order uuid', 'DECODE_ERROR');
    options.onProgress?.({ stage: 'ordered', uuid, polls: 0 });
    return this.#waitForOrder(uuid, options, true);
  }

  /** Polls GET /cises/orders/{uuid}/status until SUCCESS, then fetches and unpacks the result ZIP. */
  resumeOrder(uuid: string, options: OrderOptions = {}): Promise<OrderResult> {
    return this.#waitForOrder(uuid, options, false);
  }

  /** `ordered`: this call created the order, so an abort says it may have been delivered. */
  async #waitForOrder(uuid: string, options: OrderOptions, ordered: boolean): Promise<OrderResult> {
    let polls = 0;
    await poll<OrderProgress, OrderWaitResume>(
      async () => {
        const { data: status } = await this.#api.GET('/cises/orders/{uuid}/status', {
          params: { path: { uuid } },
          ...signalOf(options),
        });
        polls++;
        if (status && FAILED.includes(status)) {
          options.onProgress?.({ stage: 'status', uuid, status, polls });
          throw new CisesOrderError(uuid, status, `ended with status ${status}`);
        }
        return { done: status === 'SUCCESS', progress: { stage: 'status', uuid, status, polls } };
      },
      options,
      {
        context: { service: SERVICE, operation: 'getCisesOrderStatus' },
        defaults: { intervalMs: 2_000, timeoutMs: 600_000 },
        maybeDelivered: ordered,
        resume: () => ({ orderId: uuid }),
        describe: (_, timeoutMs) => `order ${uuid} not ready after ${polls} status polls (${timeoutMs} ms)`,
      },
    );
    options.onProgress?.({ stage: 'downloading', uuid, status: 'SUCCESS', polls });
    // The ZIP as bytes (its Content-Type is still checked against the spec's application/zip).
    const { data } = await this.#api.GET('/cises/orders/{uuid}/result', {
      params: { path: { uuid } },
      parseAs: 'arrayBuffer',
      headers: { Accept: '*/*' },
      ...signalOf(options),
    });
    const zip = new Uint8Array(data ?? new ArrayBuffer(0));
    let entries: ZipEntry[];
    try {
      entries = readZip(zip);
    } catch (cause) {
      throw new DecodeError({ service: SERVICE, operation: 'getCisesOrderResult' }, (cause as Error).message, '', {
        cause,
        maybeDelivered: true,
      });
    }
    const records = entries.flatMap(recordsOf);
    options.onProgress?.({ stage: 'done', uuid, status: 'SUCCESS', polls });
    return { uuid, zip, entries, records };
  }

  /** POST /cises/info for any number of codes: chunks of 1000, sent one after another, results in input order. */
  async cisesInfo(
    codes: readonly string[],
    options: { pg?: ProductGroup; chunkSize?: number; signal?: AbortSignal } = {},
  ): Promise<CisInfoResult[]> {
    return chunked(codes, options.chunkSize, async (chunk) => {
      const { data } = await this.#api.POST('/cises/info', {
        body: chunk,
        params: { query: options.pg ? { pg: options.pg } : {} },
        ...signalOf(options),
      });
      return data === undefined ? [] : Array.isArray(data) ? data : [data];
    });
  }

  /** POST /cises/aggregated/list for any number of codes; the per-chunk maps merged. */
  async cisesAggregated(
    codes: readonly string[],
    options: {
      pg: ProductGroup;
      childrenPage?: number;
      childrenLimit?: number;
      chunkSize?: number;
      signal?: AbortSignal;
    },
  ): Promise<Schemas['AggregatedCisesResponse']> {
    const parts = await chunked(codes, options.chunkSize, async (chunk) => {
      const { data } = await this.#api.POST('/cises/aggregated/list', {
        body: chunk,
        params: {
          query: {
            pg: options.pg,
            ...(options.childrenPage ? { childrenPage: options.childrenPage } : {}),
            ...(options.childrenLimit ? { childrenLimit: options.childrenLimit } : {}),
          },
        },
        ...signalOf(options),
      });
      return data ? [data] : [];
    });
    return Object.assign({}, ...parts);
  }

  /**
   * POST /cises/list (codes in the `values` query) for any number of codes: chunks of at most 1000
   * codes and at most `maxQueryLength` characters of query (default 6000, under common URL limits).
   */
  async cisesList(
    codes: readonly string[],
    options: { chunkSize?: number; maxQueryLength?: number; signal?: AbortSignal } = {},
  ): Promise<Schemas['CisesListResponse']> {
    return chunked(
      codes,
      options.chunkSize,
      async (chunk) => {
        const { data } = await this.#api.POST('/cises/list', {
          params: { query: { values: chunk } as OperationQuery<'getCisesList'> },
          ...signalOf(options),
        });
        return data ?? [];
      },
      (code) => `values=${encodeRfc3986(code)}&`.length,
      options.maxQueryLength ?? 6000,
    );
  }

  /** GET /doc/listV2, every page: keyset on `did` + `orderedColumnValue` (receivedAt), direction NEXT. */
  documents(query: OperationQuery<'listDocumentsV2'> = {}, options: PageOptions = {}) {
    return keyset(
      async (q) =>
        (await this.#api.GET('/doc/listV2', { params: { query: q }, ...signalOf(options) })).data?.results ?? [],
      query,
      (last) => ({ did: last.number, orderedColumnValue: last.receivedAt, pageDir: 'NEXT' as const }),
      query.limit ?? 100,
      options,
    );
  }

  /** GET /receipt/listV2, every page (same keyset as documents). */
  receipts(query: OperationQuery<'listReceiptsV2'> = {}, options: PageOptions = {}) {
    return keyset(
      async (q) =>
        (await this.#api.GET('/receipt/listV2', { params: { query: q }, ...signalOf(options) })).data?.results ?? [],
      query,
      (last) => ({ did: last.number, orderedColumnValue: last.receivedAt, pageDir: 'NEXT' as const }),
      query.limit ?? 100,
      options,
    );
  }

  /** GET /cises/listV2, every page: keyset on `uit` (the last code) + `orderedColumnValue` (its emission date). */
  cisesListV2(query: OperationQuery<'getCisesListV2'>, options: PageOptions = {}) {
    this.#checkIinBins(query, 'getCisesListV2');
    return keyset(
      async (q) =>
        (await this.#api.GET('/cises/listV2', { params: { query: q }, ...signalOf(options) })).data?.results ?? [],
      query,
      (last) => ({ uit: last.cis, orderedColumnValue: last.emissionDate, pageDir: ['NEXT' as const] }),
      query.limit ?? 10,
      options,
    );
  }

  /** GET /products/listV2, every page (keyset on `uit` + `orderedColumnValue`). */
  productsListV2(query: OperationQuery<'getProductsListV2'> = {}, options: PageOptions = {}) {
    this.#checkIinBins(query, 'getProductsListV2');
    return keyset(
      async (q) =>
        (await this.#api.GET('/products/listV2', { params: { query: q }, ...signalOf(options) })).data?.results ?? [],
      query,
      (last) => ({ uit: last.cis, orderedColumnValue: last.emissionDate, pageDir: 'NEXT' as const }),
      query.limit ?? 49,
      options,
    );
  }

  /** GET /edo-api/outgoing-documents, every page (offset/limit until `count`). */
  outgoingDocuments(query: OperationQuery<'listOutgoingDocuments'> = {}, options: PageOptions = {}) {
    this.#checkIinBins(query, 'listOutgoingDocuments');
    return offsetPages(
      async (q) =>
        (await this.#api.GET('/edo-api/outgoing-documents', { params: { query: q }, ...signalOf(options) })).data,
      query,
      options,
    );
  }

  /** GET /edo-api/incoming-documents, every page (offset/limit until `count`). */
  incomingDocuments(query: OperationQuery<'listIncomingDocuments'> = {}, options: PageOptions = {}) {
    this.#checkIinBins(query, 'listIncomingDocuments');
    return offsetPages(
      async (q) =>
        (await this.#api.GET('/edo-api/incoming-documents', { params: { query: q }, ...signalOf(options) })).data,
      query,
      options,
    );
  }

  /** A ValidationError naming the parameter when an IIN/BIN query parameter is not one; nothing is sent. */
  #checkIinBins(query: object, operation: string): void {
    const check = this.#checkIdentifiers ? validateIinOrBin : validateIdentifierFormat;
    for (const name of IIN_BIN_PARAMETERS) {
      const value = (query as Record<string, unknown>)[name];
      if (value === undefined) continue;
      const checked = check(value);
      if (!checked.ok) {
        throw new ValidationError({ service: SERVICE, operation }, [
          { field: `query.${name}`, message: `not a valid IIN/BIN: ${checked.message}` },
        ]);
      }
    }
  }
}

/** Options of the paged iterators (documents, receipts, cisesListV2, productsListV2, outgoing/incomingDocuments). */
export interface PageOptions {
  /** Stop after this many pages (default 10 000). */
  maxPages?: number;
  /** Cancels the iteration: the page in flight fails with TransportError ABORTED (TIMEOUT for a timeout signal). */
  signal?: AbortSignal;
}

async function* keyset<Q extends object, T>(
  fetchPage: (query: Q) => Promise<T[]>,
  query: Q,
  cursor: (last: T) => Partial<Q>,
  limit: number,
  options: PageOptions,
): AsyncGenerator<T, void, undefined> {
  let current = query;
  for (let page = 0; page < (options.maxPages ?? 10_000); page++) {
    const items = await fetchPage(current);
    yield* items;
    const last = items.at(-1);
    if (last === undefined || items.length < limit) return;
    current = { ...query, ...cursor(last) };
  }
}

async function* offsetPages<Q extends { offset?: number; limit?: number }, T>(
  fetchPage: (query: Q) => Promise<{ count: number; items: T[] } | undefined>,
  query: Q,
  options: PageOptions,
): AsyncGenerator<T, void, undefined> {
  let offset = query.offset ?? 0;
  for (let page = 0; page < (options.maxPages ?? 10_000); page++) {
    const data = await fetchPage({ ...query, offset });
    const items = data?.items ?? [];
    yield* items;
    offset += items.length;
    if (items.length === 0 || offset >= (data?.count ?? 0)) return;
  }
}

/** Calls `call` on consecutive chunks (at most `size` codes, and `maxWeight` by `weight`), one at a time. */
async function chunked<T>(
  codes: readonly string[],
  size: number | undefined,
  call: (chunk: string[]) => Promise<T[]>,
  weight: (code: string) => number = () => 0,
  maxWeight = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const step = Math.min(size ?? MAX_CODES_PER_REQUEST, MAX_CODES_PER_REQUEST);
  if (!(step >= 1)) {
    throw new KzError({ service: SERVICE, operation: 'configure' }, 'CONFIG_ERROR', 'chunkSize must be at least 1');
  }
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let load = 0;
  for (const code of codes) {
    const w = weight(code);
    if (chunk.length > 0 && (chunk.length === step || load + w > maxWeight)) {
      chunks.push(chunk);
      chunk = [];
      load = 0;
    }
    chunk.push(code);
    load += w;
  }
  if (chunk.length > 0) chunks.push(chunk);
  // "None of the codes found" (404) for one chunk is an empty part; only when no chunk found anything is it raised.
  const out: T[] = [];
  let notFound: TrueApiError | undefined;
  let found = false;
  for (const part of chunks) {
    try {
      out.push(...(await call(part)));
      found = true;
    } catch (error) {
      if (!(error instanceof TrueApiError && error.status === 404)) throw error;
      notFound ??= error;
    }
  }
  if (!found && notFound) throw notFound;
  return out;
}

function signalOf(options: { signal?: AbortSignal }): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

/**
 * Code records of one archive file: JSON (array, object with an array, or one per line) or CSV
 * with a header row. A JSON file that does not parse is a DecodeError naming the file and line.
 */
export function recordsOf(entry: ZipEntry): CisesOrderRecord[] {
  const text = Buffer.from(entry.data)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const name = entry.name.toLowerCase();
  if (name.endsWith('.json')) {
    try {
      const value = JSON.parse(text) as unknown;
      if (Array.isArray(value)) return value as CisesOrderRecord[];
      if (value && typeof value === 'object') {
        const list = Object.values(value).find(Array.isArray);
        return (list ?? [value]) as CisesOrderRecord[];
      }
      return [];
    } catch {
      return jsonLines(entry.name, text);
    }
  }
  if (name.endsWith('.csv') || name.endsWith('.txt')) return parseCsv(text);
  return [];
}

/** One JSON record per line; a line that does not parse is named, not quoted (it may be anything). */
function jsonLines(file: string, text: string): CisesOrderRecord[] {
  const lines = text.split(/\r?\n/);
  const records: CisesOrderRecord[] = [];
  for (const [n, line] of lines.entries()) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as CisesOrderRecord);
    } catch {
      throw new DecodeError(
        { service: SERVICE, operation: 'getCisesOrderResult' },
        `${file}: neither a JSON document nor JSON lines (line ${n + 1} does not parse)`,
        '',
        { maybeDelivered: true },
      );
    }
  }
  return records;
}

function parseCsv(text: string): CisesOrderRecord[] {
  const rows = csvRows(text);
  const header = rows.shift();
  if (!header) return [];
  const separator = header.length;
  return rows
    .filter((row) => row.length === separator)
    .map((row) => {
      const record: Record<string, unknown> = {};
      header.forEach((column, i) => {
        const value = row[i] ?? '';
        if (value === '') return;
        // Defined, not assigned: a column named __proto__ stays a column (the names come from the service).
        Object.defineProperty(record, column, {
          value: column === 'child' ? value.split(/[;,]/).filter(Boolean) : value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      return record as CisesOrderRecord;
    });
}

/** RFC 4180 rows; the delimiter is `;` when the header has one, otherwise `,`. */
function csvRows(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}
