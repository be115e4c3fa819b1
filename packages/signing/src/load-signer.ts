/** One entry for any NCA key container: RSA or GOST, told apart by the key inside. */

import { SigningKeyError } from './errors.js';
import { privateKeyAlgorithmOid } from './gost/encoding.js';
import { GostSigner } from './gost/gost-signer.js';
import { readPkcs12 } from './gost/pkcs12.js';
import { RsaSha256Signer } from './rsa-signer.js';

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/**
 * Opens a PKCS#12 key container with its password and returns the signer for the key inside:
 * `RsaSha256Signer` for RSA, `GostSigner` for GOST 34.10-2015 (256/512). Throws `WrongPasswordError`
 * for a wrong password, `UnsupportedKeyError` for another kind of key (EC, GOST 2004), and
 * `SigningKeyError` for a file that is not a readable container.
 */
export function loadSigner(pkcs12: Uint8Array, password: string): RsaSha256Signer | GostSigner {
  const { privateKeyInfo, certificates } = readPkcs12(pkcs12, password);
  let keyOid: string;
  try {
    keyOid = privateKeyAlgorithmOid(privateKeyInfo);
  } catch {
    throw new SigningKeyError('cannot read the private key in the container');
  }
  if (keyOid === RSA_ENCRYPTION) return RsaSha256Signer.fromPkcs12(pkcs12, password);
  return GostSigner.fromPrivateKeyInfo(privateKeyInfo, certificates);
}
