/**
 * No environment is chosen for the caller: neither endpoint nor environment, both, an unknown
 * environment or a non-http(s) endpoint is KzError CONFIG_ERROR naming the options, before any request.
 */

import { createTestIdentity } from '@kz/signing/testing';
import { KzError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { createTrueApiClient, type TrueApiClientOptions } from '../src/index.js';

const signer = createTestIdentity().signer;

function configError(make: () => unknown): KzError {
  let caught: unknown;
  try {
    make();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KzError);
  expect(caught).toMatchObject({ code: 'CONFIG_ERROR' });
  return caught as KzError;
}

describe('createTrueApiClient configuration', () => {
  it('neither endpoint nor environment: CONFIG_ERROR naming both (no default to prod)', () => {
    const error = configError(() => createTrueApiClient({ signer } as TrueApiClientOptions));
    expect(error.message).toContain('endpoint');
    expect(error.message).toContain('environment');
  });

  it('both endpoint and environment: CONFIG_ERROR naming both', () => {
    const options = { signer, endpoint: 'http://127.0.0.1:9/api/v3/true-api', environment: 'stage' };
    const error = configError(() => createTrueApiClient(options as unknown as TrueApiClientOptions));
    expect(error.message).toContain('endpoint');
    expect(error.message).toContain('environment');
  });

  it('an unknown environment: CONFIG_ERROR naming environment', () => {
    const options = { signer, environment: 'production' } as unknown as TrueApiClientOptions;
    expect(configError(() => createTrueApiClient(options)).message).toContain('environment');
  });

  it('a endpoint that is not http(s): CONFIG_ERROR naming endpoint', () => {
    const options = { signer, endpoint: 'elk.prod.markirovka.ismet.kz' } as TrueApiClientOptions;
    expect(configError(() => createTrueApiClient(options)).message).toContain('endpoint');
  });

  it('an environment picks its documented server', () => {
    expect(createTrueApiClient({ signer, environment: 'stage' }).endpoint).toBe(
      'https://stage.ismet.kz/api/v3/true-api',
    );
  });

  it('chunkSize below 1 is CONFIG_ERROR naming chunkSize', async () => {
    const client = createTrueApiClient({ signer, endpoint: 'http://127.0.0.1:9/api/v3/true-api' });
    const error = await client.cisesInfo(['x'], { chunkSize: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KzError);
    expect(error).toMatchObject({ code: 'CONFIG_ERROR' });
    expect((error as Error).message).toContain('chunkSize');
  });
});
