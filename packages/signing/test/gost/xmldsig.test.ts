/**
 * GOST enveloped XML-DSig against Kalkan: its signatures over two documents verify, any change to a
 * signed byte, the digest or the signature value fails, and ours over the same inputs carry the
 * same DigestValue. Digests and signature values are also checked without xml-crypto, over
 * canonical forms written out here by the C14N rules.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ALGORITHMS } from '../../src/gost/algorithms.js';
import { TC26_512_A } from '../../src/gost/curves.js';
import { decodeSignature, encodeGostPrivateKeyInfo } from '../../src/gost/encoding.js';
import { verifyDigest } from '../../src/gost/gost3410.js';
import { writePkcs12 } from '../../src/gost/pkcs12.js';
import { streebog512 } from '../../src/gost/streebog.js';
import {
  ENVELOPED_C14N_WITH_COMMENTS,
  ENVELOPED_EXC_C14N,
  GOST_2015_512,
  GostSigner,
  signXmlDocument,
  verifyXmlDocument,
  XmlSignatureFailure,
} from '../../src/index.js';
import { createGostTestIdentity } from '../../src/testing/index.js';
import { fixture, VECTOR_CERTIFICATE, VECTOR_KEY, VECTOR_TIME } from './helpers.js';

// Key generation, property runs and openssl take seconds each on a loaded, shared 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

const trust = { trustedCertificates: [VECTOR_CERTIFICATE], now: () => VECTOR_TIME };
const KALKAN = [ENVELOPED_C14N_WITH_COMMENTS];

const documents = [
  {
    name: 'xml_simple',
    input: fixture('test_gost512.xml_simple.input.xml'),
    signed: fixture('test_gost512.xml_simple.xml'),
    // The document after the enveloped-signature transform, in canonical form (by hand).
    canonical: '<root><a>1</a><b attr="x">текст</b></root>',
    // Namespaces in scope at SignedInfo besides ds (inclusive C14N renders them there).
    inScope: '',
  },
  {
    name: 'xml_ns',
    input: fixture('test_gost512.xml_ns.input.xml'),
    signed: fixture('test_gost512.xml_ns.xml'),
    canonical: '<ns1:doc xmlns:ns1="urn:test" id="d1"><ns1:item>  spaced  </ns1:item><empty></empty></ns1:doc>',
    inScope: ' xmlns:ns1="urn:test"',
  },
];

function element(xml: string, name: string): string {
  const match = new RegExp(`<ds:${name}>([\\s\\S]*?)</ds:${name}>`).exec(xml);
  if (!match) throw new Error(`no ds:${name}`);
  return match[1] as string;
}
const base64Of = (text: string) => Buffer.from(text.replace(/&#13;|\s/g, ''), 'base64');

/**
 * SignedInfo as inclusive C14N renders it, from the signed document's text: the ds namespace (and
 * any other in scope) declared on it, empty elements written as start and end tags, and the
 * carriage returns Kalkan wraps base64 with (&#13;) written as &#xD;.
 */
function canonicalSignedInfo(signed: string, inScope: string): string {
  const inner = element(signed, 'SignedInfo');
  return `<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"${inScope}>${inner
    .replace(/<(ds:\w+)([^>]*?)\/>/g, '<$1$2></$1>')
    .replace(/&#13;/g, '&#xD;')}</ds:SignedInfo>`;
}

function checkByHand(signed: string, canonical: string, inScope: string): { digest: boolean; signature: boolean } {
  const digest = streebog512(new TextEncoder().encode(canonical));
  const value = decodeSignature(64, base64Of(element(signed, 'SignatureValue')));
  const signedInfo = streebog512(new TextEncoder().encode(canonicalSignedInfo(signed, inScope)));
  return {
    digest: Buffer.from(digest).equals(base64Of(element(signed, 'DigestValue'))),
    signature: value !== undefined && verifyDigest(TC26_512_A, VECTOR_KEY.point, signedInfo, value),
  };
}

const vectorSigner = GostSigner.fromPkcs12(
  writePkcs12({
    privateKeyInfo: encodeGostPrivateKeyInfo(ALGORITHMS['GOST-2015-512'], TC26_512_A, VECTOR_KEY.d),
    certificates: [new Uint8Array(Buffer.from(VECTOR_CERTIFICATE, 'base64'))],
    password: 'Test1234',
  }),
  'Test1234',
);

