/**
 * The mock IsgoWebService's behaviour over an in-memory state:
 * - sendInvoiceToIsgo verifies each create-action's signature against its certificate (a bad one
 *   refuses the whole request with a businessException fault), parses the action document, and
 *   registers the invoice as WAIT_CONFIRMATION (a registration number already pending or sent, an
 *   unknown IS GO or a tin other than the session's goes to declinedList, with its reasons);
 * - approveSendingInvoiceToIsgo (the counterparty's session) verifies the signature, checks that
 *   isgoCreateActionSignature is the creator's signature, and moves the invoice to READY_FOR_SEND
 *   (CONFIRM) or DECLINED (DECLINE, with cancelReason);
 * - searchIsgoInvoice (OUTBOUND: sent by the session's BIN/IIN, INBOUND: to be approved by it) and
 *   queryIsgoInvoiceById return the records with both signatures and their requestXML;
 * - every call needs an open session (sessionClosedException otherwise).
 * The session's BIN/IIN is read from the ESF sessionId ("<uuid>-<tin>-<projectCode>[-<profile>]").
 */
import { X509Certificate } from 'node:crypto';
import { verifyRsaSha256 } from '@kz/signing';
import { escapeText, type OperationImplementations, SoapFaultResponse } from '@kz/soap';
import { parseAction } from '../action.js';
import type { IsgoWebServiceOperations } from '../generated/client.js';
import type {
  IsgoCreateInvoiceActionInfo,
  IsgoInvoiceInfo,
  IsgoInvoiceSignature,
  IsgoInvoiceUploadResult,
  IsgoSystem,
} from '../generated/types.js';

/** Namespace of the ISGO service's types (http://esf.gov.kz/esf/model/isgo), used by the mock's fault details. */
export const ISGO_NS = 'http://esf.gov.kz/esf/model/isgo';

/** A record as the mock keeps it: the response type, with what the mock always sets. */
export type MockIsgoInvoice = IsgoInvoiceInfo & {
  /** The ISGO id the mock assigned (the key of IsgoMockState's map). */
  id: string;
  /** The invoice number the mock assigned (a counter). */
  invoiceId: string;
  /** The creator's signature of the create action. */
  creatorSignature: IsgoInvoiceSignature;
};

/** Options of startIsgoMock (and `new IsgoMockState`): where sessions come from, signature check, IS GO list, clock. */
export interface IsgoMockOptions {
  /**
   * Where session states come from: give the @kz/esf mock's state (`esfMock.state`) to share its
   * sessions. Default: any sessionId of the ESF shape is open.
   */
  sessions?: { sessionStatus(sessionId: string): 'OK' | 'CLOSED' | 'NOT_FOUND' };
  /** Verifies a signature; default RSA-SHA256 (verifyRsaSha256). Plug a GOST verifier here. */
  verifySignature?: (data: Uint8Array, signature: Uint8Array, certificate: string) => boolean;
  /** The counterparty when the registration number names the sender itself. Default 123456789011. */
  defaultApproverTin?: string;
  /** IS GO the mock knows. Default: MSH as in the seed. */
  systems?: readonly IsgoSystem[];
  /** The mock's clock. Default: the real time. */
  now?: () => Date;
}

/** The IS GO the mock knows by default: MSH (Ministry of Agriculture), as in the seed's samples. */
export const DEFAULT_SYSTEMS: readonly IsgoSystem[] = [
  {
    code: 'MSH',
    nameRu: 'Министерство сельского хозяйства Республики Казахстан',
    nameKz: 'Қазақстан Республикасы Ауыл шаруашылығы министрлігі',
  },
];

const FIRST_INVOICE_ID = 21374509837942784n;

/**
 * The ISGO mock's in-memory state and rules (`mock.state`). Each method takes the request's sessionId and acts as
 * that session's BIN/IIN; refusals throw SoapFaultResponse with ESF's fault elements (sessionClosedException,
 * businessException, accessDeniedException), which the mock sends as soap:Faults. Test-only.
 */
