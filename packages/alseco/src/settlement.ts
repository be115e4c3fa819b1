/**
 * Settling a payment whose outcome is unknown (a timeout or a broken connection after Pay/PayD
 * was sent: a TransportError with `maybeDelivered`), without sending it again: ALSECO's
 * reconciliation lists say whether it registered the bank's SysRef.
 *
 * - getPaysInfo over the payment's day and the next one (a payment sent just before midnight is
 *   registered on the day it reached ALSECO, "Датой платежа считается дата, когда платеж поступил
 *   и был зафиксирован в базе данных АЛСЕКО");
 * - GetNotMovedPays for both days (payments not yet taken into processing).
 * Found in either: paid, with ALSECO's payment id. Found in neither: not paid, but only once a
 * request sent at that time can no longer be registered (`graceMs` after it was sent, or after the
 * end of the day when the sending time is not given); before that, the answer is "cannot tell yet".
 */
import type { CallOptions } from '@kz/soap';
import { type CalendarDate, fail, toServiceDay } from './inputs.js';

/**
 * What settlePayment found out about a payment sent with this SysRef: `paid` (with ALSECO's payment id; several
 * ids mean it was paid twice), `notPaid` (not registered, and a request sent then can no longer be), or `unknown`
 * (not seen yet, but it may still be registered: ask again after `askAgainAfter`).
 */
export type PaymentSettlement =
  | {
      readonly status: 'paid';
      readonly sysRef: string;
      /** ALSECO's payment id (the first found). */
      readonly paymentId: number;
      /** Every distinct payment id registered under this SysRef: more than one is a double payment. */
      readonly paymentIds: readonly number[];
    }
  | { readonly status: 'notPaid'; readonly sysRef: string }
  | {
      readonly status: 'unknown';
      readonly sysRef: string;
      /** Not found yet, but a request sent then may still be registered: ask again after this. */
      readonly askAgainAfter: Date;
    };

/**
 * Options of settlePayment: when the request was sent and how long it may take to be registered, the clock, and
 * the call options of the reconciliation reads.
 */
export interface SettleOptions extends CallOptions {
  /** When the payment request was sent. Without it, the whole day counts as "may still arrive". */
  sentAt?: Date;
  /** How long after sending a payment may still be registered. Default 10 minutes. */
  graceMs?: number;
  /** The clock. Default: the real time. */
  now?: () => Date;
}

/** The reconciliation reads settlePayment needs (AlsecoClient has them). */
export interface ReconciliationReads {
  getPaysInfo(
    from: CalendarDate,
    to: CalendarDate,
    options?: CallOptions,
  ): Promise<{ SysRef?: string; PaymentId: number }[]>;
  getNotMovedPays(day: CalendarDate, options?: CallOptions): Promise<{ SysRef?: string; InvoicePaymentId: number }[]>;
}

const DEFAULT_GRACE_MS = 10 * 60_000;

export async function settlePayment(
  reads: ReconciliationReads,
  sysRef: string,
  day: CalendarDate,
  options: SettleOptions = {},
): Promise<PaymentSettlement> {
  if (typeof sysRef !== 'string' || sysRef === '') fail('settlePayment', [{ field: 'sysRef', message: 'is required' }]);
  const { sentAt, graceMs = DEFAULT_GRACE_MS, now = () => new Date(), ...call } = options;
  const first = toServiceDay('settlePayment', 'day', day).slice(0, 10);
  const next = nextDay(first);
  const [pays, notMovedFirst, notMovedNext] = await Promise.all([
    reads.getPaysInfo(first, next, call),
    reads.getNotMovedPays(first, call),
    reads.getNotMovedPays(next, call),
  ]);
  const ids = new Set<number>();
  for (const p of pays) if (p.SysRef === sysRef) ids.add(p.PaymentId);
  for (const p of [...notMovedFirst, ...notMovedNext]) if (p.SysRef === sysRef) ids.add(p.InvoicePaymentId);
  const paymentIds = [...ids];
  if (paymentIds.length > 0) {
    return { status: 'paid', sysRef, paymentId: paymentIds[0] as number, paymentIds };
  }
  const lastArrival = new Date((sentAt ?? startOf(next)).getTime() + graceMs);
  return now() >= lastArrival
    ? { status: 'notPaid', sysRef }
    : { status: 'unknown', sysRef, askAgainAfter: lastArrival };
}

/** "YYYY-MM-DD" of the day after. */
function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d + 1));
  return date.toISOString().slice(0, 10);
}

/** Local midnight at the start of "YYYY-MM-DD" (the day boundary toServiceDay uses). */
function startOf(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}
