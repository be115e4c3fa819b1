/**
 * The 25 processing statuses of seed 003. The seed gives Russian labels and no codes, so a status
 * travels as its label, exactly as listed (including the seed's "разности"); this table is the
 * stable mapping between each label, our Latin code and our isFinal / isError classification
 * (specs/sono-fno/statuses.md explains it).
 */
import { ValidationError } from '@kz/soap';
import type { ProcessingStatus } from './generated/types.js';

/** Our stable Latin code of a status (not a wire value: the wire carries the label). */
export type StatusCode =
  | 'DELIVERED'
  | 'CERTIFIED'
  | 'ON_CERTIFICATION'
  | 'NOT_SUBJECT_TO_POSTING'
  | 'NOT_ACCEPTED'
  | 'PROCESSING_IN_TSULS'
  | 'PROCESSING_ON_SERVER'
  | 'PROCESSED'
  | 'AWAITING_POSTING'
  | 'PATENT_REFUSED'
  | 'REJECTED'
  | 'WITHDRAWN'
  | 'WITHDRAWN_WITHOUT_REVERSAL'
  | 'SENT'
  | 'SENDING_TO_EXTERNAL_SYSTEM'
  | 'NO_AMOUNT_TO_POST'
  | 'POSTING_ERROR'
  | 'REVERSAL_ERROR'
  | 'PATENT_ISSUED'
  | 'ACCEPTED'
  | 'ACCEPTED_NOT_PARSED'
  | 'POSTED'
  | 'POSTED_WITH_ERROR'
  | 'POSTING_POSTPONED'
  | 'REVERSED';

/** One of seed 003's 25 processing statuses: its wire label, our code, and whether it is final or an error. */
export interface StatusInfo {
  /** Our stable Latin code of the status, e.g. `NOT_ACCEPTED` for Не принята. */
  readonly code: StatusCode;
  /** The label exactly as seed 003 lists it: the value on the wire. */
  readonly label: ProcessingStatus;
  /** No further change expected: stop polling. */
  readonly isFinal: boolean;
  /** The form (or a processing stage) failed: someone must act. */
  readonly isError: boolean;
}

const s = (code: StatusCode, label: ProcessingStatus, isFinal: boolean, isError: boolean): StatusInfo => ({
  code,
  label,
  isFinal,
  isError,
});

/** In the seed's order. */
export const PROCESSING_STATUSES: readonly StatusInfo[] = [
  s('DELIVERED', 'Доставлена', false, false),
  s('CERTIFIED', 'Заверена', true, false),
  s('ON_CERTIFICATION', 'На заверении', false, false),
  s('NOT_SUBJECT_TO_POSTING', 'Не подлежит разноске', true, false),
  s('NOT_ACCEPTED', 'Не принята', true, true),
  s('PROCESSING_IN_TSULS', 'Обрабатывается в ЦУЛС', false, false),
  s('PROCESSING_ON_SERVER', 'Обрабатывается на сервере', false, false),
  s('PROCESSED', 'Обработана', true, false),
  s('AWAITING_POSTING', 'Ожидает разности', false, false),
  s('PATENT_REFUSED', 'Отказ в выдаче патента', true, true),
  s('REJECTED', 'Отклонена', true, true),
  s('WITHDRAWN', 'Отозвана', true, false),
  s('WITHDRAWN_WITHOUT_REVERSAL', 'Отозвана без сторно', true, false),
  s('SENT', 'Отправлена', false, false),
  s('SENDING_TO_EXTERNAL_SYSTEM', 'Отправляется во внешнюю систему', false, false),
  s('NO_AMOUNT_TO_POST', 'Отсутствует сумма к разноске', true, false),
  s('POSTING_ERROR', 'Ошибка разности', false, true),
  s('REVERSAL_ERROR', 'Ошибка сторнирования', false, true),
  s('PATENT_ISSUED', 'Патент выдан', true, false),
  s('ACCEPTED', 'Принята', false, false),
  s('ACCEPTED_NOT_PARSED', 'Принята, но не разобрана', false, false),
  s('POSTED', 'Разнесена', true, false),
  s('POSTED_WITH_ERROR', 'Разнесена с ошибкой', true, true),
  s('POSTING_POSTPONED', 'Разноска отложена', false, false),
  s('REVERSED', 'Сторнирована', true, false),
];

const byCode = new Map<string, StatusInfo>(PROCESSING_STATUSES.map((x) => [x.code, x]));
const byLabel = new Map<string, StatusInfo>(PROCESSING_STATUSES.map((x) => [x.label, x]));

/** The status of a code; a code not in the list is a ValidationError naming `code`. */
export function statusInfo(code: StatusCode): StatusInfo {
  const info = byCode.get(code);
  if (!info) {
    throw new ValidationError({ service: 'SONO_FNO', operation: 'statusInfo' }, [
      { field: 'code', message: `unknown SONO FNO status code ${String(code).slice(0, 64)}` },
    ]);
  }
  return info;
}

/** The status of a label as the service sends it: exactly one of seed 003's 25, else undefined. */
export function statusOfLabel(label: string): StatusInfo | undefined {
  return byLabel.get(label);
}

/**
 * True when no further change is expected after this status: stop polling.
 * @throws ValidationError when `code` is not one of the 25 codes.
 */
export const isFinal = (code: StatusCode): boolean => statusInfo(code).isFinal;
/**
 * True when this status means the form or a processing stage failed.
 * @throws ValidationError when `code` is not one of the 25 codes.
 */
export const isError = (code: StatusCode): boolean => statusInfo(code).isError;
/** The wire label of a code. */
export const statusLabel = (code: StatusCode): ProcessingStatus => statusInfo(code).label;
/** Our code of a wire label; undefined for a label seed 003 does not list. */
export const statusCode = (label: string): StatusCode | undefined => byLabel.get(label)?.code;
