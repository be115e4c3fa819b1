/**
 * Kazakhstan's identification numbers: the IIN (ИИН, ЖСН) of a person and the BIN (БИН, БСН) of a
 * legal entity, its branch or representative office, or entrepreneurs in joint business. Both are
 * 12 digits formed under the Government's "Rules for forming the identification number" (Decree
 * No. 406 of 22 May 2007, adilet.zan.kz/rus/docs/P070000406_). We could not read the Rules
 * themselves here; the layout below is as these public sources give it, and they agree:
 *
 * - [gera] tools.gera.services/kazakhstan-iin-validator: IIN = YYMMDD, G, NNNN, C; G is 1..6 (odd
 *   male, even female; 1-2 born 1800-1899, 3-4 1900-1999, 5-6 2000-2099) and "a G digit of 0 or
 *   7-9 is structurally invalid"; a two-pass checksum.
 * - [kpid] github.com/valery1707/kaz-person-id, PersonIdUtils.java (cites the Rules, P070000406 #z9):
 *   check weights 1..11, then 3..11,1,2 when the first remainder is 10, a second remainder of 10
 *   matches no digit; BIN digit 5 (4 resident entity, 5 non-resident entity, 6 joint
 *   entrepreneurship) and digit 6 (0 head office, 1 branch, 2 representative office, 3 peasant farm
 *   in joint entrepreneurship).
 * - [stdnum] github.com/arthurdejong/python-stdnum, stdnum/kz/bin.py (from the OECD's Kazakhstan
 *   TIN sheet): BIN digits 1-4 are the year and month of registration or re-registration, digits 5
 *   and 6 as [kpid].
 * - [bcc] bcc.kz/bcc-journal/category/glossary/bin: BIN = 4 digits of date, 1 of entity type, 1 of
 *   attribute, 5 of serial number, 1 check digit.
 *
 * Foreigners get IINs too (korgan-zan.kz/en/obtaining-iin-and-bin-in-kazakhstan); no source gives
 * them another seventh digit, and [gera] calls 0 invalid, so 0 is rejected here.
 *
 * Not checked, on purpose: that a birth date lies in the past or a registration month is not in the
 * future (the answer would change with the clock), and that the number was actually issued (only
 * the national registers know).
 */
import { KzError } from '@kz/soap';

/** Which number a check expects: the IIN of a person or the BIN of a legal entity. */
export type IdentifierKind = 'IIN' | 'BIN';

/** Why a number is not a valid IIN or BIN. */
export type IdentifierProblem =
  /** Not a string of exactly 12 ASCII digits. */
  | 'NOT_12_DIGITS'
  /** The 12th digit is not the one the national algorithm gives for the first 11. */
  | 'CHECK_DIGIT'
  /** Both passes of the algorithm leave remainder 10: no check digit exists, so no such number is issued. */
  | 'NO_CHECK_DIGIT'
  /** IIN digit 7 (century and sex) is not 1..6. */
  | 'CENTURY_SEX'
  /** IIN digits 1-6 are not a date (YYMMDD) in the century that digit 7 names. */
  | 'BIRTH_DATE'
  /** BIN digits 3-4 are not a month 01..12. */
  | 'REGISTRATION_MONTH'
  /** BIN digit 5 is not 4, 5 or 6. */
  | 'ENTITY_TYPE'
  /** BIN digit 6 is not 0..3. */
  | 'ENTITY_ATTRIBUTE'
  /** Digit 5 is neither a day's tens (0-3, an IIN) nor an entity type (4-6, a BIN). */
  | 'NEITHER_IIN_NOR_BIN';

/** The sex IIN digit 7 encodes: odd digits (1, 3, 5) male, even (2, 4, 6) female. */
export type Sex = 'male' | 'female';

/** What an IIN encodes. */
export interface IinInfo {
  /** Tells an IinInfo from a BinInfo in the result of parseIinOrBin. */
  readonly kind: 'IIN';
  /** The validated IIN itself, 12 digits. */
  readonly value: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  /** The century of birth: 19 for 1800-1899, 20 for 1900-1999, 21 for 2000-2099. */
  readonly century: 19 | 20 | 21;
  /** From digit 7: odd male, even female. */
  readonly sex: Sex;
  /** Digits 8-11: the registration serial number. */
  readonly serial: string;
}

/**
 * BIN digit 5: 4 a resident legal entity, 5 a non-resident legal entity, 6 entrepreneurs in joint
 * business.
 */
export type EntityType = 'resident' | 'non-resident' | 'joint-entrepreneurship';
/**
 * BIN digit 6: 0 the head office, 1 a branch, 2 a representative office, 3 a peasant (farm) holding
 * run as joint entrepreneurship.
 */
