/**
 * Protocol tests on seed 000 section 3 (test/fixtures, repairs noted in each file): requests built
 * from typed input equal the samples as parsed XML (the action documents byte for byte, carried
 * as CDATA); responses decode field by field, with requestXML decoded to typed action documents.
 */
import { readdirSync } from 'node:fs';
import type { Signer } from '@kz/signing';
import { RSA_SHA256 } from '@kz/signing';
import { SoapServiceCodec, ValidationError } from '@kz/soap';
import { type SeedSample, sampleStarts, seedDrift, xmlDifference } from '@kz/soap/testing';
import { describe, expect, it } from 'vitest';
import { ACTION_BODIES_AS_CDATA } from '../src/client.js';
import {
  buildConfirmAction,
  buildCreateAction,
  createIsgoClient,
  type IsgoInvoice,
  IsgoWebServiceClient,
  parseAction,
  serviceMeta,
} from '../src/index.js';
import { FIXTURES, fixture, fixtureNames, operationOf, ReplayTransport } from './fixture-support.js';

const codec = new SoapServiceCodec(serviceMeta);
const ENDPOINT = 'http://127.0.0.1:9/esf-web/ws/api1/IsgoWebService';
const SEND_SESSION = 'e02e6b83467449f6ab8f27498aadd79f-123456789021--ADMIN_ENTERPRISE';
const SESSION = 'a51806a914dc483bad817edc4d5d4abf-123456789011--ENTREPRENEUR';

const tag = (xml: string, name: string) =>
  new RegExp(`<${name}>(?:<!\\[CDATA\\[)?(.*?)(?:\\]\\]>)?</${name}>`, 's').exec(xml)?.[1] ?? '';

/** A Signer that replays the seed's GOST signature: shows any signer plugs in through the interface. */
function replaySigner(sample: string): Signer & { signed: string[] } {
  const signed: string[] = [];
  const certificate = tag(sample, 'certificate');
  return {
    signed,
    algorithms: RSA_SHA256,
    certificate,
    digest: async () => new Uint8Array(32),
    async sign(data) {
      signed.push(new TextDecoder().decode(data));
      return { signature: new Uint8Array(Buffer.from(tag(sample, 'signature'), 'base64')), certificate };
    },
  };
}

function client(response: string, session = SESSION, signer?: Signer, checkIdentifiers?: boolean) {
  const transport = new ReplayTransport(response);
  return {
    isgo: createIsgoClient({
      endpoint: ENDPOINT,
      session,
      transport,
      ...(signer ? { signer } : {}),
      ...(checkIdentifiers === undefined ? {} : { checkIdentifiers }),
    }),
    transport,
  };
}

const samples = JSON.parse(fixture('seed-samples.json')) as SeedSample[];
/** Section 3 (IsgoWebService) of seed 000; section 2 belongs to @kz/esf. */
const SECTION_3 = [655, 1030] as const;

describe('the fixtures are the seed samples as printed', () => {
  it.each(samples.map((s) => [s.fixture, s] as const))('%s', (_, sample) => {
    expect(seedDrift(sample, fixture(sample.fixture))).toBeUndefined();
  });

  it('every XML sample of section 3 has its fixture, and every fixture is a seed sample', () => {
    const firstLines = new Set(samples.map((s) => s.lines[0]));
    const starts = sampleStarts('000_5068d2fb12d31dec.txt').filter((l) => l >= SECTION_3[0] && l <= SECTION_3[1]);
    expect(starts.length).toBe(10);
    expect(starts.filter((line) => !firstLines.has(line))).toEqual([]);
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));
    expect(files.sort()).toEqual(samples.map((s) => s.fixture).sort());
  });
});

