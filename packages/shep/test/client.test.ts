/**
 * The client against the mock gateway over real HTTP on 127.0.0.1: sync routing, the async channel's
 * four operations and its wait helpers, signatures both ways, credentials, redaction, and the
 * receiver handler round trip (PUSH delivery and status notification).
 */
import { createTestIdentity } from '@kz/signing/testing';
import { KzError, SignatureError, WaitTimeoutError } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createShepClient,
  createShepReceiver,
  type ReceivedMessage,
  ShepFaultError,
  ShepReceiverFault,
  type ShepWaitResume,
} from '../src/index.js';
import { type ShepMock, startShepMock } from '../src/testing/index.js';

const PASSWORD = 'S3cret-Pa55-shep';
const sender = createTestIdentity({ commonName: 'SENDER SYSTEM' });
const stranger = createTestIdentity({ commonName: 'NOT REGISTERED' });
let mock: ShepMock;

beforeAll(async () => {
  mock = await startShepMock({
    senders: { bank_system: { password: PASSWORD, certificates: [sender.certificatePem] } },
  });
  mock.registerSyncService('ECHO', ({ data }) => ({
    data: `<echo>${data}</echo>`,
    status: { code: 'OK', message: 'done' },
  }));
  mock.registerAsyncService('ASYNC_ECHO', (message, context) => void context.reply(`<answer>${message.data}</answer>`));
  mock.registerAsyncService('SILENT', () => {});
});
afterAll(() => mock.close());

const client = (overrides: Partial<Parameters<typeof createShepClient>[0]> = {}) =>
  createShepClient({
    endpoint: mock.endpoints,
    senderId: 'bank_system',
    password: PASSWORD,
    signer: sender.signer,
    verify: { trustedCertificates: [mock.certificate] },
    ...overrides,
  });

