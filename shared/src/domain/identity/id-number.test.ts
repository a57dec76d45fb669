import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkChar,
  ID_NUMBER_MESSAGES,
  idNumberAgeOn,
  makeIdNumber,
  maskIdNumber,
  validateIdNumber,
  validateIdNumberShape,
  type IdNumberErrorCode,
} from './id-number';
import { addDays, makeDate } from '../dates';

const TODAY = '2026-11-20';

describe('validateIdNumber — valid numbers', () => {
  const cases: Array<{
    name: string;
    input: string;
    normalized: string;
    birthDate: string;
    sex: 'M' | 'F';
    regionCode: string;
    documentKind: 'resident_id' | 'hk_macau_tw_permit';
  }> = [
    // GB 11643-1999 worked example (check character X).
    { name: 'GB 11643 example, X', input: '11010519491231002X', normalized: '11010519491231002X', birthDate: '1949-12-31', sex: 'F', regionCode: '110105', documentKind: 'resident_id' },
    { name: 'lower-case x is normalised', input: '11010519491231002x', normalized: '11010519491231002X', birthDate: '1949-12-31', sex: 'F', regionCode: '110105', documentKind: 'resident_id' },
    { name: 'surrounding whitespace ignored', input: '  320481199001011234\n', normalized: '320481199001011234', birthDate: '1990-01-01', sex: 'M', regionCode: '320481', documentKind: 'resident_id' },
    { name: 'liyang-area man', input: '320481199001011234', normalized: '320481199001011234', birthDate: '1990-01-01', sex: 'M', regionCode: '320481', documentKind: 'resident_id' },
    { name: '29 Feb in a leap year (2000)', input: '830000200002290023', normalized: '830000200002290023', birthDate: '2000-02-29', sex: 'F', regionCode: '830000', documentKind: 'hk_macau_tw_permit' },
    { name: 'Hong Kong residence permit', input: '810000199001011230', normalized: '810000199001011230', birthDate: '1990-01-01', sex: 'M', regionCode: '810000', documentKind: 'hk_macau_tw_permit' },
    { name: 'born today', input: makeIdNumber({ region: '371002', birthDate: TODAY, seq: 0, sex: 'F' }), normalized: makeIdNumber({ region: '371002', birthDate: TODAY, seq: 0, sex: 'F' }), birthDate: TODAY, sex: 'F', regionCode: '371002', documentKind: 'resident_id' },
    { name: 'born 1900-01-01 (earliest accepted)', input: makeIdNumber({ region: '330784', birthDate: '1900-01-01', seq: 3, sex: 'M' }), normalized: makeIdNumber({ region: '330784', birthDate: '1900-01-01', seq: 3, sex: 'M' }), birthDate: '1900-01-01', sex: 'M', regionCode: '330784', documentKind: 'resident_id' },
  ];
  it.each(cases)('$name', (c) => {
    expect(validateIdNumber(c.input, TODAY)).toEqual({
      ok: true,
      normalized: c.normalized,
      birthDate: c.birthDate,
      sex: c.sex,
      regionCode: c.regionCode,
      documentKind: c.documentKind,
    });
  });
});