export type EntityAttribute = 'head-office' | 'branch' | 'representative-office' | 'peasant-farm';

/** What a BIN encodes. */
export interface BinInfo {
  /** Tells a BinInfo from an IinInfo in the result of parseIinOrBin. */
  readonly kind: 'BIN';
  /** The validated BIN itself, 12 digits. */
  readonly value: string;
  /** The last two digits of the year of registration or re-registration (the century is not encoded). */
  readonly registrationYear: string;
  /** 1..12. */
  readonly registrationMonth: number;
  /** From digit 5 (4, 5 or 6). */
  readonly entityType: EntityType;
  /** From digit 6 (0 to 3): head office, branch, representative office or peasant farm. */
  readonly attribute: EntityAttribute;
  /** Digits 7-11: the registration serial number. */
  readonly serial: string;
}

/**
 * What the parse* and validate* functions return instead of throwing: `ok: true` with the value, or
 * `ok: false` with the problem code and an English message that never contains the number itself.
 */
export type IdentifierResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: IdentifierProblem; readonly message: string };

/**
 * Thrown by the assert* functions. Its message names the field and the problem, never the number
 * itself (an IIN is personal data).
 */
export class InvalidIdentifierError extends KzError {
  /** What the caller asked for: 'IIN', 'BIN' or, from assertIinOrBin, 'IIN or BIN'. */
  readonly expected: IdentifierKind | 'IIN or BIN';
  /** Why the number was rejected, as a code to branch on. */
  readonly problem: IdentifierProblem;
  /** The field name the caller passed to the assert* function (prefixes the message), if any. */
  readonly field: string | undefined;

  constructor(expected: IdentifierKind | 'IIN or BIN', problem: IdentifierProblem, reason: string, field?: string) {
    super(
      { service: 'Identifiers', operation: 'assert' },
      'INVALID_IDENTIFIER',
      `${field ? `${field}: ` : ''}not a valid ${expected}: ${reason}`,
    );
    this.expected = expected;
    this.problem = problem;
    this.field = field;
  }
}

const FIRST_PASS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const SECOND_PASS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;
const TWELVE_DIGITS = /^[0-9]{12}$/;

const CENTURIES: Record<string, { century: 19 | 20 | 21; sex: Sex }> = {
  '1': { century: 19, sex: 'male' },
  '2': { century: 19, sex: 'female' },
  '3': { century: 20, sex: 'male' },
  '4': { century: 20, sex: 'female' },
  '5': { century: 21, sex: 'male' },
  '6': { century: 21, sex: 'female' },
};
const ENTITY_TYPES: Record<string, EntityType> = {
  '4': 'resident',
  '5': 'non-resident',
  '6': 'joint-entrepreneurship',
};
const ATTRIBUTES: Record<string, EntityAttribute> = {
  '0': 'head-office',
  '1': 'branch',
  '2': 'representative-office',
  '3': 'peasant-farm',
};

/** The IIN's information, or why the value is not a valid IIN. */
export function parseIin(value: unknown): IdentifierResult<IinInfo> {
  const digits = checkDigits(value);
  if (!digits.ok) return digits;
  const iin = digits.value;
  const birth = CENTURIES[iin[6] as string];
  if (!birth) return fail('CENTURY_SEX', 'digit 7 (century and sex) must be 1 to 6');
  const year = (birth.century - 1) * 100 + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  if (!isDate(year, month, day)) {
    return fail(
      'BIRTH_DATE',
      `digits 1-6 must be a birth date YYMMDD in ${(birth.century - 1) * 100}-${birth.century * 100 - 1}`,
    );
  }
  return {
    ok: true,
    value: {
      kind: 'IIN',
      value: iin,
      birthDate: `${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`,
      century: birth.century,
      sex: birth.sex,
      serial: iin.slice(7, 11),
    },
  };
}

/** The BIN's information, or why the value is not a valid BIN. */
export function parseBin(value: unknown): IdentifierResult<BinInfo> {
  const digits = checkDigits(value);
  if (!digits.ok) return digits;
  const bin = digits.value;
  const month = Number(bin.slice(2, 4));
  if (month < 1 || month > 12) return fail('REGISTRATION_MONTH', 'digits 3-4 must be a registration month 01 to 12');
  const entityType = ENTITY_TYPES[bin[4] as string];
  if (!entityType) return fail('ENTITY_TYPE', 'digit 5 (entity type) must be 4, 5 or 6');
  const attribute = ATTRIBUTES[bin[5] as string];
  if (!attribute) return fail('ENTITY_ATTRIBUTE', 'digit 6 (head office, branch, ...) must be 0 to 3');
  return {
    ok: true,
    value: {
      kind: 'BIN',
      value: bin,
      registrationYear: bin.slice(0, 2),
      registrationMonth: month,
      entityType,
      attribute,
      serial: bin.slice(6, 11),
    },
  };
}