describe.each(documents)('Kalkan-made signature: $name', ({ input, signed, canonical, inScope }) => {
  it('verifies (verifyXmlDocument, the Kalkan profile) and names the test certificate', () => {
    expect(verifyXmlDocument(signed, trust, KALKAN).certificate).toBe(VECTOR_CERTIFICATE);
  });

  it('checks out by hand: Streebog-512 of the canonical document is the DigestValue; r || s (LE) verifies over SignedInfo', () => {
    expect(checkByHand(signed, canonical, inScope)).toEqual({ digest: true, signature: true });
    // The input file, declaration dropped, is the document that was signed.
    expect(input.replace(/^<\?xml[^>]*\?>/, '').replace('<empty/>', '<empty></empty>')).toBe(canonical);
  });

  it('fails after any change to a signed byte, the DigestValue or the SignatureValue', () => {
    const before = signed.slice(0, signed.indexOf('<ds:Signature'));
    // Every character of the signed content, one at a time (a letter changes case, others become "Z").
    for (let i = 0; i < before.length; i++) {
      const c = before[i] as string;
      if ('<>/="'.includes(c)) continue; // keep the document well-formed
      const changed = c === c.toUpperCase() ? (c === 'Z' ? 'Y' : 'Z') : c.toUpperCase();
      const tampered = signed.slice(0, i) + changed + signed.slice(i + 1);
      expect(() => verifyXmlDocument(tampered, trust, KALKAN), `content position ${i}`).toThrow(XmlSignatureFailure);
    }
    const digest = element(signed, 'DigestValue');
    const badDigest = signed.replace(digest, `${digest[0] === 'A' ? 'B' : 'A'}${digest.slice(1)}`);
    // DigestValue is part of SignedInfo, whose signature is checked first.
    expect(() => verifyXmlDocument(badDigest, trust, KALKAN)).toThrow(/signature value does not verify/);
    const signatureValue = element(signed, 'SignatureValue');
    const bytes = base64Of(signatureValue);
    for (const index of [0, 31, 63, 64, 100, 127]) {
      const copy = Buffer.from(bytes);
      copy[index] = (copy[index] as number) ^ 0x01;
      const badSignature = signed.replace(signatureValue, `\n${copy.toString('base64')}\n`);
      expect(() => verifyXmlDocument(badSignature, trust, KALKAN), `signature byte ${index}`).toThrow(
        /signature value|changed/,
      );
    }
    // Changing SignedInfo (here the digest URI to the 256-bit one) breaks the signature too.
    const otherUri = signed.replace(
      'DigestMethod Algorithm="urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512"',
      'DigestMethod Algorithm="urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256"',
    );
    expect(() => verifyXmlDocument(otherUri, trust, KALKAN)).toThrow(XmlSignatureFailure);
  });

  it('our signature over the same input carries the same DigestValue, and checks out by hand', async () => {
    const ours = await signXmlDocument(input, vectorSigner, ENVELOPED_C14N_WITH_COMMENTS);
    expect(base64Of(element(ours, 'DigestValue'))).toEqual(base64Of(element(signed, 'DigestValue')));
    expect(element(ours, 'X509Certificate').replace(/\s/g, '')).toBe(VECTOR_CERTIFICATE);
    expect(verifyXmlDocument(ours, trust, KALKAN).certificate).toBe(VECTOR_CERTIFICATE);
    expect(checkByHand(ours, canonical, inScope)).toEqual({ digest: true, signature: true });
  });
});

describe('GOST XML-DSig round trips', () => {
  const identity = createGostTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', purpose: 'SIGN' });
  const identity256 = createGostTestIdentity({ keyType: 'GOST-2015-256' });
  const ownTrust = { trustedCertificates: [identity.certificate, identity256.certificate] };

  it('any document, both profiles, 512 and 256-bit keys: sign then verify; a changed attribute fails', async () => {
    const text = fc.stringMatching(/^[A-Za-z0-9 А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі.,-]{0,40}$/);
    await fc.assert(
      fc.asyncProperty(text, text, fc.boolean(), fc.boolean(), async (a, b, inclusive, wide) => {
        const profile = inclusive ? ENVELOPED_C14N_WITH_COMMENTS : ENVELOPED_EXC_C14N;
        const signer = wide ? identity.signer : identity256.signer;
        const xml = `<doc xmlns:x="urn:x" x:id="1"><x:a attr="${a}">${b}</x:a><!-- note --></doc>`;
        const signed = await signXmlDocument(xml, signer, profile);
        expect(verifyXmlDocument(signed, ownTrust, [profile]).certificate).toBe(signer.certificate);
        const tampered = signed.replace('x:id="1"', 'x:id="2"');
        expect(tampered).not.toBe(signed);
        expect(() => verifyXmlDocument(tampered, ownTrust, [profile])).toThrow(XmlSignatureFailure);
      }),
      { numRuns: 12 },
    );
  });

  it('names the Kazakh URIs, and a certificate other than the trusted ones is refused', async () => {
    const signed = await signXmlDocument('<doc>1</doc>', identity.signer, ENVELOPED_C14N_WITH_COMMENTS);
    expect(signed).toContain(`SignatureMethod Algorithm="${GOST_2015_512.signature}"`);
    expect(signed).toContain(`DigestMethod Algorithm="${GOST_2015_512.digest}"`);
    expect(() => verifyXmlDocument(signed, { trustedCertificates: [identity256.certificate] }, KALKAN)).toThrow(
      /unexpected certificate/,
    );
  });
});
