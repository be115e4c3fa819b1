/**
 * The ISGO client: sends ESF invoices to a state body's information system (IS GO) and lets the
 * counterparty confirm or decline, with the action documents built from typed input, serialized
 * exactly, signed through a pluggable Signer and carried as CDATA; and reads the invoices back with
 * their action documents decoded.
 *
 * sendInvoiceToIsgo and approveSendingInvoiceToIsgo change state: they are never retried.
 * searchIsgoInvoice, queryIsgoInvoiceById and queryIsgoSystemList are safe (retry on opt-in).
 */
import { validateIdentifierFormat, validateIinOrBin } from '@kz/core';
import { toEsfError } from '@kz/esf';
import type { Signer } from '@kz/signing';
import {
  type BaseClientOptions,
  type CallOptions,
  type ErrorContext,
  KzError,
  requireHttpUrl,
  type SecurityPolicy,
  type SoapClientOptions,
  ValidationError,
} from '@kz/soap';
import {
  buildConfirmAction,
  buildCreateAction,
  buildDeclineAction,
  type CreateActionInput,
  type IsgoActionDocument,
  parseAction,
} from './action.js';
/** The action documents travel inside isgoInvoiceActionBody as CDATA, as the seed's samples show. */
export const ACTION_BODIES_AS_CDATA = ['isgoInvoiceActionBody'] as const;

import { IsgoWebServiceClient } from './generated/client.js';
import type {
  IsgoDirection,
  IsgoError,
  IsgoInvoiceInfo,
  IsgoInvoiceSignature,
  IsgoInvoiceUploadResult,
  IsgoSystem,
  SignatureType,
} from './generated/types.js';
import { type SignedAction, signAction } from './signing.js';

export const SERVICE = 'IsgoWebService';
/** The `version` every action info carries: the v1 action documents (IsgoInvoiceActionVersionV1). */
export const ACTION_VERSION = 'IsgoInvoiceActionVersionV1';

/** An ESF session (from @kz/esf `openSession`) or anything carrying its sessionId. */
export interface SessionLike {
  /** The ESF session id (from SessionService.createSession / createSessionSigned) every ISGO call carries. */
  readonly sessionId: string;
  /** The BIN/IIN the session acts for: the default `tin` of create-actions. */
  readonly tin?: string | undefined;
}

/**
 * Options of createIsgoClient: the IsgoWebService URL, the ESF session to work in, the signer of the action
 * documents, and the SOAP transport options (timeouts, retry of the safe reads, TLS, hooks).
 */
export interface IsgoClientOptions
  extends BaseClientOptions,
    Omit<SoapClientOptions, keyof BaseClientOptions | 'useContractEndpoints'> {
  /** The IsgoWebService URL, e.g. https://esf.gov.kz:8443/esf-web/ws/api1/IsgoWebService. */
  endpoint: string;
  /** The ESF session to work in: an @kz/esf session or its sessionId. */
  session: SessionLike | string;
  /** Signs the action documents (RsaSha256Signer from @kz/signing, or your GOST signer). */
  signer?: Signer;
  /** signatureType of the action infos. Default COMPANY (as the samples). */
  signatureType?: SignatureType;
  /**
   * Message security. The seed's ISGO samples send an empty soap:Header (the session authenticates);
   * give `usernameToken(...)` from @kz/soap if your stand also wants the WS-Security header.
   */
  security?: SecurityPolicy;
  /**
   * Check a `tin` given with an invoice with the national check-digit algorithm and the rules the
   * number encodes (@kz/core) before sending. Default true; false checks only for 12 digits, for
   * test stands whose sample accounts carry numbers the algorithm rejects (the ESF SDK's
   * 123456789021). The session's own tin was accepted by ESF when it opened and is checked for
   * 12 digits only.
   */
  checkIdentifiers?: boolean;
}

/** A create-action to send: the ESF invoice and the IS GO to send it to. */
export interface SendInvoiceInput extends CreateActionInput {
  /** BIN/IIN of the sender; defaults to the session's. */
  tin?: string;
}

/** What to approve: an invoice as read from search/queryById, or its id and creator signature. */
export type ApproveTarget =
  | { readonly isgoInvoiceId: string | number | bigint; readonly isgoCreateActionSignature: string }
  | Pick<IsgoInvoice, 'id' | 'creatorSignature'>;

/**
 * What happened to one invoice of `sendInvoices`: `ok` with the ISGO invoice id (it now waits for the
 * counterparty's confirmation), or not ok, with the service's reasons when it was declined.
 */
