/**
 * Checks on what the Alseco document constrains, done before anything is sent, and the
 * conversions from friendly inputs (Date, "YYYY-MM-DD") to the wire forms the samples show.
 */
import { type FieldIssue, ValidationError } from '@kz/soap';

export const SERVICE = 'AlsecoPaymentsService';

/** A calendar day: a Date (its local date is used) or "YYYY-MM-DD". */
export type CalendarDate = Date | string;

const BANK_CODE = /^[A-Za-z]{4}$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function fail(operation: string, issues: FieldIssue[]): never {
  throw new ValidationError({ service: SERVICE, operation }, issues);
}

/** The bank's unique four-letter abbreviation, as ALSECO assigned it ("ALSC", "kasp"). */
export function checkBankCode(bankCode: unknown, operation = 'createAlsecoClient'): string {
  if (typeof bankCode !== 'string' || !BANK_CODE.test(bankCode)) {
    fail(operation, [
      { field: 'bankCode', message: 'must be the four-letter bank abbreviation ALSECO assigned, e.g. "ALSC"' },
    ]);
  }
  return bankCode;
}

export function checkYearMonth(operation: string, year: number, month: number): void {
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(year) || year < 2000 || year > 2999)
    issues.push({ field: 'year', message: 'must be a four-digit year' });
  if (!Number.isInteger(month) || month < 1 || month > 12) issues.push({ field: 'month', message: 'must be 1..12' });
  if (issues.length > 0) fail(operation, issues);
}

/** Lists the document says must not repeat (accounts, invoice numbers, payment ids). */
export function checkUniqueList<T extends string | number>(
  operation: string,
  field: string,
  values: readonly T[],
  valid: (value: T) => boolean,
  what: string,
): void {
  if (!Array.isArray(values) || values.length === 0) fail(operation, [{ field, message: 'must be a non-empty list' }]);
  const seen = new Set<T>();
  const issues: FieldIssue[] = [];
  values.forEach((value, index) => {
    if (!valid(value)) issues.push({ field: `${field}[${index}]`, message: `must be ${what}` });
    else if (seen.has(value))
      issues.push({ field: `${field}[${index}]`, message: `${value} repeats; the service requires distinct values` });
    seen.add(value);
  });
  if (issues.length > 0) fail(operation, issues);
}

export const isAccountId = (value: number): boolean => Number.isInteger(value) && value > 0 && value <= 2147483647;
export const isDigits = (value: string): boolean => typeof value === 'string' && /^\d{1,15}$/.test(value);

/**
 * A day as the service expects it: midnight with no offset ("2018-03-26T00:00:00"), read by the
 * .NET service in its own time zone. The samples add "+06:00"; an explicit offset would make
 * the server convert, and Kazakhstan moved to UTC+5 in 2024, so we leave it out.
 */
export function toServiceDay(operation: string, field: string, day: CalendarDate): string {
  if (day instanceof Date) {
    if (Number.isNaN(day.getTime())) fail(operation, [{ field, message: 'is an invalid Date' }]);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}T00:00:00`;
  }
  const match = typeof day === 'string' ? ISO_DAY.exec(day) : null;
  if (!match) fail(operation, [{ field, message: 'must be a Date or "YYYY-MM-DD"' }]);
  const [, year, month, date] = match;
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(date)));
  if (probe.getUTCMonth() + 1 !== Number(month) || probe.getUTCDate() !== Number(date)) {
    fail(operation, [{ field, message: `${day} is not a calendar day` }]);
  }
  return `${day}T00:00:00`;
}
