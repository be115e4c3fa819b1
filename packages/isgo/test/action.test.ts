/**
 * Action documents on their own: exact serialization, parsing, CDATA carriage, and a non-RSA
 * signer plugged in through the Signer interface (a stand-in for a GOST key in NCALayer or an HSM).
 */
import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { createEsfClient } from '@kz/esf';
import { SEED_USER_LOGIN, SEED_USER_PASSWORD, startEsfMock } from '@kz/esf/testing';
import { GOST_2015_512, type Signer } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import { DecodeError, ValidationError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { ACTION_BODIES_AS_CDATA } from '../src/client.js';
import {
  buildCreateAction,
  buildDeclineAction,
  createIsgoClient,
  IsgoWebServiceClient,
  parseAction,
} from '../src/index.js';
import { startIsgoMock } from '../src/testing/index.js';

describe('action documents', () => {
  it('a reason that looks like markup (xsi:, a prefix) is written as text', () => {
    const xml = buildDeclineAction({
      isgoCreateActionSignature: 'c2ln',
      isgoInvoiceId: '149',
      rejectReason: 'xsi:nil, v1:x',
    });
    expect(xml).toContain('<rejectReason>xsi:nil, v1:x</rejectReason>');
  });

  it('a decline-action: actionType, isgoCreateActionSignature, isgoInvoiceId, rejectReason, escaped', () => {
    const xml = buildDeclineAction({
      isgoCreateActionSignature: 'c2ln',
      isgoInvoiceId: '149',
      rejectReason: 'сумма <неверна> & НДС',
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><v1:isgoApproveInvoiceAction xmlns:isgoinvoiceabstractaction="http://esf.gov.kz/esf/model/isgo/invoice/abstractAction" xmlns:v1="http://esf.gov.kz/esf/model/isgo/invoice/action/v1"><actionType>DECLINE</actionType><isgoCreateActionSignature>c2ln</isgoCreateActionSignature><isgoInvoiceId>149</isgoInvoiceId><rejectReason>сумма &lt;неверна&gt; &amp; НДС</rejectReason></v1:isgoApproveInvoiceAction>',
    );
    expect(parseAction(xml)).toEqual({
      kind: 'approve',
      action: {
        actionType: 'DECLINE',
        isgoCreateActionSignature: 'c2ln',
        isgoInvoiceId: '149',
        rejectReason: 'сумма <неверна> & НДС',
      },
    });
  });

  it('typed input is validated: a missing required field or a non-numeric id is refused', () => {
    expect(() => buildCreateAction({ registrationNumber: 'ESF-1', isgoSystemCode: 'MSH' } as never)).toThrow(
      ValidationError,
    );
    expect(() =>
      buildDeclineAction({ isgoCreateActionSignature: 'x', isgoInvoiceId: 'abc', rejectReason: 'r' }),
    ).toThrow(ValidationError);
  });

  it('parsing refuses other documents and broken XML', () => {
    expect(() => parseAction('<x xmlns="urn:other"/>')).toThrow(DecodeError);
    expect(() =>
      parseAction('<v1:isgoCreateInvoiceAction xmlns:v1="http://esf.gov.kz/esf/model/isgo/invoice/action/v1">'),
    ).toThrow(DecodeError);
    expect(() =>
      parseAction(
        '<v1:isgoCreateInvoiceAction xmlns:v1="http://esf.gov.kz/esf/model/isgo/invoice/action/v1"><actionType>NOPE</actionType></v1:isgoCreateInvoiceAction>',
      ),
    ).toThrow(DecodeError);
  });

  it('CDATA carriage: same text; "]]>" or a carriage return stays escaped', () => {
    const client = new IsgoWebServiceClient({ endpoint: 'http://127.0.0.1:9/isgo', cdata: ACTION_BODIES_AS_CDATA });
    const send = (body: string) =>
      client.soap.encodeRequest('sendInvoiceToIsgo', {
        sessionId: 'session',
        createActionInfoList: [
          {
            certificate: 'Y2VydA==',
            isgoInvoiceActionBody: body,
            signature: 'c2ln',
            signatureType: 'COMPANY',
            tin: '123456789012',
            version: 'IsgoInvoiceActionVersionV1',
          },
        ],
      });
    expect(send('<x>a & b</x>')).toContain('<isgoInvoiceActionBody><![CDATA[<x>a & b</x>]]></isgoInvoiceActionBody>');
    expect(send('<x>]]></x>')).toContain('<isgoInvoiceActionBody>&lt;x&gt;]]&gt;&lt;/x&gt;</isgoInvoiceActionBody>');
    expect(send('a\rb')).toContain('<isgoInvoiceActionBody>a&#13;b</isgoInvoiceActionBody>');
  });
});

describe('a GOST-style signer plugs in without forking', () => {
  /**
   * Stand-in for an NCALayer/Kalkan/HSM signer: the key never leaves it, it only implements
   * Signer. (ECDSA P-256 here, because node:crypto has no GOST; the shape is identical.)
   */
  function externalSigner(): Signer & { verify(data: Uint8Array, signature: Uint8Array): boolean } {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const certificate = createTestIdentity({ commonName: 'HSM KEY' }).signer.certificate;
    return {
      algorithms: GOST_2015_512,
      certificate,
      digest: async () => new Uint8Array(64),
      sign: async (data) => ({
        signature: new Uint8Array(createSign('sha256').update(data).sign(privateKey)),
        certificate,
      }),
      verify: (data, signature) => createVerify('sha256').update(data).verify(publicKey, signature),
    };
  }

  it('signs the action documents; the mock verifies with the matching verifier', async () => {
    const signer = externalSigner();
    const esfMock = await startEsfMock();
    const isgoMock = await startIsgoMock({ sessions: esfMock.state, verifySignature: (d, s) => signer.verify(d, s) });
    const esf = createEsfClient({
      checkIdentifiers: false,
      endpoint: esfMock.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
    });
    try {
      await using session = await esf.openSession({ tin: '753159846249', x509Certificate: signer.certificate });
      const isgo = createIsgoClient({ endpoint: isgoMock.endpoint, session, signer });
      const sent = await isgo.sendInvoice({
        registrationNumber: 'ESF-123456789021-20231103-00001234',
        isgoSystemCode: 'MSH',
        originalInvoiceDocumentSignature: 'AAAA',
      });
      expect(sent.ok).toBe(true);
      expect(
        signer.verify(new TextEncoder().encode(sent.signed.body), Buffer.from(sent.signed.signature, 'base64')),
      ).toBe(true);
      isgo.close();
    } finally {
      esf.close();
      await isgoMock.close();
      await esfMock.close();
    }
  });
});