export type SendOutcome =
  | {
      readonly ok: true;
      readonly registrationNumber: string;
      readonly isgoInvoiceId: string;
      readonly signed: SignedAction;
    }
  | {
      readonly ok: false;
      readonly registrationNumber: string;
      readonly signed: SignedAction;
      /** True when the answer lists it in declinedList; false when it is in neither list. */
      readonly declined: boolean;
      /** Why it was declined, as the service says (errorList/error or isgoErrorList items). */
      readonly errors: readonly IsgoError[];
    };

/** An action signature with its document decoded (requestXML -> typed action). */
export interface IsgoSignatureRecord extends IsgoInvoiceSignature {
  /**
   * The signed action document (requestXML) parsed: the create, confirm or decline action; absent when there is none.
   */
  readonly document?: IsgoActionDocument;
}

/** An ISGO invoice record with both signatures' action documents decoded. */
export interface IsgoInvoice extends Omit<IsgoInvoiceInfo, 'creatorSignature' | 'approverSignature'> {
  /**
   * The sender's signed create-action; its `signature` is what confirm/decline must name (isgoCreateActionSignature).
   */
  creatorSignature?: IsgoSignatureRecord;
  /** The counterparty's signed confirm or decline action, once it has approved or declined. */
  approverSignature?: IsgoSignatureRecord;
}

/**
 * Creates an IsgoClient (same as `new IsgoClient(options)`).
 * @throws KzError (`CONFIG_ERROR`) when `endpoint` is not an http(s) URL or no session is given.
 */
export function createIsgoClient(options: IsgoClientOptions): IsgoClient {
  return new IsgoClient(options);
}

const LONG = /^\d{1,19}$/;

/**
 * The ISGO client (ESF IsgoWebService): sends registered ESF invoices to a state body's information system (IS GO)
 * and lets the counterparty confirm or decline, signing each action document with `signer`; reads the invoices
 * back with their action documents decoded. It works inside an ESF session opened with @kz/esf. ESF refusals are
 * thrown as @kz/esf's EsfAccessDeniedError, EsfBusinessError, EsfSessionClosedError; bad input as ValidationError.
 */
export class IsgoClient {
  /** The generated client: the 5 operations as the WSDL defines them. */
  readonly operations: IsgoWebServiceClient;
  /** The ESF session id every call carries. */
  readonly sessionId: string;
  /** The BIN/IIN the session acts for, when the session object said so: the default `tin` of create-actions. */
  readonly tin: string | undefined;
  readonly #signer: Signer | undefined;
  readonly #signatureType: SignatureType;
  readonly #checkIdentifiers: boolean;

  constructor(options: IsgoClientOptions) {
    const { session, signer, signatureType, security, checkIdentifiers, ...soapOptions } = options;
    const context = { service: SERVICE, operation: 'configure' };
    // Required here: the generated client would fall back to the WSDL's sample address.
    const endpoint = requireHttpUrl(context, 'createIsgoClient', 'endpoint', options.endpoint);
    this.sessionId = typeof session === 'string' ? session : session?.sessionId;
    this.tin = typeof session === 'string' ? undefined : session?.tin;
    if (!this.sessionId) {
      throw new KzError(
        context,
        'CONFIG_ERROR',
        'createIsgoClient: session (an ESF session or its sessionId) is required',
      );
    }
    this.#signer = signer;
    this.#signatureType = signatureType ?? 'COMPANY';
    this.#checkIdentifiers = checkIdentifiers ?? true;
    this.operations = new IsgoWebServiceClient({
      ...soapOptions,
      endpoint,
      ...(security ? { security } : {}),
      cdata: ACTION_BODIES_AS_CDATA,
    });
  }

