/**
 * WeChat Pay API v3 cryptography (node:crypto only), shared by the real and the simulated provider:
 *
 * - request signature: `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",
 *   signature="…",timestamp="…",serial_no="…"`, signature = base64(SHA256withRSA(
 *   `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`)) with the merchant private key;
 * - response / notification signature: `Wechatpay-Signature` = base64(SHA256withRSA(
 *   `TIMESTAMP\nNONCE\nBODY\n`)) with WeChat Pay's key named by `Wechatpay-Serial` (a platform
 *   certificate serial, or a `PUB_KEY_ID_…` in "微信支付公钥" mode);
 * - `wx.requestPayment` paySign = base64(SHA256withRSA(`APPID\nTIMESTAMP\nNONCE\nPACKAGE\n`));
 * - notification `resource`: AEAD_AES_256_GCM with the 32-byte APIv3 key, 12-byte nonce,
 *   `associated_data` as AAD, ciphertext = base64(encrypted ‖ 16-byte tag).
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import { NotificationRejected, TRADE_STATES, type NotificationInput, type PaymentNotification } from './payment-provider';

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
/** Notifications older or newer than this (seconds) are refused as replays. */
export const MAX_NOTIFICATION_SKEW_SECONDS = 5 * 60;

export function rsaSign(message: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

export function rsaVerify(message: string, signatureB64: string, publicKey: KeyObject): boolean {
  // Reject anything that is not plain base64 before handing it to OpenSSL.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureB64)) return false;
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signatureB64, 'base64');
  } catch {
    return false;
  }
}

/** A random nonce: 32 characters of [0-9A-F] (WeChat's limit is 32). */
export function randomNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** `"…"`-quoted values must not contain a quote; ours never do, but fail loudly if they would. */
function quoted(value: string): string {
  if (/["\r\n]/.test(value)) throw new Error('WeChat Pay Authorization values cannot contain quotes or newlines');
  return `"${value}"`;
}

export interface RequestToSign {
  method: string;
  /** Path plus query string exactly as sent, e.g. `/v3/pay/transactions/out-trade-no/X?mchid=1`. */
  pathWithQuery: string;
  /** Exactly the body bytes sent ('' for GET). */
  body: string;
  timestamp: number;
  nonce: string;
}

export function requestSignatureMessage(r: RequestToSign): string {
  return `${r.method.toUpperCase()}\n${r.pathWithQuery}\n${r.timestamp}\n${r.nonce}\n${r.body}\n`;
}

export function buildAuthorization(r: RequestToSign, merchant: { mchid: string; serialNo: string; privateKey: KeyObject }): string {
  const signature = rsaSign(requestSignatureMessage(r), merchant.privateKey);
  return (
    `${AUTH_SCHEMA} mchid=${quoted(merchant.mchid)},nonce_str=${quoted(r.nonce)},signature=${quoted(signature)},` +
    `timestamp=${quoted(String(r.timestamp))},serial_no=${quoted(merchant.serialNo)}`
  );
}

export function responseSignatureMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export function paySignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

/** APIv3 keys are 32 ASCII characters, used as the 32 bytes of an AES-256 key. */
export function apiV3KeyBytes(key: string): Buffer {
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length !== 32) throw new Error(`the WeChat Pay APIv3 key must be 32 bytes (got ${bytes.length})`);
  return bytes;
}

export interface EncryptedResource {
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  nonce: string;
  associated_data: string;
  original_type?: string;
}

export function aesGcmEncrypt(plaintext: string, apiV3Key: Buffer, nonce: string, associatedData: string): string {
  const cipher = createCipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const enc = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return enc.toString('base64');
}

/** Throws on a wrong key, nonce, AAD or a tampered ciphertext (GCM authenticates all of them). */
export function aesGcmDecrypt(ciphertextB64: string, apiV3Key: Buffer, nonce: string, associatedData: string): string {
  const data = Buffer.from(ciphertextB64, 'base64');
  if (data.length < 17) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce, 'utf8'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

export function privateKeyFrom(pem: string | KeyObject): KeyObject {
  return typeof pem === 'string' ? createPrivateKey(normalisePem(pem)) : pem;
}

/** A public key PEM, an X.509 certificate PEM (platform certificate mode) or a KeyObject. */
export function publicKeyFrom(pem: string | KeyObject): KeyObject {
  if (typeof pem !== 'string') return pem.type === 'private' ? createPublicKey(pem) : pem;
  return createPublicKey(normalisePem(pem));
}

/** Environment variables often carry PEMs with literal `\n`; restore the newlines. */
export function normalisePem(pem: string): string {
  return pem.includes('\\n') ? pem.replace(/\\n/g, '\n').trim() : pem.trim();
}

/** Case-insensitive header lookup (API Gateway lower-cases, WeChat sends `Wechatpay-…`). */
export function header(headers: Record<string, string | undefined> | Headers, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const h = headers as Record<string, string | undefined>;
  const lower = name.toLowerCase();
  for (const k of Object.keys(h)) if (k.toLowerCase() === lower) return h[k];
  return undefined;
}

export interface SignedHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
  serial?: string;
}

export function wechatpayHeaders(headers: Record<string, string | undefined> | Headers): SignedHeaders {
  return {
    timestamp: header(headers, 'Wechatpay-Timestamp'),
    nonce: header(headers, 'Wechatpay-Nonce'),
    signature: header(headers, 'Wechatpay-Signature'),
    serial: header(headers, 'Wechatpay-Serial'),
  };
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'bad_signature' | 'unknown_serial'; detail: string };

/**
 * Verify WeChat Pay's signature over `timestamp\nnonce\nbody\n`. Probe signatures
 * (`WECHATPAY/SIGNTEST/…`, sent by WeChat to check that merchants verify) simply fail.
 */
export function verifyWechatpaySignature(h: SignedHeaders, body: string, platformKeys: ReadonlyMap<string, KeyObject>): SignatureCheck {
  if (!h.timestamp || !h.nonce || !h.signature || !h.serial) {
    return { ok: false, reason: 'bad_signature', detail: 'missing Wechatpay-* signature headers' };
  }
  const key = platformKeys.get(h.serial);
  if (!key) return { ok: false, reason: 'unknown_serial', detail: `serial ${h.serial.slice(0, 64)}` };
  if (!/^\d{1,12}$/.test(h.timestamp)) return { ok: false, reason: 'bad_signature', detail: 'timestamp is not a number' };
  if (!rsaVerify(responseSignatureMessage(h.timestamp, h.nonce, body), h.signature, key)) {
    return { ok: false, reason: 'bad_signature', detail: h.signature.startsWith('WECHATPAY/SIGNTEST/') ? 'signature probe' : 'signature mismatch' };
  }
  return { ok: true, timestamp: Number(h.timestamp) };
}

const EnvelopeSchema = z.object({
  id: z.string().min(1),
  event_type: z.string().min(1),
  resource_type: z.string().optional(),
  resource: z.object({
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().default(''),
    original_type: z.string().optional(),
  }),
});

const fen = z.number().int().min(0);

/** The decrypted `transaction` resource (fields we use; WeChat may add more). */
const TransactionSchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1),
  trade_state: z.enum(TRADE_STATES),
  success_time: z.string().optional(),
  attach: z.string().optional(),
  payer: z.object({ openid: z.string().min(1) }),
  amount: z.object({ total: fen, payer_total: fen.optional() }),
});

