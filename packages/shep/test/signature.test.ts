/**
 * Transport signatures: produced by signEnvelope, checked by an INDEPENDENT verifier written here
 * with node:crypto and xml-crypto's exclusive C14N only (not SignedXml, not our verifyEnvelope),
 * verified by verifyEnvelope, and refused after tampering or from an unexpected certificate.
 */
import { createHash, createVerify, X509Certificate } from 'node:crypto';
import { normalizeCertificatePem, type Signer } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import { buildEnvelope } from '@kz/soap';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { ExclusiveCanonicalization } from 'xml-crypto';
import {
  signEnvelope,
  signXmlDocument,
  verifyEnvelope,
  verifyXmlDocument,
  WSSE_NS,
  WSU_NS,
  XmlSignatureFailure,
} from '../src/index.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const identity = createTestIdentity({ commonName: 'SENDER SYSTEM' });
const stranger = createTestIdentity({ commonName: 'SOMEONE ELSE' });
const body =
  '<ns2:SendMessage xmlns:ns2="http://bip.bee.kz/SyncChannel/v10/Types"><request><x>1 &amp; 2</x></request></ns2:SendMessage>';
const envelope = buildEnvelope('1.1', { headers: [], body });

function byLocal(node: Document | Element, ns: string, local: string): Element {
  const found = node.getElementsByTagNameNS(ns, local).item(0);
  if (!found) throw new Error(`no ${local}`);
  return found;
}

/** An independent check: canonicalize with exc-c14n, hash and verify with node:crypto. */
function independentVerify(xml: string): { certificate: string } {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const c14n = new ExclusiveCanonicalization();
  const bodyEl = byLocal(doc, 'http://schemas.xmlsoap.org/soap/envelope/', 'Body');
  const signedInfo = byLocal(doc, DS, 'SignedInfo');
  const reference = byLocal(signedInfo, DS, 'Reference');
  expect(reference.getAttribute('URI')).toBe(`#${bodyEl.getAttributeNS(WSU_NS, 'Id')}`);
  const digest = createHash('sha256').update(c14n.process(bodyEl, {}), 'utf8').digest('base64');
  expect(byLocal(reference, DS, 'DigestValue').textContent).toBe(digest);
  const token = byLocal(doc, WSSE_NS, 'BinarySecurityToken');
  const tokenRef = byLocal(byLocal(doc, DS, 'KeyInfo'), WSSE_NS, 'Reference');
  expect(tokenRef.getAttribute('URI')).toBe(`#${token.getAttributeNS(WSU_NS, 'Id')}`);
  const certificate = token.textContent ?? '';
  const key = new X509Certificate(normalizeCertificatePem(certificate)).publicKey;
  const value = Buffer.from(byLocal(doc, DS, 'SignatureValue').textContent ?? '', 'base64');
  const ok = createVerify('sha256').update(c14n.process(signedInfo, {}), 'utf8').verify(key, value);
  expect(ok).toBe(true);
  return { certificate };
}

