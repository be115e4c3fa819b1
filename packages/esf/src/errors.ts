/**
 * The SessionService faults as typed errors. ESF (Apache CXF) answers a business refusal with a
 * soap:Fault whose detail holds one of the contract's fault elements:
 * accessDeniedException (AccessDeniedFault), businessException (BusinessFault),
 * sessionClosedException (SessionClosedFault), each with a `description`.
 */
import { parseXmlSync, SoapFaultError } from '@kz/soap';

export type EsfFaultKind = 'ACCESS_DENIED' | 'BUSINESS' | 'SESSION_CLOSED';

// A Map: the element names come from the service (an object would answer to `constructor`).
const KINDS = new Map<string, EsfFaultKind>([
  ['accessDeniedException', 'ACCESS_DENIED'],
  ['businessException', 'BUSINESS'],
  ['sessionClosedException', 'SESSION_CLOSED'],
]);

/** A fault of the ESF contract: `kind` says which, `description` is the service's text. */
export class EsfServiceError extends SoapFaultError {
  readonly kind: EsfFaultKind;
  readonly description: string;

  constructor(fault: SoapFaultError, kind: EsfFaultKind, description: string) {
    super(
      { service: fault.service, operation: fault.operation },
      { faultCode: fault.faultCode, faultSubcodes: fault.faultSubcodes, reason: fault.reason, detail: fault.detail },
      fault.httpStatus,
    );
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

/** Reads the ESF fault element in a fault's detail, if there is one. */
export function esfFaultOf(detail: string | undefined): { kind: EsfFaultKind; description: string } | undefined {
  if (!detail) return undefined;
  let found: { kind: EsfFaultKind; description: string } | undefined;
  let depth = 0;
  let faultDepth = -1;
  let inDescription = false;
  try {
    parseXmlSync(detail, {
      open(_ns, local) {
        depth++;
        const kind = KINDS.get(local);
        if (!found && kind) {
          found = { kind, description: '' };
          faultDepth = depth;
        } else if (found && depth === faultDepth + 1 && local === 'description') inDescription = true;
      },
      text(text) {
        if (inDescription && found) found.description += text;
      },
      close() {
        inDescription = false;
        depth--;
      },
    });
  } catch {
    return found;
  }
  if (found) found.description = found.description.trim();
  return found;
}

/** Turns a SoapFaultError carrying an ESF fault into its typed subclass; anything else unchanged. */
export function toEsfError(error: unknown): unknown {
  if (!(error instanceof SoapFaultError) || error instanceof EsfServiceError) return error;
  const fault = esfFaultOf(error.detail);
  if (!fault) return error;
  const Class =
    fault.kind === 'ACCESS_DENIED'
      ? EsfAccessDeniedError
      : fault.kind === 'SESSION_CLOSED'
        ? EsfSessionClosedError
        : EsfBusinessError;
  return new Class(error, fault.kind, fault.description);
}
