/** State of the mock True API: codes, orders, documents, receipts, issued challenges and tokens. */
import { randomBytes, randomUUID } from 'node:crypto';
import { seedExamples } from './seed-examples.js';

/** A JSON object as the mock keeps records (codes, orders, documents): parsed, untyped. */
export type Json = Record<string, unknown>;

/**
 * Options of startTrueApiMock (and `new TrueApiMockState`): token lifetime, contracts, who may log in, limits, and
 * the generated data.
 */
export interface TrueApiMockOptions {
  /** Token lifetime in seconds (the `exp` of the issued JWT). Default 3600. */
  tokenTtlSeconds?: number;
  /** Product groups the participant has a contract for; others get 403. Default: all but alcohol. */
  contracts?: readonly string[];
  /** Certificates (DER base64) allowed to log in; default: any certificate whose CMS verifies. */
  allowedCertificates?: readonly string[];
  /** Request bodies above this many bytes get 413. Default 30 MB, as documented. */
  maxBodyBytes?: number;
  /** Extra codes to know, besides the seed's. */
  codes?: readonly Json[];
  /** Number of generated documents in /doc/listV2, /receipt/listV2 and the EDO lists. Default 7. */
  documentCount?: number;
  /** Status polls before an order is SUCCESS: NEW, then IN_PROGRESS, then SUCCESS. Default 2. */
  pollsUntilReady?: number;
}

/** A code order the mock received (POST /cises/my). */
export interface MockOrder {
  /** The order's uuid the mock assigned. */
  uuid: string;
  /** The GTIN ordered: the result holds the known codes of this GTIN. */
  gtin: string;
  /** The package type ordered (e.g. UNIT), or undefined for all. */
  packageType: string | undefined;
  /** Status polls so far; the order is SUCCESS after `pollsUntilReady` + 1 of them. */
  polls: number;
}

const SEED_CIS_INFO = (seedExamples.getCisesInfo as { cisInfo: Json }).cisInfo;

/**
 * The True API mock's in-memory state (`mock.state`): the known codes (the seed's and five generated children),
 * code orders, the generated documents, and the issued login challenges and tokens. Test-only.
 */
export class TrueApiMockState {
  /** The options in effect, defaults filled in. */
  readonly options: Required<Omit<TrueApiMockOptions, 'allowedCertificates' | 'codes'>> &
    Pick<TrueApiMockOptions, 'allowedCertificates'>;
  /** Known codes by `cis`. */
  readonly codes = new Map<string, Json>();
  /** Every code order received (POST /cises/my), by uuid; `polls` counts its status polls. */
  readonly orders = new Map<string, MockOrder>();
  /** The generated documents /doc/listV2 and /receipt/listV2 page through (`documentCount` of them). */
  readonly documents: Json[] = [];
  /** The generated EDO documents /edo-api/outgoing-documents and /edo-api/incoming-documents page through. */
  readonly edoDocuments: Json[] = [];
  /** Issued login challenges: uuid -> data. Each can be used once. */
  readonly challenges = new Map<string, string>();
  /** Valid tokens -> expiry (ms). */
  readonly tokens = new Map<string, number>();
  /** Certificates (DER base64) that logged in, in order. */
  readonly logins: string[] = [];

