/**
 * WeChat's documented limits on subscribe-message field values (订阅消息「参数值内容限制」).
 * A field's type is its key without the trailing number: `thing1` → thing, `character_string3`
 * → character_string. WeChat answers 47003 for a value that breaks these rules and the message is
 * lost, so we check first and report the field.
 *
 * | type             | rule                                                                  |
 * |------------------|-----------------------------------------------------------------------|
 * | thing            | ≤ 20 characters (Han, digits, letters, symbols)                       |
 * | short_thing      | ≤ 5 characters                                                        |
 * | number           | ≤ 32 digits, optional decimals                                        |
 * | letter           | ≤ 32 letters                                                          |
 * | symbol           | ≤ 5 symbols                                                           |
 * | character_string | ≤ 32 digits, letters or symbols                                       |
 * | time             | 24-hour time, optionally with a date; a range joined by `~`           |
 * | date             | a date, optionally with a 24-hour time; a range joined by `~`         |
 * | amount           | optional currency symbol + ≤ 10 digits, optional decimals, optional 元 |
 * | phone_number     | ≤ 17 digits and symbols                                               |
 * | car_number       | ≤ 8; first and last may be Han, the rest letters or digits            |
 * | name             | ≤ 10 Han characters (mixed counts as Han), or ≤ 20 letters/symbols     |
 * | phrase           | ≤ 5 Han characters                                                    |
 *
 * Characters are counted as code points. Unknown types are refused (a new template type needs a
 * rule here before use), as are empty values and line breaks.
 */
import type { FieldIssue } from '@jiayi/shared/domain/errors';

const HAN = /\p{Script=Han}/u;
const len = (s: string) => [...s].length;

const DATE = String.raw`(?:(\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})[-/](\d{1,2})[-/](\d{1,2}))`;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?`;
const TIME_RE = new RegExp(`^(?:${DATE}\\s*)?${TIME}$`);
const DATE_RE = new RegExp(`^${DATE}(?:\\s*${TIME})?$`);

function validDateTime(m: RegExpExecArray): boolean {
  const nums = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  const [y1, mo1, d1, y2, mo2, d2, h, mi, s] = nums;
  const y = y1 ?? y2;
  const mo = mo1 ?? mo2;
  const d = d1 ?? d2;
  if (y !== undefined && mo !== undefined && d !== undefined) {
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return false;
  }
  if (h !== undefined && (h > 23 || (mi ?? 0) > 59 || (s ?? 0) > 59)) return false;
  return true;
}

function range(value: string, re: RegExp): boolean {
  const parts = value.split('~').map((p) => p.trim());
  if (parts.length > 2) return false;
  return parts.every((p) => {
    const m = re.exec(p);
    return m !== null && validDateTime(m);
  });
}

type Rule = (v: string) => string | null;

const RULES: Record<string, Rule> = {
  thing: (v) => (len(v) <= 20 ? null : '最多20个字符'),
  short_thing: (v) => (len(v) <= 5 ? null : '最多5个字符'),
  number: (v) => (/^\d+(?:\.\d+)?$/.test(v) && v.length <= 32 ? null : '须为32位以内数字（可带小数）'),
  letter: (v) => (/^[A-Za-z]{1,32}$/.test(v) ? null : '须为32位以内字母'),
  symbol: (v) => (/^[^\p{L}\p{N}\s]{1,5}$/u.test(v) ? null : '须为5位以内符号'),
  character_string: (v) => (/^[\x21-\x7e]{1,32}$/.test(v) ? null : '须为32位以内数字、字母或符号'),
  time: (v) => (range(v, TIME_RE) ? null : '须为24小时制时间，如“15:01”或“2019年10月1日 15:01”'),
  date: (v) => (range(v, DATE_RE) ? null : '须为日期，如“2019年10月1日”或“2019年10月1日 15:01”'),
  amount: (v) => (/^[¥￥$]?\d{1,10}(?:\.\d{1,2})?元?$/.test(v) ? null : '须为金额，如“¥120.00”或“120元”'),
  phone_number: (v) => (/^[\d+\-()#* ]{1,17}$/.test(v) && /\d/.test(v) ? null : '须为17位以内电话号码'),
  car_number: (v) => (/^[\p{Script=Han}A-Za-z0-9][A-Za-z0-9]{0,6}[\p{Script=Han}A-Za-z0-9]?$/u.test(v) && len(v) <= 8 ? null : '须为车牌号码'),
  name: (v) => {
    if (HAN.test(v)) return /^[\p{Script=Han}A-Za-z·•. ]+$/u.test(v) && len(v) <= 10 ? null : '中文姓名最多10个字';
    return /^[A-Za-z .·'-]{1,20}$/.test(v) ? null : '英文姓名最多20个字母';
  },
  phrase: (v) => (/^\p{Script=Han}{1,5}$/u.test(v) ? null : '须为5个以内汉字'),
};

export const TEMPLATE_FIELD_TYPES = Object.keys(RULES);

/** Field issues (path `data.<key>.value`, Chinese messages); empty when WeChat would accept the data. */
export function validateTemplateData(data: unknown): FieldIssue[] {
  if (!data || typeof data !== 'object' || Array.isArray(data) || Object.keys(data).length === 0) {
    return [{ path: 'data', message: '模板内容不能为空' }];
  }
  const issues: FieldIssue[] = [];
  for (const [key, entry] of Object.entries(data as Record<string, unknown>)) {
    const path = `data.${key}.value`;
    const type = /^([a-z_]+?)(\d+)$/.exec(key)?.[1];
    const rule = type ? RULES[type] : undefined;
    if (!rule) {
      issues.push({ path: `data.${key}`, message: `不支持的模板字段“${key}”` });
      continue;
    }
    const value = entry && typeof entry === 'object' ? (entry as { value?: unknown }).value : undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ path, message: `${key} 不能为空` });
      continue;
    }
    if (/\p{Cc}/u.test(value)) {
      issues.push({ path, message: `${key} 不能包含换行或控制字符` });
      continue;
    }
    const problem = rule(value);
    if (problem) issues.push({ path, message: `${key} ${problem}` });
  }
  return issues;
}
