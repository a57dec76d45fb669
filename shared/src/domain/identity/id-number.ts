/**
 * 18-character citizen ID numbers (公民身份号码) per GB 11643-1999:
 *
 *   RRRRRR YYYYMMDD SSS C
 *   region  birth   order check
 *
 * - region: GB/T 2260 administrative division code of the first registration;
 * - birth date: characters 7–14;
 * - order code: characters 15–17, odd last digit = male, even = female;
 * - check character: ISO 7064 MOD 11-2 over the first 17 digits ('X' stands for 10).
 *
 * Residence permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证, since 2018)
 * use the same scheme with region codes 810000 / 820000 / 830000.
 *
 * Pure: the caller passes `today` (Asia/Shanghai local date); nothing here reads a clock.
 * DOMAIN.md "Populations": age and sex come from the ID number, never typed by the user.
 */
import { ageOn, isLocalDate, type LocalDate } from '../dates';
import type { Sex } from '../person';

export type IdDocumentKind = 'resident_id' | 'hk_macau_tw_permit';

export type IdNumberErrorCode =
  | 'ID_EMPTY'
  | 'ID_LEGACY_15'
  | 'ID_LENGTH'
  | 'ID_FORMAT'
  | 'ID_REGION'
  | 'ID_BIRTH_DATE_INVALID'
  | 'ID_BIRTH_DATE_FUTURE'
  | 'ID_BIRTH_DATE_TOO_EARLY'
  | 'ID_CHECK_CHAR';

export const ID_NUMBER_MESSAGES: Record<IdNumberErrorCode, string> = {
  ID_EMPTY: '请填写身份证号码',
  ID_LEGACY_15: '15位旧身份证号码已停用，请使用18位身份证号码',
  ID_LENGTH: '身份证号码长度错误，应为18位',
  ID_FORMAT: '身份证号码格式错误：前17位应为数字，最后一位为数字或X',
  ID_REGION: '身份证号码前6位地区码无效',
  ID_BIRTH_DATE_INVALID: '身份证号码中的出生日期无效',
  ID_BIRTH_DATE_FUTURE: '出生日期不能晚于今天，请核对身份证号码',
  ID_BIRTH_DATE_TOO_EARLY: '出生日期不能早于1900年，请核对身份证号码',
  ID_CHECK_CHAR: '身份证号码校验位错误，请核对最后一位',
};

export interface ValidIdNumber {
  ok: true;
  /** 18 characters, check character upper case. */
  normalized: string;
  birthDate: LocalDate;
  sex: Sex;
  /** First six characters (GB/T 2260 division code). */
  regionCode: string;
  documentKind: IdDocumentKind;
}

export interface InvalidIdNumber {
  ok: false;
  code: IdNumberErrorCode;
  /** Simplified Chinese, shown to the user as is. */
  message: string;
}

export type IdNumberResult = ValidIdNumber | InvalidIdNumber;

/**
 * Province-level prefixes of GB/T 2260 (11–15 North, 21–23 North-east, 31–37 East,
 * 41–46 Central-south, 50–54 South-west, 61–65 North-west, 71 Taiwan, 81 Hong Kong,
 * 82 Macao), 83 (Taiwan residents' residence permits) and 91 (kept because the brief lists
 * it; see docs/decisions.md "Residents and identity").
 */
export const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83', '91',
]);

const PERMIT_PREFIXES: ReadonlySet<string> = new Set(['81', '82', '83']);

/** ISO 7064 MOD 11-2 weights for positions 1–17: 2^(18-i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character indexed by (Σ digit·weight) mod 11. */
const CHECK_CHARS = '10X98765432';

const EARLIEST_BIRTH_DATE: LocalDate = '1900-01-01';

/** The check character for 17 digits. Throws on anything but 17 ASCII digits (programmer error). */
export function checkChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('checkChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function fail(code: IdNumberErrorCode): InvalidIdNumber {
  return { ok: false, code, message: ID_NUMBER_MESSAGES[code] };
}