describe('validateIdNumber — rejected numbers', () => {
  const cases: Array<{ name: string; input: string; code: IdNumberErrorCode; message?: string }> = [
    { name: 'empty', input: '', code: 'ID_EMPTY' },
    { name: 'blank', input: '   ', code: 'ID_EMPTY' },
    { name: '15-digit legacy number', input: '320481900101123', code: 'ID_LEGACY_15', message: '15位旧身份证号码已停用，请使用18位身份证号码' },
    { name: 'too short (17)', input: '32048119900101123', code: 'ID_LENGTH', message: '身份证号码长度错误，应为18位' },
    { name: 'too long (19)', input: '3204811990010112345', code: 'ID_LENGTH' },
    { name: '16 characters', input: '3204811990010112', code: 'ID_LENGTH' },
    { name: 'letters in the body', input: '32048119900101A234', code: 'ID_FORMAT' },
    { name: 'X not in last place', input: '3204811990010112X4', code: 'ID_FORMAT' },
    { name: 'other letter as check character', input: '32048119900101123Y', code: 'ID_FORMAT' },
    { name: 'full-width digits', input: '３２０４８１１９９００１０１１２３４', code: 'ID_FORMAT' },
    { name: 'region 000000', input: '000000199001011234', code: 'ID_REGION' },
    { name: 'unknown province 10', input: '100000199001011234', code: 'ID_REGION' },
    { name: 'unknown province 99', input: '990000199001011234', code: 'ID_REGION' },
    { name: 'unknown province 72', input: '720000199001011234', code: 'ID_REGION' },
    { name: '30 Feb', input: '320481199002301234', code: 'ID_BIRTH_DATE_INVALID', message: '身份证号码中的出生日期无效' },
    { name: '29 Feb in a non-leap year (2001)', input: '320583200102290013', code: 'ID_BIRTH_DATE_INVALID' },
    { name: '29 Feb 1900 (century, not leap)', input: '320583190002290013', code: 'ID_BIRTH_DATE_INVALID' },
    { name: 'month 13', input: '320481199013011234', code: 'ID_BIRTH_DATE_INVALID' },
    { name: 'day 00', input: '320481199001001234', code: 'ID_BIRTH_DATE_INVALID' },
    // GB 11643-1999's own example is born in 1880: valid checksum, rejected by our 1900 floor.
    { name: 'before 1900 (GB 11643 example 1880)', input: '440524188001010014', code: 'ID_BIRTH_DATE_TOO_EARLY' },
    { name: 'birth date tomorrow', input: makeIdNumber({ region: '320481', birthDate: addDays(TODAY, 1), seq: 1, sex: 'M' }), code: 'ID_BIRTH_DATE_FUTURE', message: '出生日期不能晚于今天，请核对身份证号码' },
    { name: 'birth date in 2099', input: makeIdNumber({ region: '320481', birthDate: '2099-01-01', seq: 1, sex: 'M' }), code: 'ID_BIRTH_DATE_FUTURE' },
    { name: 'wrong check digit', input: '320481199001011235', code: 'ID_CHECK_CHAR', message: '身份证号码校验位错误，请核对最后一位' },
    { name: 'X where a digit belongs', input: '32048119900101123X', code: 'ID_CHECK_CHAR' },
    { name: 'digit where X belongs', input: '110105194912310020', code: 'ID_CHECK_CHAR' },
    { name: 'two adjacent digits swapped', input: '320481199001012134', code: 'ID_CHECK_CHAR' },
  ];
  it.each(cases)('$name → $code', (c) => {
    const r = validateIdNumber(c.input, TODAY);
    expect(r).toEqual({ ok: false, code: c.code, message: c.message ?? ID_NUMBER_MESSAGES[c.code] });
  });

  it('every message is Simplified Chinese', () => {
    for (const m of Object.values(ID_NUMBER_MESSAGES)) expect(m).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('validateIdNumberShape', () => {
  it('accepts a future birth date (the today-dependent check is separate)', () => {
    const id = makeIdNumber({ region: '320481', birthDate: '2099-01-01', seq: 1, sex: 'M' });
    expect(validateIdNumberShape(id)).toMatchObject({ ok: true, birthDate: '2099-01-01' });
  });
});

describe('checkChar', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['32048119900101123', '4'],
  ])('%s → %s', (first17, c) => {
    expect(checkChar(first17)).toBe(c);
  });
  it('refuses non-digit input', () => {
    expect(() => checkChar('1101051949123100X')).toThrow(RangeError);
  });
});

describe('sex from the order code', () => {
  it.each([
    [0, 'F'], [1, 'M'], [2, 'F'], [7, 'M'], [8, 'F'], [9, 'M'],
  ] as const)('17th digit %i → %s', (digit, sex) => {
    const first17 = `3204811990010112${digit}`;
    const r = validateIdNumber(first17 + checkChar(first17), TODAY);
    expect(r).toMatchObject({ ok: true, sex });
  });
});

describe('idNumberAgeOn', () => {
  it.each([
    ['320481199001011234', '2026-11-20', 36],
    ['320481199001011234', '2026-01-01', 36],
    ['320481199001011234', '2025-12-31', 35],
    // 29 Feb birthday: turns a year older on 1 Mar in non-leap years (dates.ageOn).
    ['830000200002290023', '2014-02-28', 13],
    ['830000200002290023', '2014-03-01', 14],
    ['830000200002290023', '2016-02-29', 16],
  ])('%s on %s → %i', (id, on, age) => {
    expect(idNumberAgeOn(id, on)).toBe(age);
  });
  it('throws on an invalid number', () => {
    expect(() => idNumberAgeOn('320481199001011235', TODAY)).toThrow(RangeError);
  });
});

describe('maskIdNumber', () => {
  it.each([
    ['320481199001011234', '320481********1234'],
    ['11010519491231002x', '110105********002X'],
    ['', ''],
    ['12345', '*****'],
    ['3204811990010112345', '320481*********2345'],
  ])('%s → %s', (input, masked) => {
    expect(maskIdNumber(input)).toBe(masked);
  });
});

describe('makeIdNumber', () => {
  it('produces the documented example', () => {
    expect(makeIdNumber({ region: '320481', birthDate: '1990-01-01', seq: 61, sex: 'M' })).toBe('320481199001011234');
  });
  it.each([
    [{ region: '32048', birthDate: '1990-01-01', seq: 0, sex: 'M' as const }],
    [{ region: '990000', birthDate: '1990-01-01', seq: 0, sex: 'M' as const }],
    [{ region: '320481', birthDate: '1990-02-30', seq: 0, sex: 'M' as const }],
    [{ region: '320481', birthDate: '1990-01-01', seq: 500, sex: 'M' as const }],
    [{ region: '320481', birthDate: '1990-01-01', seq: -1, sex: 'F' as const }],
    [{ region: '320481', birthDate: '1990-01-01', seq: 1.5, sex: 'F' as const }],
  ])('refuses %o', (opts) => {
    expect(() => makeIdNumber(opts)).toThrow(RangeError);
  });

  const arbBirth = fc
    .record({ y: fc.integer({ min: 1900, max: 2026 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
    .map(({ y, m, d }) => makeDate(y, m, d));
  const arbRegion = fc
    .record({ p: fc.constantFrom('11', '32', '33', '37', '44', '65', '81', '82', '83'), rest: fc.integer({ min: 0, max: 9999 }) })
    .map(({ p, rest }) => p + String(rest).padStart(4, '0'));

  it('round-trips: what it makes validates back to the same facts', () => {
    fc.assert(
      fc.property(arbRegion, arbBirth, fc.integer({ min: 0, max: 499 }), fc.constantFrom('M' as const, 'F' as const), (region, birthDate, seq, sex) => {
        const id = makeIdNumber({ region, birthDate, seq, sex });
        const r = validateIdNumber(id, '2026-12-31');
        expect(r).toMatchObject({ ok: true, normalized: id, birthDate, sex, regionCode: region });
      }),
    );
  });

  it('any single-character change of a valid number is rejected (MOD 11-2 catches single substitutions)', () => {
    fc.assert(
      fc.property(arbRegion, arbBirth, fc.integer({ min: 0, max: 499 }), fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), (region, birthDate, seq, pos, delta) => {
        const id = makeIdNumber({ region, birthDate, seq, sex: 'F' });
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const idx = alphabet.indexOf(id[pos]!);
        const replacement = alphabet[(idx + delta) % alphabet.length]!;
        fc.pre(replacement !== id[pos]);
        const changed = id.slice(0, pos) + replacement + id.slice(pos + 1);
        expect(validateIdNumber(changed, '2026-12-31').ok).toBe(false);
      }),
    );
  });
});
