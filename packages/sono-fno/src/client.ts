/**
 * Tax forms (FNO) to SONO through SHEP: SONO_FNO_SEND with the form, in KGD's public form format,
 * built from typed input and signed by the taxpayer's key; SONO_FNO_GET_STATUS, signed by the
 * taxpayer too; and waitForStatus polling until a final status.
 *
 * Seed 003: "При отправке ФНО и запросе статуса обработки ФНО, данные запроса должны быть
 * подписаны ЭЦП НУЦ РК налогоплательщика" (both requests' data is signed by the taxpayer). The
 * transport envelope around the data is OUR RECONSTRUCTION (specs/sono-fno/sono-fno.xsd): its
 * names are configuration (`envelope`, see envelope.ts), not code.
 */

import { validateIdentifierFormat, validateIinOrBin } from '@kz/core';
import { rawXml, type ShepClient, signXmlDocument } from '@kz/shep';
import type { Signer } from '@kz/signing';
import { type CallOptions, type FieldIssue, KzError, type PollOptions, poll, ValidationError } from '@kz/soap';
import { envelopeCodecs, type SonoEnvelopeCodecs, type SonoEnvelopeNames } from './envelope.js';
import { encodeFnoForm, type FnoDocumentInput } from './form.js';
import type { ProcessingStatus, TaxPeriod } from './generated/types.js';
import { type StatusCode, statusOfLabel } from './statuses.js';

/** SHEP service id of sending a tax form to SONO (synchronous channel). */
export const SONO_FNO_SEND = 'SONO_FNO_SEND';
/** SHEP service id of asking SONO for a form's processing status (synchronous channel). */
export const SONO_FNO_GET_STATUS = 'SONO_FNO_GET_STATUS';

/** Codecs of the four payload documents with our envelope names (`envelopeCodecs` for others). */
export const sonoCodecs: SonoEnvelopeCodecs = envelopeCodecs();

/** Options of createSonoFnoClient: the SHEP client to send through, the taxpayer's key, the envelope's names. */
export interface SonoFnoClientOptions {
  /** A SHEP client of the sending organisation (its transport signature, its credentials). */
  shep: ShepClient;
  /** The taxpayer's key: seed 003 requires the request data to be signed by the taxpayer it is filed for. */
  taxpayerSigner: Signer;
  /** Names of the transport envelope, our reconstruction's by default (no document defines them). */
  envelope?: SonoEnvelopeNames;
  /**
   * Check the taxpayer's IIN/BIN (`iinBin`, and the form's `iin` fields) with the national
   * check-digit algorithm and the rules the number encodes (@kz/core) before signing. Default
   * true; false checks only for 12 digits, for test stands whose sample taxpayers have numbers
   * the algorithm rejects.
   */
  checkIdentifiers?: boolean;
}

/** A tax form to submit (submitForm): whose it is, for which period, and the form itself. */
export interface FormSubmission {
  /** IIN/BIN of the taxpayer (12 digits). */
  iinBin: string;
  /** The tax period the form is for: `year` alone for annual forms, or with one of `quarter`, `halfYear` or `month`. */
  taxPeriod: TaxPeriod;
  /** The form, in KGD's public form format; its code and template version go in the envelope too. */
  form: FnoDocumentInput;
}

/** A form's processing status in SONO, as submitForm and getStatus report it. */
export interface FormStatus {
  /** The number SONO registered the form under: ask for its status with it. */
  registrationNumber: string;
  /** Our stable code of the label; undefined for a label seed 003 does not list. */
  status: StatusCode | undefined;
  /** The status as the service sent it: one of seed 003's 25 Russian labels. */
  label: ProcessingStatus;
  /**
   * True when no further change is expected (e.g. Принята is not final, Обработана is): stop polling. False for an
   * unknown label.
   */
  isFinal: boolean;
  /** True when the form or a processing stage failed (e.g. Не принята, Отклонена): someone must act. */
  isError: boolean;
  /** When the status was set, as the service sent it (SONO_FNO_GET_STATUS answers only). */
  statusDate?: string;
  /** The service's explanation, when it gives one (e.g. why a form was not accepted). */
  message?: string;
}

/**
 * @kz/soap's PollOptions: `timeoutMs` default 10 minutes, `intervalMs` default 10 s; `onProgress`
 * is called when the status changes. An abort is TransportError ABORTED (TIMEOUT for a timeout signal).
 */
export type WaitForStatusOptions = PollOptions<FormStatus>;

/** What waitForStatus's WaitTimeoutError carries to resume: the form's registration number. */
export interface SonoFnoWaitResume {
  /** The registration number of the form waited for: call waitForStatus with it again to resume. */
  registrationNumber: string;
}

/**
 * Creates a SonoFnoClient (same as `new SonoFnoClient(options)`).
 * @throws KzError (`CONFIG_ERROR`) when `envelope` names an unknown element or a name that is not an XML name.
 */
export function createSonoFnoClient(options: SonoFnoClientOptions): SonoFnoClient {
  return new SonoFnoClient(options);
}

/**
 * The client of SONO's tax-form service (СОНО ФНО) through SHEP: submitForm builds a tax form (FNO) from typed
 * input, signs it with the taxpayer's key and sends it (SONO_FNO_SEND); getStatus and waitForStatus follow its
 * processing (SONO_FNO_GET_STATUS). Calls go over `shep.sync`: SHEP faults are thrown as ShepFaultError, bad input
 * as ValidationError before anything is signed. The envelope around the data is a reconstruction: see `envelope`.
 */