describe('request samples', () => {
  it('covers the 5 operations', () => {
    expect(fixtureNames('request').map(operationOf).sort()).toEqual(Object.keys(serviceMeta.operations).sort());
  });

  it.each(fixtureNames('request'))(
    '%s: decoded and rebuilt by the generated client, equals the sample',
    async (file) => {
      const sample = fixture(file);
      const decoded = await codec.decodeRequest(sample);
      expect(decoded.operation.name).toBe(operationOf(file));
      const transport = new ReplayTransport(fixture(`${operationOf(file)}.response.xml`));
      const generated = new IsgoWebServiceClient({
        endpoint: ENDPOINT,
        transport,
        cdata: ACTION_BODIES_AS_CDATA,
      });
      await generated.soap.invoke(operationOf(file), decoded.input);
      expect(xmlDifference(transport.sentXml(), sample)).toBeUndefined();
      expect(transport.sent[0]?.headers.soapaction).toBe('""');
    },
  );

  it('the create-action built from typed input is the sample document byte for byte', () => {
    const body = tag(fixture('sendInvoiceToIsgo.request.xml'), 'isgoInvoiceActionBody');
    expect(
      buildCreateAction({
        registrationNumber: 'ESF-123456789021-20231103-00008011',
        isgoSystemCode: 'MSH',
        originalInvoiceDocumentSignature:
          'iZMTT3DWYzq62r+XJoZIWV3z5iLOd6aSfgyAStywZXxjX0ND1ERYpDBD+GxhJlVIA9jYfS9Yy0S+gB4ELZcEBw==',
        reason: 'TEST',
      }),
    ).toBe(body);
  });

  it('the confirm-action built from typed input is the sample document byte for byte', () => {
    const body = tag(fixture('approveSendingInvoiceToIsgo.request.xml'), 'isgoInvoiceActionBody');
    expect(
      buildConfirmAction({
        isgoCreateActionSignature:
          'GQoHhi1pDdkQan/bHbWaCnA/gcYqGw3rotHkhB03vkSF2tICYrC2AtyQ33/81OGRBlqWLwzoHAYqSHUWn3bUPg==',
        isgoInvoiceId: '185',
      }),
    ).toBe(body);
  });

  it('sendInvoice from typed input sends the sample, the document as CDATA, signed as sent', async () => {
    const sample = fixture('sendInvoiceToIsgo.request.xml');
    const signer = replaySigner(sample);
    // The seed's tin 123456789021 is a sample value the national algorithm rejects (its check digit
    // would be 5): test stands with such accounts need checkIdentifiers: false.
    const { isgo, transport } = client(fixture('sendInvoiceToIsgo.response.xml'), SEND_SESSION, signer, false);
    const outcome = await isgo.sendInvoice({
      tin: '123456789021',
      registrationNumber: 'ESF-123456789021-20231103-00008011',
      isgoSystemCode: 'MSH',
      originalInvoiceDocumentSignature:
        'iZMTT3DWYzq62r+XJoZIWV3z5iLOd6aSfgyAStywZXxjX0ND1ERYpDBD+GxhJlVIA9jYfS9Yy0S+gB4ELZcEBw==',
      reason: 'TEST',
    });
    const sent = transport.sentXml();
    expect(xmlDifference(sent, sample)).toBeUndefined();
    expect(sent).toContain(
      `<isgoInvoiceActionBody><![CDATA[${tag(sample, 'isgoInvoiceActionBody')}]]></isgoInvoiceActionBody>`,
    );
    expect(signer.signed).toEqual([tag(sample, 'isgoInvoiceActionBody')]);
    expect(outcome).toMatchObject({
      ok: true,
      isgoInvoiceId: '185',
      registrationNumber: 'ESF-123456789021-20231103-00008011',
    });
  });

  it('a tin the national algorithm rejects is a ValidationError naming the field; nothing is sent', async () => {
    const sample = fixture('sendInvoiceToIsgo.request.xml');
    const { isgo, transport } = client(fixture('sendInvoiceToIsgo.response.xml'), SEND_SESSION, replaySigner(sample));
    const invoice = {
      registrationNumber: 'ESF-123456789021-20231103-00008011',
      isgoSystemCode: 'MSH',
      originalInvoiceDocumentSignature: 'c2lnbmF0dXJl',
      reason: 'TEST',
    };
    for (const tin of ['123456789021', '111111111111', '94014000038']) {
      const error = await isgo
        .sendInvoices([
          { ...invoice, tin: '940140000385' },
          { ...invoice, tin },
        ])
        .catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues).toEqual([
        { field: 'invoices[1].tin', message: expect.stringMatching(/^not a valid BIN\/IIN: /) },
      ]);
      expect(error.message).not.toContain(tin);
    }
    expect(transport.sent).toHaveLength(0);
    await isgo.sendInvoice({ ...invoice, tin: '940140000385' });
    expect(transport.sentXml()).toContain('<tin>940140000385</tin>');
  });

  it('confirm from typed input sends the sample', async () => {
    const sample = fixture('approveSendingInvoiceToIsgo.request.xml');
    const { isgo, transport } = client(
      fixture('approveSendingInvoiceToIsgo.response.xml'),
      SESSION,
      replaySigner(sample),
    );
    await isgo.confirm({
      isgoInvoiceId: 185,
      isgoCreateActionSignature:
        'GQoHhi1pDdkQan/bHbWaCnA/gcYqGw3rotHkhB03vkSF2tICYrC2AtyQ33/81OGRBlqWLwzoHAYqSHUWn3bUPg==',
    });
    expect(xmlDifference(transport.sentXml(), sample)).toBeUndefined();
  });

  it.each([
    ['searchIsgoInvoice', (c: ReturnType<typeof client>['isgo']) => c.search('OUTBOUND')],
    ['queryIsgoInvoiceById', (c: ReturnType<typeof client>['isgo']) => c.queryById(['185'])],
    ['queryIsgoSystemList', (c: ReturnType<typeof client>['isgo']) => c.systems()],
  ] as const)('%s from typed input sends the sample', async (operation, run) => {
    const { isgo, transport } = client(fixture(`${operation}.response.xml`));
    await run(isgo);
    expect(xmlDifference(transport.sentXml(), fixture(`${operation}.request.xml`))).toBeUndefined();
  });
});

