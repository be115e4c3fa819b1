/** Where each ESF service lives: derived from the SessionService URL or given; never a sample address. */
import { KzError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../src/endpoints.js';

const SESSION = 'https://esf.example/esf-web/ws/api1/SessionService';

function configMessage(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(KzError);
    expect(error).toMatchObject({ code: 'CONFIG_ERROR' });
    return (error as Error).message;
  }
  throw new Error('expected CONFIG_ERROR');
}

describe('resolveEndpoints', () => {
  it('derives the other services from the SessionService folder', () => {
    expect(resolveEndpoints(SESSION).upload).toBe('https://esf.example/esf-web/ws/api1/UploadInvoiceService');
  });

  it('a missing or non-http(s) endpoint is CONFIG_ERROR naming it', () => {
    expect(configMessage(() => resolveEndpoints(''))).toContain('endpoint');
    expect(configMessage(() => resolveEndpoints('esf.example/SessionService'))).toContain('endpoint');
  });

  it('an explicit service URL that is not http(s) is CONFIG_ERROR naming endpoints.<service>', () => {
    expect(configMessage(() => resolveEndpoints(SESSION, { auth: 'ftp://x/AuthService' }))).toContain('endpoints.auth');
  });

  it('a URL the others cannot be derived from is CONFIG_ERROR naming the missing one', () => {
    expect(configMessage(() => resolveEndpoints('https://proxy.example/session'))).toContain('endpoints.auth');
  });
});