  /** sendInvoiceToIsgo with one create-action per invoice; one outcome per input, in order. */
  async sendInvoices(invoices: readonly SendInvoiceInput[], options?: CallOptions): Promise<SendOutcome[]> {
    const operation = 'sendInvoiceToIsgo';
    const context = { service: SERVICE, operation };
    if (invoices.length === 0) throw new ValidationError(context, [{ field: 'invoices', message: 'nothing to send' }]);
    const signer = this.#requireSigner(context);
    const signed: SignedAction[] = [];
    const tins: string[] = [];
    for (const [index, invoice] of invoices.entries()) {
      const { tin, ...action } = invoice;
      tins.push(this.#senderTin(tin, `invoices[${index}].tin`, context));
      signed.push(await signAction(signer, buildCreateAction(action), operation));
    }
    const response = await this.#call(() =>
      this.operations.sendInvoiceToIsgo(
        {
          sessionId: this.sessionId,
          createActionInfoList: signed.map((s, i) => ({
            certificate: s.certificate,
            isgoInvoiceActionBody: s.body,
            signature: s.signature,
            signatureType: this.#signatureType,
            tin: tins[i] as string,
            version: ACTION_VERSION,
          })),
        },
        options,
      ),
    );
    // Results are matched by registration number, each used once (a number sent twice gets two outcomes);
    // declined results without one go, in order, to the invoices nothing else accounts for.
    const accepted = [...(response.acceptedList ?? [])];
    const declined = [...(response.declinedList ?? [])];
    const outcomes = invoices.map((invoice, i): SendOutcome | undefined => {
      const { registrationNumber } = invoice;
      const signedAction = signed[i] as SignedAction;
      const ok = takeResult(accepted, registrationNumber);
      if (ok?.isgoInvoiceId)
        return { ok: true, registrationNumber, isgoInvoiceId: ok.isgoInvoiceId, signed: signedAction };
      const refusal = takeResult(declined, registrationNumber);
      return refusal ? declinedOutcome(registrationNumber, signedAction, refusal) : undefined;
    });
    return outcomes.map((outcome, i) => {
      if (outcome) return outcome;
      const { registrationNumber } = invoices[i] as SendInvoiceInput;
      const anonymous = takeResult(declined, undefined);
      return anonymous
        ? declinedOutcome(registrationNumber, signed[i] as SignedAction, anonymous)
        : { ok: false, registrationNumber, signed: signed[i] as SignedAction, declined: false, errors: [] };
    });
  }

  /** sendInvoiceToIsgo for one invoice. */
  async sendInvoice(invoice: SendInvoiceInput, options?: CallOptions): Promise<SendOutcome> {
    return (await this.sendInvoices([invoice], options))[0] as SendOutcome;
  }

  /** approveSendingInvoiceToIsgo with a CONFIRM action. */
  async confirm(target: ApproveTarget, options?: CallOptions): Promise<SignedAction> {
    const { isgoInvoiceId, isgoCreateActionSignature } = approveKey(target, 'approveSendingInvoiceToIsgo');
    return this.#approve(buildConfirmAction({ isgoCreateActionSignature, isgoInvoiceId }), options);
  }

  /** approveSendingInvoiceToIsgo with a DECLINE action and its reason. */
  async decline(target: ApproveTarget, rejectReason: string, options?: CallOptions): Promise<SignedAction> {
    const { isgoInvoiceId, isgoCreateActionSignature } = approveKey(target, 'approveSendingInvoiceToIsgo');
    if (!rejectReason?.trim()) {
      throw new ValidationError({ service: SERVICE, operation: 'approveSendingInvoiceToIsgo' }, [
        { field: 'rejectReason', message: 'a reason is required to decline' },
      ]);
    }
    return this.#approve(buildDeclineAction({ isgoCreateActionSignature, isgoInvoiceId, rejectReason }), options);
  }

