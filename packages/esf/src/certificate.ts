/**
 * The X.509 certificate createSession and closeSessionByCredentials carry: accepted as PEM or as
 * bare base64 (with or without line breaks), sent as the PEM body without armour in 64-column
 * lines, which is what the seed's samples show.
 */
import { X509Certificate } from 'node:crypto';
import { type ErrorContext, ValidationError } from '@kz/soap';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** PEM or bare base64 -> the base64 body in 64-character lines joined by "\n". */
export function normalizeCertificate(certificate: string, context: ErrorContext, field = 'x509Certificate'): string {
  const body = String(certificate ?? '')
    .replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '')
    .replace(/\s+/g, '');
  // The certificate itself never goes into the error: only what is wrong with it.
  const fail = (message: string): never => {
    throw new ValidationError(context, [{ field, message }]);
  };
  if (!body) fail('a certificate (PEM or base64) is required');
  if (body.length % 4 !== 0 || !BASE64.test(body)) fail('not PEM or base64 text');
  const der = Buffer.from(body, 'base64');
  // An X.509 certificate is a DER SEQUENCE (0x30) with a long-form length.
  if (der.length < 64 || der[0] !== 0x30) fail('the base64 does not decode to a DER certificate');
  return (body.match(/.{1,64}/g) as string[]).join('\n');
}

/**
 * The IIN an NCA certificate names (subject SERIALNUMBER "IIN" + 12 digits), or undefined when it
 * names none (or the text is no certificate). Accepts PEM or DER base64.
 */
export function iinOfCertificate(certificate: string): string | undefined {
  try {
    const der = Buffer.from(String(certificate).replace(/-----(BEGIN|END) [A-Z0-9 ]+-----|\s+/g, ''), 'base64');
    const subject = new X509Certificate(der).subject;
    return /(?:^|\n)serialNumber=IIN(\d{12})(?:\n|$)/.exec(subject)?.[1];
  } catch {
    return undefined;
  }
}
