/**
 * Invoice (e-account) numbers. The document: the first four digits are the period the invoice
 * was formed for (YYMM: "2410..." is October 2024); the last printed digit is a check digit
 * added by the printing machine, and "all requests must be made without the last digit".
 * The check-digit algorithm is not published, so it cannot be verified, only removed.
 */
import { ValidationError } from '@kz/soap';
import { SERVICE } from './inputs.js';

/** A ValidationError naming the invoice number (never a bare RangeError: one error family). */
function invalid(operation: string, message: string): ValidationError {
  return new ValidationError({ service: SERVICE, operation }, [{ field: 'invoiceNumber', message }]);
}

/** The number to send to the service for an invoice number as printed on the paper invoice. */
export function invoiceNumberForRequest(printed: string): string {
  const digits = printed.replace(/\s+/g, '');
  if (!/^\d{6,}$/.test(digits))
    throw invalid('invoiceNumberForRequest', 'an invoice number is all digits, at least six');
  return digits.slice(0, -1);
}

/** The period an invoice number belongs to, from its first four digits (YYMM). */
export function invoicePeriod(invoiceNumber: string): { year: number; month: number } {
  const match = /^(\d{2})(\d{2})\d/.exec(invoiceNumber);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12)
    throw invalid('invoicePeriod', 'an invoice number starts with its period as YYMM');
  return { year: 2000 + Number(match[1]), month };
}
