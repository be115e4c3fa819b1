/**
 * Invoice workflows over HTTP against the mock: upload (raw signatures, the certificate once, the
 * answer paired with the invoices), registration polling, reading back, the counterparty's mailbox
 * through updates paging, queryInvoice pages, signed status changes, and the rules: bad input and
 * over-long signatures refused before sending, uploads never retried, maybeDelivered on a timeout.
 */

import { type Signer, signRaw, verifyRaw } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import { type KzError, TransportError, ValidationError, WaitTimeoutError } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildInvoiceBody,
  createEsfClient,
  type EsfClient,
  type EsfSession,
  EsfSessionClosedError,
  MAX_SIGNATURE_LENGTH,
  parseInvoiceBody,
  type RegistrationProgress,
  type UpdatesPage,
} from '../src/index.js';
import {
  type EsfMock,
  SEED_USER_LOGIN,
  SEED_USER_PASSWORD,
  sampleInvoice,
  startEsfMock,
} from '../src/testing/index.js';

const SELLER = '123456789021';
const BUYER = '753159846249';
const owner = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: `IIN${SEED_USER_LOGIN}` });

let mock: EsfMock;
let esf: EsfClient;
let seller: EsfSession;
let buyer: EsfSession;
let nextNum = 5000;
const invoice = (overrides: Partial<Parameters<typeof sampleInvoice>[0]> = {}) =>
  sampleInvoice({ sellerTin: SELLER, customerTin: BUYER, num: String(nextNum++), ...overrides });

beforeAll(async () => {
  mock = await startEsfMock({ invoices: { processingMs: 150, pageSize: 2 } });
  esf = createEsfClient({
    checkIdentifiers: false,
    endpoint: mock.endpoint,
    username: SEED_USER_LOGIN,
    password: SEED_USER_PASSWORD,
  });
  seller = await esf.openSession({ tin: SELLER, signer: owner.signer, login: 'ticket' });
  buyer = await esf.openSession({ tin: BUYER, signer: owner.signer, login: 'ticket' });
}, 120_000);
afterAll(async () => {
  await esf[Symbol.asyncDispose]();
  await mock.close();
});

const quick = { intervalMs: 50, timeoutMs: 5_000 };

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection<T>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to fail');
}