describe('WS-Security transport signature', () => {
  it('has the agreed shape: Body by wsu:Id, exc-c14n, RSA-SHA256, BinarySecurityToken, no timestamp', async () => {
    const signed = await signEnvelope(envelope, identity.signer);
    expect(signed).toContain('mustUnderstand="1"');
    expect(signed).toContain('<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>');
    expect(signed).toContain('Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"');
    expect(signed).toContain('<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>');
    expect(signed).toContain('wsse:BinarySecurityToken');
    expect(signed).not.toContain('Timestamp');
    expect(signed).toContain(body.replace('<request>', '<request>'));
  });

  it('verifies with an independent verifier (node:crypto + exc-c14n only)', async () => {
    const signed = await signEnvelope(envelope, identity.signer);
    expect(independentVerify(signed).certificate).toBe(identity.signer.certificate);
  });

  it('verifies with verifyEnvelope against the trusted certificate', async () => {
    const signed = await signEnvelope(envelope, identity.signer);
    expect(verifyEnvelope(signed, { trustedCertificates: [identity.certificatePem] })).toEqual({
      signed: true,
      certificate: identity.signer.certificate,
    });
  });

  it('refuses a tampered body', async () => {
    const signed = await signEnvelope(envelope, identity.signer);
    const tampered = signed.replace('1 &amp; 2', '1 &amp; 3');
    expect(tampered).not.toBe(signed);
    expect(() => verifyEnvelope(tampered, { trustedCertificates: [identity.certificatePem] })).toThrow(
      'the signed content was changed',
    );
  });

  it('refuses a tampered signature value', async () => {
    const signed = await signEnvelope(envelope, identity.signer);
    const tampered = signed.replace(
      /<ds:SignatureValue>(.)/,
      (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`,
    );
    expect(() => verifyEnvelope(tampered, { trustedCertificates: [identity.certificatePem] })).toThrow(
      XmlSignatureFailure,
    );
  });

  it('refuses a signature from an unexpected certificate', async () => {
    const signed = await signEnvelope(envelope, stranger.signer);
    expect(() => verifyEnvelope(signed, { trustedCertificates: [identity.certificatePem] })).toThrow(
      'unexpected certificate',
    );
  });

  it('refuses a certificate swapped into the token (the signature no longer matches)', async () => {
    const signed = await signEnvelope(envelope, stranger.signer);
    const swapped = signed.replace(stranger.signer.certificate, identity.signer.certificate);
    expect(() => verifyEnvelope(swapped, { trustedCertificates: [identity.certificatePem] })).toThrow(
      XmlSignatureFailure,
    );
  });

  it('refuses an unsigned message, and a wrapped Body (signed Body moved, another put in its place)', async () => {
    expect(() => verifyEnvelope(envelope, { trustedCertificates: [identity.certificatePem] })).toThrow(
      'no transport signature',
    );
    const signed = await signEnvelope(envelope, identity.signer);
    const id = /wsu:Id="(id-[^"]+)"/.exec(signed)?.[1] as string;
    const wrapped = signed
      .replace('</wsse:Security>', `</wsse:Security><w xmlns:wsu="${WSU_NS}" wsu:Id="${id}">${body}</w>`)
      .replace(
        '1 &amp; 2</x></request></ns2:SendMessage></soap:Body>',
        '9</x></request></ns2:SendMessage></soap:Body>',
      );
    expect(() => verifyEnvelope(wrapped, { trustedCertificates: [identity.certificatePem] })).toThrow(
      XmlSignatureFailure,
    );
  });

  it('rejects DOCTYPE before any DOM parsing', () => {
    const hostile = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>${envelope.replace(/^<\?xml[^>]*>/, '')}`;
    expect(() => verifyEnvelope(hostile, { trustedCertificates: [identity.certificatePem] })).toThrow('malformed XML');
  });

  it('a GOST signer plugs in through its algorithm URIs (here simulated with RSA under other names)', async () => {
    const GOST = {
      signature: 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512',
      digest: 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512',
    };
    const calls: string[] = [];
    const gostLike: Signer = {
      algorithms: GOST,
      certificate: identity.signer.certificate,
      digest: async (data) => {
        calls.push('digest');
        return identity.signer.digest(data);
      },
      sign: async (data) => {
        calls.push('sign');
        return identity.signer.sign(data);
      },
    };
    const signed = await signEnvelope(envelope, gostLike);
    expect(signed).toContain(`Algorithm="${GOST.signature}"`);
    expect(signed).toContain(`Algorithm="${GOST.digest}"`);
    expect(calls).toEqual(['digest', 'sign']);
    // GOST is built into the verifier now: it checks these URIs as GOST, which this RSA-made value is
    // not (SignedInfo's signature is checked first). An entry of your own for the same URIs replaces
    // the built-in one, and then it is accepted.
    expect(() => verifyEnvelope(signed, { trustedCertificates: [identity.certificatePem] })).toThrow(
      'the signature value does not verify',
    );
    const support = {
      ...GOST,
      digestSync: (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest()),
      verifySync: (d: Uint8Array, s: Uint8Array, c: string) =>
        createVerify('sha256')
          .update(d)
          .verify(new X509Certificate(normalizeCertificatePem(c)).publicKey, s),
    };
    expect(
      verifyEnvelope(signed, { trustedCertificates: [identity.certificatePem], algorithms: [support] }).signed,
    ).toBe(true);
  });

  it('enveloped document signatures (a taxpayer signing a form) verify and refuse tampering', async () => {
    const form =
      '<?xml version="1.0" encoding="UTF-8"?><form code="910.00"><field name="income">1000000</field></form>';
    const signed = await signXmlDocument(form, identity.signer);
    expect(verifyXmlDocument(signed, { trustedCertificates: [identity.certificatePem] }).certificate).toBe(
      identity.signer.certificate,
    );
    expect(() => verifyXmlDocument(signed.replace('1000000', '1'), { isTrusted: () => true })).toThrow(
      'the signed content was changed',
    );
  });
});
