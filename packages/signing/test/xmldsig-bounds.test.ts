/**
 * verifyXmlDocument on untrusted input: the caps are checked by the scanner before any DOM is
 * built, and a document whose SignedInfo a trusted key did not sign is refused before xml-crypto
 * parses and canonicalizes it again (one DOM, ours, instead of two). Counted by watching xmldom.
 */
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  ENVELOPED_C14N_WITH_COMMENTS,
  ENVELOPED_EXC_C14N,
  MAX_SIGNED_DOCUMENT_ELEMENTS,
  signXmlDocument,
  verifyXmlDocument,
  XmlSignatureFailure,
} from '../src/index.js';
import { createTestIdentity } from '../src/testing/index.js';

const owner = createTestIdentity({ commonName: 'OWNER' });
const forger = createTestIdentity({ commonName: 'FORGER' });
const trust = { trustedCertificates: [owner.certificatePem] };
const PROFILES = [ENVELOPED_EXC_C14N, ENVELOPED_C14N_WITH_COMMENTS];

/** Every DOM xmldom builds, by the length of its input. */
const domInputs: number[] = [];
const parse = DOMParser.prototype.parseFromString;
DOMParser.prototype.parseFromString = function (this: DOMParser, source: string, mimeType?: string) {
  domInputs.push(source.length);
  return parse.call(this, source, mimeType);
};
afterAll(() => {
  DOMParser.prototype.parseFromString = parse;
});
afterEach(() => {
  domInputs.length = 0;
});

/** A document with a large payload (so its DOMs stand out from SignedInfo's). */
const DOCUMENT = `<doc xmlns:x="urn:x"><x:payload>${'p'.repeat(200_000)}</x:payload></doc>`;
const certificateBody = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');

function refused(run: () => unknown, reason: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(XmlSignatureFailure);
  expect((error as Error).message).toMatch(reason);
}

describe('verifyXmlDocument on untrusted input', { timeout: 60_000 }, () => {
  it('more bytes or elements than the caps: refused before any DOM', async () => {
    const signed = await signXmlDocument(DOCUMENT, owner.signer);
    domInputs.length = 0;
    refused(() => verifyXmlDocument(signed, { ...trust, maxBytes: 1000 }), /exceeds the 1000-byte limit/);
    refused(() => verifyXmlDocument(signed, { ...trust, maxElements: 2 }), /more than 2 elements/);
    const flood = `<doc>${'<a/>'.repeat(MAX_SIGNED_DOCUMENT_ELEMENTS + 1)}</doc>`;
    refused(() => verifyXmlDocument(flood, trust), /more than \d+ elements/);
    expect(domInputs).toEqual([]);
  });

  it.each(PROFILES.map((p) => [p.canonicalization, p] as const))(
    '%s: a genuine document verifies',
    async (_n, profile) => {
      const signed = await signXmlDocument(DOCUMENT, owner.signer, profile);
      domInputs.length = 0;
      expect(verifyXmlDocument(signed, trust, [profile]).certificate).toBe(certificateBody(owner.certificatePem));
      // Ours, then xml-crypto's own: the counter sees both.
      expect(domInputs.filter((length) => length > 200_000).length).toBeGreaterThanOrEqual(2);
    },
  );

  it.each(PROFILES.map((p) => [p.canonicalization, p] as const))(
    '%s: signed by another key under the trusted certificate: refused on SignedInfo, one DOM',
    async (_n, profile) => {
      const forged = (await signXmlDocument(DOCUMENT, forger.signer, profile)).replace(
        /(<ds:X509Certificate>)[^<]*/,
        (_m, open: string) => open + certificateBody(owner.certificatePem),
      );
      domInputs.length = 0;
      refused(() => verifyXmlDocument(forged, trust, [profile]), /the signature value does not verify/);
      expect(domInputs.filter((length) => length > 200_000)).toHaveLength(1);
    },
  );
});