describe('upload -> registration -> read back -> the counterparty’s mailbox', { timeout: 60_000 }, () => {
  it('runs end to end', async () => {
    const report = await seller.invoices.upload([invoice()], owner.signer);
    const [outcome] = report.outcomes;
    if (outcome?.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
    expect(report.unmatched).toEqual([]);

    // What went over the wire (FACTS.md §1.1/1.2): the body as a string, InvoiceV2, COMPANY, a raw
    // signature of its UTF-8 bytes, the bare base64 certificate once per request.
    const sent = mock.calls.filter((c) => c.operation === 'syncInvoice').at(-1)?.input as {
      invoiceUploadInfoList: { invoiceBody: string; version: string; signature: string; signatureType: string }[];
      x509Certificate: string;
    };
    const [info] = sent.invoiceUploadInfoList;
    expect(info?.invoiceBody).toBe(outcome.body);
    expect(info?.invoiceBody.startsWith('<v2:invoice xmlns:a="abstractInvoice.esf" xmlns:v2="v2.esf"><date>')).toBe(
      true,
    );
    expect(info?.version).toBe('InvoiceV2');
    expect(info?.signatureType).toBe('COMPANY');
    expect(sent.x509Certificate).toBe(owner.signer.certificate);
    expect(sent.x509Certificate).not.toMatch(/\s|-----/);
    expect(verifyRaw(info?.invoiceBody ?? '', info?.signature ?? '', owner.certificatePem)).toBe(true);

    const progress: number[] = [];
    const [registered] = await seller.invoices.waitForRegistration([outcome.id], {
      ...quick,
      onProgress: (p) => progress.push(p.pending.length),
    });
    if (registered?.status !== 'registered') throw new Error(`not registered: ${JSON.stringify(registered)}`);
    expect(registered.registrationNumber).toMatch(/^ESF-123456789021-\d{8}-\d{8}$/);
    expect(progress.at(-1)).toBe(0);

    const [read] = await seller.invoices.byId([outcome.id]);
    expect(read?.registrationNumber).toBe(registered.registrationNumber);
    expect(parseInvoiceBody(read?.invoiceBody ?? '').num).toBe(outcome.num);

    const inbox: string[] = [];
    for await (const page of buyer.invoices.updates({ direction: 'INBOUND' })) {
      for (const item of page.invoices) inbox.push(item.registrationNumber ?? '');
    }
    expect(inbox).toContain(registered.registrationNumber);
  });
});

describe('upload outcomes', { timeout: 60_000 }, () => {
  it('pairs accepted and declined invoices with what was sent, by num and date', async () => {
    const first = invoice();
    const duplicate = { ...first };
    const third = buildInvoiceBody(invoice(), {}); // a body built earlier, sent as it is
    const report = await seller.invoices.upload([first, duplicate, third], owner.signer);
    expect(report.outcomes.map((o) => o.status)).toEqual(['accepted', 'declined', 'accepted']);
    const [, dup, last] = report.outcomes;
    expect(dup?.status === 'declined' && dup.errors[0]?.errorCode).toBe('NOT_UNIQUE_DB_ERROR_MSG');
    expect(last?.body).toBe(third);
  });

  it('an invoice the asynchronous checks refuse ends failed with the reasons, and can be deleted', async () => {
    const foreign = invoice({ sellerTin: '111111111111' });
    const [outcome] = (await seller.invoices.upload([foreign], owner.signer)).outcomes;
    if (outcome?.status !== 'accepted') throw new Error('not accepted');
    const [failed] = await seller.invoices.waitForRegistration([outcome.id], quick);
    expect(failed?.status).toBe('failed');
    expect(failed?.status === 'failed' && failed.errors[0]?.errorCode).toBe(
      'SELLER_TIN_NOT_EQUALS_WITH_TIN_IN_SESSION',
    );
    const [deleted] = await seller.invoices.delete([outcome.id], owner.signer);
    expect(deleted).toEqual({ invoiceId: outcome.id, isDeleted: true });
    expect((await seller.invoices.summaries([outcome.id]))[0]?.invoiceStatus).toBe('DELETED');
  });
});

describe('refused before sending', { timeout: 60_000 }, () => {
  it('every problem of every invoice in one ValidationError; nothing is signed or sent', async () => {
    const before = mock.calls.length;
    let signed = 0;
    const counting: Signer = {
      algorithms: owner.signer.algorithms,
      certificate: owner.signer.certificate,
      digest: (d) => owner.signer.digest(d),
      sign: (d) => {
        signed += 1;
        return owner.signer.sign(d);
      },
    };
    const broken = invoice();
    Object.assign(broken, { num: 'no digits' });
    Object.assign(broken.productSet.products[0] as object, { unitNomenclature: 'штука' });
    const error = await rejection<ValidationError>(
      seller.invoices.upload([invoice(), broken, { ...invoice(), date: '30.02.2024' }], counting),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field).sort()).toEqual(
      ['invoices[1].num', 'invoices[1].productSet.products[0].unitNomenclature', 'invoices[2].date'].sort(),
    );
    expect(signed).toBe(0);
    expect(mock.calls.length).toBe(before);
  });

  it('a body given as text is checked too (well-formed InvoiceV2), before sending', async () => {
    const before = mock.calls.length;
    const foreignRoot = buildInvoiceBody(invoice(), {}).replace(/v2:invoice/g, 'v2:document');
    const error = await rejection<ValidationError>(
      seller.invoices.upload([invoice(), foreignRoot, '<a>'], owner.signer),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field)).toEqual(['invoices[1]', 'invoices[2]']);
    expect(mock.calls.length).toBe(before);
  });

  it('a signature longer than the field takes is refused with a clear message', async () => {
    // A signer whose signatures are 512 bytes (684 base64 characters): an RSA-4096 key, or a CMS.
    const bigSigner: Signer = {
      algorithms: owner.signer.algorithms,
      certificate: owner.signer.certificate,
      digest: (d) => owner.signer.digest(d),
      sign: async () => ({ signature: new Uint8Array(512).fill(7), certificate: owner.signer.certificate }),
    };
    const before = mock.calls.length;
    const error = await rejection<ValidationError>(seller.invoices.upload([invoice()], bigSigner));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]?.field).toBe('invoices[0].signature');
    expect(error.message).toMatch(
      new RegExp(`684 characters; the signature field takes at most ${MAX_SIGNATURE_LENGTH}`),
    );
    expect(mock.calls.length).toBe(before);
    expect((await signRaw(owner.signer, 'x')).base64.length).toBeLessThanOrEqual(MAX_SIGNATURE_LENGTH);
  });
});

