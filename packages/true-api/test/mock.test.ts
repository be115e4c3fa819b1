/**
 * Round trips of all 46 operations through the typed client against the mock, over HTTP; the
 * mock's canned bodies are the seed's examples.
 */
import { createTestIdentity } from '@kz/signing/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrueApiClient, operationMeta, type TrueApiClient } from '../src/index.js';
import { seedExamples, startTrueApiMock, type TrueApiMock } from '../src/testing/index.js';
import { fixture, fixtureNames } from './fixture-support.js';

const CIS = '010460026601438220071121072610XY36141322';
const DOC = 'cc51a72d-ab19-494b-9bea-cd9ac7c31604';
let mock: TrueApiMock;
let trueApi: TrueApiClient;

beforeAll(async () => {
  mock = await startTrueApiMock();
  trueApi = createTrueApiClient({ endpoint: mock.endpoint, signer: createTestIdentity().signer });
});
afterAll(async () => {
  await mock.close();
});

/** A formal document's content part: the XML in base64, as a file (seed: "String ($binary)"). */
const formalContent = new Blob([Buffer.from('<file/>').toString('base64')]);

/** One call per operation; each returns what the test compares. */
const roundTrips: Record<string, () => Promise<unknown>> = {
  getAuthKey: async () => (await trueApi.operations.GET('/auth/key')).data?.uuid,
  simpleSignIn: async () => {
    await trueApi.login();
    return trueApi.authenticated;
  },
  createCisesOrder: async () =>
    (await trueApi.operations.POST('/cises/my', { body: fixture<never>('createCisesOrder.request.json') })).data?.uuid,
  getCisesOrderStatus: async () => {
    const { data } = await trueApi.operations.POST('/cises/my', { body: { gtin: '00000046229175' } });
    return (
      await trueApi.operations.GET('/cises/orders/{uuid}/status', { params: { path: { uuid: data?.uuid ?? '' } } })
    ).data;
  },
  getCisesOrderResult: async () =>
    (await trueApi.orderMyCodes({ gtin: '0000004622917' }, { intervalMs: 1 })).records.length,
  getCisesUnitsCount: async () =>
    (
      await trueApi.operations.POST('/cis/cises-units-count', {
        body: fixture<never>('getCisesUnitsCount.request.json'),
      })
    ).data,
  getCisesInfo: async () =>
    (await trueApi.operations.POST('/cises/info', { body: fixture<never>('getCisesInfo.request.json') })).data,
  getCisesAggregatedList: async () =>
    (await trueApi.operations.GET('/cises/aggregated/list', { params: { query: { pg: 'tobacco', codes: [CIS] } } }))
      .data,
  searchCisesAggregatedList: async () =>
    (await trueApi.operations.POST('/cises/aggregated/list', { params: { query: { pg: 'tobacco' } }, body: [CIS] }))
      .data,
  getCisesList: async () =>
    (await trueApi.operations.POST('/cises/list', { params: { query: { values: [CIS] } } })).data,
  getCisesListV2: async () => (await trueApi.operations.GET('/cises/listV2', { params: { query: { cis: CIS } } })).data,
  getCisesHistory: async () =>
    (await trueApi.operations.GET('/cises/history', { params: { query: { code: CIS } } })).data,
  getProductGtins: async () =>
    (await trueApi.operations.GET('/product/gtin', { params: { query: { pg: 'tobacco', limit: '2', page: '0' } } }))
      .data,
  getProductInfo: async () =>
    (await trueApi.operations.GET('/products/info', { params: { query: { cis: CIS } } })).data,
  getProductGroupsByGtin: async () =>
    (
      await trueApi.operations.POST('/product/route/gtin', {
        body: fixture<never>('getProductGroupsByGtin.request.json'),
      })
    ).data,
  getProductsListV2: async () => (await trueApi.operations.GET('/products/listV2', { params: { query: {} } })).data,
  listOutgoingDocuments: async () => (await trueApi.operations.GET('/edo-api/outgoing-documents', {})).data?.count,
  listIncomingDocuments: async () => (await trueApi.operations.GET('/edo-api/incoming-documents', {})).data?.count,
  getOutgoingDocumentBase64: async () =>
    (
      await trueApi.operations.GET('/edo-api/outgoing-documents/{documentId}/base64', {
        params: { path: { documentId: DOC } },
      })
    ).data,
  getIncomingDocumentBase64: async () =>
    (
      await trueApi.operations.GET('/edo-api/incoming-documents/{documentId}/base64', {
        params: { path: { documentId: DOC } },
      })
    ).data,
  getEdoDocumentInfo: async () =>
    (await trueApi.operations.GET('/edo-api/documents/info/{documentId}', { params: { path: { documentId: DOC } } }))
      .data,
  searchDocuments: async () =>
    (await trueApi.operations.POST('/documents/search', { body: { filter: {} } as never })).data,
  getOutgoingDocumentWithdrawTitle: async () =>
    (
      await trueApi.operations.GET('/edo-api/outgoing-documents/{documentId}/events/withdraw/base64', {
        params: { path: { documentId: DOC } },
      })
    ).data,
  getIncomingDocumentDecisionTitle: async () =>
    (
      await trueApi.operations.GET('/edo-api/incoming-documents/{documentId}/events/{decision}/base64', {
        params: { path: { documentId: DOC, decision: 'approve' } },
      })
    ).data,
  createIncomingDocumentDecisionTitle: async () =>
    (
      await trueApi.operations.POST('/edo-api/incoming-documents/{documentId}/events/{decision}', {
        params: { path: { documentId: DOC, decision: 'approve' } },
      })
    ).data,
  signIncomingDocumentDecisionTitle: async () =>
    (
      await trueApi.operations.POST('/edo-api/incoming-documents/{documentId}/events/{decision}/signature', {
        params: { path: { documentId: DOC, decision: 'approve' } },
        body: 'MIIBsignature',
      })
    ).response.status,
  createOutgoingDocumentWithdrawTitle: async () =>
    (
      await trueApi.operations.POST('/edo-api/outgoing-documents/{documentId}/events/withdraw', {
        params: { path: { documentId: DOC } },
      })
    ).data,
  signOutgoingDocumentWithdrawTitle: async () =>
    (
      await trueApi.operations.POST('/edo-api/outgoing-documents/{documentId}/events/signature', {
        params: { path: { documentId: DOC } },
        body: 'MIIBsignature',
      })
    ).response.status,
  createIntroduceGoodsNotice: async () =>
    (
      await trueApi.operations.POST('/documents/transit/introduce-goods/create', {
        body: fixture<never>('createIntroduceGoodsNotice.request.json'),
      })
    ).response.status,
  createFormalOutgoingDocument: async () => {
    const { data } = await trueApi.operations.POST('/edo-api/outgoing-documents/formal', {
      body: { content: formalContent, signature: 'MIIBsignature' },
    });
    return typeof data === 'object' ? data.documentId : data;
  },
  createThirdCountriesImportNotice: async () =>
    (
      await trueApi.operations.POST('/documents/transit/import/third_countries', {
        body: fixture<never>('createThirdCountriesImportNotice.request.json'),
      })
    ).data,
  createWriteOffNotice: async () =>
    (await trueApi.operations.POST('/documents/writeOff', { body: { document: 'e30=', signature: 'MIIBsignature' } }))
      .data,
  createExportShipment: async () =>
    (await trueApi.operations.POST('/edo-api/shipments', { body: { document: 'e30=' } as never })).data,
  getExportShipmentStatus: async () =>
    (
      await trueApi.operations.GET('/edo-api/shipments/{shipmentId}/status', {
        params: { path: { shipmentId: '124324' } },
      })
    ).data,
  getExportShipmentView: async () =>
    (
      await trueApi.operations.GET('/edo-api/shipments/{shipmentId}/view', {
        params: { path: { shipmentId: '124324' } },
      })
    ).data,
  searchDocumentsV2: async () =>
    (await trueApi.operations.POST('/documents/searchV2', { body: fixture<never>('searchDocumentsV2.request.json') }))
      .data,
  getImportShipment: async () =>
    (
      await trueApi.operations.GET('/documents/import/shipment/{shipment_id}', {
        params: { path: { shipment_id: '1' } },
      })
    ).data,
  createImportAcceptance: async () =>
    (
      await trueApi.operations.POST('/documents/import/acceptancies', {
        body: fixture<never>('createImportAcceptance.request.json'),
      })
    ).data,
  getImportDocumentStatus: async () =>
    (await trueApi.operations.GET('/documents/import/status/{doc_id}', { params: { path: { doc_id: '1' } } })).data,
  listDocumentsV2: async () =>
    (await trueApi.operations.GET('/doc/listV2', { params: { query: { limit: 2 } } })).data?.results?.length,
  getDocumentInfo: async () =>
    (await trueApi.operations.GET('/documents/{document_id}/info', { params: { path: { document_id: DOC } } })).data,
  listReceiptsV2: async () =>
    (await trueApi.operations.GET('/receipt/listV2', { params: { query: { limit: 3 } } })).data?.total,
  getReceiptInfo: async () =>
    (await trueApi.operations.GET('/receipt/{receiptId}/info', { params: { path: { receiptId: 'r-1' } } })).data
      ?.documentId,
  createPaymentRequest: async () =>
    (await trueApi.operations.POST('/elk/crm-api/prequests', { body: { productGroupId: 3, amount: 1 } as never })).data,
  getProductGroupBalance: async () =>
    (await trueApi.operations.GET('/elk/product-groups/balance', { params: { query: { productGroupId: 3 } } })).data,
  getAllProductGroupBalances: async () => (await trueApi.operations.GET('/elk/product-groups/balance/all', {})).data,
};

