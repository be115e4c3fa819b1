/**
 * A GOST key container signs SHEP transport signatures with no change to @kz/shep: loadSigner
 * reads it, signEnvelope names the Kazakh GOST URIs, verifyEnvelope accepts them. Checked by hand
 * too: Streebog-512 over the exclusive-C14N Body is the DigestValue, and the SignatureValue (r || s
 * little-endian) verifies over the canonical SignedInfo with the certificate's key.
 */
import { GOST_2015_512, loadSigner, verifyGostSignature } from '@kz/signing';
import { createGostTestIdentity } from '@kz/signing/testing';
import { buildEnvelope } from '@kz/soap';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { signEnvelope, verifyEnvelope, WSSE_NS, XmlSignatureFailure } from '../src/index.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const identity = createGostTestIdentity({ commonName: 'SENDER SYSTEM (GOST)', bin: '123456789012' });
const body =
  '<ns2:SendMessage xmlns:ns2="http://bip.bee.kz/SyncChannel/v10/Types"><request><x>1 &amp; 2</x></request></ns2:SendMessage>';
const envelope = buildEnvelope('1.1', { headers: [], body });

function first(node: Document | Element, ns: string, local: string): Element {
  const found = node.getElementsByTagNameNS(ns, local).item(0);
  if (!found) throw new Error(`no ${local}`);
  return found;
}

describe('SHEP transport signature with a GOST key container', () => {
  it('signs with the KZ GOST URIs; verifyEnvelope accepts it; a changed Body is refused', async () => {
    const signer = loadSigner(identity.pkcs12, identity.pkcs12Password);
    const signed = await signEnvelope(envelope, signer);
    expect(signed).toContain(`Algorithm="${GOST_2015_512.signature}"`);
    expect(signed).toContain(`Algorithm="${GOST_2015_512.digest}"`);
    expect(verifyEnvelope(signed, { trustedCertificates: [identity.certificate] }).certificate).toBe(
      identity.certificate,
    );
    expect(() =>
      verifyEnvelope(signed.replace('1 &amp; 2', '1 &amp; 3'), { trustedCertificates: [identity.certificate] }),
    ).toThrow();
  });

  it('checks out by hand: Streebog-512 digest over the Body, GOST signature over SignedInfo', async () => {
    const signed = await signEnvelope(envelope, identity.signer);
    const doc = new DOMParser().parseFromString(signed, 'text/xml');
    const c14n = new ExclusiveCanonicalization();
    const signedInfo = first(doc, DS, 'SignedInfo');
    const digest = await identity.signer.digest(Buffer.from(c14n.process(first(doc, SOAP11, 'Body'), {}), 'utf8'));
    expect(first(signedInfo, DS, 'DigestValue').textContent).toBe(Buffer.from(digest).toString('base64'));
    const token = first(doc, WSSE_NS, 'BinarySecurityToken').textContent ?? '';
    expect(token).toBe(identity.certificate);
    const value = Buffer.from(first(doc, DS, 'SignatureValue').textContent ?? '', 'base64');
    const material = Buffer.from(c14n.process(signedInfo, {}), 'utf8');
    expect(verifyGostSignature(material, value, token)).toBe(true);
    expect(verifyGostSignature(Buffer.concat([material, Buffer.from(' ')]), value, token)).toBe(false);
  });

  it('a GOST signature from a certificate nobody trusts is refused', async () => {
    const signed = await signEnvelope(envelope, identity.signer);
    const other = createGostTestIdentity();
    expect(() => verifyEnvelope(signed, { trustedCertificates: [other.certificate] })).toThrow(XmlSignatureFailure);
  });
});