describe('uploads are never retried', { timeout: 60_000 }, () => {
  it('a server that does not answer: one request, TIMEOUT, maybeDelivered', async () => {
    let requests = 0;
    const silent = await startLocalServer((req) => {
      requests++;
      req.resume(); // reads the upload, never answers
    });
    const client = createEsfClient({
      checkIdentifiers: false,
      endpoint: `${silent.url}/esf-web/ws/api1/SessionService`,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
      timeoutMs: 300,
      retry: { attempts: 3, baseDelayMs: 10 },
    });
    const session = client.attachSession('s-1', SELLER);
    const error = await rejection<TransportError>(session.invoices.upload([invoice()], owner.signer));
    client.close();
    await silent.close();
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe('TIMEOUT');
    expect(error.maybeDelivered).toBe(true);
    expect(requests).toBe(1);
  });

  it('after a maybe-delivered upload, findByKey tells whether it arrived', async () => {
    const body = buildInvoiceBody(invoice(), {});
    expect(await seller.invoices.findByKey([body])).toEqual([]);
    await seller.invoices.upload([body], owner.signer);
    const found = await seller.invoices.findByKey([body]);
    expect(found.map((f) => f.invoiceBody)).toEqual([body]);
  });
});

describe('waiting', { timeout: 60_000 }, () => {
  it('runs out with WaitTimeoutError naming the pending ids to resume with', async () => {
    const slow = await startEsfMock({ invoices: { processingMs: 60_000 } });
    const client = createEsfClient({
      checkIdentifiers: false,
      endpoint: slow.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
    });
    try {
      await using session = await client.openSession({ tin: SELLER, signer: owner.signer });
      const [outcome] = (await session.invoices.upload([invoice()], owner.signer)).outcomes;
      const id = outcome?.status === 'accepted' ? outcome.id : '';
      const started = Date.now();
      const error = await rejection<WaitTimeoutError<{ invoiceIds: readonly string[] }, RegistrationProgress>>(
        session.invoices.waitForRegistration([id], { intervalMs: 50, timeoutMs: 300 }),
      );
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect(error.code).toBe('WAIT_TIMEOUT');
      expect(error.resume).toEqual({ invoiceIds: [id] });
      expect(error.last?.pending.map((p) => p.id)).toEqual([id]);
      expect(error.timeoutMs).toBe(300);
      expect(Date.now() - started).toBeLessThan(3_000);
      const aborted = new AbortController();
      aborted.abort();
      const stopped = await rejection<KzError>(session.invoices.waitForRegistration([id], { signal: aborted.signal }));
      expect(stopped.code).toBe('ABORTED');
    } finally {
      client.close();
      await slow.close();
    }
  });
});

describe('paging', { timeout: 60_000 }, () => {
  it('updates: pages chained by lastEventDate/lastInvoiceId until lastBlock; a cursor resumes', async () => {
    const local = await startEsfMock({ invoices: { processingMs: 0, pageSize: 2 } });
    const client = createEsfClient({
      checkIdentifiers: false,
      endpoint: local.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
    });
    try {
      await using session = await client.openSession({ tin: SELLER, signer: owner.signer });
      await session.invoices.upload([invoice(), invoice(), invoice()], owner.signer);
      const pages: UpdatesPage[] = [];
      for await (const page of session.invoices.updates({ direction: 'OUTBOUND' })) pages.push(page);
      // 3 uploads (IN_QUEUE) + 3 registrations = 6 events, 2 per page.
      expect(pages.map((p) => p.invoices.length)).toEqual([2, 2, 2]);
      expect(pages.map((p) => p.lastBlock)).toEqual([false, false, true]);
      const requests = local.calls.filter((c) => c.operation === 'queryUpdates').map((c) => c.input) as {
        lastEventDate: string;
        lastInvoiceId?: string;
      }[];
      expect(requests[1]?.lastEventDate).toBe(pages[0]?.cursor.lastEventDate);
      expect(requests[1]?.lastInvoiceId).toBe(pages[0]?.cursor.lastInvoiceId);
      const resumed: UpdatesPage[] = [];
      for await (const page of session.invoices.updates({ direction: 'OUTBOUND', after: pages[1]?.cursor })) {
        resumed.push(page);
      }
      expect(resumed.flatMap((p) => p.invoices)).toEqual(pages[2]?.invoices);
    } finally {
      client.close();
      await local.close();
    }
  });

  it('query: the first page without pageNum, then currPage + 1 until lastBlock', async () => {
    await seller.invoices.upload([invoice(), invoice(), invoice()], owner.signer);
    const pages = [];
    for await (const page of seller.invoices.query({
      direction: 'OUTBOUND',
      dateFrom: '2020-01-01T00:00:00+05:00',
      dateTo: '2099-01-01T00:00:00+05:00',
      asc: true,
    })) {
      pages.push(page);
    }
    const requests = mock.calls
      .filter((c) => c.operation === 'queryInvoice')
      .slice(-pages.length)
      .map((c) => (c.input as { criteria: { pageNum?: number } }).criteria);
    expect(requests[0]?.pageNum).toBeUndefined();
    expect(requests.slice(1).map((r) => r.pageNum)).toEqual(pages.slice(1).map((_, i) => i + 2));
    expect(pages.at(-1)?.lastBlock).toBe(true);
    expect(pages.flatMap((p) => p.invoices).length).toBe(pages[0]?.total);
    expect(pages.length).toBeGreaterThan(2);
  });
});

