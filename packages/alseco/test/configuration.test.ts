/** No fallback to the WSDL's sample address (`http://localhost/AlsecoPaymentsService.asmx`). */
import { KzError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { type AlsecoClientOptions, createAlsecoClient } from '../src/index.js';

describe('createAlsecoClient configuration', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not http(s)', 'ftp://bank/AlsecoPaymentsService.asmx'],
  ])('an endpoint %s is CONFIG_ERROR naming endpoint', (_name, endpoint) => {
    const options = { bankCode: 'ALSC', endpoint } as unknown as AlsecoClientOptions;
    const error = (() => {
      try {
        createAlsecoClient(options);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(KzError);
    expect(error).toMatchObject({ code: 'CONFIG_ERROR' });
    expect((error as Error).message).toContain('endpoint');
  });

  it('the given endpoint is the one used', () => {
    const client = createAlsecoClient({ bankCode: 'ALSC', endpoint: 'http://127.0.0.1:9/AlsecoPaymentsService.asmx' });
    expect(client.operations.soap.endpoint).toBe('http://127.0.0.1:9/AlsecoPaymentsService.asmx');
  });
});
