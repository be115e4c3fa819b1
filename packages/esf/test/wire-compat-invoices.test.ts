/**
 * specs/esf/InvoiceService.wsdl, UploadInvoiceService.wsdl and InvoiceV2.xsd against the published
 * contracts (copied to test/reference/): kz-codegen run on each produces metadata whose wire shapes
 * agree, both encode the same requests to the same XML, and the differences are exactly the ones
 * the specs declare (safe marks, newer statuses, errorCode read as any string, dd.MM.yyyy dates).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from '@kz/codegen';
import { type DocumentSchemaMeta, type ServiceMeta, SoapClient, type TypeMeta, usernameToken } from '@kz/soap';
import { ReplayTransport, xmlDifference } from '@kz/soap/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInvoiceBody, invoiceServiceMeta, invoiceV2SchemaMeta, uploadInvoiceServiceMeta } from '../src/index.js';
import { sampleInvoice } from '../src/testing/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REFERENCE = path.join(here, 'reference');
const SPECS = path.join(here, '..', '..', '..', 'specs', 'esf');

let dir: string;
const reference: Record<string, ServiceMeta> = {};
const regenerated: Record<string, ServiceMeta> = {};
let referenceInvoiceV2: DocumentSchemaMeta;

async function metaOf(kind: 'wsdl' | 'xsd', file: string, out: string): Promise<ServiceMeta & DocumentSchemaMeta> {
  await generate({ [kind]: file, out: path.join(dir, out) });
  const module = await import(pathToFileURL(path.join(dir, out, 'schema.ts')).href);
  return module.serviceMeta ?? module.schemaMeta;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kz-esf-invoices-'));
  for (const name of ['InvoiceService', 'UploadInvoiceService']) {
    reference[name] = await metaOf('wsdl', path.join(REFERENCE, `${name}.wsdl`), `ref-${name}`);
    regenerated[name] = await metaOf('wsdl', path.join(SPECS, `${name}.wsdl`), `spec-${name}`);
  }
  // The SDK's InvoiceV2.xsd imports the abstract invoice by namespace only; the copy here names the
  // file (InvoiceV1.xsd), nothing else changes.
  const v2 = await readFile(path.join(REFERENCE, 'InvoiceV2.xsd'), 'utf8');
  await writeFile(
    path.join(dir, 'InvoiceV2.xsd'),
    v2.replace(
      '<xs:import namespace="abstractInvoice.esf"/>',
      '<xs:import namespace="abstractInvoice.esf" schemaLocation="InvoiceV1.xsd"/>',
    ),
  );
  await copyFile(path.join(REFERENCE, 'InvoiceV1.xsd'), path.join(dir, 'InvoiceV1.xsd'));
  referenceInvoiceV2 = await metaOf('xsd', path.join(dir, 'InvoiceV2.xsd'), 'ref-v2');
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const shapeOf = (meta: ServiceMeta) =>
  Object.fromEntries(
    Object.values(meta.operations).map((o) => [o.name, { input: o.input, output: o.output, action: o.soapAction }]),
  );

function withoutEnums(types: Readonly<Record<string, TypeMeta>>): Record<string, TypeMeta> {
  return Object.fromEntries(
    Object.entries(types).map(([name, type]) => [name, type.kind === 'simple' ? { ...type, enum: [] } : type]),
  );
}

const TOKEN = { username: '123456789011', password: 'TestPass123', tokenId: 'UsernameToken-1' };

/** The request XML a client of `meta` sends for `input` (the answer is irrelevant, a fault). */
async function sent(meta: ServiceMeta, operation: string, input: unknown): Promise<string> {
  const transport = new ReplayTransport(
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring></soap:Fault></soap:Body></soap:Envelope>',
    500,
  );
  const client = new SoapClient(meta, { endpoint: 'http://127.0.0.1:9/x', transport, security: usernameToken(TOKEN) });
  await client.invoke(operation, input).catch(() => undefined);
  return transport.sentXml();
}

const body = (): string =>
  buildInvoiceBody(sampleInvoice({ sellerTin: '123456789021', customerTin: '753159846249', date: '15.01.2024' }), {
    now: () => new Date('2024-06-01T00:00:00Z'),
  });