describe('response samples', () => {
  it('covers the 5 operations', () => {
    expect(fixtureNames('response').map(operationOf).sort()).toEqual(Object.keys(serviceMeta.operations).sort());
  });

  it('sendInvoiceToIsgo: acceptedList and an empty declinedList', async () => {
    const { isgo } = client(fixture('sendInvoiceToIsgo.response.xml'));
    expect(
      await isgo.operations.sendInvoiceToIsgo({ sessionId: SEND_SESSION, createActionInfoList: [] } as never),
    ).toEqual({
      acceptedList: [{ registrationNumber: 'ESF-123456789021-20231103-00008011', isgoInvoiceId: '185' }],
      declinedList: [],
    });
  });

  it('approveSendingInvoiceToIsgo: an empty response element', async () => {
    const { isgo } = client(fixture('approveSendingInvoiceToIsgo.response.xml'));
    expect(
      await isgo.operations.approveSendingInvoiceToIsgo({
        sessionId: SESSION,
        approveInvoiceActionInfoList: [],
      } as never),
    ).toEqual({});
  });

  it('queryIsgoSystemList (the names, Cyrillic lost by the extraction, are empty as printed)', async () => {
    const { isgo } = client(fixture('queryIsgoSystemList.response.xml'));
    expect(await isgo.systems()).toEqual([{ code: 'MSH', nameRu: '', nameKz: '' }]);
  });

  it('queryIsgoInvoiceById: every field, the 17-digit invoiceId exact, +06:00 dates, typed action documents', async () => {
    const { isgo } = client(fixture('queryIsgoInvoiceById.response.xml'));
    const [invoice, ...rest] = await isgo.queryById(['185']);
    expect(rest).toEqual([]);
    const createSignature = 'GQoHhi1pDdkQan/bHbWaCnA/gcYqGw3rotHkhB03vkSF2tICYrC2AtyQ33/81OGRBlqWLwzoHAYqSHUWn3bUPg==';
    const expected: IsgoInvoice = {
      approveDate: '2023-11-17T10:46:44+06:00',
      approverParticipantType: 'BUSINESS',
      approverSignature: {
        action: 'CONFIRM',
        certificateSerialNumber: '719341467778567883216297780527926206744090667017',
        createDate: '2023-11-17T10:40:51+06:00',
        id: '309',
        invoiceId: '21374509837942784',
        isgoInvoiceId: '185',
        participantType: 'APPROVER',
        requestXML: tag(fixture('approveSendingInvoiceToIsgo.request.xml'), 'isgoInvoiceActionBody'),
        signature: 'Xp8/mWyiYrW+qNz5VtJ1bR5xJQyvGkuLEmgrBVeGfQZknP9A7kHyAEzcuy5mYoUHxTiMkNJ3ZiQcV4Bo9XI51Q==',
        signatureType: 'COMPANY',
        tin: '123456789011',
        version: 'IsgoInvoiceActionVersionV1',
        document: {
          kind: 'approve',
          action: { actionType: 'CONFIRM', isgoCreateActionSignature: createSignature, isgoInvoiceId: '185' },
        },
      },
      approverTin: '123456789011',
      createDate: '2023-11-17T10:40:51+06:00',
      creatorSignature: {
        action: 'CREATE',
        certificateSerialNumber: '719341467778567883216297780527926206744090667017',
        createDate: '2023-11-17T10:40:51+06:00',
        id: '308',
        invoiceId: '21374509837942784',
        isgoInvoiceId: '185',
        participantType: 'CREATOR',
        requestXML: tag(fixture('sendInvoiceToIsgo.request.xml'), 'isgoInvoiceActionBody'),
        signature: createSignature,
        signatureType: 'COMPANY',
        tin: '123456789021',
        version: 'IsgoInvoiceActionVersionV1',
        document: {
          kind: 'create',
          action: {
            actionType: 'CREATE',
            registrationNumber: 'ESF-123456789021-20231103-00008011',
            isgoSystemCode: 'MSH',
            originalInvoiceDocumentSignature:
              'iZMTT3DWYzq62r+XJoZIWV3z5iLOd6aSfgyAStywZXxjX0ND1ERYpDBD+GxhJlVIA9jYfS9Yy0S+gB4ELZcEBw==',
            reason: 'TEST',
          },
        },
      },
      id: '185',
      invoiceId: '21374509837942784',
      invoiceRegistrationNumber: 'ESF-123456789021-20231103-00008011',
      invoiceType: 'ORDINARY_INVOICE',
      isApproved: true,
      isgoPackageId: '163',
      isgoSystemCode: 'MSH',
      lastUpdateDate: '2023-11-17T10:46:47+06:00',
      needConfirmation: true,
      reason: 'TEST',
      senderParticipantType: 'BUSINESS',
      senderTin: '123456789021',
      status: 'UNSENT',
      version: 'IsgoInvoiceActionVersionV1',
    };
    expect(invoice).toEqual(expected);
    expect(typeof invoice?.invoiceId).toBe('string');
    expect(BigInt(invoice?.invoiceId ?? 0)).toBe(21374509837942784n);
  });

  it('searchIsgoInvoice: the April 2023 record, declined, documents in the older field order', async () => {
    const { isgo } = client(fixture('searchIsgoInvoice.response.xml'));
    const [invoice] = await isgo.search('OUTBOUND');
    expect(invoice).toMatchObject({
      id: '149',
      invoiceId: '21235673797525504',
      status: 'DECLINED',
      isApproved: false,
      cancelReason: 'qe',
      approveDate: '2023-04-21T12:23:56+06:00',
      createDate: '2023-04-21T12:14:00+06:00',
      lastUpdateDate: '2023-04-21T12:23:56+06:00',
      isgoPackageId: '124',
      senderTin: '123456789011',
      approverTin: '123456789021',
    });
    expect(invoice?.creatorSignature?.document).toEqual({
      kind: 'create',
      action: {
        isgoSystemCode: 'MSH',
        registrationNumber: 'ESF-123456789021-20230421-00004001',
        originalInvoiceDocumentSignature:
          'H29GemUmkCWPvyhdrfk9nkDyw2ualjeMnfk4mFlDGyUDsSYXpgqFWQXp1VBRyIFjOmRVFnEmkLnjX4Qg7rSWNg==',
      },
    });
    expect(invoice?.approverSignature?.document).toEqual({
      kind: 'approve',
      action: {
        actionType: 'DECLINE',
        isgoInvoiceId: '149',
        isgoCreateActionSignature:
          'VfJxiB82ZsYgb1Jg3q3an7BHsb2g4gJFTXce0oTwyZ+N7oAh1yr1MwZ/fkoguqViWvTb1DxMqUqezCHEI2S1sg==',
        rejectReason: 'qe',
      },
    });
    expect(invoice?.approverSignature?.document?.action).toEqual(
      parseAction(invoice?.approverSignature?.requestXML ?? '').action,
    );
  });

  it('re-encoding every decoded response gives the sample back (no field lost)', async () => {
    for (const file of fixtureNames('response')) {
      const operation = serviceMeta.operations[operationOf(file)]!;
      const transport = new ReplayTransport(fixture(file));
      const generated = new IsgoWebServiceClient({ endpoint: ENDPOINT, transport });
      const input = operation.name === 'queryIsgoInvoiceById' ? { sessionId: 's', idList: ['1'] } : { sessionId: 's' };
      const decoded = await generated.soap
        .invoke(
          operation.name,
          operation.name === 'searchIsgoInvoice'
            ? { ...input, direction: 'INBOUND' }
            : operation.name.startsWith('send')
              ? { ...input, createActionInfoList: [] }
              : operation.name.startsWith('approve')
                ? { ...input, approveInvoiceActionInfoList: [] }
                : input,
        )
        .catch((e: unknown) => e);
      expect(decoded, file).not.toBeInstanceOf(Error);
      expect(xmlDifference(codec.encodeResponse(operation, decoded, '1.1'), fixture(file)), file).toBeUndefined();
    }
  });
});