/** What each round trip must give: the seed's example where it has one. */
const expected = (id: string): unknown => {
  const special: Record<string, unknown> = {
    simpleSignIn: true,
    // Computed from the mock's state rather than canned:
    createCisesOrder: expect.stringMatching(/^[0-9a-f-]{36}$/),
    getCisesAggregatedList: { [CIS]: expect.any(Object) },
    searchCisesAggregatedList: { [CIS]: expect.any(Object) },
    getCisesList: [expect.objectContaining({ cis: CIS, gtin: '00000046229175' })],
    getCisesListV2: expect.objectContaining({ results: (seedExamples.getCisesListV2 as { results: unknown }).results }),
    getCisesOrderStatus: 'NEW',
    getCisesOrderResult: 6,
    listOutgoingDocuments: 7,
    listIncomingDocuments: 7,
    listDocumentsV2: 2,
    listReceiptsV2: 7,
    getReceiptInfo: 'r-1',
    signIncomingDocumentDecisionTitle: 201,
    signOutgoingDocumentWithdrawTitle: 201,
    createIntroduceGoodsNotice: 200,
    getExportShipmentView: { shipmentId: '124324' },
    getAllProductGroupBalances: [seedExamples.getProductGroupBalance],
    getCisesInfo: [{ cisInfo: { ...(seedExamples.getCisesInfo as { cisInfo: object }).cisInfo } }],
    createFormalOutgoingDocument: expect.stringMatching(/^[0-9a-f-]{36}$/),
  };
  if (id in special) return special[id];
  return seedExamples[id];
};