describe('sync channel', () => {
  it('sends, fills messageId and messageDate, and returns status and data', async () => {
    const shep = client();
    const result = await shep.sync.send({ serviceId: 'ECHO', data: '<ping>1</ping>', properties: { FORM: '910' } });
    expect(result.status).toEqual({ code: 'OK', message: 'done' });
    expect(result.data).toBe('<echo><ping>1</ping></echo>');
    expect(result.sessionId).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(mock.calls.at(-1)).toMatchObject({ channel: 'sync', operation: 'SendMessage', senderId: 'bank_system' });
    shep.close();
  });

  it('policies passed in `pipeline` run in both channels, after signing and before the answer is verified', async () => {
    const seen: string[] = [];
    const shep = client({
      pipeline: [
        {
          phase: 'observe',
          policy: {
            name: 'audit',
            async sendRequest(request, next) {
              const signed = String(request.body).includes('SignatureValue');
              const response = await next(request);
              seen.push(`${request.operation}:${signed ? 'signed' : 'unsigned'}:${response.status}`);
              return response;
            },
          },
        },
      ],
    });
    await shep.sync.send({ serviceId: 'ECHO', data: '<ping>2</ping>' });
    expect(seen).toEqual(['SendMessage:signed:200']);
    expect(shep.operations.sync?.soap.pipeline.list().map((p) => p.name)).toEqual([
      'soap-codec',
      'soap-security',
      'retry',
      'soap-verify',
      'audit',
    ]);
    shep.close();
  });

  it('an unknown service is a ShepFaultError with ErrorInfo', async () => {
    const shep = client();
    const error = await shep.sync.send({ serviceId: 'NOPE', data: '<x/>' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShepFaultError);
    expect((error as ShepFaultError).errorInfo?.errorCode).toBe('SE_SERVICE');
    // The SHEP error keeps what identifies the call it came from.
    expect((error as ShepFaultError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((error as ShepFaultError).host).toMatch(/^127\.0\.0\.1:\d+$/);
    shep.close();
  });

  it('a wrong password is refused, and the password never reaches hooks or errors', async () => {
    const seen: string[] = [];
    const wrong = 'Wr0ng-Pa55-shep';
    const shep = client({
      password: wrong,
      hooks: { onRequest: (e) => seen.push(e.body), onResponse: (e) => seen.push(e.body) },
    });
    const error = await shep.sync.send({ serviceId: 'ECHO', data: '<x/>' }).catch((e: unknown) => e);
    expect((error as ShepFaultError).errorInfo?.errorCode).toBe('SE_AUTH');
    expect(seen.length).toBe(2);
    for (const text of [...seen, (error as Error).message, JSON.stringify(error)]) expect(text).not.toContain(wrong);
    expect(seen[0]).toContain('<password>***</password>');
    shep.close();
  });

  it('the gateway refuses an unsigned request and a signature from another certificate', async () => {
    const unsigned = client({ signer: undefined });
    await expect(unsigned.sync.send({ serviceId: 'ECHO', data: '<x/>' })).rejects.toThrow(
      'transport signature refused',
    );
    const other = client({ signer: stranger.signer });
    const error = await other.sync.send({ serviceId: 'ECHO', data: '<x/>' }).catch((e: unknown) => e);
    expect((error as ShepFaultError).errorInfo?.errorCode).toBe('SE_SIGNATURE');
    unsigned.close();
    other.close();
  });

  it('an answer signed by an unexpected certificate is a SignatureError', async () => {
    const shep = client({ verify: { trustedCertificates: [stranger.certificatePem] } });
    const error = await shep.sync.send({ serviceId: 'ECHO', data: '<x/>' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureError);
    expect((error as SignatureError).message).toContain('unexpected certificate');
    shep.close();
  });
});

describe('async channel', () => {
  it('send, then status, then getMessages, then delivery notification', async () => {
    const shep = client();
    const sent = await shep.async.send({ serviceId: 'ASYNC_ECHO', data: '<q>7</q>' });
    expect(sent.messageId).toMatch(/[0-9a-f-]{36}/);
    const { response } = await shep.async.sendAndWaitForResponse(
      { serviceId: 'ASYNC_ECHO', data: '<q>8</q>' },
      { intervalMs: 10, timeoutMs: 2_000 },
    );
    expect(response.data).toBe('<answer><q>8</q></answer>');
    expect(response.info.messageType).toBe('RESPONSE');
    const status = await shep.async.getMessageStatus(sent.messageId);
    expect(status.messageState).toBe('DELIVERED');
    const ack = await shep.async.sendDeliveryNotification({
      messageId: response.info.messageId as string,
      serviceId: 'ASYNC_ECHO',
      accepted: true,
    });
    expect(ack.notificationId).toMatch(/\S/);
    expect(mock.messages.get(response.info.messageId as string)?.acknowledged).toBe(true);
    shep.close();
  });

  it('sendAndWaitForDelivery reports progress until DELIVERED', async () => {
    const shep = client();
    const states: string[] = [];
    const { status } = await shep.async.sendAndWaitForDelivery(
      { serviceId: 'SILENT', data: '<x/>' },
      { intervalMs: 5, timeoutMs: 2_000, onProgress: (e) => states.push(e.state) },
    );
    expect(status.messageState).toBe('DELIVERED');
    expect(states.at(-1)).toBe('DELIVERED');
    shep.close();
  });

  it('waiting for an answer that never comes ends with WaitTimeoutError carrying the message id, within the bound', async () => {
    const shep = client();
    const started = Date.now();
    const error = await shep.async
      .sendAndWaitForResponse({ serviceId: 'SILENT', data: '<x/>' }, { intervalMs: 20, timeoutMs: 150 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const timeout = error as WaitTimeoutError<ShepWaitResume>;
    expect(timeout.code).toBe('WAIT_TIMEOUT');
    expect(timeout.resume.messageId).toMatch(/\S/);
    expect(timeout.message).toContain(timeout.resume.messageId);
    expect(timeout.timeoutMs).toBe(150);
    expect(Date.now() - started).toBeLessThan(2_000);
    shep.close();
  });
});

describe('receiver (PUSH)', () => {
  it('ShepReceiverFault is in the family: KzError RECEIVER_FAULT with the ErrorInfo fields', () => {
    const fault = new ShepReceiverFault('RC_01', 'not for us', 'data');
    expect(fault).toBeInstanceOf(KzError);
    expect(fault).toMatchObject({
      code: 'RECEIVER_FAULT',
      errorCode: 'RC_01',
      errorMessage: 'not for us',
      errorData: 'data',
    });
  });

  it('verifies, decodes and hands typed messages and notifications to the callbacks, answers signed', async () => {
    const receiverIdentity = createTestIdentity({ commonName: 'RECEIVER' });
    const received: ReceivedMessage<string>[] = [];
    const notifications: string[] = [];
    const server = await startLocalServer(
      createShepReceiver({
        verify: { trustedCertificates: [mock.certificate] },
        signer: receiverIdentity.signer,
        onMessage: (m) => {
          if (m.data.includes('refuse')) throw new ShepReceiverFault('RC_01', 'not for us');
          received.push(m);
        },
        onStatusNotification: (n) => void notifications.push(`${n.messageId}:${n.messageState}`),
      }),
    );
    try {
      const pushed = await mock.push(server.url, { serviceId: 'NOTICE', data: '<notice>hello</notice>' });
      expect(received).toHaveLength(1);
      expect(received[0]?.data).toBe('<notice>hello</notice>');
      expect(received[0]?.info.messageId).toBe(pushed.messageId);
      await mock.notifyStatus(server.url, {
        notificationId: 'n-1',
        messageId: pushed.messageId,
        notificationDate: new Date().toISOString(),
        messageState: 'DELIVERED',
        status: { statusCode: 'DELIVERED', statusMessage: 'ok', statusDate: new Date().toISOString() },
      });
      expect(notifications).toEqual([`${pushed.messageId}:DELIVERED`]);
      const refused = await mock.push(server.url, { serviceId: 'NOTICE', data: '<refuse/>' }).catch((e: unknown) => e);
      expect(new ShepFaultError(refused as never).errorInfo?.errorCode).toBe('RC_01');
    } finally {
      await server.close();
    }
  });

  it('refuses a delivery signed by an unexpected certificate, before the callback runs', async () => {
    let called = false;
    const errors: Error[] = [];
    const server = await startLocalServer(
      createShepReceiver({
        verify: { trustedCertificates: [stranger.certificatePem] },
        onMessage: () => {
          called = true;
        },
        onError: (e) => errors.push(e),
      }),
    );
    try {
      await expect(mock.push(server.url, { serviceId: 'NOTICE', data: '<x/>' })).rejects.toThrow(
        'transport signature refused',
      );
      expect(called).toBe(false);
      expect(errors[0]).toBeInstanceOf(SignatureError);
    } finally {
      await server.close();
    }
  });
});
