/**
 * DynamoDB JSON 1.0 wire helpers for the local transaction layer: the error shape, a small
 * client for the internal dynalite instance, and response writing.
 *
 * Wire format reference: every request is `POST /` with `X-Amz-Target: DynamoDB_20120810.<Op>`
 * and a JSON body; errors are HTTP 4xx/5xx with `{ "__type": "<namespace>#<Name>", "message" }`.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** One attribute value in DynamoDB JSON (`{ "S": "x" }`, `{ "N": "1" }`, `{ "M": {...} }`, ...). */
export type AttributeValue = Record<string, unknown>;
/** An item or a key in DynamoDB JSON. */
export type Item = Record<string, AttributeValue>;

export const TARGET_PREFIX = 'DynamoDB_20120810.';
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

const DYNAMODB_NS = 'com.amazonaws.dynamodb.v20120810#';
const VALIDATE_NS = 'com.amazon.coral.validate#';
const CORAL_NS = 'com.amazon.coral.service#';

/** A DynamoDB service error as it travels on the wire. */
export class DynamoError extends Error {
  constructor(
    readonly status: number,
    /** Full `__type`, e.g. `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`. */
    readonly type: string,
    message: string,
    /** Extra top-level members (e.g. `CancellationReasons`, `Item`). */
    readonly extra: Record<string, unknown> = {},
    /** Some exceptions spell the member `Message` (TransactionCanceledException, ...). */
    readonly messageKey: 'message' | 'Message' = 'message',
  ) {
    super(message);
    this.name = DynamoError.shortName(type);
  }

  /** `ConditionalCheckFailedException` from the full `__type`. */
  static shortName(type: string): string {
    const hash = type.lastIndexOf('#');
    return hash >= 0 ? type.slice(hash + 1) : type;
  }

  get code(): string {
    return this.name;
  }

  toBody(): Record<string, unknown> {
    return { __type: this.type, [this.messageKey]: this.message, ...this.extra };
  }

  static validation(message: string): DynamoError {
    return new DynamoError(400, `${VALIDATE_NS}ValidationException`, message);
  }

  static resourceNotFound(message = 'Requested resource not found'): DynamoError {
    return new DynamoError(400, `${DYNAMODB_NS}ResourceNotFoundException`, message);
  }

  static serialization(message = 'Start of structure or map found where not expected.'): DynamoError {
    return new DynamoError(400, `${CORAL_NS}SerializationException`, message);
  }

  static idempotentMismatch(): DynamoError {
    return new DynamoError(
      400,
      `${DYNAMODB_NS}IdempotentParameterMismatchException`,
      'Request with the same client token was found with different parameters',
      {},
      'Message',
    );
  }

  static transactionCanceled(reasons: CancellationReason[]): DynamoError {
    const codes = reasons.map((r) => r.Code).join(', ');
    return new DynamoError(
      400,
      `${DYNAMODB_NS}TransactionCanceledException`,
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
      { CancellationReasons: reasons },
      'Message',
    );
  }

  static internal(message: string): DynamoError {
    return new DynamoError(500, `${DYNAMODB_NS}InternalServerError`, message);
  }
}

/** One entry of `TransactionCanceledException.CancellationReasons`. */
export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Item;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Headers that describe one hop of an HTTP connection and must not be forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  // The layer has already read the whole body; dynalite must not wait for a 100-continue.
  'expect',
]);

export function forwardableHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Client for the internal dynalite server. dynalite only checks that an `AWS4-` Authorization
 * header and a date are present, so internal calls carry a fixed, unsigned one.
 */
export class Upstream {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  get endpoint(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Sends one HTTP request to dynalite and buffers the answer. */
  raw(method: string, path: string, headers: http.OutgoingHttpHeaders, body: Buffer): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: { ...headers, 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Calls one DynamoDB operation on dynalite; resolves the output or rejects with a DynamoError. */
  async call<T = Record<string, unknown>>(op: string, input: object): Promise<T> {
    const res = await this.raw(
      'POST',
      '/',
      {
        'content-type': JSON_CONTENT_TYPE,
        'x-amz-target': TARGET_PREFIX + op,
        'x-amz-date': '20000101T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
      },
      Buffer.from(JSON.stringify(input)),
    );
    const text = res.body.toString('utf8');
    let parsed: Record<string, unknown> = {};
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw DynamoError.internal(`dynalite answered ${op} with a non-JSON body (HTTP ${res.status})`);
      }
    }
    if (res.status !== 200) {
      const type = typeof parsed.__type === 'string' ? parsed.__type : `${DYNAMODB_NS}InternalServerError`;
      const message = String(parsed.message ?? parsed.Message ?? '');
      const { __type: _t, message: _m, Message: _M, ...extra } = parsed;
      throw new DynamoError(res.status, type, message, extra);
    }
    return parsed as T;
  }

  destroy(): void {
    this.agent.destroy();
  }
}

/** A 52-character request id shaped like DynamoDB's (and dynalite's). */
export function newRequestId(): string {
  return randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0');
}

/** Writes a JSON answer with the headers DynamoDB sends (request id, CRC32 of the body). */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, contentType = JSON_CONTENT_TYPE): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.statusCode = status;
  res.setHeader('x-amzn-RequestId', newRequestId());
  res.setHeader('x-amz-crc32', String(crc32(payload) >>> 0));
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', payload.length);
  res.end(payload);
}

export function sendError(res: http.ServerResponse, err: DynamoError, contentType?: string): void {
  sendJson(res, err.status, err.toBody(), contentType);
}

/** JSON with object keys sorted, so two equal requests serialise identically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