describe('InvoiceService and UploadInvoiceService: spec against the published contracts', { timeout: 60_000 }, () => {
  it('the package is generated from the specs', () => {
    expect(regenerated.InvoiceService).toEqual(invoiceServiceMeta);
    expect(regenerated.UploadInvoiceService).toEqual(uploadInvoiceServiceMeta);
  });

  it('declare the same 14 + 1 operations, elements, namespaces and soapAction', () => {
    expect(shapeOf(invoiceServiceMeta)).toEqual(shapeOf(reference.InvoiceService as ServiceMeta));
    expect(Object.keys(invoiceServiceMeta.operations)).toHaveLength(14);
    expect(shapeOf(uploadInvoiceServiceMeta)).toEqual(shapeOf(reference.UploadInvoiceService as ServiceMeta));
    expect(Object.keys(uploadInvoiceServiceMeta.operations)).toEqual(['syncInvoice']);
  });

  it('mark the read-only operations safe, and only those', () => {
    const safe = Object.values(invoiceServiceMeta.operations)
      .filter((o) => o.safe)
      .map((o) => o.name)
      .sort();
    expect(safe).toEqual(
      [
        'enterpriseValidation',
        'queryInvoice',
        'queryInvoiceById',
        'queryInvoiceByKey',
        'queryInvoiceErrorById',
        'queryInvoiceHistoryById',
        'queryInvoiceSummaryById',
        'queryInvoiceSummaryByKey',
        'queryUpdates',
      ].sort(),
    );
    // Omitted `safe` is the default false (OperationMeta.safe).
    expect(uploadInvoiceServiceMeta.operations.syncInvoice?.safe ?? false).toBe(false);
    expect(uploadInvoiceServiceMeta.operations.syncInvoice).toBeDefined();
  });

  it('have the same types; enumerations differ only where the spec says', () => {
    for (const name of ['InvoiceService', 'UploadInvoiceService'] as const) {
      const ours = name === 'InvoiceService' ? invoiceServiceMeta : uploadInvoiceServiceMeta;
      expect(withoutEnums(ours.types), name).toEqual(withoutEnums((reference[name] as ServiceMeta).types));
      for (const [type, meta] of Object.entries((reference[name] as ServiceMeta).types)) {
        if (meta.kind !== 'simple' || !meta.enum) continue;
        const mine = ours.types[type];
        if (type === 'ErrorCode') expect(mine).toEqual({ kind: 'simple', base: 'string' });
        else if (type === 'InvoiceStatus') {
          expect(mine?.kind === 'simple' && mine.enum?.slice(0, meta.enum.length)).toEqual(meta.enum);
        } else expect(mine, type).toEqual(meta);
      }
    }
  });

  const inputs: [string, string, unknown][] = [
    [
      'UploadInvoiceService',
      'syncInvoice',
      {
        sessionId: 's-1',
        invoiceUploadInfoList: [
          { invoiceBody: body(), version: 'InvoiceV2', signature: 'AAAA', signatureType: 'COMPANY' },
        ],
        x509Certificate: 'MIIB',
      },
    ],
    ['InvoiceService', 'queryInvoiceSummaryById', { sessionId: 's-1', idList: ['21374509837942784', '7'] }],
    [
      'InvoiceService',
      'queryUpdates',
      {
        sessionId: 's-1',
        lastEventDate: '2018-01-01T00:00:00.000+06:00',
        lastInvoiceId: '0',
        direction: 'INBOUND',
        limit: 10,
        fullInfoOnStatusChange: false,
      },
    ],
    [
      'InvoiceService',
      'queryInvoice',
      {
        sessionId: 's-1',
        criteria: {
          direction: 'OUTBOUND',
          dateFrom: '2024-01-01T00:00:00+05:00',
          dateTo: '2024-02-01T00:00:00+05:00',
          invoiceStatusList: ['CREATED', 'DELIVERED'],
          asc: true,
          pageNum: 2,
        },
      },
    ],
    [
      'InvoiceService',
      'revokeInvoiceById',
      {
        sessionId: 's-1',
        signature: 'AAAA',
        x509Certificate: 'MIIB',
        idWithReasonList: [{ id: '1', reason: 'ошибка' }],
      },
    ],
    [
      'InvoiceService',
      'deleteInvoiceById',
      { sessionId: 's-1', idList: ['1'], signature: 'AAAA', x509Certificate: 'MIIB' },
    ],
    [
      'InvoiceService',
      'queryInvoiceByKey',
      { sessionId: 's-1', invoiceKeyList: [{ num: '1001', date: '15.01.2024' }], direction: 'OUTBOUND' },
    ],
  ];

  it.each(inputs)('%s.%s: both clients send the same XML', async (service, operation, input) => {
    const ours = service === 'InvoiceService' ? invoiceServiceMeta : uploadInvoiceServiceMeta;
    const theirs = reference[service] as ServiceMeta;
    const xml = await sent(ours, operation, input);
    expect(xml).toContain('<soap:Body>');
    expect(xmlDifference(xml, await sent(theirs, operation, input))).toBeUndefined();
  });

  it('the body travels as text inside invoiceBody, unqualified children around it', async () => {
    const xml = await sent(uploadInvoiceServiceMeta, 'syncInvoice', inputs[0]?.[2]);
    expect(xml).toMatch(
      /<\w+:syncInvoiceRequest xmlns:\w+="esf"[^>]*><sessionId>s-1<\/sessionId><invoiceUploadInfoList><invoiceUploadInfo><invoiceBody>&lt;v2:invoice xmlns:a="abstractInvoice.esf" xmlns:v2="v2.esf"&gt;&lt;date&gt;15.01.2024/,
    );
    expect(xml).toContain('</invoiceUploadInfo></invoiceUploadInfoList><x509Certificate>MIIB</x509Certificate>');
  });

  it('reads an error code the 2023 list lacks; the reference contract reports it, strictly refuses it', async () => {
    const answer =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns2:syncInvoiceResponse xmlns:ns2="esf">' +
      '<acceptedSet/><declinedSet><standardResponse><errors><error><property>x</property><errorCode>A_CODE_FROM_2026</errorCode>' +
      '<text>t</text></error></errors><num>1</num><date>15.01.2024</date></standardResponse></declinedSet></ns2:syncInvoiceResponse></soap:Body></soap:Envelope>';
    const read = (meta: ServiceMeta, strict = false) => {
      const unknown: string[] = [];
      const client = new SoapClient(meta, {
        endpoint: 'http://127.0.0.1:9/x',
        transport: new ReplayTransport(answer),
        strict,
        hooks: { onUnknown: (event) => unknown.push(event.kind) },
      });
      return client
        .invoke('syncInvoice', inputs[0]?.[2])
        .then((value) => ({ value: value as { declinedSet: { errors: { errorCode: string }[] }[] }, unknown }));
    };
    // Ours types errorCode as the 2023 list or any other string: a new code is ordinary.
    const ours = await read(uploadInvoiceServiceMeta, true);
    expect(ours.value.declinedSet[0]?.errors[0]?.errorCode).toBe('A_CODE_FROM_2026');
    expect(ours.unknown).toEqual([]);
    // The reference's closed list reads it as an open response enumeration, reported...
    const theirs = await read(reference.UploadInvoiceService as ServiceMeta);
    expect(theirs.value.declinedSet[0]?.errors[0]?.errorCode).toBe('A_CODE_FROM_2026');
    expect(theirs.unknown).toEqual(['enumeration']);
    // ...and refused when strict.
    await expect(read(reference.UploadInvoiceService as ServiceMeta, true)).rejects.toThrow(/A_CODE_FROM_2026/);
  });
});

