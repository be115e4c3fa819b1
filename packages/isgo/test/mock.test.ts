/**
 * Round trips over real HTTP against @kz/isgo/testing (sessions from @kz/esf/testing): the 5
 * operations, the invoice life cycle (sent -> WAIT_CONFIRMATION -> READY_FOR_SEND or DECLINED),
 * signatures made with keys generated here and verified independently, bad signatures refused.
 */
import {
  createEsfClient,
  EsfAccessDeniedError,
  EsfBusinessError,
  type EsfClient,
  type EsfSession,
  EsfSessionClosedError,
} from '@kz/esf';
import { type EsfMock, SEED_USER_LOGIN, SEED_USER_PASSWORD, startEsfMock } from '@kz/esf/testing';
import { RsaSha256Signer, type Signer, verifyRsaSha256 } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import { SignatureError, ValidationError } from '@kz/soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsgoClient, type IsgoClient, parseAction, serviceMeta } from '../src/index.js';
import { type IsgoMock, startIsgoMock } from '../src/testing/index.js';

const company = createTestIdentity({ commonName: 'АО ТЕСТ', serialNumber: `IIN${SEED_USER_LOGIN}` });
const other = createTestIdentity({ commonName: 'ЧУЖОЙ' });
let esfMock: EsfMock;
let isgoMock: IsgoMock;
let esf: EsfClient;
let sender: EsfSession;
let approverSession: EsfSession;
let isgo: IsgoClient;
let approver: IsgoClient;

const invoice = (n: number) => ({
  registrationNumber: `ESF-123456789021-20231103-0000${8000 + n}`,
  isgoSystemCode: 'MSH',
  originalInvoiceDocumentSignature: Buffer.from(`signature of invoice ${n}`).toString('base64'),
  reason: 'TEST',
});

beforeAll(async () => {
  esfMock = await startEsfMock();
  isgoMock = await startIsgoMock({ sessions: esfMock.state });
  esf = createEsfClient({
    checkIdentifiers: false,
    endpoint: esfMock.endpoint,
    username: SEED_USER_LOGIN,
    password: SEED_USER_PASSWORD,
  });
  // The seed's user acts for the enterprise 753159846249 (sender) and as an entrepreneur 123456789011 (approver).
  sender = await esf.openSession({
    tin: '753159846249',
    x509Certificate: company.certificatePem,
    businessProfileType: 'ADMIN_ENTERPRISE',
  });
  approverSession = await esf.openSession({
    tin: '123456789011',
    x509Certificate: company.certificatePem,
    businessProfileType: 'ENTREPRENEUR',
  });
  isgo = createIsgoClient({ endpoint: isgoMock.endpoint, session: sender, signer: company.signer });
  approver = createIsgoClient({
    endpoint: isgoMock.endpoint,
    session: approverSession.sessionId,
    signer: company.signer,
  });
});
afterAll(async () => {
  isgo.close();
  approver.close();
  await sender.close();
  await approverSession.close();
  esf.close();
  await isgoMock.close();
  await esfMock.close();
});

