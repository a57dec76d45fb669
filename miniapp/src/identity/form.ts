/**
 * Inline form validation with the same schemas and rules the API applies, so a resident sees
 * the server's Chinese message under the field before submitting.
 */
import type { ZodType } from 'zod';
import { validateIdNumber } from '@jiayi/shared/domain/identity/id-number';
import { ageOn, localDateOf } from '@jiayi/shared/domain/dates';
import { zodIssuesToFields } from '@jiayi/shared/schemas/residents';
import type { FieldIssue } from '@jiayi/shared/domain/errors';
import { ApiError, serverNow } from '../api/client';
import { SEX_TEXT } from './api';

export type FieldErrors = Record<string, string>;

export const today = () => localDateOf(serverNow());

export function toErrors(issues: FieldIssue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) out[i.path] ??= i.message;
  return out;
}

export function schemaErrors(schema: ZodType, value: unknown): FieldErrors {
  const r = schema.safeParse(value);
  return r.success ? {} : toErrors(zodIssuesToFields(r.error));
}

/** Server errors: field messages inline, the rest as a form-level message under ''. */
export function apiErrors(e: unknown): FieldErrors {
  if (e instanceof ApiError) {
    const f = toErrors(e.fields);
    if (!Object.keys(f).length || e.status !== 400) f[''] = e.message;
    return f;
  }
  return { '': '服务暂时不可用，请稍后再试' };
}

/** "出生日期 1990-01-01 · 男 · 36岁", derived from a valid number (never typed). */
export function derivedText(idNumber: string): string | null {
  const r = validateIdNumber(idNumber, today());
  if (!r.ok) return null;
  return `出生日期 ${r.birthDate} · ${SEX_TEXT[r.sex]} · ${ageOn(r.birthDate, today())}岁`;
}

export function ageOf(idNumber: string): number | null {
  const r = validateIdNumber(idNumber, today());
  return r.ok ? ageOn(r.birthDate, today()) : null;
}
