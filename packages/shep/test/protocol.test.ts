/**
 * Protocol tests on the Appendix 4 message formats (test/fixtures, CONSTRUCTED from the tables; see
 * their README): every request decodes and is rebuilt by the generated client identically, every
 * response decodes and re-encodes to the fixture, every fault's ErrorInfo is read with nested subErrors.
 */

import { readdirSync } from 'node:fs';
import { type ServiceMeta, SoapFaultError, SoapServiceCodec } from '@kz/soap';
import { xmlDifference } from '@kz/soap/testing';
import { describe, expect, it } from 'vitest';
import { AsyncChannelHttpServiceClient } from '../src/generated/async/client.js';
import { serviceMeta as asyncMeta } from '../src/generated/async/schema.js';
import type { ErrorInfo } from '../src/generated/async/types.js';
import { AsyncChannelClientHttpServiceClient } from '../src/generated/async-client/client.js';
import { serviceMeta as clientMeta } from '../src/generated/async-client/schema.js';
import { ISyncChannelHttpServiceClient } from '../src/generated/sync/client.js';
import { serviceMeta as syncMeta } from '../src/generated/sync/schema.js';
import { encodeErrorInfo, ShepFaultError } from '../src/index.js';
import { FIXTURES, fixture, ReplayTransport } from './fixture-support.js';

const channels: Record<
  string,
  {
    meta: ServiceMeta;
    client: (t: ReplayTransport) => { soap: { invoke(op: string, input: unknown): Promise<unknown> } };
  }
> = {
  sync: {
    meta: syncMeta,
    client: (transport) => new ISyncChannelHttpServiceClient({ endpoint: 'http://127.0.0.1:9/s', transport }),
  },
  async: {
    meta: asyncMeta,
    client: (transport) => new AsyncChannelHttpServiceClient({ endpoint: 'http://127.0.0.1:9/a', transport }),
  },
  asyncClient: {
    meta: clientMeta,
    client: (transport) => new AsyncChannelClientHttpServiceClient({ endpoint: 'http://127.0.0.1:9/c', transport }),
  },
};

const files = (kind: string) =>
  readdirSync(FIXTURES)
    .filter((f) => f.endsWith(`.${kind}.xml`))
    .sort();
const parts = (file: string) => {
  const [channel, operation] = file.split('.') as [string, string];
  const entry = channels[channel];
  if (!entry) throw new Error(`unknown channel in ${file}`);
  return { ...entry, operation, codec: new SoapServiceCodec(entry.meta) };
};

describe('Appendix 4 message formats', () => {
  it('covers the 7 operations: 5 sender side, 2 receiver side', () => {
    expect(Object.keys(syncMeta.operations)).toEqual(['SendMessage']);
    expect(Object.keys(asyncMeta.operations).sort()).toEqual(
      ['getMessageStatus', 'getMessages', 'sendDeliveryNotification', 'sendMessage'].sort(),
    );
    expect(Object.keys(clientMeta.operations).sort()).toEqual(['changeMassageStatusNotification', 'sendMessage']);
    expect(files('request')).toHaveLength(7);
    expect(files('response')).toHaveLength(7);
    expect(files('fault')).toHaveLength(7);
  });

  it.each(files('request'))('%s: decodes, and the client rebuilds it identically', async (file) => {
    const { codec, client, operation } = parts(file);
    const sample = fixture(file);
    const decoded = await codec.decodeRequest(sample);
    expect(decoded.operation.name).toBe(operation);
    const response = fixture(file.replace('.request.', '.response.'));
    const transport = new ReplayTransport(response);
    await client(transport).soap.invoke(operation, decoded.input);
    expect(xmlDifference(transport.sentXml(), sample)).toBeUndefined();
    expect(transport.sent[0]?.headers.soapaction).toBe('""');
  });

  it.each(files('response'))('%s: decodes, and re-encodes to the fixture', async (file) => {
    const { codec, client, operation, meta } = parts(file);
    const sample = fixture(file);
    const request = await codec.decodeRequest(fixture(file.replace('.response.', '.request.')));
    const output = await client(new ReplayTransport(sample)).soap.invoke(operation, request.input);
    const reencoded = codec.encodeResponse(meta.operations[operation]!, output, '1.1');
    expect(xmlDifference(reencoded, sample)).toBeUndefined();
  });

  it.each(files('fault'))('%s: a SOAP fault whose detail is ErrorInfo', async (file) => {
    const { codec, client, operation } = parts(file);
    const request = await codec.decodeRequest(fixture(file.replace('.fault.', '.request.')));
    const error = await client(new ReplayTransport(fixture(file), 500))
      .soap.invoke(operation, request.input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFaultError);
    // The generated client raises the fault element's generated class, ErrorInfo decoded.
    const fault = error as SoapFaultError<ErrorInfo>;
    expect(fault.constructor).not.toBe(SoapFaultError);
    const info = fault.detail;
    expect(info.errorCode).toMatch(/\S/);
    expect(info.errorMessage).toMatch(/\S/);
    expect(info.errorDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(new ShepFaultError(fault).errorInfo).toEqual(info);
  });

  it('sync fault: the generated class keeps the nested subError', async () => {
    const { codec, client } = parts('sync.SendMessage.fault.xml');
    const request = await codec.decodeRequest(fixture('sync.SendMessage.request.xml'));
    const fault = (await client(new ReplayTransport(fixture('sync.SendMessage.fault.xml'), 500))
      .soap.invoke('SendMessage', request.input)
      .catch((e: unknown) => e)) as SoapFaultError<ErrorInfo>;
    expect(fault.detail.subError?.errorCode).toMatch(/\S/);
    expect(new ShepFaultError(fault).errorInfo?.subError).toEqual(fault.detail.subError);
  });

  it('a fault no SHEP fault element matched has no errorInfo: its detail stays XML', () => {
    const detailXml = encodeErrorInfo('getMessages', {
      errorCode: 'E1',
      errorMessage: 'not decoded by hand',
      errorDate: '2025-01-01T00:00:00Z',
    });
    const plain = new SoapFaultError<string>(
      { service: 'SHEP', operation: 'getMessages' },
      { faultCode: 'soap:Server', reason: 'failed', detail: detailXml },
      500,
    );
    const error = new ShepFaultError(plain);
    expect(error.errorInfo).toBeUndefined();
    expect(error.detail).toBe(detailXml);
  });

  it('getMessages: the element payload comes back as raw XML with its namespace', async () => {
    const { codec, client } = parts('async.getMessages.request.xml');
    const request = await codec.decodeRequest(fixture('async.getMessages.request.xml'));
    const output = (await client(new ReplayTransport(fixture('async.getMessages.response.xml'))).soap.invoke(
      'getMessages',
      request.input,
    )) as { response: { messages: { messageData: { data: { $xml: string } } }[] } };
    const [first] = output.response.messages;
    expect(first?.messageData.data.$xml).toContain(
      '<fno:registrationNumber>620200-2025-0001234567</fno:registrationNumber>',
    );
    expect(first?.messageData.data.$xml).toContain('xmlns:fno="urn:kz-clients:sono-fno:reconstruction:v1"');
  });
});
