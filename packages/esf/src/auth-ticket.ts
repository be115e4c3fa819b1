/**
 * The AuthService ticket of the key login (reference-docs/FACTS.md §2): createAuthTicket answers
 * `authTicketXml`, an `<authSign>` document (timeMark, state: a nonce, iin, ttlInMinutes) carried as
 * text; it is signed whole with an enveloped XML-DSig by the key of the person whose IIN it names,
 * and the signed document goes to SessionService.createSessionSigned.
 *
 * Before anything is sent, the ticket must name the IIN that was asked for, and the key's certificate
 * (read from the signature's KeyInfo, whoever made it: a local Signer, NCANode, NCALayer) must name
 * the same IIN: a ticket signed by someone else's key is refused here rather than by the server.
 */
import {
  ENVELOPED_C14N_WITH_COMMENTS,
  envelopedSignatureCertificate,
  type Signer,
  signXmlDocument,
  type XmlDocumentSigner,
  XmlSignatureFailure,
} from '@kz/signing';
import { type ErrorContext, parseXmlSync, SignatureError, ValidationError } from '@kz/soap';
import { iinOfCertificate } from './certificate.js';

/** Signs the ticket: a Signer (RSA, a GOST signer) locally, or a service that makes the XML-DSig itself. */
export type TicketSigner = Signer | XmlDocumentSigner;

/**
 * A ticket of the key login as AuthService.createAuthTicket issued it (`EsfClient.createAuthTicket`): the
 * `<authSign>` document to sign, and the fields read from it.
 */
export interface AuthTicket {
  /** The ticket document exactly as issued (what is signed). */
  readonly xml: string;
  /** The IIN the ticket was issued for (`<iin>`); the signing key's certificate must name the same IIN. */
  readonly iin: string;
  /** When the server issued the ticket (`<timeMark>`, as written by the server), if present. */
  readonly timeMark: string | undefined;
  /** The ticket's lifetime in minutes (`<ttlInMinutes>`; the server's default is 30), if present and numeric. */
  readonly ttlInMinutes: number | undefined;
}

export function isSigner(signer: TicketSigner): signer is Signer {
  return typeof (signer as Signer).sign === 'function' && typeof (signer as Signer).certificate === 'string';
}

/**
 * Reads `authTicketXml`: the decoded text is the ticket; a server that escaped it twice leaves
 * `&lt;authSign…`, which is unescaped once more. Refuses an empty or foreign document.
 */
export function parseAuthTicket(text: string | undefined, context: ErrorContext): AuthTicket {
  let xml = (text ?? '').trim();
  if (xml.startsWith('&lt;')) xml = unescapeXml(xml);
  if (!xml) {
    // FACTS.md fact 34: the live server answers an empty ticket when createAuthTicket carries WS-Security.
    throw new SignatureError(context, 'AuthService issued an empty ticket (authTicketXml)');
  }
  const fields: Record<string, string> = {};
  let root = '';
  let depth = 0;
  let field: string | undefined;
  try {
    parseXmlSync(
      xml,
      {
        open(_ns, local) {
          depth++;
          if (depth === 1) root = local;
          else if (depth === 2) {
            field = local;
            fields[local] = '';
          }
        },
        text(value) {
          if (depth === 2 && field) fields[field] += value;
        },
        close() {
          if (depth === 2) field = undefined;
          depth--;
        },
      },
      { maxBytes: 64 * 1024 },
    );
  } catch (error) {
    throw new SignatureError(context, `the auth ticket is not well-formed XML: ${(error as Error).message}`);
  }
  if (root !== 'authSign')
    throw new SignatureError(context, `the auth ticket's root is <${root}>, expected <authSign>`);
  const iin = (fields.iin ?? '').trim();
  const ttl = fields.ttlInMinutes === undefined ? undefined : Number(fields.ttlInMinutes.trim());
  return {
    xml,
    iin,
    timeMark: fields.timeMark?.trim(),
    ttlInMinutes: ttl !== undefined && Number.isFinite(ttl) ? ttl : undefined,
  };
}

/**
 * Signs the ticket and returns the signed document. `expectedIin` is the IIN the ticket was asked
 * for; the ticket and the key's certificate must both name it.
 */
export async function signAuthTicket(
  ticket: AuthTicket,
  signer: TicketSigner,
  expectedIin: string,
  context: ErrorContext,
): Promise<string> {
  if (ticket.iin !== expectedIin) {
    throw new SignatureError(context, `the ticket names IIN ${ticket.iin || '(none)'}, not ${expectedIin}`);
  }
  if (isSigner(signer)) checkCertificateIin(signer.certificate, expectedIin, context);
  let signed: string;
  try {
    signed = isSigner(signer)
      ? await signXmlDocument(ticket.xml, signer, ENVELOPED_C14N_WITH_COMMENTS)
      : await signer.signXmlDocument(ticket.xml);
  } catch (error) {
    if (error instanceof XmlSignatureFailure) throw new SignatureError(context, error.reason, { cause: error });
    throw error;
  }
  let certificate: string;
  try {
    certificate = envelopedSignatureCertificate(signed);
  } catch (error) {
    throw new SignatureError(context, `the signed ticket is unusable: ${(error as Error).message}`, { cause: error });
  }
  checkCertificateIin(certificate, expectedIin, context);
  return signed;
}

export function checkCertificateIin(certificate: string, iin: string, context: ErrorContext): void {
  const owner = iinOfCertificate(certificate);
  if (owner === iin) return;
  throw new ValidationError(context, [
    {
      field: 'signer',
      message: owner
        ? `the key's certificate belongs to IIN ${owner}, but the ticket is for IIN ${iin}`
        : `the key's certificate names no IIN (subject SERIALNUMBER=IIN…); the ticket is for IIN ${iin}`,
    },
  ]);
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) =>
    name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : name === 'apos' ? "'" : '&',
  );
}
