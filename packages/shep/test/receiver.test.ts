/**
 * The receiver is createSoapHandler plus SHEP's policies: the verify phase refuses a tampered
 * delivery before the callback runs, the sign phase signs the answers (not the faults), and the
 * policies sit in the order a request meets them.
 */
import { createTestIdentity } from '@kz/signing/testing';
import { type PipelinePolicy, SignatureError, SOAP_SERVER_CODEC_POLICY, SoapFaultError } from '@kz/soap';
import { type LocalServer, startLocalServer } from '@kz/soap/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AsyncChannelClientHttpServiceClient } from '../src/generated/async-client/client.js';
import {
  createShepReceiver,
  SHEP_SIGN_POLICY,
  SHEP_VERIFY_POLICY,
  ShepReceiverFault,
  type ShepReceiverOptions,
} from '../src/index.js';

import { ShepSecurityPolicy } from '../src/wssecurity.js';

const gateway = createTestIdentity({ commonName: 'GATEWAY' });
const receiverIdentity = createTestIdentity({ commonName: 'RECEIVER' });

let servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function receiver(options: Partial<ShepReceiverOptions<string>> = {}) {
  const server = await startLocalServer(
    createShepReceiver({ verify: { trustedCertificates: [gateway.certificatePem] }, ...options }),
  );
  servers.push(server);
  return server;
}

/** A delivery from the gateway: signed by it; `after` may change the signed request on its way. */
function push(
  url: string,
  options: { verifyAnswer?: boolean; after?: (body: string) => string; answered?: (body: string) => void } = {},
) {
  const tamper: PipelinePolicy = {
    name: 'tamper',
    async sendRequest(request, next) {
      if (options.after) request.body = options.after(String(request.body));
      const response = await next(request);
      options.answered?.(response.body.toString('utf8'));
      return response;
    },
  };
  const client = new AsyncChannelClientHttpServiceClient({
    endpoint: url,
    security: new ShepSecurityPolicy({
      signer: gateway.signer,
      ...(options.verifyAnswer ? { verify: { trustedCertificates: [receiverIdentity.certificatePem] } } : {}),
    }),
    pipeline: [{ policy: tamper, phase: 'observe' }],
  });
  const data = '<notice>pay 100</notice>';
  return client
    .sendMessage({
      request: {
        messageInfo: {
          messageId: 'm-1',
          serviceId: 'NOTICE',
          messageType: 'REQUEST',
          messageDate: new Date().toISOString(),
          sender: { senderId: 'SHEP' },
        },
        messageData: { data: { $xml: data } },
      },
    })
    .finally(() => client.soap.close());
}

describe('SHEP receiver', () => {
  it('accepts a genuine delivery and hands it to the callback', async () => {
    const received: string[] = [];
    const server = await receiver({ onMessage: (message) => void received.push(message.data) });
    const answer = await push(server.url);
    expect(answer.response?.messageId).toBe('m-1');
    expect(received).toEqual(['<notice>pay 100</notice>']);
  });

  it('refuses a delivery changed after it was signed, before the callback runs', async () => {
    const received: string[] = [];
    const errors: Error[] = [];
    const server = await receiver({
      onMessage: (message) => void received.push(message.data),
      onError: (error) => errors.push(error),
    });
    const refused = await push(server.url, { after: (body) => body.replace('pay 100', 'pay 900') }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SoapFaultError);
    expect((refused as SoapFaultError).message).toContain('transport signature refused');
    expect(received).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SignatureError);
  });

  it('signs its answers with the signer; without one the answer does not verify', async () => {
    const signing = await receiver({ signer: receiverIdentity.signer, onMessage: () => {} });
    const answer = await push(signing.url, { verifyAnswer: true });
    expect(answer.response?.messageId).toBe('m-1');

    const unsigned = await receiver({ onMessage: () => {} });
    const refused = await push(unsigned.url, { verifyAnswer: true }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SignatureError);
  });

  it('a callback refusal is a fault with ErrorInfo, not signed', async () => {
    const server = await receiver({
      signer: receiverIdentity.signer,
      onMessage: () => {
        throw new ShepReceiverFault('RC_01', 'not for us');
      },
    });
    let answer = '';
    const refused = await push(server.url, { answered: (body) => (answer = body) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SoapFaultError);
    expect((refused as SoapFaultError).detailXml).toContain('RC_01');
    expect(answer).toContain('RC_01');
    expect(answer).not.toContain('Signature');
  });

  it('runs its policies in the server order: verify, sign, then the codec', () => {
    const listener = createShepReceiver({
      verify: { trustedCertificates: [gateway.certificatePem] },
      signer: receiverIdentity.signer,
    });
    expect(listener.pipeline.list()).toEqual([
      { name: SHEP_VERIFY_POLICY, phase: 'verify' },
      { name: SHEP_SIGN_POLICY, phase: 'sign' },
      { name: SOAP_SERVER_CODEC_POLICY, phase: 'serialize' },
    ]);
    const unverified = createShepReceiver({ verify: false });
    expect(unverified.pipeline.list().map((entry) => entry.name)).toEqual([SOAP_SERVER_CODEC_POLICY]);
  });
});
