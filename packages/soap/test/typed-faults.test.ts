/** Faults declared by the contract: registered fault classes raised with their detail decoded. */
import { describe, expect, it } from 'vitest';
import { type ServiceMeta, SoapClient, SoapFaultError, type Transport } from '../src/index.js';

const NS = 'urn:kz:faults';
const meta: ServiceMeta = {
  service: 'FaultService',
  soapVersions: ['1.1', '1.2'],
  defaultEndpoint: 'http://127.0.0.1:9/faults',
  types: {
    Ping: { kind: 'complex', elements: [] },
    Denied: {
      kind: 'complex',
      elements: [
        { prop: 'code', name: 'code', ns: NS, type: 'xs:int', min: 1, max: 1 },
        { prop: 'message', name: 'message', ns: NS, type: 'xs:string', min: 0, max: 1 },
      ],
    },
    Busy: {
      kind: 'complex',
      elements: [{ prop: 'retryAfter', name: 'retryAfter', ns: NS, type: 'xs:int', min: 1, max: 1 }],
    },
  },
  operations: {
    Ping: {
      name: 'Ping',
      soapAction: 'urn:ping',
      input: { name: 'Ping', ns: NS, type: 'Ping' },
      output: { name: 'Ping', ns: NS, type: 'Ping' },
      safe: true,
      faults: [
        { name: 'DeniedFault', element: { name: 'denied', ns: NS }, type: 'Denied' },
        { name: 'BusyFault', element: { name: 'busy', ns: NS }, type: 'Busy' },
      ],
    },
  },
};

interface Denied {
  code: number;
  message?: string;
}
// What the codegen emits for a fault element (see tools/codegen emit.ts, faults.ts).
class DeniedFault extends SoapFaultError<Denied> {
  static readonly element = { name: 'denied', ns: NS } as const;
}
class BusyFault extends SoapFaultError<{ retryAfter: number }> {
  static readonly element = { name: 'busy', ns: NS } as const;
}

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

function fault11(detail: string): string {
  return `<s:Envelope xmlns:s="${SOAP11}"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>refused</faultstring><detail>${detail}</detail></s:Fault></s:Body></s:Envelope>`;
}
function fault12(detail: string): string {
  return `<s:Envelope xmlns:s="${SOAP12}"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang="en">refused</s:Text></s:Reason><s:Detail>${detail}</s:Detail></s:Fault></s:Body></s:Envelope>`;
}

function clientAnswering(body: string, options: { soapVersion?: '1.1' | '1.2'; password?: string } = {}): SoapClient {
  const transport: Transport = {
    send: async () => ({ status: 500, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) }),
  };
  return new SoapClient(meta, {
    useContractEndpoints: true,
    transport,
    ...(options.soapVersion ? { soapVersion: options.soapVersion } : {}),
    ...(options.password ? { headers: { authorization: options.password } } : {}),
  }).registerFaults([DeniedFault, BusyFault]);
}

const failure = (client: SoapClient): Promise<unknown> => client.invoke('Ping', {}).catch((e: unknown) => e);

describe('typed faults', () => {
  it('raises the registered class with the detail decoded (SOAP 1.1 detail)', async () => {
    const detail = `<f:denied xmlns:f="${NS}"><f:code>403</f:code><f:message>no right</f:message></f:denied>`;
    const error = await failure(clientAnswering(fault11(detail)));
    expect(error).toBeInstanceOf(DeniedFault);
    expect(error).toBeInstanceOf(SoapFaultError);
    const denied = error as DeniedFault;
    expect(denied.detail).toEqual({ code: 403, message: 'no right' });
    expect(denied.detailXml).toBe(detail);
    expect(denied.faultCode).toBe('s:Client');
    expect(denied.reason).toBe('refused');
    expect(denied.httpStatus).toBe(500);
    expect(denied.name).toBe('DeniedFault');
    expect(denied.operation).toBe('Ping');
  });

  it('raises the class of whichever declared element the detail carries (SOAP 1.2 Detail)', async () => {
    const detail = `\n  <busy xmlns="${NS}"><retryAfter>30</retryAfter></busy>\n  <extra xmlns="urn:other"/>`;
    const error = await failure(clientAnswering(fault12(detail), { soapVersion: '1.2' }));
    expect(error).toBeInstanceOf(BusyFault);
    expect((error as BusyFault).detail).toEqual({ retryAfter: 30 });
  });

  it('keeps a plain SoapFaultError with the raw detail for undeclared or undecodable details', async () => {
    for (const detail of [
      `<x:other xmlns:x="urn:other">1</x:other>`,
      `<f:denied xmlns:f="${NS}"><f:code>not a number</f:code></f:denied>`,
      'just text',
    ]) {
      const error = await failure(clientAnswering(fault11(detail)));
      expect(error).toBeInstanceOf(SoapFaultError);
      expect(error).not.toBeInstanceOf(DeniedFault);
      expect((error as SoapFaultError).detail).toBe(detail);
    }
    const unregistered = new SoapClient(meta, {
      useContractEndpoints: true,
      transport: {
        send: async () => ({
          status: 500,
          headers: {},
          body: Buffer.from(fault11(`<f:denied xmlns:f="${NS}"><f:code>1</f:code></f:denied>`)),
        }),
      },
    });
    const error = await failure(unregistered);
    expect(error).not.toBeInstanceOf(DeniedFault);
    expect(typeof (error as SoapFaultError).detail).toBe('string');
  });

  it('decodes the redacted detail: no secret reaches the typed detail', async () => {
    const secret = 'Bearer s3cr3t-token-value';
    const detail = `<f:denied xmlns:f="${NS}"><f:code>1</f:code><f:message>${secret} denied</f:message></f:denied>`;
    const error = (await failure(clientAnswering(fault11(detail), { password: secret }))) as DeniedFault;
    expect(error).toBeInstanceOf(DeniedFault);
    expect(JSON.stringify(error.detail)).not.toContain('s3cr3t');
    expect(error.detailXml).not.toContain('s3cr3t');
    expect(error.detail.message).toContain('***');
  });
});