/** Either number, told apart by digit 5: a day's tens (0-3) in an IIN, the entity type (4-6) in a BIN. */
export function parseIinOrBin(value: unknown): IdentifierResult<IinInfo | BinInfo> {
  const fifth = typeof value === 'string' ? value[4] : undefined;
  if (fifth !== undefined && fifth >= '0' && fifth <= '3') return parseIin(value);
  if (fifth !== undefined && fifth >= '4' && fifth <= '6') return parseBin(value);
  const digits = checkDigits(value);
  if (!digits.ok) return digits;
  return fail('NEITHER_IIN_NOR_BIN', 'digit 5 must be 0-3 (an IIN) or 4-6 (a BIN)');
}

/** The IIN string (checked as parseIin checks it), or why the value is not a valid IIN. */
export function validateIin(value: unknown): IdentifierResult<string> {
  return numberOf(parseIin(value));
}

/** The BIN string (checked as parseBin checks it), or why the value is not a valid BIN. */
export function validateBin(value: unknown): IdentifierResult<string> {
  return numberOf(parseBin(value));
}

/** The number if it is a valid IIN or BIN (told apart as parseIinOrBin does), or why it is neither. */
export function validateIinOrBin(value: unknown): IdentifierResult<string> {
  return numberOf(parseIinOrBin(value));
}

/**
 * Only the shape, 12 ASCII digits: for test stands whose sample accounts carry numbers the national
 * algorithm rejects (the ESF SDK's tin 123456789021), where the full check would refuse them.
 */
export function validateIdentifierFormat(value: unknown): IdentifierResult<string> {
  return typeof value === 'string' && TWELVE_DIGITS.test(value)
    ? { ok: true, value }
    : fail('NOT_12_DIGITS', 'expected a string of exactly 12 digits');
}

/**
 * The IIN, validated as validateIin does.
 * @throws InvalidIdentifierError (code INVALID_IDENTIFIER) when it is not; the message names `field`.
 */
export function assertIin(value: unknown, field?: string): string {
  return orThrow(validateIin(value), 'IIN', field).value;
}

/**
 * The BIN, validated as validateBin does.
 * @throws InvalidIdentifierError (code INVALID_IDENTIFIER) when it is not; the message names `field`.
 */
export function assertBin(value: unknown, field?: string): string {
  return orThrow(validateBin(value), 'BIN', field).value;
}

/**
 * The IIN or BIN, validated as validateIinOrBin does.
 * @throws InvalidIdentifierError (code INVALID_IDENTIFIER) when it is not; the message names `field`.
 */
export function assertIinOrBin(value: unknown, field?: string): string {
  return orThrow(validateIinOrBin(value), 'IIN or BIN', field).value;
}

/** Twelve digits whose last is the check digit of the first eleven. */
function checkDigits(value: unknown): IdentifierResult<string> {
  const shape = validateIdentifierFormat(value);
  if (!shape.ok) return shape;
  const expected = checkDigitOf(shape.value);
  if (expected === undefined) {
    return fail(
      'NO_CHECK_DIGIT',
      'digits 1-11 have no check digit (remainder 10 in both passes), so it is never issued',
    );
  }
  if (expected !== shape.value.charCodeAt(11) - 48) {
    return fail('CHECK_DIGIT', 'the check digit (digit 12) does not match digits 1-11');
  }
  return shape;
}

/**
 * The national algorithm [kpid, gera]: the sum of digits 1-11 times weights 1..11, modulo 11; when
 * that is 10, again with weights 3..11,1,2; a second 10 means no check digit exists.
 */
function checkDigitOf(digits: string): number | undefined {
  for (const weights of [FIRST_PASS, SECOND_PASS]) {
    let sum = 0;
    for (let i = 0; i < 11; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i] as number);
    const remainder = sum % 11;
    if (remainder !== 10) return remainder;
  }
  return undefined;
}

function isDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function numberOf<T extends { value: string }>(result: IdentifierResult<T>): IdentifierResult<string> {
  return result.ok ? { ok: true, value: result.value.value } : result;
}

function orThrow<T>(
  result: IdentifierResult<T>,
  expected: IdentifierKind | 'IIN or BIN',
  field?: string,
): { value: T } {
  if (!result.ok) throw new InvalidIdentifierError(expected, result.problem, result.message, field);
  return result;
}

function fail(problem: IdentifierProblem, message: string): { ok: false; problem: IdentifierProblem; message: string } {
  return { ok: false, problem, message };
}
