/**
 * Enveloped XML-DSig over a whole document, checked without our code: the canonical forms are
 * written out here by the C14N rules (declaration dropped, comments dropped for URI="", empty
 * elements expanded, attributes sorted, the ds namespace declared on the apex of SignedInfo), then
 * openssl computes the SHA-256 digest and verifies the RSA-SHA256 SignatureValue over them.
 */
import { describe, expect, it } from 'vitest';
import {
  C14N,
  C14N_WITH_COMMENTS,
  ENVELOPED_C14N_WITH_COMMENTS,
  ENVELOPED_EXC_C14N,
  ENVELOPED_SIGNATURE,
  EXC_C14N,
  envelopedXmlSigner,
  RSA_SHA256,
  signXmlDocument,
  verifyXmlDocument,
  XmlSignatureFailure,
} from '../src/index.js';
import { createTestIdentity } from '../src/testing/index.js';
import { opensslSha256Base64, opensslVerifySha256 } from './openssl.js';

const identity = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: 'IIN123456789011' });
const trust = { trustedCertificates: [identity.certificatePem] };

/** An ESF auth ticket as createAuthTicket returns it (unescaped), with a comment and a line break. */
const TICKET =
  '<?xml version="1.0" encoding="UTF-8"?>\n<authSign><!-- issued by the mock --><timeMark>2024-05-01T10:00:00.000+06:00</timeMark><state>c2VjcmV0LW5vbmNl</state><iin>123456789011</iin><ttlInMinutes>30</ttlInMinutes></authSign>';
/** Its canonical form after the enveloped-signature transform (written by hand, not computed). */
const TICKET_C14N =
  '<authSign><timeMark>2024-05-01T10:00:00.000+06:00</timeMark><state>c2VjcmV0LW5vbmNl</state><iin>123456789011</iin><ttlInMinutes>30</ttlInMinutes></authSign>';

function value(xml: string, element: string): string {
  const match = new RegExp(`<ds:${element}>([^<]*)</ds:${element}>`).exec(xml);
  if (!match) throw new Error(`no ds:${element}`);
  return (match[1] as string).replace(/\s+/g, '');
}

/** SignedInfo in canonical form, from the algorithm URIs and the digest (by hand, per C14N). */
function signedInfoC14n(canonicalization: string, transforms: string[], digest: string): string {
  const ds = 'http://www.w3.org/2000/09/xmldsig#';
  return (
    `<ds:SignedInfo xmlns:ds="${ds}">` +
    `<ds:CanonicalizationMethod Algorithm="${canonicalization}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${RSA_SHA256.signature}"></ds:SignatureMethod>` +
    '<ds:Reference URI=""><ds:Transforms>' +
    transforms.map((t) => `<ds:Transform Algorithm="${t}"></ds:Transform>`).join('') +
    `</ds:Transforms><ds:DigestMethod Algorithm="${RSA_SHA256.digest}"></ds:DigestMethod>` +
    `<ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`
  );
}

