/**
 * True API in the family's conventions: `endpoint` (or `environment`), the generated client as
 * `operations`, `close()` / `await using` releasing the transport given, and errors in the family.
 */

import { createTestIdentity } from '@kz/signing/testing';
import { DecodeError, type KzError, type Transport, ValidationError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { createTrueApiClient, readZip, serializeQuery, ZipFormatError } from '../src/index.js';

const signer = createTestIdentity().signer;

describe('True API conventions', () => {
  it('close() and await using release the transport it was given', async () => {
    let closed = 0;
    const transport: Transport = {
      send: () => Promise.reject(new Error('unused')),
      close: () => {
        closed++;
      },
    };
    const client = createTrueApiClient({ endpoint: 'http://127.0.0.1:9/api/v3/true-api', signer, transport });
    expect(client.endpoint).toBe('http://127.0.0.1:9/api/v3/true-api');
    expect(typeof client.operations.GET).toBe('function');
    client.close();
    expect(closed).toBe(1);
    {
      await using scoped = createTrueApiClient({ endpoint: 'http://127.0.0.1:9/api/v3/true-api', signer, transport });
      expect(scoped.authenticated).toBe(false);
    }
    expect(closed).toBe(2);
  });

  it('an unreadable ZIP is a ZipFormatError, a DecodeError of the family', () => {
    const error = (() => {
      try {
        readZip(new Uint8Array([1, 2, 3]));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ZipFormatError);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as KzError).code).toBe('DECODE_ERROR');
  });

  it('a nested object in a query is a ValidationError naming the parameter', () => {
    const error = (() => {
      try {
        serializeQuery({ pg: 'milk', filter: [{ a: 1 }] });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: 'filter', message: 'nested objects are not supported in a query parameter' },
    ]);
  });
});
