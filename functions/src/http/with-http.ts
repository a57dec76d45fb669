/**
 * The HTTP edge: one router per Lambda function, one schema per route, one error map.
 *
 *   parse (zod) → authorise → handler (load → decide → save) → respond
 *
 * Whatever a route throws is answered by the one error → status registry (./errors.ts).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { ZodType } from 'zod';
import { ValidationError, ForbiddenError, UnauthorizedError } from '@jiayi/shared/domain/errors';
import { installZhErrors, zodIssuesToFields } from '@jiayi/shared/schemas/zod-zh';
import { authenticate, type Principal } from './auth';
import { errorResponse, noRoute } from './errors';
import { now } from '../lib/clock';

installZhErrors();

export type AuthMode = 'none' | 'resident' | 'staff' | 'any';

export interface HttpRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal | null;
  headers: Record<string, string | undefined>;
  /** Raw body text, for signature checks on provider callbacks. */
  rawBody: string;
  requestId: string;
  now: Date;
}

export interface AuthedRequest<B, Q, P> extends HttpRequest<B, Q, P> {
  principal: Principal;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body sent as is instead of JSON (e.g. NDJSON); set `content-type` in `headers`. */
  text?: string;
}

export function reply(status: number, body?: unknown, headers?: Record<string, string>): HttpResult {
  return { status, body, headers };
}

interface RouteSpec<B, Q, P, A extends AuthMode> {
  auth: A;
  /** Staff roles allowed (only for auth 'staff'); empty or absent = any staff role. */
  roles?: string[];
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
}

type ReqFor<B, Q, P, A extends AuthMode> = A extends 'none' ? HttpRequest<B, Q, P> : AuthedRequest<B, Q, P>;

export interface Route {
  (event: APIGatewayProxyEventV2, now: Date, requestId: string): Promise<HttpResult>;
}

/** Declare a route: validated inputs in, a value (200) or an HttpResult out. */
export function route<B = undefined, Q = Record<string, never>, P = Record<string, never>, A extends AuthMode = 'resident'>(
  spec: RouteSpec<B, Q, P, A>,
  fn: (req: ReqFor<B, Q, P, A>) => Promise<unknown>,
): Route {
  return async (event, now, requestId) => {
    const headers = lowerCaseHeaders(event.headers);
    const principal = await authenticate(headers.authorization, now, spec.auth !== 'none');
    if (spec.auth !== 'none') {
      if (!principal) throw new UnauthorizedError();
      if (spec.auth === 'resident' && principal.kind !== 'resident') throw new ForbiddenError('仅限居民使用');
      if (spec.auth === 'staff') {
        if (principal.kind !== 'staff') throw new ForbiddenError('仅限医疗机构工作人员使用');
        if (spec.roles?.length && !spec.roles.includes(principal.role ?? '')) throw new ForbiddenError('当前角色无权执行此操作');
      }
    }
    const rawBody = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
    const body = spec.body ? parseWith(spec.body, parseJson(rawBody), 'body') : (undefined as B);
    const query = spec.query ? parseWith(spec.query, event.queryStringParameters ?? {}, 'query') : ({} as Q);
    const params = spec.params ? parseWith(spec.params, decodeParams(event.pathParameters), 'params') : ({} as P);
    const out = await fn({ body, query, params, principal, headers, rawBody, requestId, now } as ReqFor<B, Q, P, A>);
    if (out && typeof out === 'object' && 'status' in out && typeof (out as HttpResult).status === 'number' && Object.keys(out).every((k) => ['status', 'body', 'headers', 'text'].includes(k))) {
      return out as HttpResult;
    }
    return { status: 200, body: out };
  };
}

function parseJson(raw: string, badJson = '请求内容不是有效的 JSON'): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new ValidationError({ path: '', message: badJson }, badJson, 'BAD_JSON');
  }
}

/** A JSON body validated by `schema`, for a route that reads its body itself (the console's CSV-or-JSON upload). */
export function parseBody<T>(schema: ZodType<T>, rawBody: string, badJson?: string): T {
  return parseWith(schema, parseJson(rawBody, badJson), 'body');
}

function decodeParams(p: Record<string, string | undefined> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(p ?? {})) out[k] = v === undefined ? v : safeDecode(v);
  return out;
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function parseWith<T>(schema: ZodType<T>, value: unknown, where: 'body' | 'query' | 'params'): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const fields = zodIssuesToFields(r.error).map((f) => (where === 'body' ? f : { ...f, path: f.path ? `${where}.${f.path}` : where }));
  throw new ValidationError(fields);
}

function lowerCaseHeaders(h: Record<string, string | undefined> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

export type RouteTable = Record<string, Route>;

/**
 * One Lambda handler serving several routes of one feature area. Routes are keyed by API
 * Gateway's routeKey ("GET /regions/{id}"); the pattern match is the fallback for callers
 * that do not set it.
 */
export function router(routes: RouteTable, clock: () => Date = now) {
  const patterns = Object.keys(routes).map((key) => {
    const [method, path] = key.split(' ') as [string, string];
    const names: string[] = [];
    const re = new RegExp(
      '^' + path.replace(/\{([^}+]+)\+?\}/g, (_m, name: string) => (names.push(name), '([^/]+)')) + '/?$',
    );
    return { key, method, re, names };
  });
  return async (event: APIGatewayProxyEventV2, context?: Partial<Context>): Promise<APIGatewayProxyResultV2> => {
    const requestId = context?.awsRequestId ?? event.requestContext?.requestId ?? cryptoRandomId();
    const now = clock();
    let result: HttpResult;
    try {
      let key = event.routeKey && routes[event.routeKey] ? event.routeKey : undefined;
      if (!key) {
        const method = event.requestContext?.http?.method ?? 'GET';
        const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
        const hit = patterns.find((p) => p.method === method && p.re.test(path));
        if (hit) {
          key = hit.key;
          const m = hit.re.exec(path)!;
          event.pathParameters = { ...(event.pathParameters ?? {}), ...Object.fromEntries(hit.names.map((n, i) => [n, m[i + 1]!])) };
        }
      }
      if (!key) {
        result = noRoute(requestId);
      } else {
        result = await routes[key]!(event, now, requestId);
      }
    } catch (e) {
      result = errorResponse(e, requestId);
    }
    return {
      statusCode: result.status,
      // x-server-time: the clock the answer was computed with (the local stack's --date clock),
      // so the app's "today" follows the server's rather than the device's (miniapp api/client.ts).
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, 'x-server-time': now.toISOString(), ...(result.headers ?? {}) },
      body: result.text ?? (result.body === undefined ? '' : JSON.stringify(result.body)),
    };
  };
}

function cryptoRandomId(): string {
  return globalThis.crypto.randomUUID();
}
