/**
 * Tax forms (FNO) to SONO through SHEP: SONO_FNO_SEND with the form signed by the taxpayer's key,
 * SONO_FNO_GET_STATUS, and waitForStatus polling until a final status.
 *
 * The payloads are built from specs/sono-fno/sono-fno.xsd, OUR RECONSTRUCTION (seed 003 gives the
 * transport and statuses, not the payload schema). Swapping in KGD's official XSD is a regeneration:
 * `npm run generate`, then the two codecs below point at the new element names.
 */

import { validateIdentifierFormat, validateIinOrBin } from '@kz/core';
import { documentCodec, type ShepClient, signXmlDocument } from '@kz/shep';
import type { Signer } from '@kz/signing';
import { type CallOptions, KzError, ValidationError } from '@kz/soap';
import { schemaMeta } from './generated/schema.js';
import type {
  ProcessingStatus,
  SonoFnoGetStatusRequest,
  SonoFnoGetStatusResponse,
  SonoFnoSendRequest,
  SonoFnoSendResponse,
  TaxPeriod,
} from './generated/types.js';
import { isError, isFinal, statusLabel } from './statuses.js';

export const SONO_FNO_SEND = 'SONO_FNO_SEND';
export const SONO_FNO_GET_STATUS = 'SONO_FNO_GET_STATUS';

/** Codecs of the four payload documents (used by the client and by the mock). */
export const sonoCodecs = {
  sendRequest: documentCodec<SonoFnoSendRequest>(schemaMeta, 'SonoFnoSendRequest'),
  sendResponse: documentCodec<SonoFnoSendResponse>(schemaMeta, 'SonoFnoSendResponse'),
  statusRequest: documentCodec<SonoFnoGetStatusRequest>(schemaMeta, 'SonoFnoGetStatusRequest'),
  statusResponse: documentCodec<SonoFnoGetStatusResponse>(schemaMeta, 'SonoFnoGetStatusResponse'),
};

export interface SonoFnoClientOptions {
  /** A SHEP client of the sending organisation (its transport signature, its credentials). */
  shep: ShepClient;
  /** The taxpayer's key: seed 003 requires the form to be signed by the taxpayer it is filed for. */
  taxpayerSigner: Signer;
  /**
   * Check `iinBin` with the national check-digit algorithm and the rules the number encodes
   * (@kz/core) before sending. Default true; false checks only for 12 digits, for test stands
   * whose sample taxpayers have numbers the algorithm rejects.
   */
  checkIdentifiers?: boolean;
}

export interface FormSubmission {
  /** e.g. "910.00". */
  formCode: string;
  /** Template version valid for the tax period. */
  formVersion: string;
  /** IIN/BIN of the taxpayer (12 digits). */
  iinBin: string;
  taxPeriod: TaxPeriod;
  /** The form document, unsigned: it is signed here with the taxpayer's key. */
  formXml: string;
}

export interface FormStatus {
  registrationNumber: string;
  status: ProcessingStatus;
  /** The Russian label of seed 003. */
  label: string;
  isFinal: boolean;
  isError: boolean;
  statusDate?: string;
  message?: string;
}

export interface WaitForStatusOptions {
  /** Default 10 minutes. */
  timeoutMs?: number;
  /** Default 10 s. */
  intervalMs?: number;
  signal?: AbortSignal;
  onProgress?(status: FormStatus): void;
}

export class SonoFnoTimeoutError extends KzError {
  constructor(readonly lastStatus: FormStatus) {
    super(
      { service: 'SONO_FNO', operation: SONO_FNO_GET_STATUS },
      'WAIT_TIMEOUT',
      `SONO_FNO.${SONO_FNO_GET_STATUS}: form ${lastStatus.registrationNumber} still ${lastStatus.status}`,
    );
  }
}

export function createSonoFnoClient(options: SonoFnoClientOptions): SonoFnoClient {
  return new SonoFnoClient(options);
}

export class SonoFnoClient {
  readonly #shep: ShepClient;
  readonly #signer: Signer;
  readonly #checkIdentifiers: boolean;

  constructor(options: SonoFnoClientOptions) {
    this.#shep = options.shep;
    this.#signer = options.taxpayerSigner;
    this.#checkIdentifiers = options.checkIdentifiers ?? true;
  }

  /** Signs the form with the taxpayer's key and sends it (SONO_FNO_SEND). Not retried. */
  async submitForm(form: FormSubmission, options?: CallOptions): Promise<FormStatus> {
    this.#checkIinBin(form.iinBin);
    const signed = await signXmlDocument(form.formXml, this.#signer);
    const result = await this.#shep.sync.send(
      {
        serviceId: SONO_FNO_SEND,
        data: {
          formCode: form.formCode,
          formVersion: form.formVersion,
          iinBin: form.iinBin,
          taxPeriod: form.taxPeriod,
          signedForm: new Uint8Array(Buffer.from(signed, 'utf8')),
        },
        codec: sonoCodecs.sendRequest,
        responseCodec: sonoCodecs.sendResponse,
      },
      options,
    );
    const answer = this.#required(result.data, SONO_FNO_SEND);
    return describe(answer.registrationNumber, answer.status, { message: answer.message });
  }

  /** The form's current processing status (SONO_FNO_GET_STATUS). */
  async getStatus(registrationNumber: string, options?: CallOptions): Promise<FormStatus> {
    const result = await this.#shep.sync.send(
      {
        serviceId: SONO_FNO_GET_STATUS,
        data: { registrationNumber },
        codec: sonoCodecs.statusRequest,
        responseCodec: sonoCodecs.statusResponse,
      },
      options,
    );
    const answer = this.#required(result.data, SONO_FNO_GET_STATUS);
    return describe(registrationNumber, answer.statusCode, { statusDate: answer.statusDate, message: answer.message });
  }

  /** Polls getStatus until a final status (isFinal), reporting each change; bounded by timeoutMs. */
  async waitForStatus(registrationNumber: string, options: WaitForStatusOptions = {}): Promise<FormStatus> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const intervalMs = options.intervalMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    let previous: ProcessingStatus | undefined;
    for (;;) {
      const status = await this.getStatus(registrationNumber, options.signal ? { signal: options.signal } : undefined);
      if (status.status !== previous) options.onProgress?.(status);
      previous = status.status;
      if (status.isFinal) return status;
      if (Date.now() + intervalMs > deadline) throw new SonoFnoTimeoutError(status);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, intervalMs);
        options.signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(options.signal?.reason);
          },
          { once: true },
        );
      });
    }
  }

  #checkIinBin(iinBin: string): void {
    const checked = (this.#checkIdentifiers ? validateIinOrBin : validateIdentifierFormat)(iinBin);
    if (!checked.ok) {
      throw new ValidationError({ service: 'SONO_FNO', operation: SONO_FNO_SEND }, [
        { field: 'iinBin', message: `not a valid IIN/BIN: ${checked.message}` },
      ]);
    }
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
  status: ProcessingStatus,
  extra: { statusDate?: string | undefined; message?: string | undefined },
): FormStatus {
  return {
    registrationNumber,
    status,
    label: statusLabel(status),
    isFinal: isFinal(status),
    isError: isError(status),
    ...(extra.statusDate ? { statusDate: extra.statusDate } : {}),
    ...(extra.message ? { message: extra.message } : {}),
  };
}
