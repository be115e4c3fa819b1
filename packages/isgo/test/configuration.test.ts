/** Bad configuration is KzError CONFIG_ERROR naming the option; nothing falls back to the WSDL's sample address. */
import { KzError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { createIsgoClient, type IsgoClientOptions } from '../src/index.js';

function configError(options: unknown): KzError {
  let caught: unknown;
  try {
    createIsgoClient(options as IsgoClientOptions);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KzError);
  expect(caught).toMatchObject({ code: 'CONFIG_ERROR' });
  return caught as KzError;
}

describe('createIsgoClient configuration', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not http(s)', 'esf.gov.kz/IsgoWebService'],
  ])('an endpoint %s is CONFIG_ERROR naming endpoint', (_name, endpoint) => {
    expect(configError({ endpoint, session: 's-1' }).message).toContain('endpoint');
  });

  it('a missing session is CONFIG_ERROR naming session', () => {
    expect(configError({ endpoint: 'http://127.0.0.1:9/IsgoWebService' }).message).toContain('session');
  });
});
