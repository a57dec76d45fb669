/**
 * The population register an institution uploads (issue 8): the denominators of coverage —
 * residents, key and special populations, hardship households — per village/resident group
 * (村（居）民小组; zhangjiagang-2017 附件5 "辖区村民小组总数" is the number of rows).
 *
 * CSV, UTF-8 (a BOM is accepted), first line the header with these columns in any order:
 *   村民小组,常住户数,常住人口,重点人群人数,特殊人群人数,困难家庭户数
 * Pure and all-or-nothing: either every row is valid, or every bad cell is reported with its line
 * number (the header is line 1) and column, in Chinese.
 */
import type { FieldIssue } from '../errors';

export const REGISTER_COLUMNS = {
  group: '村民小组',
  households: '常住户数',
  residents: '常住人口',
  keyPersons: '重点人群人数',
  specialPersons: '特殊人群人数',
  hardshipHouseholds: '困难家庭户数',
} as const;
export type RegisterColumn = keyof typeof REGISTER_COLUMNS;
const NUMERIC: Exclude<RegisterColumn, 'group'>[] = ['households', 'residents', 'keyPersons', 'specialPersons', 'hardshipHouseholds'];

export const REGISTER_MAX_ROWS = 2000;
export const REGISTER_MAX_CHARS = 200_000;

export interface RegisterRow {
  group: string;
  households: number;
  residents: number;
  keyPersons: number;
  specialPersons: number;
  hardshipHouseholds: number;
}

export interface RegisterTotals {
  groups: number;
  households: number;
  residents: number;
  keyPersons: number;
  specialPersons: number;
  hardshipHouseholds: number;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; trailing empty lines dropped. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && src[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  while (rows.length > 0 && rows[rows.length - 1]!.every((f) => f.trim() === '')) rows.pop();
  return rows;
}

const issue = (line: number, column: string, message: string): FieldIssue => ({ path: `rows.${line}.${column}`, message: `第${line}行「${column}」：${message}` });

/** Validates a register CSV. Line numbers count the header as line 1. */
export function parseRegister(text: string): { ok: true; rows: RegisterRow[]; totals: RegisterTotals } | { ok: false; issues: FieldIssue[] } {
  if (text.length > REGISTER_MAX_CHARS) return { ok: false, issues: [{ path: 'csv', message: `文件过大，请不超过${REGISTER_MAX_CHARS / 1000}K字符` }] };
  const lines = parseCsv(text);
  if (lines.length === 0) return { ok: false, issues: [{ path: 'csv', message: '文件为空，请按模板填写后上传' }] };
  const header = lines[0]!.map((h) => h.trim());
  const index = {} as Record<RegisterColumn, number>;
  const missing: string[] = [];
  for (const [key, label] of Object.entries(REGISTER_COLUMNS) as [RegisterColumn, string][]) {
    const at = header.indexOf(label);
    if (at < 0) missing.push(label);
    index[key] = at;
  }
  if (missing.length > 0) {
    return { ok: false, issues: missing.map((m) => ({ path: `rows.1.${m}`, message: `第1行（表头）缺少列「${m}」，表头应为：${Object.values(REGISTER_COLUMNS).join(',')}` })) };
  }
  const data = lines.slice(1);
  if (data.length === 0) return { ok: false, issues: [{ path: 'csv', message: '文件只有表头，没有数据行' }] };
  if (data.length > REGISTER_MAX_ROWS) return { ok: false, issues: [{ path: 'csv', message: `数据行不能超过${REGISTER_MAX_ROWS}行` }] };
  const issues: FieldIssue[] = [];
  const rows: RegisterRow[] = [];
  const seen = new Map<string, number>();
  data.forEach((cells, i) => {
    const line = i + 2;
    if (cells.every((c) => c.trim() === '')) {
      issues.push({ path: `rows.${line}`, message: `第${line}行：空行，请删除` });
      return;
    }
    const cell = (k: RegisterColumn) => (cells[index[k]] ?? '').trim();
    const group = cell('group');
    let ok = true;
    if (group === '') {
      issues.push(issue(line, REGISTER_COLUMNS.group, '不能为空'));
      ok = false;
    } else if (group.length > 40) {
      issues.push(issue(line, REGISTER_COLUMNS.group, '不能超过40个字'));
      ok = false;
    } else if (seen.has(group)) {
      issues.push(issue(line, REGISTER_COLUMNS.group, `与第${seen.get(group)}行重复`));
      ok = false;
    } else seen.set(group, line);
    const nums = {} as Record<(typeof NUMERIC)[number], number>;
    for (const k of NUMERIC) {
      const raw = cell(k);
      if (!/^\d{1,9}$/.test(raw)) {
        issues.push(issue(line, REGISTER_COLUMNS[k], raw === '' ? '不能为空，应填写不小于0的整数' : `「${raw.slice(0, 20)}」不是不小于0的整数`));
        ok = false;
      } else nums[k] = Number(raw);
    }
    if (!ok) return;
    for (const k of ['keyPersons', 'specialPersons'] as const) {
      if (nums[k] > nums.residents) issues.push(issue(line, REGISTER_COLUMNS[k], `不能大于常住人口（${nums.residents}）`));
    }
    if (nums.hardshipHouseholds > nums.households) issues.push(issue(line, REGISTER_COLUMNS.hardshipHouseholds, `不能大于常住户数（${nums.households}）`));
    if (nums.households > nums.residents) issues.push(issue(line, REGISTER_COLUMNS.households, `不能大于常住人口（${nums.residents}）`));
    rows.push({ group, ...nums });
  });
  if (issues.length > 0) return { ok: false, issues };
  const totals: RegisterTotals = { groups: rows.length, households: 0, residents: 0, keyPersons: 0, specialPersons: 0, hardshipHouseholds: 0 };
  for (const r of rows) for (const k of NUMERIC) totals[k] += r[k];
  return { ok: true, rows, totals };
}
