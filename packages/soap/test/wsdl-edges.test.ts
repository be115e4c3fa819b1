/**
 * What real servers built from real-world WSDLs do: one-way operations answered with an empty
 * 200/202, several ports at different addresses, and faults in the other SOAP version's form.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, type ServiceMeta, SoapClient, SoapFaultError, type Transport } from '../src/index.js';
import { NS, testMeta } from './meta.js';

const oneWayMeta: ServiceMeta = {
  ...testMeta,
  operations: {
    ...testMeta.operations,
    Notify: {
      name: 'Notify',
      soapAction: 'urn:kz:test/Notify',
      input: { name: 'Echo', ns: NS, type: 'Echo' },
      safe: false,
    },
    Elsewhere: {
      name: 'Elsewhere',
      soapAction: 'urn:kz:test/Elsewhere',
      input: { name: 'Echo', ns: NS, type: 'Echo' },
      safe: false,
      endpoint: 'http://127.0.0.1:9/other-port',
    },
  },
};

function answering(status: number, body = '', urls: string[] = []): Transport {
  return {
    async send(request) {
      urls.push(request.url);
      return { status, headers: body ? { 'content-type': 'text/xml' } : {}, body: Buffer.from(body) };
    },
  };
}

describe('one-way operations', () => {
  it.each([200, 202])('an empty HTTP %i is success', async (status) => {
    const client = new SoapClient(oneWayMeta, { useContractEndpoints: true, transport: answering(status) });
    await expect(client.invoke('Notify', { id: '1' })).resolves.toBeUndefined();
  });

  it('an operation with an output still refuses an empty body', async () => {
    const client = new SoapClient(oneWayMeta, { useContractEndpoints: true, transport: answering(200) });
    await expect(client.invoke('Echo', { id: '1' })).rejects.toBeInstanceOf(DecodeError);
  });
});

describe('several ports', () => {
  it("each operation goes to its own port's address; the endpoint option overrides all", async () => {
    const urls: string[] = [];
    const client = new SoapClient(oneWayMeta, { useContractEndpoints: true, transport: answering(202, '', urls) });
    await client.invoke('Notify', { id: '1' });
    await client.invoke('Elsewhere', { id: '1' });
    expect(urls).toEqual(['http://127.0.0.1:9/test', 'http://127.0.0.1:9/other-port']);
    const pinned = new SoapClient(oneWayMeta, {
      transport: answering(202, '', urls),
      endpoint: 'http://127.0.0.1:9/x',
    });
    await pinned.invoke('Elsewhere', { id: '1' });
    expect(urls[2]).toBe('http://127.0.0.1:9/x');
  });
});

describe('malformed faults', () => {
  const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
  const S12 = 'http://www.w3.org/2003/05/soap-envelope';
  it.each([
    [
      'SOAP 1.2 Code/Reason in a 1.1 envelope',
      `<s:Envelope xmlns:s="${S11}"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang="en">database down</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`,
      's:Receiver',
    ],
    [
      'a Reason without Text',
      `<s:Envelope xmlns:s="${S11}"><s:Body><s:Fault><Code>Server</Code><Reason>database down</Reason></s:Fault></s:Body></s:Envelope>`,
      'unknown',
    ],
    [
      'faultcode/faultstring in a 1.2 envelope',
      `<e:Envelope xmlns:e="${S12}"><e:Body><e:Fault><faultcode>e:Receiver</faultcode><faultstring>database down</faultstring></e:Fault></e:Body></e:Envelope>`,
      'e:Receiver',
    ],
  ])('%s: the reason is read', async (_, body, code) => {
    const version = body.includes(S12) ? '1.2' : '1.1';
    const client = new SoapClient(testMeta, {
      useContractEndpoints: true,
      transport: answering(500, body),
      soapVersion: version,
    });
    const error = await client.invoke('Echo', { id: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFaultError);
    expect((error as SoapFaultError).reason).toBe('database down');
    expect((error as SoapFaultError).faultCode).toBe(code);
  });
});
