/**
 * Typed domain outcomes. The HTTP layer (functions/src/http/with-http.ts) is the one place that
 * maps them to status codes: ValidationError 400, UnauthorizedError 401, ForbiddenError 403,
 * NotFoundError 404, ConflictError 409, GoneError 410, RateLimitedError 429, UpstreamError 502.
 * Messages are Simplified Chinese: the mini-program shows them as they are.
 */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `members.1.idNumber`. Empty for the whole body. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    /** Stable machine code, e.g. `TEAM_FULL`. */
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly status = 400;
  constructor(fields: FieldIssue[] | FieldIssue, message?: string, code = 'VALIDATION') {
    const list = Array.isArray(fields) ? fields : [fields];
    super(code, message ?? list[0]?.message ?? '请求参数有误', list);
  }
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  constructor(message = '请先登录', code = 'UNAUTHORIZED') {
    super(code, message);
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(message = '无权访问', code = 'FORBIDDEN') {
    super(code, message);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(message = '未找到', code = 'NOT_FOUND') {
    super(code, message);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  constructor(code: string, message: string, fields: FieldIssue[] = []) {
    super(code, message, fields);
  }
}

export class GoneError extends DomainError {
  readonly status = 410;
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class RateLimitedError extends DomainError {
  readonly status = 429;
  constructor(message = '请求过于频繁，请稍后再试', code = 'RATE_LIMITED') {
    super(code, message);
  }
}

export class UpstreamError extends DomainError {
  readonly status = 502;
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