  constructor(options: TrueApiMockOptions = {}) {
    this.options = {
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      contracts: options.contracts ?? ['shoes', 'tobacco', 'pharma', 'milk'],
      maxBodyBytes: options.maxBodyBytes ?? 30 * 1024 * 1024,
      documentCount: options.documentCount ?? 7,
      pollsUntilReady: options.pollsUntilReady ?? 2,
      ...(options.allowedCertificates ? { allowedCertificates: options.allowedCertificates } : {}),
    };
    this.addCode(SEED_CIS_INFO);
    for (let i = 1; i <= 5; i++) {
      this.addCode({
        ...SEED_CIS_INFO,
        requestedCis: undefined,
        cis: `0100000046229175215mock${i}`,
        packageType: 'UNIT',
        child: [],
        parent: SEED_CIS_INFO.cis,
      });
    }
    for (const code of options.codes ?? []) this.addCode(code);
    for (let i = 0; i < this.options.documentCount; i++) {
      const n = String(i + 1).padStart(3, '0');
      this.documents.push({
        number: `00000000-0000-4000-8000-000000000${n}`,
        docDate: `2024-01-${String((i % 28) + 1).padStart(2, '0')}T05:00:00.000Z`,
        receivedAt: `2024-01-${String((i % 28) + 1).padStart(2, '0')}T05:30:${String(i % 60).padStart(2, '0')}.000Z`,
        type: i % 2 ? 'KZ_UPD' : 'AGGREGATION_DOCUMENT',
        status: 'CHECKED_OK',
        input: i % 2 === 0,
        total: 0,
      });
      this.edoDocuments.push({
        id: `10000000-0000-4000-8000-000000000${n}`,
        status: 3,
        number: `edo-${n}`,
        date: 1636966209 + i,
        type: 1000,
        created_at: 1636966209 + i,
      });
    }
  }

  /** Adds (or replaces) a known code, keyed by its `cis` (its `requestedCis` is dropped). */
  addCode(code: Json): void {
    const { requestedCis: _ignored, ...rest } = code;
    this.codes.set(String(code.cis), rest);
  }

  /** GET /auth/key: a new challenge (`uuid` and the `data` to sign); each can be used for one login. */
  issueChallenge(): { uuid: string; data: string } {
    const uuid = randomUUID();
    const data = randomBytes(24).toString('base64url').toUpperCase();
    this.challenges.set(uuid, data);
    return { uuid, data };
  }

  /** A new unsigned JWT for `subject`, valid for `tokenTtlSeconds` (its `exp`); the mock accepts it until then. */
  issueToken(subject: string): string {
    const now = Math.floor(Date.now() / 1000);
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({
      sub: subject,
      pid: 1,
      iat: now,
      exp: now + this.options.tokenTtlSeconds,
      jti: randomUUID(),
    })}.${randomBytes(16).toString('base64url')}`;
    this.tokens.set(token, (now + this.options.tokenTtlSeconds) * 1000);
    return token;
  }

  /** Makes every issued token expired (as after the real token lifetime). */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  /** POST /cises/my: registers a new order (status NEW) and returns it. */
  createOrder(gtin: string, packageType: string | undefined): MockOrder {
    const order = { uuid: randomUUID(), gtin, packageType, polls: 0 };
    this.orders.set(order.uuid, order);
    return order;
  }

  /** Each poll moves the order on: NEW -> IN_PROGRESS -> ... -> SUCCESS. */
  pollOrder(order: MockOrder): string {
    order.polls++;
    if (order.polls >= this.options.pollsUntilReady + 1) return 'SUCCESS';
    return order.polls === 1 ? 'NEW' : 'IN_PROGRESS';
  }

  /** The order's status now, without counting a poll: NEW, IN_PROGRESS or SUCCESS. */
  orderStatus(order: MockOrder): string {
    return order.polls >= this.options.pollsUntilReady + 1 ? 'SUCCESS' : order.polls <= 1 ? 'NEW' : 'IN_PROGRESS';
  }

  /** The code records of the order's result ZIP: the known codes of its GTIN (and package type, when given). */
  orderRecords(order: MockOrder): Json[] {
    return [...this.codes.values()]
      .filter((c) => String(c.gtin).startsWith(order.gtin) || String(c.cis).includes(order.gtin))
      .filter((c) => !order.packageType || c.packageType === order.packageType)
      .map((c) => ({
        cis: c.cis,
        status: c.status,
        gtin: c.gtin,
        packageType: c.packageType,
        ...(c.producedDate ? { producedDate: c.producedDate } : {}),
        ...(Array.isArray(c.child) && c.child.length ? { child: c.child } : {}),
        ...(c.parent ? { parent: c.parent } : {}),
      }));
  }
}
