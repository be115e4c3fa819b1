/**
 * The 25 processing statuses of seed 003 with their Russian labels (verbatim, including the seed's
 * "разности") and our isFinal / isError classification (specs/sono-fno/statuses.md explains it).
 */
import type { ProcessingStatus } from './generated/types.js';

export interface StatusInfo {
  readonly code: ProcessingStatus;
  /** The label exactly as seed 003 lists it. */
  readonly label: string;
  /** No further change expected: stop polling. */
  readonly isFinal: boolean;
  /** The form (or a processing stage) failed: someone must act. */
  readonly isError: boolean;
}

const s = (code: ProcessingStatus, label: string, isFinal: boolean, isError: boolean): StatusInfo => ({
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

const byCode = new Map(PROCESSING_STATUSES.map((x) => [x.code, x]));
const byLabel = new Map(PROCESSING_STATUSES.map((x) => [x.label.toLowerCase(), x]));

export function statusInfo(code: ProcessingStatus): StatusInfo {
  const info = byCode.get(code);
  if (!info) throw new RangeError(`unknown SONO FNO status ${code}`);
  return info;
}

export const isFinal = (code: ProcessingStatus): boolean => statusInfo(code).isFinal;
export const isError = (code: ProcessingStatus): boolean => statusInfo(code).isError;
export const statusLabel = (code: ProcessingStatus): string => statusInfo(code).label;

/** Maps a Russian label (as a live service may return it) to our code; undefined if unknown. */
export function statusFromLabel(label: string): ProcessingStatus | undefined {
  return byLabel.get(label.trim().toLowerCase())?.code;
}
