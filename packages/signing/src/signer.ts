/**
 * The signing interfaces every @kz package signs through. A signer never hands out its private
 * key: it signs what it is given and tells which certificate and algorithms it used, so a GOST
 * key in NCALayer, Kalkan or an HSM plugs in by implementing the same two interfaces.
 */

/** XML-DSig algorithm identifiers (URIs) a signer produces. */
export interface XmlDsigAlgorithms {
  /** e.g. http://www.w3.org/2001/04/xmldsig-more#rsa-sha256, or a GOST URI. */
  readonly signature: string;
  /** e.g. http://www.w3.org/2001/04/xmlenc#sha256, or a GOST URI. */
  readonly digest: string;
}

/** What `Signer.sign` returns: the signature value and the certificate that verifies it. */
export interface SignatureResult {
  /** The raw signature value. */
  readonly signature: Uint8Array;
  /** The signer's X.509 certificate: DER, base64, no PEM armour. */
  readonly certificate: string;
}

/** Signs bytes (documents, canonicalized XML). */
export interface Signer {
  /** The XML-DSig SignatureMethod and DigestMethod URIs this signer's key and hash correspond to. */
  readonly algorithms: XmlDsigAlgorithms;
  /** The signer's X.509 certificate: DER, base64, no PEM armour. */
  readonly certificate: string;
  /** Hashes with the signer's digest algorithm (XML-DSig references need it). */
  digest(data: Uint8Array): Promise<Uint8Array>;
  /** Signs `data` (hashing it with the signer's algorithm). */
  sign(data: Uint8Array): Promise<SignatureResult>;
}

/** Produces CMS (PKCS#7 SignedData), as True API's login and document signatures need. */
export interface CmsSigner {
  /** DER-encoded CMS SignedData over `data`; attached (content inside) unless `detached`. */
  signCms(data: Uint8Array, options?: { detached?: boolean }): Promise<Uint8Array>;
}

/** RSA PKCS#1 v1.5 with SHA-256 and SHA-256 digests: the pair of RsaSha256Signer (ESF's RSA test keys). */
export const RSA_SHA256: XmlDsigAlgorithms = {
  signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
};

/**
 * GOST identifiers as Kazakhstan's NCA uses them, for signers that wrap NCALayer/Kalkan.
 * Given for reference: confirm with the receiving system which pair it expects.
 */
export const GOST_2015_512: XmlDsigAlgorithms = {
  signature: 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512',
  digest: 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512',
};
/**
 * GOST 34.310-2004 with GOST 34.311-95 digests, as the older NCA keys sign (the URIs NCANode's
 * samples show). Such keys are verified here, not used to sign (GostSigner refuses them).
 */
export const GOST_34_310: XmlDsigAlgorithms = {
  signature: 'http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311',
  digest: 'http://www.w3.org/2001/04/xmldsig-more#gost34311',
};