describe('status changes', { timeout: 60_000 }, () => {
  it('revoke and unrevoke (issuer), decline and confirm (recipient); wrong party gets WRONG_STATUS', async () => {
    const [outcome] = (await seller.invoices.upload([invoice()], owner.signer)).outcomes;
    const id = outcome?.status === 'accepted' ? outcome.id : '';
    await seller.invoices.waitForRegistration([id], quick);

    const [notMine] = await buyer.invoices.revoke([{ id, reason: 'не моя' }], owner.signer);
    expect(notMine).toMatchObject({ isChanged: false, errorCode: 'WRONG_STATUS' });

    const [revoked] = await seller.invoices.revoke([{ id, reason: 'ошибка в сумме' }], owner.signer);
    expect(revoked).toMatchObject({
      isChanged: true,
      invoiceSummary: { invoiceStatus: 'REVOKED', cancelReason: 'ошибка в сумме' },
    });
    const [unrevoked] = await seller.invoices.unrevoke([{ id, reason: 'отзыв по ошибке' }], owner.signer);
    expect(unrevoked?.invoiceSummary.invoiceStatus).toBe('DELIVERED');

    const [confirmed] = await buyer.invoices.confirm([id]);
    expect(confirmed?.invoiceId).toBe(id);
    const [declined] = await buyer.invoices.decline([{ id, reason: 'не получали услугу' }], owner.signer);
    expect(declined).toMatchObject({ isChanged: true, invoiceSummary: { invoiceStatus: 'DECLINED' } });

    // The signature of a status change covers the ids and reasons: another reason does not verify.
    const sent = mock.calls.filter((c) => c.operation === 'declineInvoiceById').at(-1)?.input as {
      signature: string;
      x509Certificate: string;
    };
    expect(
      verifyRaw(
        `<signedContent><idsWithReasons><idWithReason><id>${id}</id><reason>не получали услугу</reason></idWithReason></idsWithReasons></signedContent>`,
        sent.signature,
        sent.x509Certificate,
      ),
    ).toBe(true);
  });

  it('checks ids and reasons before sending', async () => {
    await expect(seller.invoices.revoke([{ id: 'abc', reason: '' }], owner.signer)).rejects.toThrow(
      /items\[0\]\.id.*items\[0\]\.reason/,
    );
    await expect(seller.invoices.confirm([])).rejects.toThrow(ValidationError);
  });
});

describe('sessions', { timeout: 60_000 }, () => {
  it('a closed session: the invoice calls raise EsfSessionClosedError', async () => {
    const session = await esf.openSession({ tin: SELLER, signer: owner.signer });
    await session.close();
    await expect(session.invoices.summaries(['1'])).rejects.toBeInstanceOf(EsfSessionClosedError);
    await expect(session.invoices.upload([invoice()], owner.signer)).rejects.toBeInstanceOf(EsfSessionClosedError);
    // The ESF error keeps what identifies the call it came from.
    const error = (await session.invoices.summaries(['1']).catch((e: unknown) => e)) as EsfSessionClosedError;
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect([error.attempt, error.attempts]).toEqual([1, 1]);
  });
});