describe('what the documents leave open is read, not refused', () => {
  const search = (isgo: string) => fixture('searchIsgoInvoice.response.xml').replace(/<Isgo>[\s\S]*<\/Isgo>/, isgo);

  it('a record missing fields the tables do not mark required still decodes, with the others', async () => {
    const { isgo } = client(search('<Isgo><id>1</id></Isgo><Isgo><status>DECLINED</status></Isgo>'));
    expect(await isgo.search('OUTBOUND')).toEqual([{ id: '1' }, { status: 'DECLINED' }]);
  });

  it("action and version, typed String by the tables, take values outside the seed's enumerations", async () => {
    const { isgo } = client(
      search(
        '<Isgo><creatorSignature><action>SEND_TO_ISGO_V2</action><signature>c2ln</signature></creatorSignature><version>IsgoInvoiceActionVersionV2</version></Isgo>',
      ),
    );
    expect(await isgo.search('OUTBOUND')).toEqual([
      { creatorSignature: { action: 'SEND_TO_ISGO_V2', signature: 'c2ln' }, version: 'IsgoInvoiceActionVersionV2' },
    ]);
  });
});

describe('a declined create-action says why', () => {
  const NUMBER = 'ESF-123456789021-20231103-00008011';
  const response = (declined: string) =>
    fixture('sendInvoiceToIsgo.response.xml')
      .replace(/<acceptedList>[\s\S]*<\/acceptedList>/, '<acceptedList/>')
      .replace('<declinedList/>', `<declinedList>${declined}</declinedList>`);
  const send = async (body: string) => {
    const sample = fixture('sendInvoiceToIsgo.request.xml');
    // The seed's tin 123456789021 fails the national algorithm: checkIdentifiers: false, as a test stand needs.
    const { isgo } = client(body, SEND_SESSION, replaySigner(sample), false);
    return isgo.sendInvoice({
      tin: '123456789021',
      registrationNumber: NUMBER,
      isgoSystemCode: 'MSH',
      originalInvoiceDocumentSignature: 'c2ln',
    });
  };

  it('errorList/error items (the reference AwpUploadResult shape)', async () => {
    const outcome = await send(
      response(
        `<uploadResult><errorList><error><property>isgoSystemCode</property><errorCode>ISGO_SYSTEM_NOT_FOUND</errorCode><text>no IS GO</text></error></errorList><registrationNumber>${NUMBER}</registrationNumber></uploadResult>`,
      ),
    );
    expect(outcome).toMatchObject({
      ok: false,
      declined: true,
      registrationNumber: NUMBER,
      errors: [{ property: 'isgoSystemCode', errorCode: 'ISGO_SYSTEM_NOT_FOUND', text: 'no IS GO' }],
    });
  });

  it("isgoErrorList items (the seed's IsgoError list shape), even without a registration number", async () => {
    const outcome = await send(
      response(
        '<uploadResult><isgoErrorList><documentId>7</documentId><errorCode>SIGNATURE_INVALID</errorCode><text>bad signature</text></isgoErrorList></uploadResult>',
      ),
    );
    expect(outcome).toMatchObject({
      ok: false,
      declined: true,
      errors: [{ documentId: '7', errorCode: 'SIGNATURE_INVALID', text: 'bad signature' }],
    });
  });

  it('in neither list: not declined, no reasons, still not ok', async () => {
    expect(await send(response(''))).toMatchObject({ ok: false, declined: false, errors: [] });
  });
});
