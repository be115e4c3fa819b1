/**
 * Lookup tables fed by input are prototype-free: names like `constructor`, `__proto__` and
 * `toString` coming from a peer are unknown names, never Object.prototype members.
 */
import { EsfBusinessError, toEsfError } from '@kz/esf';
import { createShepClient, ShepFaultError } from '@kz/shep';
import { startShepMock } from '@kz/shep/testing';
import { SoapFaultError } from '@kz/soap';
import { describe, expect, it } from 'vitest';

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

/** A fault class as the codegen emits it, for a fault element of the given name. */
function faultClass(name: string) {
  return class extends SoapFaultError<{ description: string }> {
    static readonly element = { name, ns: 'urn:x' };
  };
}

describe('ESF fault kinds', () => {
  it.each(PROTOTYPE_NAMES)('a fault class for an element named %s is not an ESF fault', (name) => {
    const Fault = faultClass(name);
    const fault = new Fault(
      { service: 'SessionService', operation: 'createSession' },
      { faultCode: 'soap:Server', reason: 'x', detail: { description: 'boom' } },
      500,
    );
    expect(toEsfError(fault)).toBe(fault);
  });

  it('the real kinds still are', () => {
    const Fault = faultClass('businessException');
    const error = toEsfError(
      new Fault(
        { service: 'SessionService', operation: 'createSession' },
        { faultCode: 'soap:Server', reason: 'x', detail: { description: 'no' } },
        500,
      ),
    );
    expect(error).toBeInstanceOf(EsfBusinessError);
    expect(error).toMatchObject({ kind: 'BUSINESS', description: 'no' });
  });
});

describe('the SHEP mock gateway', () => {
  it.each(PROTOTYPE_NAMES)('refuses the sender id %s (no such registered sender)', async (senderId) => {
    const mock = await startShepMock({ senders: { bank: {} }, requireSignature: false, signResponses: false });
    mock.registerSyncService('ECHO', ({ data }) => ({ data }));
    const shep = createShepClient({ endpoint: mock.endpoints, senderId, verify: false }); // the mock signs nothing here;
    try {
      const error = await shep.sync.send({ serviceId: 'ECHO', data: '<x/>' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShepFaultError);
      expect((error as ShepFaultError).errorInfo?.errorCode).toBe('SE_AUTH');
      expect(mock.calls).toEqual([]);
    } finally {
      shep.close();
      await mock.close();
    }
  });
});
