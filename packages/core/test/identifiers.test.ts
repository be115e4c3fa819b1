/**
 * IIN/BIN validation against numbers built here with the national algorithm (written again from
 * its description, not imported), known numbers from outside this package, and single-digit
 * mutations of valid numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertBin,
  assertIin,
  assertIinOrBin,
  InvalidIdentifierError,
  parseBin,
  parseIin,
  parseIinOrBin,
  validateBin,
  validateIin,
  validateIinOrBin,
} from '../src/index.js';

const RUNS = { numRuns: 2000 };

/** The check digit as the Rules describe it: weights 1..11, then 3..11,1,2; undefined if both give 10. */
function referenceCheckDigit(first11: string): number | undefined {
  const digits = [...first11].map(Number);
  const pass = (weights: number[]) => digits.reduce((sum, d, i) => sum + d * (weights[i] as number), 0) % 11;
  const first = pass([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (first !== 10) return first;
  const second = pass([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return second === 10 ? undefined : second;
}

function firstPassRemainder(number: string): number {
  return [...number.slice(0, 11)].reduce((sum, d, i) => sum + Number(d) * (i + 1), 0) % 11;
}

/** Appends the check digit, or undefined when the 11 digits have none. */
function complete(first11: string): string | undefined {
  const check = referenceCheckDigit(first11);
  return check === undefined ? undefined : first11 + check;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const digitString = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

const iinParts = fc.record({
  date: fc.date({ min: new Date('1800-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
  sex: fc.constantFrom('male' as const, 'female' as const),
  serial: digitString(4),
});

/** A valid IIN for the parts, or undefined when its 11 digits have no check digit. */
function iinOf(parts: { date: Date; sex: 'male' | 'female'; serial: string }): string | undefined {
  const year = parts.date.getUTCFullYear();
  const century = Math.floor(year / 100) + 1; // 19, 20 or 21
  const seventh = (century - 19) * 2 + (parts.sex === 'male' ? 1 : 2);
  const yymmdd = pad(year % 100, 2) + pad(parts.date.getUTCMonth() + 1, 2) + pad(parts.date.getUTCDate(), 2);
  return complete(`${yymmdd}${seventh}${parts.serial}`);
}

const binParts = fc.record({
  year: digitString(2),
  month: fc.integer({ min: 1, max: 12 }),
  type: fc.constantFrom(['4', 'resident'], ['5', 'non-resident'], ['6', 'joint-entrepreneurship']),
  attribute: fc.constantFrom(
    ['0', 'head-office'],
    ['1', 'branch'],
    ['2', 'representative-office'],
    ['3', 'peasant-farm'],
  ),
  serial: digitString(5),
});

const validIin = iinParts.map(iinOf).filter((n): n is string => n !== undefined);
const validBin = binParts
  .map((p) => complete(`${p.year}${pad(p.month, 2)}${p.type[0]}${p.attribute[0]}${p.serial}`))
  .filter((n): n is string => n !== undefined);

describe('known numbers', () => {
  it('accepts numbers published outside this package', () => {
    // Seed 002 (True API): ownerInn of an example; a woman born 16 July 1981.
    expect(parseIin('810716401076')).toEqual({
      ok: true,
      value: {
        kind: 'IIN',
        value: '810716401076',
        birthDate: '1981-07-16',
        century: 20,
        sex: 'female',
        serial: '0107',
      },
    });
    // python-stdnum's stdnum/kz/bin.py doctest: a resident head office registered in January 1994.
    expect(parseBin('940140000385')).toEqual({
      ok: true,
      value: {
        kind: 'BIN',
        value: '940140000385',
        registrationYear: '94',
        registrationMonth: 1,
        entityType: 'resident',
        attribute: 'head-office',
        serial: '00038',
      },
    });
    expect(validateBin('990140004654')).toEqual({ ok: true, value: '990140004654' });
  });

  it('rejects numbers the algorithm rejects', () => {
    expect(validateIin('111111111111')).toMatchObject({ ok: false, problem: 'CHECK_DIGIT' });
    // The ESF SDK's test tin and iin (FACTS.md #43): sample values, not valid numbers.
    expect(validateIinOrBin('123456789021')).toMatchObject({ ok: false, problem: 'CHECK_DIGIT' });
    expect(validateIinOrBin('123456789011')).toMatchObject({ ok: false, problem: 'CHECK_DIGIT' });
  });

  it('rejects eleven digits whose check digit does not exist', () => {
    let found: string | undefined;
    for (let n = 0; n < 10_000 && !found; n++) {
      const first11 = `8801013${pad(n % 10_000, 4)}`;
      if (referenceCheckDigit(first11) === undefined) found = first11;
    }
    expect(found).toBeDefined();
    for (const check of '0123456789') {
      expect(validateIin(`${found}${check}`)).toMatchObject({ ok: false, problem: 'NO_CHECK_DIGIT' });
    }
  });
});

describe('numbers built with the national algorithm', () => {
  it('every IIN built from a birth date, sex and serial validates and parses back to them', () => {
    fc.assert(
      fc.property(iinParts, (parts) => {
        const iin = iinOf(parts);
        fc.pre(iin !== undefined);
        const parsed = parseIin(iin);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.value.birthDate).toBe(parts.date.toISOString().slice(0, 10));
        expect(parsed.value.sex).toBe(parts.sex);
        expect(parsed.value.century).toBe(Math.floor(parts.date.getUTCFullYear() / 100) + 1);
        expect(parsed.value.serial).toBe(parts.serial);
        expect(validateIinOrBin(iin)).toEqual({ ok: true, value: iin });
        expect(parseIinOrBin(iin)).toEqual(parsed);
        expect(validateBin(iin).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('every BIN built from a month, type, attribute and serial validates and parses back to them', () => {
    fc.assert(
      fc.property(binParts, (parts) => {
        const bin = complete(`${parts.year}${pad(parts.month, 2)}${parts.type[0]}${parts.attribute[0]}${parts.serial}`);
        fc.pre(bin !== undefined);
        expect(parseBin(bin)).toEqual({
          ok: true,
          value: {
            kind: 'BIN',
            value: bin,
            registrationYear: parts.year,
            registrationMonth: parts.month,
            entityType: parts.type[1],
            attribute: parts.attribute[1],
            serial: parts.serial,
          },
        });
        expect(validateIinOrBin(bin)).toEqual({ ok: true, value: bin });
        expect(validateIin(bin).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('about one eleven-digit prefix in 121 has no check digit and is never accepted', () => {
    fc.assert(
      fc.property(digitString(11), fc.integer({ min: 0, max: 9 }), (first11, check) => {
        fc.pre(referenceCheckDigit(first11) === undefined);
        expect(validateIinOrBin(`${first11}${check}`).ok).toBe(false);
      }),
      { numRuns: 200, maxSkipsPerRun: 1000 },
    );
  });
});

describe('mutated numbers', () => {
  const mutation = fc.record({ position: fc.integer({ min: 0, max: 11 }), shift: fc.integer({ min: 1, max: 9 }) });
  const mutate = (number: string, { position, shift }: { position: number; shift: number }) =>
    number.slice(0, position) + ((Number(number[position]) + shift) % 10) + number.slice(position + 1);

  it('one changed digit is caught whenever the first pass decides, except digit 11 (weight 11 = 0 mod 11)', () => {
    let caught = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.oneof(validIin, validBin), mutation, (number, change) => {
        const mutated = mutate(number, change);
        const result = validateIinOrBin(mutated);
        total++;
        if (!result.ok) caught++;
        if (change.position === 11) {
          expect(result.ok).toBe(false);
          return;
        }
        // Digits 1-10 weigh 1..10 in the first pass: a change shifts the sum by weight x delta, never
        // a multiple of 11, so two numbers both decided there have different check digits. Digit 11
        // weighs 11, a multiple of 11: the first pass cannot see it, and digit 11 is part of the
        // serial, so the changed number is just as valid. Only the second pass can tell.
        const firstPassOnly = firstPassRemainder(number) !== 10 && firstPassRemainder(mutated) !== 10;
        if (firstPassOnly) expect(result.ok).toBe(change.position === 10);
      }),
      RUNS,
    );
    // 10 of 12 positions are always caught when the first pass decides (about 10 times in 11).
    expect(caught / total).toBeGreaterThan(0.8);
  });

  it('a changed check digit names the check digit', () => {
    fc.assert(
      fc.property(validIin, fc.integer({ min: 1, max: 9 }), (iin, shift) => {
        expect(validateIin(mutate(iin, { position: 11, shift }))).toMatchObject({ ok: false, problem: 'CHECK_DIGIT' });
      }),
      RUNS,
    );
  });

  it('an IIN whose seventh digit is 0 or 7-9 is refused even with a correct check digit', () => {
    fc.assert(
      fc.property(validIin, fc.constantFrom('0', '7', '8', '9'), (iin, seventh) => {
        const rebuilt = complete(iin.slice(0, 6) + seventh + iin.slice(7, 11));
        fc.pre(rebuilt !== undefined);
        expect(parseIin(rebuilt)).toMatchObject({ ok: false, problem: 'CENTURY_SEX' });
      }),
      RUNS,
    );
  });

  it('an IIN whose date does not exist in its century is refused even with a correct check digit', () => {
    const impossible = fc.oneof(
      fc.integer({ min: 13, max: 99 }).map((m) => `00${m}01`), // month 13..99
      fc.constant('990001'), // month 00
      fc.constant('990100'), // day 00
      fc.constant('990132'),
      fc.constant('990431'),
    );
    fc.assert(
      fc.property(impossible, fc.integer({ min: 1, max: 6 }), digitString(4), (date, seventh, serial) => {
        const iin = complete(`${date}${seventh}${serial}`);
        fc.pre(iin !== undefined);
        expect(parseIin(iin)).toMatchObject({ ok: false, problem: 'BIRTH_DATE' });
      }),
      RUNS,
    );
  });

  it('29 February is a date only in leap years of the century digit 7 names', () => {
    const leapDay = (seventh: string) => complete(`000229${seventh}0001`) ?? complete(`000229${seventh}0002`);
    expect(validateIin(leapDay('3')).ok).toBe(false); // 1900: not a leap year
    expect(validateIin(leapDay('4')).ok).toBe(false);
    expect(parseIin(leapDay('5'))).toMatchObject({ ok: true, value: { birthDate: '2000-02-29', sex: 'male' } });
    expect(parseIin(leapDay('6'))).toMatchObject({ ok: true, value: { birthDate: '2000-02-29', sex: 'female' } });
    expect(parseIin(leapDay('1'))).toMatchObject({ ok: false, problem: 'BIRTH_DATE' }); // 1800
  });

  it('a BIN with an unknown month, entity type or attribute is refused even with a correct check digit', () => {
    fc.assert(
      fc.property(validBin, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 9 }), (bin, which, n) => {
        const changed =
          which === 0
            ? `${bin.slice(0, 2)}${pad(n === 0 ? 0 : 12 + n, 2)}${bin.slice(4, 11)}`
            : which === 1
              ? `${bin.slice(0, 4)}${7 + (n % 3)}${bin.slice(5, 11)}`
              : `${bin.slice(0, 5)}${4 + (n % 6)}${bin.slice(6, 11)}`;
        const rebuilt = complete(changed);
        fc.pre(rebuilt !== undefined);
        const problem = ['REGISTRATION_MONTH', 'ENTITY_TYPE', 'ENTITY_ATTRIBUTE'][which];
        expect(parseBin(rebuilt)).toMatchObject({ ok: false, problem });
        if (which === 1) expect(parseIinOrBin(rebuilt)).toMatchObject({ ok: false, problem: 'NEITHER_IIN_NOR_BIN' });
      }),
      RUNS,
    );
  });
});

describe('input shapes', () => {
  it('accepts exactly twelve ASCII digits in a string', () => {
    for (const bad of [
      '',
      '81071640107',
      '8107164010760',
      ' 810716401076',
      '810716401076\n',
      '8107 16401076',
      '８１０７１６４０１０７６', // full-width digits
      '٨١٠٧١٦٤٠١٠٧٦', // Arabic-Indic digits
      810716401076,
      null,
      undefined,
      { toString: () => '810716401076' },
    ]) {
      expect(validateIinOrBin(bad)).toMatchObject({ ok: false, problem: 'NOT_12_DIGITS' });
      expect(validateIin(bad)).toMatchObject({ ok: false, problem: 'NOT_12_DIGITS' });
      expect(validateBin(bad)).toMatchObject({ ok: false, problem: 'NOT_12_DIGITS' });
    }
  });

  it('assert* returns the number or throws an InvalidIdentifierError naming the field, not the number', () => {
    expect(assertIin('810716401076')).toBe('810716401076');
    expect(assertBin('940140000385', 'bin')).toBe('940140000385');
    expect(assertIinOrBin('940140000385')).toBe('940140000385');
    let error: unknown;
    try {
      assertIinOrBin('810716401077', 'taxpayer.iinBin');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidIdentifierError);
    expect(error).toMatchObject({
      name: 'InvalidIdentifierError',
      code: 'INVALID_IDENTIFIER',
      expected: 'IIN or BIN',
      problem: 'CHECK_DIGIT',
      field: 'taxpayer.iinBin',
    });
    expect((error as Error).message).toContain('taxpayer.iinBin');
    expect((error as Error).message).not.toContain('810716401077');
    expect(() => assertBin('810716401076')).toThrow(/not a valid BIN: digit 5/);
  });
});