describe('round trips of every operation against the mock', () => {
  it('covers all 46 operations of the spec', () => {
    expect(Object.keys(roundTrips).sort()).toEqual(Object.keys(operationMeta).sort());
    expect(Object.keys(operationMeta)).toHaveLength(46);
  });

  it.each(Object.keys(operationMeta))('%s', async (id) => {
    const before = mock.calls.length;
    const result = await (roundTrips[id] as () => Promise<unknown>)();
    expect(mock.calls.slice(before).some((c) => c.operation === id)).toBe(true);
    const want = expected(id);
    if (want !== undefined) expect(result).toEqual(want);
    else expect(result).toBeTruthy();
  });
});

describe('the mock', () => {
  it('serves every seed 200 example (seed-examples.ts is in sync with the fixtures)', () => {
    const names = fixtureNames().filter((f) => /\.response\.200(\.1)?\.json$/.test(f));
    expect(names.length).toBeGreaterThan(25);
    for (const name of names) expect(seedExamples[name.split('.')[0] as string]).toEqual(fixture(name));
  });

  it('answers without a token with the XML 401 of the seed', async () => {
    const response = await fetch(`${mock.endpoint}/cises/history?cis=${CIS}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/xml');
    expect(await response.text()).toContain('<error>unauthorized</error>');
  });

  it('400 bodies for a missing, non-array and empty code list', async () => {
    await trueApi.login();
    const messages: string[] = [];
    for (const body of ['', '{"a":1}', '[]']) {
      const error = await trueApi.operations
        .POST('/cises/info', { body: body as never, bodySerializer: (b) => String(b) })
        .catch((e: { errorMessage: string }) => e);
      messages.push((error as { errorMessage: string }).errorMessage);
    }
    expect(messages).toEqual([
      'Required request body is missing',
      'JSON parse error: Cannot deserialize value of type `java.util.ArrayList`',
      'Список КИ не должен быть пустым',
    ]);
  });
});