  /** searchIsgoInvoice: the session's invoices sent (OUTBOUND) or to approve (INBOUND). */
  async search(direction: IsgoDirection, options?: CallOptions): Promise<IsgoInvoice[]> {
    const response = await this.#call(() =>
      this.operations.searchIsgoInvoice({ sessionId: this.sessionId, direction }, options),
    );
    return (response.isgoInvoices ?? []).map((i) => withDocuments(i, 'searchIsgoInvoice'));
  }

  /** queryIsgoInvoiceById. Ids are xs:long: give strings (or bigints) for values beyond 2^53. */
  async queryById(ids: readonly (string | number | bigint)[], options?: CallOptions): Promise<IsgoInvoice[]> {
    const operation = 'queryIsgoInvoiceById';
    if (ids.length === 0)
      throw new ValidationError({ service: SERVICE, operation }, [{ field: 'ids', message: 'at least one id' }]);
    const idList = ids.map((id, i) => longOf(id, `ids[${i}]`, operation));
    const response = await this.#call(() =>
      this.operations.queryIsgoInvoiceById({ sessionId: this.sessionId, idList }, options),
    );
    return (response.isgoInvoiceList ?? []).map((i) => withDocuments(i, operation));
  }

  /** queryIsgoSystemList: the IS GO an invoice can be sent to (their codes go in isgoSystemCode). */
  async systems(options?: CallOptions): Promise<IsgoSystem[]> {
    const response = await this.#call(() =>
      this.operations.queryIsgoSystemList({ sessionId: this.sessionId }, options),
    );
    return response.isgoSystemList ?? [];
  }

  /** Releases the transport's pooled connections (the ESF session is the caller's). */
  close(): void {
    this.operations.soap.close();
  }

  /** `await using isgo = createIsgoClient(…)`: close() at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  async #approve(body: string, options?: CallOptions): Promise<SignedAction> {
    const operation = 'approveSendingInvoiceToIsgo';
    const signed = await signAction(this.#requireSigner({ service: SERVICE, operation }), body, operation);
    await this.#call(() =>
      this.operations.approveSendingInvoiceToIsgo(
        {
          sessionId: this.sessionId,
          approveInvoiceActionInfoList: [
            {
              certificate: signed.certificate,
              isgoInvoiceActionBody: signed.body,
              signature: signed.signature,
              signatureType: this.#signatureType,
              version: ACTION_VERSION,
            },
          ],
        },
        options,
      ),
    );
    return signed;
  }

  /** The given tin, checked as the options say, or the session's; a ValidationError naming `field`. */
  #senderTin(tin: string | undefined, field: string, context: ErrorContext): string {
    if (tin === undefined && this.tin === undefined) {
      throw new ValidationError(context, [{ field, message: 'a 12-digit BIN/IIN is required (none on the session)' }]);
    }
    const check = tin !== undefined && this.#checkIdentifiers ? validateIinOrBin : validateIdentifierFormat;
    const checked = check(tin ?? this.tin);
    if (!checked.ok) {
      const whose = tin === undefined ? "the session's BIN/IIN" : 'not a valid BIN/IIN';
      throw new ValidationError(context, [{ field, message: `${whose}: ${checked.message}` }]);
    }
    return checked.value;
  }

  #requireSigner(context: ErrorContext): Signer {
    if (!this.#signer) throw new ValidationError(context, [{ field: 'signer', message: 'this client has no signer' }]);
    return this.#signer;
  }

  async #call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toEsfError(error);
    }
  }
}

function takeResult(list: IsgoInvoiceUploadResult[], registrationNumber: string | undefined) {
  const index = list.findIndex((r) => r.registrationNumber === registrationNumber);
  return index < 0 ? undefined : list.splice(index, 1)[0];
}

function declinedOutcome(
  registrationNumber: string,
  signed: SignedAction,
  result: IsgoInvoiceUploadResult,
): SendOutcome {
  const errors = [...(result.errorList ?? []), ...(result.isgoErrorList ?? [])];
  return { ok: false, registrationNumber, signed, declined: true, errors };
}

function longOf(value: string | number | bigint, field: string, operation: string): string {
  const text = typeof value === 'number' && !Number.isSafeInteger(value) ? '' : String(value);
  if (!LONG.test(text)) {
    throw new ValidationError({ service: SERVICE, operation }, [
      { field, message: 'expected a non-negative integer id (a string or bigint beyond 2^53)' },
    ]);
  }
  return text;
}

function approveKey(
  target: ApproveTarget,
  operation: string,
): { isgoInvoiceId: string; isgoCreateActionSignature: string } {
  if ('isgoInvoiceId' in target) {
    if (!target.isgoCreateActionSignature) {
      throw new ValidationError({ service: SERVICE, operation }, [
        { field: 'isgoCreateActionSignature', message: 'the signature of the create-action is required' },
      ]);
    }
    return {
      isgoInvoiceId: longOf(target.isgoInvoiceId, 'isgoInvoiceId', operation),
      isgoCreateActionSignature: target.isgoCreateActionSignature,
    };
  }
  const signature = target.creatorSignature?.signature;
  if (target.id === undefined || !signature) {
    throw new ValidationError({ service: SERVICE, operation }, [
      {
        field: target.id === undefined ? 'id' : 'creatorSignature.signature',
        message: 'the invoice as read carries no id or no creator signature to approve',
      },
    ]);
  }
  return { isgoInvoiceId: longOf(target.id, 'id', operation), isgoCreateActionSignature: signature };
}

function withDocuments(info: IsgoInvoiceInfo, operation: string): IsgoInvoice {
  const context = { service: SERVICE, operation };
  const decode = (signature: IsgoInvoiceSignature): IsgoSignatureRecord =>
    signature.requestXML ? { ...signature, document: parseAction(signature.requestXML, context) } : signature;
  const { creatorSignature, approverSignature, ...rest } = info;
  return {
    ...rest,
    ...(creatorSignature ? { creatorSignature: decode(creatorSignature) } : {}),
    ...(approverSignature ? { approverSignature: decode(approverSignature) } : {}),
  };
}
