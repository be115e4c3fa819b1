/**
 * Compact metadata: fields equal to their defaults may be omitted (prop = name, ns = '',
 * min = max = 1, required = false); the codec reads compact and full metadata alike.
 */
import { describe, expect, it } from 'vitest';
import {
  type DocumentSchemaMeta,
  decodeXmlDocument,
  encodeXmlDocument,
  ValidationError,
  withMetaDefaults,
} from '../src/index.js';

const NS = 'urn:defaults';

const full: DocumentSchemaMeta = {
  types: {
    Order: {
      kind: 'complex',
      elements: [
        { prop: 'id', name: 'id', ns: NS, type: 'xs:int', min: 1, max: 1 },
        { prop: 'line', name: 'line', ns: '', type: 'xs:string', min: 0, max: -1 },
        { prop: 'noteText', name: 'note', ns: '', type: 'xs:string', min: 0, max: 1 },
      ],
      attributes: [
        { prop: 'version', name: 'version', ns: '', type: 'xs:int', required: true },
        { prop: 'lang', name: 'lang', ns: '', type: 'xs:string', required: false },
      ],
    },
  },
  documents: { Order: { name: 'Order', ns: NS, type: 'Order' } },
};

const compact: DocumentSchemaMeta = {
  types: {
    Order: {
      kind: 'complex',
      elements: [
        { name: 'id', ns: NS, type: 'xs:int' },
        { name: 'line', type: 'xs:string', min: 0, max: -1 },
        { prop: 'noteText', name: 'note', type: 'xs:string', min: 0 },
      ],
      attributes: [
        { name: 'version', type: 'xs:int', required: true },
        { name: 'lang', type: 'xs:string' },
      ],
    },
  },
  documents: { Order: { name: 'Order', ns: NS, type: 'Order' } },
};

const value = { id: 7, line: ['a', 'b'], noteText: 'n', version: 2 };

describe('metadata defaults', () => {
  it('withMetaDefaults fills every omitted field', () => {
    expect(withMetaDefaults(compact.types.Order!)).toEqual(full.types.Order);
  });

  it('compact and full metadata write and read the same XML', () => {
    const xml = encodeXmlDocument(full, 'Order', value);
    expect(encodeXmlDocument(compact, 'Order', value)).toBe(xml);
    expect(xml).toContain('<note>n</note>');
    expect(decodeXmlDocument(compact, 'Order', xml)).toEqual(decodeXmlDocument(full, 'Order', xml));
    expect(decodeXmlDocument(compact, 'Order', xml)).toEqual(value);
  });

  it('applies the defaults as rules: min 1 and required attributes are enforced', () => {
    expect(() => encodeXmlDocument(compact, 'Order', { line: [], version: 2 })).toThrow(ValidationError);
    expect(() => encodeXmlDocument(compact, 'Order', { id: 1 })).toThrow(ValidationError);
    expect(() => encodeXmlDocument(compact, 'Order', { ...value, id: [1, 2] })).toThrow(ValidationError);
  });
});
