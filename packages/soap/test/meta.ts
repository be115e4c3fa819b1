/** A small hand-written service description for runtime tests (the codegen is tested elsewhere). */
import type { ServiceMeta } from '../src/index.js';

export const NS = 'urn:kz:test';

export const testMeta: ServiceMeta = {
  service: 'TestService',
  soapVersions: ['1.1', '1.2'],
  defaultEndpoint: 'http://127.0.0.1:9/test',
  types: {
    Echo: {
      kind: 'complex',
      elements: [
        { prop: 'id', name: 'id', ns: NS, type: 'xs:long', min: 1, max: 1 },
        { prop: 'amount', name: 'amount', ns: NS, type: 'xs:decimal', min: 0, max: 1 },
        { prop: 'tags', name: 'tags', ns: NS, type: 'xs:string', min: 0, max: 1, item: { name: 'string', ns: NS } },
        { prop: 'state', name: 'state', ns: '', type: 'State', min: 0, max: 1 },
        { prop: 'note', name: 'note', ns: NS, type: 'xs:string', min: 0, max: 1, nillable: true },
        { prop: 'payload', name: 'payload', ns: NS, type: 'xs:anyType', min: 0, max: 1 },
      ],
    },
    EchoResponse: {
      kind: 'complex',
      elements: [{ prop: 'EchoResult', name: 'EchoResult', ns: NS, type: 'Echo', min: 0, max: 1 }],
    },
    State: { kind: 'simple', base: 'string', enum: ['OK', 'CLOSED'] },
  },
  operations: {
    Echo: {
      name: 'Echo',
      soapAction: 'urn:kz:test/Echo',
      input: { name: 'Echo', ns: NS, type: 'Echo' },
      output: { name: 'EchoResponse', ns: NS, type: 'EchoResponse' },
      safe: true,
    },
  },
};
