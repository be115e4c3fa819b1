/**
 * The SessionService faults as typed errors. ESF (Apache CXF) answers a business refusal with a
 * soap:Fault whose detail holds one of the contract's fault elements:
 * accessDeniedException (AccessDeniedFault), businessException (BusinessFault),
 * sessionClosedException (SessionClosedFault), each with a `description`. The generated clients
 * raise these as their generated fault classes (detail decoded); here they get their ESF kind.
 */
import { type SoapFaultClass, SoapFaultError } from '@kz/soap';

/** The constructor arguments that rebuild `fault` (its detail as XML text) under an ESF error class. */
function sameFault(fault: SoapFaultError) {
  return [
    // The fault as the context: the new error keeps its call's request id, host and attempts.
    fault,
    { faultCode: fault.faultCode, faultSubcodes: fault.faultSubcodes, reason: fault.reason, detail: fault.detailXml },
    fault.httpStatus,
  ] as const;
}

/**
 * Which fault element of the ESF contract a refusal carried: accessDeniedException (`ACCESS_DENIED`),
 * businessException (`BUSINESS`) or sessionClosedException (`SESSION_CLOSED`).
 */
export type EsfFaultKind = 'ACCESS_DENIED' | 'BUSINESS' | 'SESSION_CLOSED';

// A Map: the element names come from the service (an object would answer to `constructor`).
const KINDS = new Map<string, EsfFaultKind>([
  ['accessDeniedException', 'ACCESS_DENIED'],
  ['businessException', 'BUSINESS'],
  ['sessionClosedException', 'SESSION_CLOSED'],
]);

/** A fault of the ESF contract: `kind` says which, `description` is the service's text. */
export class EsfServiceError extends SoapFaultError {
  /**
   * Which contract fault this is (the subclass says the same: EsfAccessDeniedError, EsfBusinessError,
   * EsfSessionClosedError).
   */
  readonly kind: EsfFaultKind;
  /** The service's explanation, from the fault detail's `<description>` (empty when the detail has none). */
  readonly description: string;

  constructor(fault: SoapFaultError, kind: EsfFaultKind, description: string) {
    super(...sameFault(fault));
    this.kind = kind;
    this.description = description;
    this.message = `${fault.service}.${fault.operation}: ${kind}: ${description || fault.reason}`;
    this.cause = fault;
  }
}

/** The user lacks the right for the operation (or the credentials/certificate do not match). */
export class EsfAccessDeniedError extends EsfServiceError {}
/** The service failed on its side. */
export class EsfBusinessError extends EsfServiceError {}
/** The session was closed (by closeSession, closeSessionByCredentials or timeout) or is unknown. */
export class EsfSessionClosedError extends EsfServiceError {}

/**
 * The ESF fault a SoapFaultError carries: the generated fault class it was raised as names the
 * element (the contract's fault elements are registered on every ESF client), its detail holds the
 * decoded description. A fault no generated class matched is not an ESF fault.
 */
function faultOf(error: SoapFaultError<unknown>): { kind: EsfFaultKind; description: string } | undefined {
  const element = (error.constructor as Partial<SoapFaultClass>).element;
  const kind = element ? KINDS.get(element.name) : undefined;
  if (!kind) return undefined;
  const detail = error.detail as { description?: unknown } | undefined;
  return { kind, description: typeof detail?.description === 'string' ? detail.description.trim() : '' };
}

/**
 * Refusal codes of the login (reference-docs/FACTS.md §2): the SDK's SessionSecurityDataValidator codes
 * documented for createSessionSigned (fact 40), and METHOD_NOT_SUPPORT_GOST_2015, which createSession
 * answers for a GOST-2015 key since 1 August 2023 (fact 31).
 */
export const ESF_AUTH_CODES = [
  'PROVIDER_NOT_VALID',
  'CERTIFICATE_NOT_VALID',
  'CERTIFICATE_IS_NOT_FOR_AUTH',
  'CERTIFICATE_REVOKED',
  'OCSP_NOT_AVAILABLE',
  'IIN_NOT_VALID',
  'USER_BLOCKED',
  'USER_NOT_REGISTERED',
  'ENTERPRISE_NOT_FOUND_FOR_USER',
  'PROXY_NOT_YET',
  'PERMISSIONS_EXPIRED',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
  'CERTIFICATE_POLICY_NOT_VALID',
  'CERTIFICATE_SIGNATURE_NOT_VALID',
  'PASSWORD_INVALID',
  'SYSTEM_DOWN',
  'METHOD_NOT_SUPPORT_GOST_2015',
] as const;
/**
 * A documented refusal code of the login (one of ESF_AUTH_CODES), e.g. `CERTIFICATE_REVOKED`, `USER_NOT_REGISTERED`.
 */
export type EsfAuthCode = (typeof ESF_AUTH_CODES)[number];

/**
 * The login was refused with one of the documented codes (`authCode`). For
 * METHOD_NOT_SUPPORT_GOST_2015, open the session with the key instead of its certificate (the ticket
 * login, `openSession({ tin, signer })`).
 */
export class EsfAuthError extends SoapFaultError {
  /** The refusal code found in the fault's description or reason: why the login was refused. */
  readonly authCode: EsfAuthCode;
  /** The service's text (the fault's description, or its reason). */
  readonly description: string;

  constructor(fault: SoapFaultError, authCode: EsfAuthCode, description: string) {
    super(...sameFault(fault));
    this.authCode = authCode;
    this.description = description;
    const hint =
      authCode === 'METHOD_NOT_SUPPORT_GOST_2015' ? ' (a GOST-2015 key: log in with the signed ticket instead)' : '';
    this.message = `${fault.service}.${fault.operation}: ${authCode}${hint}: ${description || fault.reason}`;
    this.cause = fault;
  }
}

const AUTH_CODE = new RegExp(`\\b(${ESF_AUTH_CODES.join('|')})\\b`);

/**
 * For the login operations: a fault naming a documented refusal code (in its description or reason)
 * becomes an EsfAuthError; anything else goes through toEsfError.
 */
export function toEsfAuthError(error: unknown): unknown {
  if (!(error instanceof SoapFaultError) || error instanceof EsfAuthError) return toEsfError(error);
  const fault = faultOf(error);
  const text = `${fault?.description ?? ''} ${error.reason}`;
  const code = AUTH_CODE.exec(text)?.[1] as EsfAuthCode | undefined;
  if (!code) return toEsfError(error);
  return new EsfAuthError(error, code, fault?.description || error.reason);
}

/** Turns a SoapFaultError carrying an ESF fault into its typed subclass; anything else unchanged. */
export function toEsfError(error: unknown): unknown {
  if (!(error instanceof SoapFaultError) || error instanceof EsfServiceError || error instanceof EsfAuthError) {
    return error;
  }
  const fault = faultOf(error);
  if (!fault) return error;
  const Class =
    fault.kind === 'ACCESS_DENIED'
      ? EsfAccessDeniedError
      : fault.kind === 'SESSION_CLOSED'
        ? EsfSessionClosedError
        : EsfBusinessError;
  return new Class(error, fault.kind, fault.description);
}
