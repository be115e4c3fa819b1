/**
 * `@kz/sono-fno/testing`: registers a SONO FNO service on the `@kz/shep/testing` mock gateway. It
 * checks the taxpayer's signature on the form (and that the form is in the public form format)
 * and on every status request (the same taxpayer's), assigns a registration number, and moves the
 * form one status further on each SONO_FNO_GET_STATUS, along a realistic path (SENT -> ... ->
 * POSTED by default). Statuses travel as seed 003's Russian labels; the envelope names follow
 * `envelope`, like the client's.
 */
import { randomUUID } from 'node:crypto';
import { type TrustOptions, verifyXmlDocument } from '@kz/shep';
import type { ShepMock } from '@kz/shep/testing';
import { SONO_FNO_GET_STATUS, SONO_FNO_SEND } from '../client.js';
import { envelopeCodecs, type SonoEnvelopeNames } from '../envelope.js';
import { decodeFnoForm } from '../form.js';
import type { FnoDocument } from '../generated/form/types.js';
import type { SonoFnoSendRequest } from '../generated/types.js';
import { type StatusCode, statusLabel } from '../statuses.js';

/**
 * The mock's default status path of an accepted form: Отправлена → Доставлена → Обрабатывается на сервере → Принята
 * → Ожидает разности → Обрабатывается в ЦУЛС → Разнесена (final).
 */
export const HAPPY_PATH: readonly StatusCode[] = [
  'SENT',
  'DELIVERED',
  'PROCESSING_ON_SERVER',
  'ACCEPTED',
  'AWAITING_POSTING',
  'PROCESSING_IN_TSULS',
  'POSTED',
];
/** A status path ending in Не принята (NOT_ACCEPTED, final, an error): return it from `path` to test a refusal. */
export const REJECTED_PATH: readonly StatusCode[] = ['SENT', 'DELIVERED', 'PROCESSING_ON_SERVER', 'NOT_ACCEPTED'];

/** Options of registerSonoFnoService: the status path per form, whose signatures are trusted, the envelope names. */
export interface SonoFnoMockOptions {
  /** The statuses a form goes through; default HAPPY_PATH. */
  path?(form: SonoFnoSendRequest): readonly StatusCode[];
  /** Whose signatures are accepted; default any certificate (the signature must still verify). */
  taxpayers?: TrustOptions;
  /** Names of the transport envelope, as the client's `envelope` option. */
  envelope?: SonoEnvelopeNames;
}

/** A form the SONO FNO mock received (the map registerSonoFnoService returns, by registration number). */
export interface SonoFnoMockForm {
  /** The number the mock assigned: form code without the dot, year, and a counter (e.g. `91000-2024-0000000001`). */
  registrationNumber: string;
  /** The SONO_FNO_SEND envelope as received (form code and version, IIN/BIN, tax period, signed form). */
  request: SonoFnoSendRequest;
  /** The form as received, decoded (its signature in `$any`). */
  form: FnoDocument;
  /** Taxpayer certificate (DER base64) that signed the form. */
  signedBy: string;
  /** The statuses this form goes through (SonoFnoMockOptions.path, default HAPPY_PATH). */
  path: readonly StatusCode[];
  /** Index in `path` of the status last reported; each SONO_FNO_GET_STATUS moves it one step, up to the last. */
  step: number;
}

/**
 * Plays SONO on a `@kz/shep/testing` mock gateway (test-only): registers SONO_FNO_SEND and SONO_FNO_GET_STATUS as
 * sync services. A form must carry a verifying taxpayer XML signature and be in the public form format, else it is
 * answered Не принята; each status request must be signed by the same taxpayer and moves the form one step along
 * its path. Returns the live map of received forms by registration number, to assert on. Stops with the gateway.
 */
export function registerSonoFnoService(
  gateway: ShepMock,
  options: SonoFnoMockOptions = {},
): Map<string, SonoFnoMockForm> {
  const codecs = envelopeCodecs(options.envelope);
  const trust = options.taxpayers ?? { isTrusted: () => true };
  const forms = new Map<string, SonoFnoMockForm>();
  const notAccepted = (message: string) => ({
    status: { code: 'FORM_REFUSED', message },
    data: codecs.sendResponse.encode({
      registrationNumber: `REJ-${randomUUID().slice(0, 8)}`,
      status: statusLabel('NOT_ACCEPTED'),
      message,
    }),
  });
  gateway.registerSyncService(SONO_FNO_SEND, ({ data }) => {
    const request = codecs.sendRequest.decode(data);
    const text = Buffer.from(request.signedForm).toString('utf8');
    let signedBy: string;
    let form: FnoDocument;
    try {
      signedBy = verifyXmlDocument(text, trust).certificate;
    } catch (error) {
      return notAccepted(`the taxpayer signature does not verify: ${(error as Error).message}`);
    }
    try {
      form = decodeFnoForm(text);
    } catch (error) {
      return notAccepted(`the form is not in the form format: ${(error as Error).message}`);
    }
    if (form.code !== request.formCode || form.version !== request.formVersion) {
      return notAccepted(
        `the envelope says ${request.formCode} v${request.formVersion}, the form ${form.code} v${form.version}`,
      );
    }
    const registrationNumber = `${request.formCode.replace('.', '')}-${request.taxPeriod.year}-${String(forms.size + 1).padStart(10, '0')}`;
    const path = options.path?.(request) ?? HAPPY_PATH;
    forms.set(registrationNumber, { registrationNumber, request, form, signedBy, path, step: 0 });
    return {
      status: { code: 'OK', message: 'form received' },
      data: codecs.sendResponse.encode({ registrationNumber, status: statusLabel(path[0] ?? 'SENT') }),
    };
  });
  gateway.registerSyncService(SONO_FNO_GET_STATUS, ({ data }) => {
    let signer: string;
    try {
      signer = verifyXmlDocument(data, trust).certificate;
    } catch (error) {
      return {
        status: { code: 'SIGNATURE', message: `the status request is not signed: ${(error as Error).message}` },
      };
    }
    const { registrationNumber } = codecs.statusRequest.decode(data);
    const entry = forms.get(registrationNumber);
    if (!entry) return { status: { code: 'NOT_FOUND', message: `no form ${registrationNumber}` } };
    if (signer !== entry.signedBy) {
      return { status: { code: 'SIGNATURE', message: "the status request is not signed by the form's taxpayer" } };
    }
    entry.step = Math.min(entry.step + 1, entry.path.length - 1);
    const code = entry.path[entry.step] as StatusCode;
    return {
      status: { code: 'OK', message: 'status' },
      data: codecs.statusResponse.encode({ statusCode: statusLabel(code), statusDate: new Date().toISOString() }),
    };
  });
  return forms;
}
