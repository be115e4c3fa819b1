/**
 * SONO FNO over SHEP against the mock gateway (127.0.0.1): submit a form signed by the taxpayer,
 * follow it to its final status; the 25 statuses and their classification; refused signatures.
 */
import { readFileSync } from 'node:fs';
import { createShepClient } from '@kz/shep';
import { type ShepMock, startShepMock } from '@kz/shep/testing';
import { createTestIdentity } from '@kz/signing/testing';
import { KzError, ValidationError, WaitTimeoutError } from '@kz/soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSonoFnoClient,
  type FormStatus,
  isError,
  isFinal,
  PROCESSING_STATUSES,
  type SonoFnoWaitResume,
  sonoCodecs,
  statusCode,
  statusInfo,
} from '../src/index.js';
import { HAPPY_PATH, REJECTED_PATH, registerSonoFnoService, type SonoFnoMockForm } from '../src/testing/index.js';

const organisation = createTestIdentity({ commonName: 'ACCOUNTING FIRM' });
const taxpayer = createTestIdentity({ commonName: 'TAXPAYER', serialNumber: 'IIN880101300123' });
let gateway: ShepMock;
let forms: Map<string, SonoFnoMockForm>;

beforeAll(async () => {
  gateway = await startShepMock({
    senders: { acc_firm: { password: 'pw-acc-firm-1', certificates: [organisation.certificatePem] } },
  });
  forms = registerSonoFnoService(gateway, { path: (f) => (f.formCode === '200.00' ? REJECTED_PATH : HAPPY_PATH) });
});
afterAll(() => gateway.close());

const sono = (checkIdentifiers?: boolean) =>
  createSonoFnoClient({
    ...(checkIdentifiers === undefined ? {} : { checkIdentifiers }),
    shep: createShepClient({
      endpoint: gateway.endpoints,
      senderId: 'acc_firm',
      password: 'pw-acc-firm-1',
      signer: organisation.signer,
      verify: { trustedCertificates: [gateway.certificate] },
    }),
    taxpayerSigner: taxpayer.signer,
  });

const form = (code = '910.00') => ({
  iinBin: '880101300123',
  taxPeriod: { year: '2024', halfYear: 2 },
  form: {
    code,
    version: '27',
    forms: [
      {
        name: `form_${code.replace('.', '_')}`,
        sheets: [{ name: `page_${code.replace('.', '_')}_01`, fields: { iin: '880101300123', income: 1500000 } }],
      },
    ],
  },
});

describe('statuses', () => {
  it('has the 25 labels of seed 003, verbatim and in its order', () => {
    const seed = readFileSync(new URL('../../../specs/sono-fno/statuses.md', import.meta.url), 'utf8');
    expect(PROCESSING_STATUSES).toHaveLength(25);
    for (const s of PROCESSING_STATUSES) expect(seed).toContain(`| \`${s.code}\` | ${s.label} |`);
    expect(statusCode('Разнесена')).toBe('POSTED');
    // Exactly the labels: no case folding, no trimming.
    expect(statusCode(' не принята ')).toBeUndefined();
    expect(statusCode('nonsense')).toBeUndefined();
  });

  it('classifies final and error statuses', () => {
    expect([isFinal('POSTED'), isError('POSTED')]).toEqual([true, false]);
    expect([isFinal('NOT_ACCEPTED'), isError('NOT_ACCEPTED')]).toEqual([true, true]);
    expect([isFinal('POSTING_ERROR'), isError('POSTING_ERROR')]).toEqual([false, true]);
    expect([isFinal('ACCEPTED'), isError('ACCEPTED')]).toEqual([false, false]);
    expect(PROCESSING_STATUSES.filter((s) => s.isFinal)).toHaveLength(13);
    expect(PROCESSING_STATUSES.filter((s) => s.isError)).toHaveLength(6);
  });
});

