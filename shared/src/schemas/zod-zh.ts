/**
 * Simplified Chinese validation messages for every zod schema, on both sides (handlers and the
 * mini-program call `installZhErrors()` once at start), and the ZodError → field list mapping
 * the HTTP layer returns (`{ path: 'members.1.idNumber', message }`).
 * Schema-specific messages (`z.string().min(2, '姓名至少2个字')`) always win over this map.
 */
import * as z from 'zod';
import type { ZodError } from 'zod';
// The one locale we use, imported alone: `z.locales` would bundle every language (~260 KB).
import zhCN from 'zod/v4/locales/zh-CN.js';
import type { FieldIssue } from '../domain/errors';

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '是/否',
  array: '列表',
  object: '对象',
  date: '日期',
  bigint: '整数',
  null: '空值',
  undefined: '空',
};

function typeName(t: unknown): string {
  return TYPE_NAMES[String(t)] ?? String(t);
}

// zod v4 passes a loosely typed issue to the error map; we read only documented fields.
type RawIssue = {
  code?: string;
  expected?: unknown;
  input?: unknown;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  values?: unknown[];
  keys?: string[];
  format?: string;
};

export function zhMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return '此项为必填项';
      return `格式有误，应为${typeName(issue.expected)}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '此项不能为空' : `至少需要${issue.minimum}个字符`;
      if (issue.origin === 'array') return `至少需要选择${issue.minimum}项`;
      return `不能小于${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `不能超过${issue.maximum}个字符`;
      if (issue.origin === 'array') return `最多只能选择${issue.maximum}项`;
      return `不能大于${issue.maximum}`;
    case 'invalid_value':
      return '取值不在允许范围内';
    case 'invalid_format':
      return '格式有误';
    case 'unrecognized_keys':
      return `包含无法识别的字段：${(issue.keys ?? []).join('、')}`;
    case 'invalid_union':
      return '格式有误';
    case 'not_multiple_of':
      return '数值不符合要求';
    default:
      return undefined;
  }
}

let installed = false;
export function installZhErrors(): void {
  if (installed) return;
  installed = true;
  z.config(zhCN());
  z.config({ customError: (iss) => zhMessage(iss as RawIssue) });
}

export function zodIssuesToFields(err: ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