describe('enveloped XML-DSig, the ESF ticket profile (inclusive C14N with comments)', { timeout: 60_000 }, () => {
  it('digest and signature check out with openssl over hand-written canonical forms', async () => {
    const signed = await signXmlDocument(TICKET, identity.signer, ENVELOPED_C14N_WITH_COMMENTS);
    // ds:Signature is the last child of authSign; the ticket before it is untouched.
    expect(signed.startsWith(TICKET.replace('</authSign>', '<ds:Signature'))).toBe(true);
    expect(signed.endsWith('</ds:Signature></authSign>')).toBe(true);
    expect(value(signed, 'X509Certificate')).toBe(identity.signer.certificate);

    const digest = value(signed, 'DigestValue');
    expect(digest).toBe(opensslSha256Base64(TICKET_C14N));

    const signedInfo = signedInfoC14n(C14N, [ENVELOPED_SIGNATURE, C14N_WITH_COMMENTS], digest);
    const signature = Buffer.from(value(signed, 'SignatureValue'), 'base64');
    expect(opensslVerifySha256(signedInfo, signature, identity.certificatePem)).toBe(true);
    expect(opensslVerifySha256(signedInfo.replace('URI=""', 'URI="#x"'), signature, identity.certificatePem)).toBe(
      false,
    );

    expect(verifyXmlDocument(signed, trust, [ENVELOPED_C14N_WITH_COMMENTS]).certificate).toBe(
      identity.signer.certificate,
    );
  });

  it('a changed ticket, another certificate or an unexpected profile is refused', async () => {
    const signed = await signXmlDocument(TICKET, identity.signer, ENVELOPED_C14N_WITH_COMMENTS);
    const profiles = [ENVELOPED_C14N_WITH_COMMENTS];
    expect(() => verifyXmlDocument(signed.replace('<iin>123456789011', '<iin>123456789012'), trust, profiles)).toThrow(
      /changed/,
    );
    expect(() =>
      verifyXmlDocument(signed, { trustedCertificates: [createTestIdentity().certificatePem] }, profiles),
    ).toThrow(/unexpected certificate/);
    expect(() => verifyXmlDocument(signed, trust)).toThrow(XmlSignatureFailure);
    expect(() => verifyXmlDocument(signed, trust)).toThrow(/unexpected canonicalization/);
  });
});

describe('enveloped XML-DSig, exclusive C14N', { timeout: 60_000 }, () => {
  it('canonicalizes attributes and empty elements as the rules say; openssl agrees', async () => {
    const xml = '<doc z="2" a="1"><empty/><v>a &amp; b</v></doc>';
    const signed = await envelopedXmlSigner(identity.signer).signXmlDocument(xml);
    const digest = value(signed, 'DigestValue');
    expect(digest).toBe(opensslSha256Base64('<doc a="1" z="2"><empty></empty><v>a &amp; b</v></doc>'));
    const signedInfo = signedInfoC14n(EXC_C14N, [ENVELOPED_SIGNATURE, EXC_C14N], digest);
    const signature = Buffer.from(value(signed, 'SignatureValue'), 'base64');
    expect(opensslVerifySha256(signedInfo, signature, identity.certificatePem)).toBe(true);
    expect(verifyXmlDocument(signed, trust).certificate).toBe(identity.signer.certificate);
    expect(verifyXmlDocument(signed, trust, [ENVELOPED_EXC_C14N, ENVELOPED_C14N_WITH_COMMENTS]).certificate).toBe(
      identity.signer.certificate,
    );
  });
});

describe('pluggable algorithms', { timeout: 60_000 }, () => {
  it('a signer naming other URIs gets them in SignedInfo, with its own digest and signature', async () => {
    const seen: string[] = [];
    const gostLike = {
      algorithms: { signature: 'urn:test:signature', digest: 'urn:test:digest' },
      certificate: identity.signer.certificate,
      digest: async (data: Uint8Array) => {
        seen.push(`digest:${Buffer.from(data).toString()}`);
        return new Uint8Array([1, 2, 3]);
      },
      sign: async (data: Uint8Array) => {
        seen.push(`sign:${Buffer.from(data).toString().slice(0, 40)}`);
        return { signature: new Uint8Array([9, 9]), certificate: identity.signer.certificate };
      },
    };
    const signed = await signXmlDocument(TICKET, gostLike, ENVELOPED_C14N_WITH_COMMENTS);
    expect(signed).toContain('<ds:SignatureMethod Algorithm="urn:test:signature"/>');
    expect(signed).toContain('<ds:DigestMethod Algorithm="urn:test:digest"/>');
    expect(value(signed, 'DigestValue')).toBe('AQID');
    expect(value(signed, 'SignatureValue')).toBe('CQk=');
    expect(seen).toEqual([`digest:${TICKET_C14N}`, 'sign:<ds:SignedInfo xmlns:ds="http://www.w3.o']);
  });
});