export interface NotificationKeys {
  platformKeys: ReadonlyMap<string, KeyObject>;
  apiV3Key: Buffer;
  /** When set, the decrypted transaction must belong to this merchant / app. */
  mchid?: string;
  appid?: string;
}

/**
 * The notification path both providers share. Order: signature (key id, then RSA) → freshness
 * → envelope → decrypt → content. A stale timestamp is only reported for an authentic message.
 */
export function verifyAndDecryptNotification(input: NotificationInput, keys: NotificationKeys): PaymentNotification {
  const rawBody = typeof input.rawBody === 'string' ? input.rawBody : '';
  const h = wechatpayHeaders(input.headers ?? {});
  const sig = verifyWechatpaySignature(h, rawBody, keys.platformKeys);
  if (!sig.ok) throw new NotificationRejected(sig.reason, sig.detail);

  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  if (!Number.isFinite(nowSeconds)) throw new Error('parseNotification needs a valid `now`');
  if (Math.abs(nowSeconds - sig.timestamp) > MAX_NOTIFICATION_SKEW_SECONDS) {
    throw new NotificationRejected('stale_timestamp', `skew ${nowSeconds - sig.timestamp}s`);
  }

  let envelope: z.infer<typeof EnvelopeSchema>;
  try {
    envelope = EnvelopeSchema.parse(JSON.parse(rawBody));
  } catch {
    throw new NotificationRejected('malformed', 'envelope is not a WeChat Pay encrypted notification');
  }

  let plaintext: string;
  try {
    const r = envelope.resource;
    plaintext = aesGcmDecrypt(r.ciphertext, keys.apiV3Key, r.nonce, r.associated_data);
  } catch {
    throw new NotificationRejected('decrypt_failed', `event ${envelope.id}`);
  }

  let tx: z.infer<typeof TransactionSchema>;
  try {
    tx = TransactionSchema.parse(JSON.parse(plaintext));
  } catch {
    throw new NotificationRejected('malformed', `event ${envelope.id}: resource is not a transaction`);
  }
  if ((keys.mchid && tx.mchid !== keys.mchid) || (keys.appid && tx.appid !== keys.appid)) {
    throw new NotificationRejected('malformed', `event ${envelope.id}: transaction of another merchant/app`);
  }
  if (tx.success_time !== undefined && Number.isNaN(Date.parse(tx.success_time))) {
    throw new NotificationRejected('malformed', `event ${envelope.id}: success_time`);
  }

  const out: PaymentNotification = {
    eventId: envelope.id,
    eventType: envelope.event_type,
    outTradeNo: tx.out_trade_no,
    transactionId: tx.transaction_id,
    tradeState: tx.trade_state,
    amountFen: { total: tx.amount.total, payerTotal: tx.amount.payer_total ?? tx.amount.total },
    payerOpenid: tx.payer.openid,
  };
  if (tx.success_time !== undefined) out.successTime = tx.success_time;
  if (tx.attach !== undefined && tx.attach !== '') out.attach = tx.attach;
  return out;
}

/** The `time_expire` format WeChat documents: `yyyy-MM-DDTHH:mm:ss+08:00`. */
export function rfc3339Shanghai(d: Date): string {
  const shifted = new Date(d.getTime() + 8 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}