describe('InvoiceV2.xsd: spec against the SDK schema', { timeout: 60_000 }, () => {
  it('same documents, elements, order, namespaces and occurrences; dates typed dd.MM.yyyy', () => {
    expect(invoiceV2SchemaMeta.documents).toEqual({ invoice: { name: 'invoice', ns: 'v2.esf', type: 'InvoiceV2' } });
    // Why the spec leaves out the SDK's abstract global <invoice>: kz-codegen keys documents by local
    // name, so generating the SDK files together lets it shadow v2.esf's invoice.
    expect(referenceInvoiceV2.documents.invoice?.ns).toBe('abstractInvoice.esf');
    const strip = (types: Readonly<Record<string, TypeMeta>>) =>
      Object.fromEntries(
        Object.entries(types).map(([name, type]) => [
          name,
          type.kind === 'complex'
            ? {
                ...type,
                elements: type.elements.map((e) => ({ ...e, type: e.type === 'DateType' ? 'xs:string' : e.type })),
              }
            : type,
        ]),
      );
    const { DateType, ...ours } = strip(invoiceV2SchemaMeta.types);
    expect(ours).toEqual(strip(referenceInvoiceV2.types));
    expect(DateType).toEqual({
      kind: 'simple',
      base: 'string',
      facets: { patterns: ['^(?:(0[1-9]|[12][0-9]|3[01])\\.(0[1-9]|1[0-2])\\.[0-9]{4})$'] },
    });
  });

  it('a body built by the spec decodes with the SDK schema to the same value', async () => {
    const { decodeXmlDocument } = await import('@kz/soap');
    const xml = body();
    const sdk = { ...referenceInvoiceV2, documents: invoiceV2SchemaMeta.documents };
    expect(decodeXmlDocument(sdk, 'invoice', xml)).toEqual(decodeXmlDocument(invoiceV2SchemaMeta, 'invoice', xml));
  });
});