describe('the 5 operations over HTTP', () => {
  it('declares 5 operations', () => {
    expect(Object.keys(serviceMeta.operations).sort()).toEqual([
      'approveSendingInvoiceToIsgo',
      'queryIsgoInvoiceById',
      'queryIsgoSystemList',
      'searchIsgoInvoice',
      'sendInvoiceToIsgo',
    ]);
  });

  it('queryIsgoSystemList', async () => {
    expect((await isgo.systems()).map((s) => s.code)).toEqual(['MSH']);
  });

  it('send -> search/queryById (WAIT_CONFIRMATION) -> confirm -> READY_FOR_SEND', async () => {
    const sent = await isgo.sendInvoice(invoice(1));
    if (!sent.ok) throw new Error('expected the invoice to be accepted');
    // The signature verifies independently of the client, over the exact document that was sent.
    expect(
      verifyRsaSha256(
        new TextEncoder().encode(sent.signed.body),
        Buffer.from(sent.signed.signature, 'base64'),
        sent.signed.certificate,
      ),
    ).toBe(true);
    expect(parseAction(sent.signed.body)).toEqual({ kind: 'create', action: { actionType: 'CREATE', ...invoice(1) } });

    const outbound = await isgo.search('OUTBOUND');
    const record = outbound.find((i) => i.id === sent.isgoInvoiceId);
    expect(record?.status).toBe('WAIT_CONFIRMATION');
    expect(record?.senderTin).toBe('753159846249');
    expect(record?.approverTin).toBe('123456789021');
    expect(record?.invoiceId).toMatch(/^\d{17}$/);
    expect(BigInt(record?.invoiceId ?? 0)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(record?.createDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+06:00$/);
    expect(record?.creatorSignature?.document?.kind).toBe('create');
    expect(record?.creatorSignature?.requestXML).toBe(sent.signed.body);

    // The counterparty (BIN in the registration number) confirms: a session acting for 123456789021.
    await using counterpartySession = await esf.openSession({
      tin: '123456789021',
      x509Certificate: company.certificatePem,
    });
    const counterparty = createIsgoClient({
      endpoint: isgoMock.endpoint,
      session: counterpartySession,
      signer: company.signer,
    });
    const inbound = await counterparty.search('INBOUND');
    const toApprove = inbound.find((i) => i.id === sent.isgoInvoiceId);
    if (!toApprove) throw new Error('the invoice is not in the counterparty INBOUND list');
    const confirm = await counterparty.confirm(toApprove);
    expect(parseAction(confirm.body)).toEqual({
      kind: 'approve',
      action: {
        actionType: 'CONFIRM',
        isgoCreateActionSignature: sent.signed.signature,
        isgoInvoiceId: sent.isgoInvoiceId,
      },
    });
    const [after] = await isgo.queryById([sent.isgoInvoiceId]);
    expect(after).toMatchObject({ status: 'READY_FOR_SEND', isApproved: true });
    expect(after?.approverSignature?.document?.action).toMatchObject({ actionType: 'CONFIRM' });
    expect(after?.approverSignature?.certificateSerialNumber).toMatch(/^\d+$/);
    counterparty.close();
  });

  it('decline -> DECLINED with the reason; the same invoice can be sent again', async () => {
    const sent = await isgo.sendInvoice({ ...invoice(2), registrationNumber: 'ESF-753159846249-20231103-00000002' });
    if (!sent.ok) throw new Error('expected acceptance');
    const [record] = await approver.queryById([BigInt(sent.isgoInvoiceId)]);
    expect(record?.approverTin).toBe('123456789011');
    await approver.decline(record!, 'wrong amount');
    const [declined] = await isgo.queryById([sent.isgoInvoiceId]);
    expect(declined).toMatchObject({ status: 'DECLINED', isApproved: false, cancelReason: 'wrong amount' });
    expect(declined?.approverSignature?.document?.action).toMatchObject({
      actionType: 'DECLINE',
      rejectReason: 'wrong amount',
    });
    // A decided invoice cannot be approved again.
    await expect(approver.confirm(declined!)).rejects.toBeInstanceOf(EsfBusinessError);
    const again = await isgo.sendInvoice({ ...invoice(2), registrationNumber: 'ESF-753159846249-20231103-00000002' });
    expect(again.ok).toBe(true);
  });

  it('a registration number already pending is declined, not accepted twice', async () => {
    const [first, second] = await isgo.sendInvoices([invoice(3), invoice(3)]);
    expect(first?.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, registrationNumber: invoice(3).registrationNumber });
    const duplicate = await isgo.sendInvoice(invoice(3));
    expect(duplicate).toMatchObject({
      ok: false,
      declined: true,
      registrationNumber: invoice(3).registrationNumber,
      errors: [{ property: 'registrationNumber', errorCode: 'ALREADY_SENT' }],
    });
  });

  it('a declined create-action carries its reasons over HTTP', async () => {
    const outcome = await isgo.sendInvoice({ ...invoice(5), isgoSystemCode: 'NOPE' });
    expect(outcome).toMatchObject({
      ok: false,
      declined: true,
      errors: [{ property: 'isgoSystemCode', errorCode: 'ISGO_SYSTEM_NOT_FOUND', text: 'no IS GO NOPE' }],
    });
  });

  it('only the counterparty may approve', async () => {
    const sent = await isgo.sendInvoice(invoice(4));
    if (!sent.ok) throw new Error('expected acceptance');
    const [record] = await isgo.queryById([sent.isgoInvoiceId]);
    await expect(approver.confirm(record!)).rejects.toBeInstanceOf(EsfAccessDeniedError);
  });
});

