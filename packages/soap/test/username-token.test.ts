/** WS-Security UsernameToken: the shape of the ESF samples, per-client configuration, and the password kept secret. */
import { describe, expect, it } from 'vitest';
import {
  type KzError,
  newUsernameTokenId,
  PASSWORD_TEXT,
  type RequestEvent,
  type ResponseEvent,
  SoapClient,
  SoapFaultError,
  SoapServiceCodec,
  type Transport,
  usernameToken,
  WSSE_NS,
  WSU_NS,
} from '../src/index.js';
import { canonicalXml, xmlDifference } from '../src/testing/index.js';
import { NS, testMeta } from './meta.js';

const codec = new SoapServiceCodec(testMeta);
const okResponse = codec.encodeResponse(testMeta.operations.Echo!, { EchoResult: { id: '1' } }, '1.1');

function recording(body = okResponse, status = 200): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async send(request) {
      sent.push(Buffer.from(request.body ?? []).toString('utf8'));
      return { status, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: Buffer.from(body) };
    },
  };
}

/** The seed 000 header (section 2.1.1), line wraps of the extraction rejoined. */
const SEED_HEADER = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="${NS}">
   <soapenv:Header>
      <wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}">
         <wsse:UsernameToken wsu:Id="UsernameToken-664678CEF9FFC67AD214168421472821">
            <wsse:Username>123456789011</wsse:Username>
            <wsse:Password Type="${PASSWORD_TEXT}">TestPass123</wsse:Password>
         </wsse:UsernameToken>
      </wsse:Security>
   </soapenv:Header>
   <soapenv:Body><t:Echo><t:id>1</t:id></t:Echo></soapenv:Body>
</soapenv:Envelope>`;

describe('usernameToken', () => {
  it('a missing username or password is a configuration error of the family, naming the option', () => {
    const codeAndMessage = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return [(error as KzError).code, (error as Error).message];
      }
      return undefined;
    };
    expect(codeAndMessage(() => usernameToken({ username: '', password: 'p' }))).toEqual([
      'CONFIG_ERROR',
      expect.stringContaining('usernameToken: username is required'),
    ]);
    expect(codeAndMessage(() => usernameToken({ username: 'u', password: '' }))).toEqual([
      'CONFIG_ERROR',
      expect.stringContaining('usernameToken: password is required'),
    ]);
  });

  it('builds the header of the seed samples (PasswordText, mustUnderstand, wsu:Id)', async () => {
    const transport = recording();
    const client = new SoapClient(testMeta, {
      useContractEndpoints: true,
      transport,
      security: usernameToken({
        username: '123456789011',
        password: 'TestPass123',
        tokenId: 'UsernameToken-664678CEF9FFC67AD214168421472821',
      }),
    });
    await client.invoke('Echo', { id: '1' });
    expect(xmlDifference(transport.sent[0]!, SEED_HEADER)).toBeUndefined();
  });

  it('uses a fresh id of the samples shape per message by default', async () => {
    const transport = recording();
    const client = new SoapClient(testMeta, {
      useContractEndpoints: true,
      transport,
      security: usernameToken({ username: 'u', password: 'p' }),
    });
    await client.invoke('Echo', { id: '1' });
    await client.invoke('Echo', { id: '2' });
    const ids = transport.sent.map((xml) => /wsu:Id="([^"]+)"/.exec(xml)?.[1]);
    for (const id of ids) expect(id).toMatch(/^UsernameToken-[0-9A-F]{32}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(newUsernameTokenId()).toMatch(/^UsernameToken-[0-9A-F]{32}$/);
  });

  it('can leave out mustUnderstand and escapes special characters', async () => {
    const transport = recording();
    const client = new SoapClient(testMeta, {
      useContractEndpoints: true,
      transport,
      security: usernameToken({ username: 'a<b', password: 'x&y', mustUnderstand: false, tokenId: () => 'T-1' }),
    });
    await client.invoke('Echo', { id: '1' });
    const security = canonicalXml(transport.sent[0]!).children[0]!.children[0]!;
    expect(security.name).toBe(`{${WSSE_NS}}Security`);
    expect(Object.keys(security.attributes)).toEqual([]);
    const token = security.children[0]!;
    expect(token.attributes[`{${WSU_NS}}Id`]).toBe('T-1');
    expect(token.children.map((c) => c.text)).toEqual(['a<b', 'x&y']);
  });

  it('is configured per client: two clients, two identities', async () => {
    const a = recording();
    const b = recording();
    await new SoapClient(testMeta, {
      useContractEndpoints: true,
      transport: a,
      security: usernameToken({ username: 'alice', password: 'pa' }),
    }).invoke('Echo', { id: '1' });
    await new SoapClient(testMeta, { useContractEndpoints: true, transport: b }).invoke('Echo', { id: '1' });
    expect(a.sent[0]).toContain('<wsse:Username>alice</wsse:Username>');
    expect(b.sent[0]).not.toContain('wsse:Security');
  });

  it('never lets the password reach hooks, errors or the policy object', async () => {
    const password = 'S3cret&<Pass>"word';
    const policy = usernameToken({ username: 'u', password });
    expect(policy.secrets()).toEqual([password]);
    expect(JSON.stringify(policy)).not.toContain('S3cret');
    // A server that echoes the request (and so the password) into its fault.
    const faultEcho: Transport = {
      async send(request) {
        const sent = Buffer.from(request.body ?? []).toString('utf8');
        const fault = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>bad password ${password.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</faultstring><detail><echo><![CDATA[${sent}]]></echo></detail></soap:Fault></soap:Body></soap:Envelope>`;
        return { status: 500, headers: { 'content-type': 'text/xml' }, body: Buffer.from(fault) };
      },
    };
    const events: (RequestEvent | ResponseEvent)[] = [];
    const errors: KzError[] = [];
    const client = new SoapClient(testMeta, {
      useContractEndpoints: true,
      transport: faultEcho,
      security: policy,
      hooks: {
        onRequest: (e) => events.push(e),
        onResponse: (e) => events.push(e),
        onError: (e) => errors.push(e.error),
      },
    });
    const error = await client.invoke('Echo', { id: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFaultError);
    const seen = JSON.stringify(events) + JSON.stringify(errors) + String(error) + JSON.stringify(error);
    expect(seen).toContain('wsse:Password');
    expect(seen).toContain('***');
    for (const form of [password, 'S3cret&amp;&lt;Pass&gt;', Buffer.from(password).toString('base64')]) {
      expect(seen).not.toContain(form);
    }
    expect((error as SoapFaultError).reason).toBe('bad password ***');
  });
});
