/** The generated fault classes (detail decoded from the contract) become the ESF error types. */
import { SoapFaultError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { AccessDeniedExceptionFault, SessionClosedExceptionFault } from '../src/generated/faults.js';
import { EsfAccessDeniedError, EsfSessionClosedError, toEsfAuthError, toEsfError } from '../src/index.js';

const context = { service: 'SessionService', operation: 'currentUser' };

describe('typed ESF faults', () => {
  it('take their kind from the generated class and their description from the decoded detail', () => {
    const detailXml =
      '<ns2:accessDeniedException xmlns:ns2="esf"><description> no right </description></ns2:accessDeniedException>';
    const fault = new AccessDeniedExceptionFault(
      context,
      { faultCode: 'soap:Server', reason: 'denied', detail: { description: ' no right ' }, detailXml },
      500,
    );
    const error = toEsfError(fault) as EsfAccessDeniedError;
    expect(error).toBeInstanceOf(EsfAccessDeniedError);
    expect(error.kind).toBe('ACCESS_DENIED');
    expect(error.description).toBe('no right');
    // The ESF error keeps the detail's XML text, as before.
    expect(error.detail).toBe(detailXml);
    expect(error.cause).toBe(fault);
  });

  it('a decoded detail without a description still maps, with the reason as the message', () => {
    const fault = new SessionClosedExceptionFault(
      context,
      { faultCode: 'soap:Server', reason: 'session closed', detail: {} as { description: string } },
      500,
    );
    const error = toEsfError(fault) as EsfSessionClosedError;
    expect(error).toBeInstanceOf(EsfSessionClosedError);
    expect(error.description).toBe('');
    expect(error.message).toContain('session closed');
  });

  it('a fault no generated class matched is left as it is (its detail is not parsed by hand)', () => {
    const detailXml =
      '<ns2:sessionClosedException xmlns:ns2="urn:elsewhere"><description>closed</description></ns2:sessionClosedException>';
    const plain = new SoapFaultError<string>(
      context,
      { faultCode: 'soap:Server', reason: 'closed', detail: detailXml },
      500,
    );
    expect(toEsfError(plain)).toBe(plain);
    expect(toEsfAuthError(plain)).toBe(plain);
  });
});
