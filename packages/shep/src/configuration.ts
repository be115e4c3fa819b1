/**
 * The checks `createShepClient` makes before it builds anything: nothing falls back to the WSDLs'
 * sample address (`localhost:9080/SerrviceSampleTypesWeb`) and answer verification is never off by
 * omission. A configuration the client cannot honour is a KzError CONFIG_ERROR naming the option.
 */
import { KzError, requireHttpUrl } from '@kz/soap';
import type { VerifyEnvelopeOptions } from './wssecurity.js';

export const CONFIGURE_CONTEXT = { service: 'SHEP', operation: 'configure' } as const;

export type ShepChannel = 'sync' | 'async';

export function configError(message: string): KzError {
  return new KzError(CONFIGURE_CONTEXT, 'CONFIG_ERROR', `createShepClient: ${message}`);
}

/** The URL of each configured channel; a channel left out is absent, never defaulted. */
export function resolveChannelEndpoints(
  endpoint: string | { sync?: string; async?: string } | undefined,
): Partial<Record<ShepChannel, string>> {
  if (typeof endpoint === 'string') {
    const url = checkUrl('endpoint', endpoint);
    return { sync: url, async: url };
  }
  if (endpoint === null || typeof endpoint !== 'object') {
    throw configError('endpoint is required (one URL, or { sync, async } with each channel URL)');
  }
  const resolved: Partial<Record<ShepChannel, string>> = {};
  for (const channel of ['sync', 'async'] as const) {
    const url = endpoint[channel];
    if (url !== undefined) resolved[channel] = checkUrl(`endpoint.${channel}`, url);
  }
  if (!resolved.sync && !resolved.async) throw configError('endpoint.sync or endpoint.async is required');
  return resolved;
}

/** `verify` is given with something to trust, or `false` on purpose; undefined is a mistake. */
export function resolveVerify(verify: VerifyEnvelopeOptions | false | undefined): VerifyEnvelopeOptions | undefined {
  if (verify === false) return undefined;
  if (verify === undefined || verify === null || typeof verify !== 'object') {
    throw configError(
      'verify is required: { trustedCertificates } (the certificate SHEP signs its answers with), or false to accept unverified answers',
    );
  }
  const hasCertificates = (verify.trustedCertificates?.length ?? 0) > 0;
  if (!hasCertificates && typeof verify.isTrusted !== 'function') {
    throw configError('verify.trustedCertificates (non-empty) or verify.isTrusted is required');
  }
  return verify;
}

function checkUrl(name: string, url: unknown): string {
  return requireHttpUrl(CONFIGURE_CONTEXT, 'createShepClient', name, url);
}
