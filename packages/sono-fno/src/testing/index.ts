/**
 * `@kz/sono-fno/testing`: registers a SONO FNO service on the `@kz/shep/testing` mock gateway. It
 * checks the taxpayer's signature on the form, assigns a registration number, and moves the form one
 * status further on each SONO_FNO_GET_STATUS, along a realistic path (SENT -> ... -> POSTED by default).
 */
import { randomUUID } from 'node:crypto';
import { type TrustOptions, verifyXmlDocument } from '@kz/shep';
import type { ShepMock } from '@kz/shep/testing';
import { SONO_FNO_GET_STATUS, SONO_FNO_SEND, sonoCodecs } from '../client.js';
import type { ProcessingStatus, SonoFnoSendRequest } from '../generated/types.js';

export const HAPPY_PATH: readonly ProcessingStatus[] = [
  'SENT',
  'DELIVERED',
  'PROCESSING_ON_SERVER',
  'ACCEPTED',
  'AWAITING_POSTING',
  'PROCESSING_IN_TSULS',
  'POSTED',
];
export const REJECTED_PATH: readonly ProcessingStatus[] = ['SENT', 'DELIVERED', 'PROCESSING_ON_SERVER', 'NOT_ACCEPTED'];

export interface SonoFnoMockOptions {
  /** The statuses a form goes through; default HAPPY_PATH. */
  path?(form: SonoFnoSendRequest): readonly ProcessingStatus[];
  /** Whose form signatures are accepted; default any certificate (the signature must still verify). */
  taxpayers?: TrustOptions;
}

export interface SonoFnoMockForm {
  registrationNumber: string;
  form: SonoFnoSendRequest;
  /** Taxpayer certificate (DER base64) that signed the form. */
  signedBy: string;
  path: readonly ProcessingStatus[];
  step: number;
}

export function registerSonoFnoService(
  gateway: ShepMock,
  options: SonoFnoMockOptions = {},
): Map<string, SonoFnoMockForm> {
  const forms = new Map<string, SonoFnoMockForm>();
  gateway.registerSyncService(SONO_FNO_SEND, ({ data }) => {
    const form = sonoCodecs.sendRequest.decode(data);
    let signedBy: string;
    try {
      signedBy = verifyXmlDocument(
        Buffer.from(form.signedForm).toString('utf8'),
        options.taxpayers ?? { isTrusted: () => true },
      ).certificate;
    } catch (error) {
      return {
        status: { code: 'FORM_SIGNATURE', message: (error as Error).message },
        data: sonoCodecs.sendResponse.encode({
          registrationNumber: `REJ-${randomUUID().slice(0, 8)}`,
          status: 'NOT_ACCEPTED',
          message: `the taxpayer signature does not verify: ${(error as Error).message}`,
        }),
      };
    }
    const registrationNumber = `${form.formCode.replace('.', '')}-${form.taxPeriod.year}-${String(forms.size + 1).padStart(10, '0')}`;
    const path = options.path?.(form) ?? HAPPY_PATH;
    forms.set(registrationNumber, { registrationNumber, form, signedBy, path, step: 0 });
    return {
      status: { code: 'OK', message: 'form received' },
      data: sonoCodecs.sendResponse.encode({ registrationNumber, status: path[0] ?? 'SENT' }),
    };
  });
  gateway.registerSyncService(SONO_FNO_GET_STATUS, ({ data }) => {
    const { registrationNumber } = sonoCodecs.statusRequest.decode(data);
    const entry = forms.get(registrationNumber);
    if (!entry) return { status: { code: 'NOT_FOUND', message: `no form ${registrationNumber}` } };
    entry.step = Math.min(entry.step + 1, entry.path.length - 1);
    const statusCode = entry.path[entry.step] as ProcessingStatus;
    return {
      status: { code: 'OK', message: 'status' },
      data: sonoCodecs.statusResponse.encode({ statusCode, statusDate: new Date().toISOString() }),
    };
  });
  return forms;
}