describe('submit and wait against the mock gateway', () => {
  it('submitForm signs the form with the taxpayer key; waitForStatus follows it to POSTED', async () => {
    const client = sono();
    const submitted = await client.submitForm(form());
    expect(submitted.status).toBe('SENT');
    const stored = forms.get(submitted.registrationNumber);
    expect(stored?.signedBy).toBe(taxpayer.signer.certificate);
    const seen: FormStatus[] = [];
    const final = await client.waitForStatus(submitted.registrationNumber, {
      intervalMs: 1,
      timeoutMs: 5_000,
      onProgress: (s) => seen.push(s),
    });
    expect(final).toMatchObject({ status: 'POSTED', label: 'Разнесена', isFinal: true, isError: false });
    expect(seen.map((s) => s.status)).toEqual([
      'DELIVERED',
      'PROCESSING_ON_SERVER',
      'ACCEPTED',
      'AWAITING_POSTING',
      'PROCESSING_IN_TSULS',
      'POSTED',
    ]);
  });

  it('a rejected form ends in a final error status', async () => {
    const client = sono();
    const submitted = await client.submitForm(form('200.00'));
    const final = await client.waitForStatus(submitted.registrationNumber, { intervalMs: 1, timeoutMs: 5_000 });
    expect(final).toMatchObject({ status: 'NOT_ACCEPTED', isFinal: true, isError: true });
  });

  it('statusInfo of a code not in the list is a ValidationError naming code', () => {
    const error = (() => {
      try {
        statusInfo('NOPE' as never);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(KzError);
    expect((error as ValidationError).issues[0]?.field).toBe('code');
  });

  it('waitForStatus gives up after its timeout', async () => {
    const client = sono();
    const submitted = await client.submitForm(form());
    const error = await client
      .waitForStatus(submitted.registrationNumber, { intervalMs: 30, timeoutMs: 40 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const timeout = error as WaitTimeoutError<SonoFnoWaitResume, FormStatus>;
    expect(timeout.code).toBe('WAIT_TIMEOUT');
    expect(timeout.resume).toEqual({ registrationNumber: submitted.registrationNumber });
    expect(timeout.last?.isFinal).toBe(false);
  });

  it('an IIN/BIN the national algorithm rejects is a ValidationError naming iinBin; nothing is sent', async () => {
    const before = forms.size;
    for (const iinBin of ['880101300124', '111111111111', '88010130012', '880101 30012']) {
      const error = await sono()
        .submitForm({ ...form(), iinBin })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { field: 'iinBin', message: expect.stringMatching(/^not a valid IIN\/BIN: /) },
      ]);
      expect((error as Error).message).not.toContain(iinBin);
    }
    expect(forms.size).toBe(before);
    // A valid BIN passes as well as an IIN.
    await expect(sono().submitForm({ ...form(), iinBin: '940140000385' })).resolves.toMatchObject({ status: 'SENT' });
  });

  it("the form's iin fields are checked too: each bad one is an issue naming its field; nothing is sent", async () => {
    const before = forms.size;
    const base = form();
    const sheet = (iin: string | number | null) => ({ name: 'page_910_00_01', fields: { iin, income: 1 } });
    const submission = {
      ...base,
      form: {
        ...base.form,
        forms: [
          { name: 'form_910_00', sheets: [sheet('880101300123'), sheet('880101300124')] },
          // A number loses a leading zero (IIN 010101500122 of a person born in 2001): refused, not sent short.
          { name: 'form_910_01', sheets: [sheet(10101500122)] },
        ],
      },
    };
    const error = await sono()
      .submitForm(submission)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: 'form.forms[0].sheets[1].fields.iin', message: expect.stringMatching(/^not a valid IIN\/BIN: /) },
      { field: 'form.forms[1].sheets[0].fields.iin', message: expect.stringMatching(/^not a valid IIN\/BIN: /) },
    ]);
    expect((error as Error).message).not.toContain('880101300124');
    expect(forms.size).toBe(before);
    // The string form of that IIN passes; an empty iin field (null) is the form's business, not checked.
    const fine = {
      ...base,
      form: { ...base.form, forms: [{ name: 'form_910_00', sheets: [sheet('010101500122'), sheet(null)] }] },
    };
    await expect(sono().submitForm(fine)).resolves.toMatchObject({ status: 'SENT' });
  });

  it("checkIdentifiers: false sends a test stand's sample number that only has 12 digits", async () => {
    await expect(sono(false).submitForm({ ...form(), iinBin: '123456789021' })).resolves.toMatchObject({
      status: 'SENT',
    });
    await expect(sono(false).submitForm({ ...form(), iinBin: '12345678902' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('a form whose taxpayer signature does not verify is NOT_ACCEPTED by the mock', async () => {
    const { form: _unsigned, ...fields } = form();
    const payload = sonoCodecs.sendRequest.encode({
      ...fields,
      formCode: '910.00',
      formVersion: '27',
      signedForm: new Uint8Array(Buffer.from('<fno><unsigned/></fno>')),
    });
    const shep = createShepClient({
      endpoint: gateway.endpoints,
      senderId: 'acc_firm',
      password: 'pw-acc-firm-1',
      signer: organisation.signer,
      verify: { trustedCertificates: [gateway.certificate] },
    });
    const result = await shep.sync.send({
      serviceId: 'SONO_FNO_SEND',
      data: payload,
      responseCodec: sonoCodecs.sendResponse,
    });
    expect(result.data?.status).toBe('Не принята');
    expect(result.status.code).toBe('FORM_REFUSED');
  });
});