/**
 * Everything that does not depend on the current date: length, characters, region, a real
 * calendar date from 1900 on, and the check character. Leading/trailing whitespace is ignored
 * and a lower-case 'x' is accepted (both normalised away).
 */
export function validateIdNumberShape(input: string): IdNumberResult {
  const s = input.trim().toUpperCase();
  if (s === '') return fail('ID_EMPTY');
  if (/^\d{15}$/.test(s)) return fail('ID_LEGACY_15');
  if (s.length !== 18) return fail('ID_LENGTH');
  if (!/^\d{17}[\dX]$/.test(s)) return fail('ID_FORMAT');

  const regionCode = s.slice(0, 6);
  if (regionCode === '000000' || !PROVINCE_PREFIXES.has(s.slice(0, 2))) return fail('ID_REGION');

  const [y, m, d] = [s.slice(6, 10), s.slice(10, 12), s.slice(12, 14)];
  const birthDate = `${y}-${m}-${d}`;
  if (!isLocalDate(birthDate)) return fail('ID_BIRTH_DATE_INVALID');
  if (birthDate < EARLIEST_BIRTH_DATE) return fail('ID_BIRTH_DATE_TOO_EARLY');

  if (checkChar(s.slice(0, 17)) !== s[17]) return fail('ID_CHECK_CHAR');

  return {
    ok: true,
    normalized: s,
    birthDate,
    sex: Number(s[16]) % 2 === 1 ? 'M' : 'F',
    regionCode,
    documentKind: PERMIT_PREFIXES.has(s.slice(0, 2)) ? 'hk_macau_tw_permit' : 'resident_id',
  };
}

/** Full validation: the shape checks plus "birth date not later than `today`". */
export function validateIdNumber(input: string, today: LocalDate): IdNumberResult {
  const r = validateIdNumberShape(input);
  if (r.ok && r.birthDate > today) return fail('ID_BIRTH_DATE_FUTURE');
  return r;
}

/**
 * Age in whole years on `on`, from a normalised, valid ID number (a 29 Feb birthday counts
 * from 1 Mar in non-leap years, as dates.ageOn). Throws on an invalid number.
 */
export function idNumberAgeOn(idNumber: string, on: LocalDate): number {
  const r = validateIdNumberShape(idNumber);
  if (!r.ok) throw new RangeError(`not a valid ID number: ${r.code}`);
  return ageOn(r.birthDate, on);
}

/**
 * `320481199001011234` → `320481********1234` (first 6, 8 stars, last 4), as responses and
 * logs show it (docs/CONVENTIONS.md). Anything that is not 18 characters is masked so that
 * at most 10 characters stay visible and short strings are hidden entirely.
 */
export function maskIdNumber(idNumber: string): string {
  const s = idNumber.trim().toUpperCase();
  if (s.length >= 14) return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
  return '*'.repeat(s.length);
}

/**
 * A valid ID number for tests and seed data. `seq` (0–499) picks the order code together
 * with `sex`: order = seq·2 + (M ? 1 : 0), so every (seq, sex) pair gives a distinct number.
 * Throws RangeError on bad input (never user-facing).
 */
export function makeIdNumber(opts: { region: string; birthDate: LocalDate; seq: number; sex: Sex }): string {
  const { region, birthDate, seq, sex } = opts;
  if (!/^\d{6}$/.test(region) || !PROVINCE_PREFIXES.has(region.slice(0, 2))) {
    throw new RangeError(`bad region code: ${region}`);
  }
  if (!isLocalDate(birthDate)) throw new RangeError(`bad birth date: ${birthDate}`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 499) throw new RangeError(`seq must be 0–499: ${seq}`);
  const order = String(seq * 2 + (sex === 'M' ? 1 : 0)).padStart(3, '0');
  const first17 = `${region}${birthDate.replaceAll('-', '')}${order}`;
  return first17 + checkChar(first17);
}