export class SonoFnoClient {
  readonly #shep: ShepClient;
  readonly #signer: Signer;
  readonly #codecs: SonoEnvelopeCodecs;
  readonly #checkIdentifiers: boolean;

  constructor(options: SonoFnoClientOptions) {
    this.#shep = options.shep;
    this.#signer = options.taxpayerSigner;
    this.#codecs = options.envelope ? envelopeCodecs(options.envelope) : sonoCodecs;
    this.#checkIdentifiers = options.checkIdentifiers ?? true;
  }

  /** Builds the form, signs it with the taxpayer's key and sends it (SONO_FNO_SEND). Not retried. */
  async submitForm(submission: FormSubmission, options?: CallOptions): Promise<FormStatus> {
    this.#checkTaxpayerIdentifiers(submission);
    const signed = await signXmlDocument(encodeFnoForm(submission.form), this.#signer);
    const result = await this.#shep.sync.send(
      {
        serviceId: SONO_FNO_SEND,
        data: {
          formCode: submission.form.code,
          formVersion: submission.form.version,
          iinBin: submission.iinBin,
          taxPeriod: submission.taxPeriod,
          signedForm: new Uint8Array(Buffer.from(signed, 'utf8')),
        },
        codec: this.#codecs.sendRequest,
        responseCodec: this.#codecs.sendResponse,
      },
      options,
    );
    const answer = this.#required(result.data, SONO_FNO_SEND);
    return describe(answer.registrationNumber, answer.status, { message: answer.message });
  }

  /** The form's current processing status (SONO_FNO_GET_STATUS), the request signed by the taxpayer. */
  async getStatus(registrationNumber: string, options?: CallOptions): Promise<FormStatus> {
    const request = await signXmlDocument(this.#codecs.statusRequest.encode({ registrationNumber }), this.#signer);
    const result = await this.#shep.sync.send(
      {
        serviceId: SONO_FNO_GET_STATUS,
        data: request,
        codec: rawXml,
        responseCodec: this.#codecs.statusResponse,
      },
      options,
    );
    const answer = this.#required(result.data, SONO_FNO_GET_STATUS);
    return describe(registrationNumber, answer.statusCode, { statusDate: answer.statusDate, message: answer.message });
  }

  /**
   * Polls getStatus until a final status (isFinal), reporting each change; bounded by timeoutMs:
   * WaitTimeoutError with `resume.registrationNumber` and the last status in `last`.
   */
  async waitForStatus(registrationNumber: string, options: WaitForStatusOptions = {}): Promise<FormStatus> {
    const call = options.signal ? { signal: options.signal } : undefined;
    let previous: string | undefined;
    return poll<FormStatus, SonoFnoWaitResume>(
      async () => {
        const status = await this.getStatus(registrationNumber, call);
        return { done: status.isFinal, progress: status };
      },
      {
        ...options,
        onProgress: (status) => {
          if (status.label !== previous) options.onProgress?.(status);
          previous = status.label;
        },
      },
      {
        context: { service: 'SONO_FNO', operation: SONO_FNO_GET_STATUS },
        defaults: { intervalMs: 10_000, timeoutMs: 600_000 },
        // Polling status changes nothing.
        maybeDelivered: false,
        resume: () => ({ registrationNumber }),
        describe: (last) => `form ${registrationNumber} still ${last?.status ?? last?.label ?? 'without a status'}`,
      },
    );
  }

  /**
   * The taxpayer's IIN/BIN enters twice: in the envelope (`iinBin`) and in the form's header
   * fields named `iin` (FACTS.md #48). Both are checked before anything is signed; an issue
   * names the field, never the number.
   */
  #checkTaxpayerIdentifiers(submission: FormSubmission): void {
    const check = this.#checkIdentifiers ? validateIinOrBin : validateIdentifierFormat;
    const issues: FieldIssue[] = [];
    const checkOne = (value: unknown, field: string) => {
      const checked = check(value);
      if (!checked.ok) issues.push({ field, message: `not a valid IIN/BIN: ${checked.message}` });
    };
    checkOne(submission.iinBin, 'iinBin');
    (submission.form?.forms ?? []).forEach((form, f) => {
      (form.sheets ?? []).forEach((sheet, s) => {
        const iin = sheet.fields?.iin;
        // An empty field (null or "") is the form's business, not an identifier to check.
        if (iin === undefined || iin === null || iin === '') return;
        // As the form writes it: a number loses a leading zero, and the check says so.
        checkOne(String(iin), `form.forms[${f}].sheets[${s}].fields.iin`);
      });
    });
    if (issues.length > 0) throw new ValidationError({ service: 'SONO_FNO', operation: SONO_FNO_SEND }, issues);
  }

  #required<T>(value: T | undefined, operation: string): T {
    if (value === undefined) {
      throw new KzError(
        { service: 'SONO_FNO', operation },
        'DECODE_ERROR',
        `SONO_FNO.${operation}: the answer carries no data`,
      );
    }
    return value;
  }
}

function describe(
  registrationNumber: string,
  label: ProcessingStatus,
  extra: { statusDate?: string | undefined; message?: string | undefined },
): FormStatus {
  const known = statusOfLabel(label);
  return {
    registrationNumber,
    status: known?.code,
    label,
    // A label seed 003 does not list is neither final nor an error: keep polling, and show it.
    isFinal: known?.isFinal ?? false,
    isError: known?.isError ?? false,
    ...(extra.statusDate ? { statusDate: extra.statusDate } : {}),
    ...(extra.message ? { message: extra.message } : {}),
  };
}
