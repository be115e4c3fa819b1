/**
 * PKCS#12 key containers as the NCA issues them (reference-docs/gost-kz.md section 2): the standard
 * envelope (SHA-1 MAC, key bag under pbeWithSHAAnd3-KeyTripleDES-CBC, certificates under
 * pbeWithSHAAnd40BitRC2-CBC), with a GOST PrivateKeyInfo inside. node-forge opens the envelope (it
 * keeps GOST keys and certificates as raw ASN.1, not knowing their algorithms); the GOST parts are
 * read in encoding.ts. The writer makes the same kind of file for tests and throwaway identities.
 */
import { createHmac, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { SigningKeyError } from '../errors.js';
import { der, tlv } from './der.js';
import { WrongPasswordError } from './errors.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  pbeSha1Rc2_40: '1.2.840.113549.1.12.1.6',
  sha1: '1.3.14.3.2.26',
} as const;

export interface Pkcs12Contents {
  /** The PrivateKeyInfo (PKCS#8) DER. */
  readonly privateKeyInfo: Uint8Array;
  /** Every certificate in the container, DER. */
  readonly certificates: readonly Uint8Array[];
}

const toBinary = (bytes: Uint8Array) => Buffer.from(bytes).toString('binary');
const fromBinary = (binary: string) => new Uint8Array(Buffer.from(binary, 'binary'));
const asn1Der = (node: forge.asn1.Asn1) => fromBinary(forge.asn1.toDer(node).getBytes());

/**
 * Opens a container with its password. A wrong password is a `WrongPasswordError`; a file that is
 * not a PKCS#12 container, or holds no key, a `SigningKeyError`. Nothing in the errors comes from
 * the password or the key.
 */
export function readPkcs12(pkcs12: Uint8Array, password: string): Pkcs12Contents {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(toBinary(pkcs12)), false, password);
  } catch (error) {
    // forge's own wording for a failed MAC or a failed decryption; anything else is a bad file.
    if (/MAC could not be verified|wrong password|Failed to decrypt|Invalid password/i.test((error as Error).message)) {
      throw new WrongPasswordError();
    }
    throw new SigningKeyError('not a readable PKCS#12 key container');
  }
  const bags = (type: string) => pfx.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(OID.shroudedKeyBag), ...bags(OID.keyBag)][0];
  if (!keyBag) throw new SigningKeyError('the PKCS#12 container holds no private key');
  // forge turns RSA keys into its own objects and keeps any other key as ASN.1.
  const privateKeyInfo = keyBag.key
    ? asn1Der(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key)))
    : asn1Der(keyBag.asn1 as forge.asn1.Asn1);
  const certificates = bags(OID.certBag).map((bag) =>
    bag.cert ? asn1Der(forge.pki.certificateToAsn1(bag.cert)) : asn1Der(bag.asn1 as forge.asn1.Asn1),
  );
  return { privateKeyInfo, certificates };
}

export interface WritePkcs12Options {
  readonly privateKeyInfo: Uint8Array;
  /** The key's certificate first, then any chain certificates. */
  readonly certificates: readonly Uint8Array[];
  readonly password: string;
  readonly iterations?: number;
}

/** A PKCS#12 file laid out as the NCA's: 3DES key bag, RC2-40 certificate bags, SHA-1 MAC. */
export function writePkcs12(options: WritePkcs12Options): Uint8Array {
  const { password } = options;
  const iterations = options.iterations ?? 2048;
  const localKeyId = randomBytes(20);
  const attributes = der.set(der.sequence(der.oid(OID.localKeyId), der.set(der.octets(localKeyId))));
  const encryptedKey = forge.pki.encryptPrivateKeyInfo(forge.asn1.fromDer(toBinary(options.privateKeyInfo)), password, {
    algorithm: '3des',
    count: iterations,
    saltSize: 8,
  });
  const keyBag = der.sequence(der.oid(OID.shroudedKeyBag), der.context(0, asn1Der(encryptedKey)), attributes);
  const certBags = options.certificates.map((certificate, index) =>
    der.sequence(
      der.oid(OID.certBag),
      der.context(0, der.sequence(der.oid(OID.x509Certificate), der.context(0, der.octets(certificate)))),
      ...(index === 0 ? [attributes] : []),
    ),
  );
  const authenticatedSafe = der.sequence(
    contentInfoData(der.sequence(keyBag)),
    encryptedContentInfo(der.sequence(...certBags), password, iterations),
  );
  const macSalt = randomBytes(8);
  const macKey = pkcs12Key(password, macSalt, 3, iterations, 20);
  const mac = createHmac('sha1', macKey).update(authenticatedSafe).digest();
  return der.sequence(
    der.integer(3),
    contentInfoData(authenticatedSafe),
    der.sequence(
      der.sequence(der.sequence(der.oid(OID.sha1), der.null()), der.octets(mac)),
      der.octets(macSalt),
      der.integer(iterations),
    ),
  );
}

function contentInfoData(content: Uint8Array): Uint8Array {
  return der.sequence(der.oid(OID.data), der.context(0, der.octets(content)));
}

/** EncryptedData under pbeWithSHAAnd40BitRC2-CBC, as NCA containers carry their certificates. */
function encryptedContentInfo(content: Uint8Array, password: string, iterations: number): Uint8Array {
  const salt = randomBytes(8);
  const cipher = forge.rc2.createEncryptionCipher(toBinary(pkcs12Key(password, salt, 1, iterations, 5)), 40);
  cipher.start(toBinary(pkcs12Key(password, salt, 2, iterations, 8)));
  cipher.update(forge.util.createBuffer(toBinary(content)));
  cipher.finish();
  const encrypted = fromBinary(cipher.output.getBytes());
  const algorithm = der.sequence(der.oid(OID.pbeSha1Rc2_40), der.sequence(der.octets(salt), der.integer(iterations)));
  return der.sequence(
    der.oid(OID.encryptedData),
    der.context(
      0,
      der.sequence(
        der.integer(0),
        der.sequence(der.oid(OID.data), algorithm, tlv(0x80, encrypted)), // [0] IMPLICIT OCTET STRING
      ),
    ),
  );
}

/** The PKCS#12 key derivation (RFC 7292 appendix B) with SHA-1: id 1 key, 2 IV, 3 MAC key. */
function pkcs12Key(password: string, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const key = forge.pkcs12.generateKey(password, forge.util.createBuffer(toBinary(salt)), id, iterations, length);
  return Buffer.from(key.getBytes(), 'binary');
}