describe('signatures', () => {
  it('a bad signature is refused with a fault and nothing is registered', async () => {
    const forger: Signer = {
      algorithms: company.signer.algorithms,
      certificate: company.signer.certificate,
      digest: (data) => company.signer.digest(data),
      // Signs something else than what is sent.
      sign: async (data) => company.signer.sign(new Uint8Array([...data, 0x20])),
    };
    const before = isgoMock.state.invoices.size;
    const client = createIsgoClient({ endpoint: isgoMock.endpoint, session: sender, signer: forger });
    const error = await client.sendInvoice(invoice(5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EsfBusinessError);
    expect((error as EsfBusinessError).description).toMatch(/signature does not verify/);
    expect(isgoMock.state.invoices.size).toBe(before);
    client.close();
  });

  it('a signature by another key than the certificate is refused', async () => {
    const mismatched: Signer = {
      ...other.signer,
      certificate: company.signer.certificate,
      algorithms: other.signer.algorithms,
      digest: (d) => other.signer.digest(d),
      sign: async (d) => ({ ...(await other.signer.sign(d)), certificate: company.signer.certificate }),
    };
    const client = createIsgoClient({ endpoint: isgoMock.endpoint, session: sender, signer: mismatched });
    await expect(client.sendInvoice(invoice(6))).rejects.toBeInstanceOf(EsfBusinessError);
    client.close();
  });

  it('a PKCS#12 key signs as well (RsaSha256Signer.fromPkcs12)', async () => {
    const signer = RsaSha256Signer.fromPkcs12(company.pkcs12, company.pkcs12Password);
    const client = createIsgoClient({ endpoint: isgoMock.endpoint, session: sender, signer });
    const sent = await client.sendInvoice(invoice(7));
    expect(sent.ok).toBe(true);
    expect(
      verifyRsaSha256(
        new TextEncoder().encode(sent.signed.body),
        Buffer.from(sent.signed.signature, 'base64'),
        company.certificatePem,
      ),
    ).toBe(true);
    client.close();
  });

  it('a failing signer becomes a SignatureError without its internals', async () => {
    const broken: Signer = {
      ...company.signer,
      algorithms: company.signer.algorithms,
      certificate: company.signer.certificate,
      digest: (d) => company.signer.digest(d),
      sign: async () => {
        throw new Error('token PIN 1234 rejected');
      },
    };
    const client = createIsgoClient({ endpoint: isgoMock.endpoint, session: sender, signer: broken });
    const error = await client.sendInvoice(invoice(8)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureError);
    expect((error as Error).message).not.toContain('1234');
    client.close();
  });

  it('no signer, no request', async () => {
    const client = createIsgoClient({ endpoint: isgoMock.endpoint, session: sender });
    const calls = isgoMock.calls.length;
    await expect(client.sendInvoice(invoice(9))).rejects.toBeInstanceOf(ValidationError);
    expect(isgoMock.calls.length).toBe(calls);
    client.close();
  });
});

describe('sessions', () => {
  it('a closed session is refused with EsfSessionClosedError', async () => {
    const session = await esf.openSession({ tin: '753159846249', x509Certificate: company.certificatePem });
    const client = createIsgoClient({ endpoint: isgoMock.endpoint, session, signer: company.signer });
    expect((await client.systems()).length).toBe(1);
    await session.close();
    await expect(client.systems()).rejects.toBeInstanceOf(EsfSessionClosedError);
    await expect(client.search('OUTBOUND')).rejects.toBeInstanceOf(EsfSessionClosedError);
    client.close();
  });

  it('an unknown sessionId is refused', async () => {
    const client = createIsgoClient({ endpoint: isgoMock.endpoint, session: 'nonsense' });
    await expect(client.queryById(['1'])).rejects.toBeInstanceOf(EsfSessionClosedError);
    client.close();
  });

  it('ids are checked before sending: no JS number beyond 2^53', async () => {
    await expect(isgo.queryById([2 ** 60])).rejects.toBeInstanceOf(ValidationError);
    await expect(isgo.queryById([])).rejects.toBeInstanceOf(ValidationError);
    await expect(isgo.decline({ isgoInvoiceId: '1', isgoCreateActionSignature: 'x' }, ' ')).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