export class IsgoMockState {
  /** The ISGO invoices sent, by ISGO id. */
  readonly invoices = new Map<string, MockIsgoInvoice>();
  /** The IS GO queryIsgoSystemList answers (IsgoMockOptions.systems, default DEFAULT_SYSTEMS). */
  readonly systems: readonly IsgoSystem[];
  readonly #options: IsgoMockOptions;
  #nextId = 185;
  #nextSignatureId = 308;
  #nextPackageId = 163;
  #nextInvoiceId = FIRST_INVOICE_ID;

  constructor(options: IsgoMockOptions = {}) {
    this.#options = options;
    this.systems = options.systems ?? DEFAULT_SYSTEMS;
  }

  /** The BIN/IIN of an open session, or a sessionClosedException fault. */
  sessionTin(sessionId: string): string {
    const tin = /^[0-9a-f]{32}-(\d{12})-/.exec(sessionId)?.[1];
    const status = tin ? (this.#options.sessions?.sessionStatus(sessionId) ?? 'OK') : 'NOT_FOUND';
    if (!tin || status !== 'OK') {
      throw isgoFault('client', 'sessionClosedException', `Session ${sessionId} is closed or does not exist`);
    }
    return tin;
  }

  /**
   * sendInvoiceToIsgo: verifies every signature first (one bad signature refuses the whole package with
   * businessException), then accepts each create-action or declines it (ALREADY_SENT, ISGO_SYSTEM_NOT_FOUND,
   * TIN_MISMATCH). An accepted invoice waits for the counterparty: the issuer named in its registration number, or
   * `defaultApproverTin`.
   */
  send(sessionId: string, infos: readonly IsgoCreateInvoiceActionInfo[]) {
    const sender = this.sessionTin(sessionId);
    // Verify everything first: a bad signature refuses the whole package.
    const parsed = infos.map((info, index) => {
      const where = `createActionInfo[${index}]`;
      this.#verify(info.isgoInvoiceActionBody, info.signature, info.certificate, where);
      const document = parseDocument(info.isgoInvoiceActionBody, where);
      if (document.kind !== 'create') {
        throw isgoFault(
          'client',
          'businessException',
          `createActionInfo[${index}] does not hold an isgoCreateInvoiceAction`,
        );
      }
      return { info, action: document.action };
    });
    const acceptedList: IsgoInvoiceUploadResult[] = [];
    const declinedList: IsgoInvoiceUploadResult[] = [];
    const packageId = String(this.#nextPackageId++);
    for (const { info, action } of parsed) {
      const pending = [...this.invoices.values()].some(
        (i) => i.invoiceRegistrationNumber === action.registrationNumber && i.status !== 'DECLINED',
      );
      const known = this.systems.some((s) => s.code === action.isgoSystemCode);
      const errors = [
        ...(pending
          ? [
              {
                property: 'registrationNumber',
                errorCode: 'ALREADY_SENT',
                text: 'the invoice is already sent or pending',
              },
            ]
          : []),
        ...(known
          ? []
          : [
              {
                property: 'isgoSystemCode',
                errorCode: 'ISGO_SYSTEM_NOT_FOUND',
                text: `no IS GO ${action.isgoSystemCode}`,
              },
            ]),
        ...(info.tin === sender
          ? []
          : [{ property: 'tin', errorCode: 'TIN_MISMATCH', text: `tin ${info.tin} is not the session's ${sender}` }]),
      ];
      if (errors.length > 0) {
        // The reasons in the AwpUploadResult shape (errorList/error), as the reference contract carries them.
        declinedList.push({ errorList: errors, registrationNumber: action.registrationNumber });
        continue;
      }
      const id = String(this.#nextId++);
      const invoiceId = String(this.#nextInvoiceId++);
      const now = this.#now();
      const issuer = /^ESF-(\d{12})-/.exec(action.registrationNumber)?.[1];
      const approverTin = issuer && issuer !== sender ? issuer : (this.#options.defaultApproverTin ?? '123456789011');
      this.invoices.set(id, {
        approverParticipantType: 'BUSINESS',
        approverTin,
        createDate: now,
        creatorSignature: this.#signature(info, 'CREATE', 'CREATOR', id, invoiceId, sender),
        id,
        invoiceId,
        invoiceRegistrationNumber: action.registrationNumber,
        invoiceType: 'ORDINARY_INVOICE',
        isApproved: false,
        isgoPackageId: packageId,
        isgoSystemCode: action.isgoSystemCode,
        lastUpdateDate: now,
        needConfirmation: true,
        ...(action.reason !== undefined ? { reason: action.reason } : {}),
        senderParticipantType: 'BUSINESS',
        senderTin: sender,
        status: 'WAIT_CONFIRMATION',
        ...(action.subsidyId !== undefined ? { subsidyId: action.subsidyId } : {}),
        version: 'IsgoInvoiceActionVersionV1',
      });
      acceptedList.push({ registrationNumber: action.registrationNumber, isgoInvoiceId: id });
    }
    return { acceptedList, declinedList };
  }

  /**
   * approveSendingInvoiceToIsgo: checks every action (signature, the invoice exists and waits for confirmation, the
   * session is its approver, isgoCreateActionSignature matches) before applying any; CONFIRM makes it
   * READY_FOR_SEND, DECLINE makes it DECLINED with the reason.
   */
  approve(sessionId: string, infos: readonly Omit<IsgoCreateInvoiceActionInfo, 'tin'>[]): Record<string, never> {
    const approver = this.sessionTin(sessionId);
    const steps = infos.map((info, index) => {
      const where = `approveActionInfo[${index}]`;
      this.#verify(info.isgoInvoiceActionBody, info.signature, info.certificate, where);
      const document = parseDocument(info.isgoInvoiceActionBody, where);
      if (document.kind !== 'approve')
        throw isgoFault('client', 'businessException', `${where} does not hold an isgoApproveInvoiceAction`);
      const { action } = document;
      const invoice = this.invoices.get(action.isgoInvoiceId);
      if (!invoice) throw isgoFault('client', 'businessException', `ISGO invoice ${action.isgoInvoiceId} not found`);
      if (invoice.approverTin !== approver) {
        throw isgoFault('client', 'accessDeniedException', `${approver} may not approve ISGO invoice ${invoice.id}`);
      }
      if (invoice.creatorSignature?.signature !== action.isgoCreateActionSignature) {
        throw isgoFault(
          'client',
          'businessException',
          'isgoCreateActionSignature is not the signature of the create-action',
        );
      }
      if (invoice.status !== 'WAIT_CONFIRMATION') {
        throw isgoFault(
          'client',
          'businessException',
          `ISGO invoice ${invoice.id} is ${invoice.status}, not awaiting confirmation`,
        );
      }
      if (action.actionType !== 'CONFIRM' && action.actionType !== 'DECLINE') {
        throw isgoFault('client', 'businessException', `actionType ${action.actionType} cannot approve`);
      }
      return { info, action, invoice };
    });
    for (const { info, action, invoice } of steps) {
      const now = this.#now();
      const confirmed = action.actionType === 'CONFIRM';
      invoice.approverSignature = this.#signature(
        info,
        action.actionType as 'CONFIRM' | 'DECLINE',
        'APPROVER',
        invoice.id,
        invoice.invoiceId,
        approver,
      );
      invoice.approveDate = now;
      invoice.lastUpdateDate = now;
      invoice.isApproved = confirmed;
      invoice.status = confirmed ? 'READY_FOR_SEND' : 'DECLINED';
      if (!confirmed && action.rejectReason !== undefined) invoice.cancelReason = action.rejectReason;
    }
    return {};
  }

  /** searchIsgoInvoice: the session's invoices, OUTBOUND as sender or INBOUND as approver. */
  search(sessionId: string, direction: 'INBOUND' | 'OUTBOUND'): IsgoInvoiceInfo[] {
    const tin = this.sessionTin(sessionId);
    return [...this.invoices.values()].filter((i) => (direction === 'OUTBOUND' ? i.senderTin : i.approverTin) === tin);
  }

  /** queryIsgoInvoiceById: the invoices of these ids the session sent or must approve; others are left out. */
  byIds(sessionId: string, ids: readonly string[]): IsgoInvoiceInfo[] {
    const tin = this.sessionTin(sessionId);
    return ids.flatMap((id) => {
      const invoice = this.invoices.get(String(BigInt(id)));
      return invoice && (invoice.senderTin === tin || invoice.approverTin === tin) ? [invoice] : [];
    });
  }

  #verify(body: string, signatureBase64: string, certificate: string, where: string): void {
    const verify = this.#options.verifySignature ?? verifyRsaSha256;
    const ok = verify(new TextEncoder().encode(body), Buffer.from(signatureBase64, 'base64'), certificate);
    if (!ok)
      throw isgoFault('client', 'businessException', `${where}: the signature does not verify against the certificate`);
  }

  #signature(
    info: Omit<IsgoCreateInvoiceActionInfo, 'tin'>,
    action: 'CREATE' | 'CONFIRM' | 'DECLINE',
    participantType: 'CREATOR' | 'APPROVER',
    isgoInvoiceId: string,
    invoiceId: string,
    tin: string,
  ): IsgoInvoiceSignature {
    return {
      action,
      certificateSerialNumber: serialOf(info.certificate),
      createDate: this.#now(),
      id: String(this.#nextSignatureId++),
      invoiceId,
      isgoInvoiceId,
      participantType,
      requestXML: info.isgoInvoiceActionBody,
      signature: info.signature,
      signatureType: info.signatureType,
      tin,
      version: info.version,
    };
  }

  /** Now in Astana time as the samples write it: 2023-11-17T10:40:51+06:00. */
  #now(): string {
    const now = this.#options.now?.() ?? new Date();
    return `${new Date(now.getTime() + 6 * 3600_000).toISOString().slice(0, 19)}+06:00`;
  }
}

/** The certificate's serial number in decimal, as certificateSerialNumber carries it. */
function serialOf(certificate: string): string {
  try {
    return BigInt(`0x${new X509Certificate(Buffer.from(certificate, 'base64')).serialNumber}`).toString();
  } catch {
    return '0';
  }
}

function parseDocument(body: string, where: string) {
  try {
    return parseAction(body);
  } catch (error) {
    throw isgoFault('client', 'businessException', `${where}: invalid action document: ${(error as Error).message}`);
  }
}

/** A fault with one of the ESF fault elements, in the ISGO namespace. */
export function isgoFault(side: 'client' | 'server', element: string, description: string): SoapFaultResponse {
  return new SoapFaultResponse(
    side,
    description,
    `<ns2:${element} xmlns:ns2="${ISGO_NS}"><description>${escapeText(description)}</description></ns2:${element}>`,
  );
}

export function mockOperations(state: IsgoMockState): OperationImplementations<IsgoWebServiceOperations> {
  return {
    sendInvoiceToIsgo: (input) => state.send(input.sessionId, input.createActionInfoList),
    approveSendingInvoiceToIsgo: (input) => state.approve(input.sessionId, input.approveInvoiceActionInfoList),
    searchIsgoInvoice: (input) => ({ isgoInvoices: state.search(input.sessionId, input.direction) }),
    queryIsgoInvoiceById: (input) => ({ isgoInvoiceList: state.byIds(input.sessionId, input.idList) }),
    queryIsgoSystemList: (input) => {
      state.sessionTin(input.sessionId);
      return { isgoSystemList: [...state.systems] };
    },
  };
}
