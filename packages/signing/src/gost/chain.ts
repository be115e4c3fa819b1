/**
 * Chain building: from a certificate up to one of the given trusted roots, checking each signature
 * (GOST 2015, GOST 2004, RSA) and each validity period. By default the chain must end at one of
 * the NCA roots shipped with this package (nca-certificates.ts), and the NCA intermediates are
 * always candidates; pass `roots` to trust others (a test stand's root, your own CA) instead.
 */
import { equalBytes } from './bytes.js';
import {
  type CertificateInput,
  checkValidity,
  isSignedBy,
  type NcaCertificate,
  parseCertificate,
} from './certificate.js';
import { CertificateError } from './errors.js';
import { NCA_INTERMEDIATES, NCA_ROOTS } from './nca-certificates.js';

/** What buildChain trusts and when the chain must be valid. */
export interface ChainOptions {
  /** Trusted roots: the chain must end at one of them. Default: the shipped NCA roots (`NCA_ROOTS`). */
  readonly roots?: readonly CertificateInput[];
  /** Further intermediate CA certificates; the shipped NCA intermediates are always candidates. */
  readonly intermediates?: readonly CertificateInput[];
  /** The moment every certificate must be valid at. Default: now. */
  readonly at?: Date;
}

const MAX_CHAIN_LENGTH = 8;

/**
 * Returns the chain from `certificate` (first) to a trusted root (last), or throws a
 * `CertificateError` saying what is missing or wrong.
 */
export function buildChain(
  certificate: CertificateInput | NcaCertificate,
  options: ChainOptions = {},
): NcaCertificate[] {
  const at = options.at ?? new Date();
  const roots = (options.roots ?? NCA_ROOTS).map(parseCertificate);
  const intermediates = [...(options.intermediates ?? []), ...NCA_INTERMEDIATES].map(parseCertificate);
  const leaf = isParsed(certificate) ? certificate : parseCertificate(certificate);
  const chain = [leaf];
  checkValidity(leaf, at);
  const isRoot = (c: NcaCertificate) => roots.some((root) => equalBytes(root.der, c.der));
  for (let current = leaf; !isRoot(current); ) {
    if (chain.length >= MAX_CHAIN_LENGTH) throw new CertificateError('CHAIN_TOO_LONG', 'certificate chain too long');
    const issuer = findIssuer(current, roots, intermediates);
    if (chain.some((c) => equalBytes(c.der, issuer.der))) {
      throw new CertificateError('NO_ISSUER', 'the certificate chain loops without reaching a trusted root');
    }
    checkValidity(issuer, at);
    // A trusted root is trusted as given; an intermediate must say it is a CA.
    if (!isRoot(issuer) && !issuer.isCa) {
      throw new CertificateError('NOT_A_CA', `"${issuer.subject.commonName}" is not a CA certificate`);
    }
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}

function isParsed(value: CertificateInput | NcaCertificate): value is NcaCertificate {
  return typeof value === 'object' && !(value instanceof Uint8Array);
}

/** The candidate whose subject is the certificate's issuer and whose key verifies its signature. */
function findIssuer(
  certificate: NcaCertificate,
  roots: readonly NcaCertificate[],
  intermediates: readonly NcaCertificate[],
): NcaCertificate {
  const named = [...roots, ...intermediates].filter(
    (candidate) =>
      equalBytes(candidate.subject.der, certificate.issuer.der) &&
      (!certificate.authorityKeyIdentifier ||
        !candidate.subjectKeyIdentifier ||
        candidate.subjectKeyIdentifier === certificate.authorityKeyIdentifier),
  );
  if (named.length === 0) {
    throw new CertificateError(
      'NO_ISSUER',
      `no trusted root or given intermediate issued "${certificate.subject.commonName ?? certificate.serialNumber}"`,
    );
  }
  const issuer = named.find((candidate) => isSignedBy(certificate, candidate));
  if (!issuer) {
    throw new CertificateError(
      'BAD_SIGNATURE',
      `the signature on "${certificate.subject.commonName ?? certificate.serialNumber}" does not verify with its issuer's key`,
    );
  }
  return issuer;
}
