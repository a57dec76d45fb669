/**
 * The one registry from thrown values to HTTP responses, used by every route of every handler
 * (the router of ./with-http.ts; the console's download wrapper passes its answers through):
 *
 * - domain errors (shared/src/domain/errors.ts) → their status: ValidationError 400,
 *   UnauthorizedError 401, ForbiddenError 403, NotFoundError 404, ConflictError 409, GoneError
 *   410, RateLimitedError 429, UpstreamError 502 — with code, Chinese message and field paths;
 * - zod errors → 400 with field paths;
 * - anything else (a fault, TransactionBusy after every write-conflict retry) → a logged 500 with
 *   the request id and no internal detail.
 */
import { ZodError } from 'zod';
import { isDomainError } from '@jiayi/shared/domain/errors';
import { zodIssuesToFields } from '@jiayi/shared/schemas/zod-zh';
import { log } from '../lib/log';

export interface ErrorResult {
  status: number;
  body: { error: { code: string; message: string; fields: { path: string; message: string }[]; requestId: string } };
}

export function errorResponse(e: unknown, requestId: string): ErrorResult {
  if (isDomainError(e)) {
    return { status: e.status, body: { error: { code: e.code, message: e.message, fields: e.fields, requestId } } };
  }
  if (e instanceof ZodError) {
    const fields = zodIssuesToFields(e);
    return { status: 400, body: { error: { code: 'VALIDATION', message: fields[0]?.message ?? '请求参数有误', fields, requestId } } };
  }
  log.error('unhandled', { requestId, error: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) });
  return { status: 500, body: { error: { code: 'INTERNAL', message: '服务暂时不可用，请稍后再试', fields: [], requestId } } };
}

/** A route that does not exist. */
export function noRoute(requestId: string): ErrorResult {
  return { status: 404, body: { error: { code: 'NO_ROUTE', message: '接口不存在', fields: [], requestId } } };
}
