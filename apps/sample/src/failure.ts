/**
 * What the sample prints when a flow fails: the error in one line, then what to check. Messages of
 * the @kz errors carry no secrets; configuration errors name the variable, never its value.
 */
import { SigningKeyError } from '@kz/signing';
import { HttpError, KzError, SignatureError, SoapFaultError, TransportError, ValidationError } from '@kz/soap';
import { SampleConfigError } from './config.js';
import type { Flow } from './flows.js';

/** Node's codes for a certificate chain it cannot verify. */
const UNTRUSTED_CHAIN = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

const TRANSPORT_CODES = new Set(['TIMEOUT', 'ABORTED', 'CONNECTION_FAILED', 'RESPONSE_TOO_LARGE']);

export function describeFailure(flow: Flow, error: unknown): string[] {
  const summary = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const real = flow.realWhen.some((name) => process.env[name]);
  const lines = [summary, ...hintsFor(flow, error, real).map((hint) => `check: ${hint}`)];
  lines.push(`see ${flow.guide}`);
  return lines;
}

function hintsFor(flow: Flow, error: unknown, real: boolean): string[] {
  if (error instanceof SampleConfigError) {
    return [`${error.variable} (the guide lists every variable of this flow and what it holds)`];
  }
  if (error instanceof SigningKeyError) {
    return [
      'the PKCS#12 file and its password (the *_P12 and *_P12_PASSWORD variables): is it the right key, is the password right?',
    ];
  }
  if (!real) {
    return [
      'this flow ran against its local mock: a failure here is a bug in the sample or a package, please report it',
    ];
  }
  if (error instanceof ValidationError) {
    return [
      `the input was refused before sending (${error.issues.map((i) => i.field).join(', ')}): check the variable that supplies it`,
    ];
  }
  if (error instanceof TransportError) {
    const code = tlsCodeOf(error);
    if (code && UNTRUSTED_CHAIN.has(code)) {
      return [
        `the server's certificate does not chain to a root Node trusts (${code}): put that root's PEM in KZ_TLS_CA_FILE (docs/production/README.md, "TLS")`,
      ];
    }
    if (code === 'CERT_HAS_EXPIRED' || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return [
        `the server's certificate is refused (${code}): is the endpoint's host name the one the operator published?`,
      ];
    }
    if (error.code === 'TIMEOUT') {
      return [`no answer in time: ${flow.network}`, `the endpoint URL (${flow.realWhen.join(' / ')})`];
    }
    return [`the endpoint URL (${flow.realWhen.join(' / ')}) and the network path: ${flow.network}`];
  }
  if (error instanceof SignatureError) {
    return ["the keys and certificates: the request could not be signed, or the answer's signature did not verify"];
  }
  if (error instanceof SoapFaultError) {
    return [
      'the service refused the request (its reason is above): credentials, the account it acts for, and the input data',
    ];
  }
  if (error instanceof HttpError) {
    if (error.status === 401 || error.status === 403) {
      return [`HTTP ${error.status}: the credentials, and whether this account has been granted access to the service`];
    }
    if (error.status === 404) return ['HTTP 404: the endpoint URL, including its path'];
    if (error.status >= 500) return [`HTTP ${error.status}: the service failed on its side; try again later`];
    return [`HTTP ${error.status}: the request as the service understood it`];
  }
  if (error instanceof KzError) return ['the error code above'];
  return [];
}

/** The code of the TLS/socket error under a transport failure, if any. */
function tlsCodeOf(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code) && !TRANSPORT_CODES.has(code)) {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
