/**
 * Where each ESF service lives. Every ESF service sits in one folder, `{base}/esf-web/ws/api1/<Service>`
 * (reference-docs/esf-api-v2.txt §1; FACTS.md fact 32 for AuthService), so the SessionService URL
 * names the others; any of them can be given explicitly (a proxy with other paths). Nothing falls
 * back to a contract's sample address: a URL that cannot be worked out is a configuration error
 * when the client is created.
 */
import { KzError, requireHttpUrl } from '@kz/soap';

/**
 * The URL of each ESF service a client calls (`EsfClient.endpoints`); all but `session` may be given in
 * `EsfClientOptions.endpoints`, otherwise they are derived from the SessionService URL's folder.
 */
export interface EsfEndpoints {
  /** SessionService: sessions (createSession, createSessionSigned, close, user, profiles). */
  readonly session: string;
  /** AuthService: the ticket of the key login. */
  readonly auth: string;
  /** InvoiceService: queries and status changes of invoices. */
  readonly invoice: string;
  /** UploadInvoiceService: syncInvoice. */
  readonly upload: string;
}

const SERVICES = { auth: 'AuthService', invoice: 'InvoiceService', upload: 'UploadInvoiceService' } as const;

export function resolveEndpoints(session: string, given: Partial<Omit<EsfEndpoints, 'session'>> = {}): EsfEndpoints {
  const context = { service: 'SessionService', operation: 'configure' };
  const fail = (message: string): never => {
    throw new KzError(context, 'CONFIG_ERROR', `createEsfClient: ${message}`);
  };
  const check = (name: string, url: string): string => requireHttpUrl(context, 'createEsfClient', name, url);
  if (!session) fail('endpoint (the SessionService URL) is required');
  check('endpoint', session);
  const folder = /^(.*\/)SessionService\/?(\?.*)?$/.exec(session)?.[1];
  const resolve = (key: keyof typeof SERVICES): string => {
    const explicit = given[key];
    if (explicit) return check(`endpoints.${key}`, explicit);
    if (!folder) {
      return fail(
        `endpoints.${key} is required: the SessionService URL ${session} does not end in /SessionService, so the ${SERVICES[key]} URL cannot be derived`,
      );
    }
    return `${folder}${SERVICES[key]}`;
  };
  return { session, auth: resolve('auth'), invoice: resolve('invoice'), upload: resolve('upload') };
}
