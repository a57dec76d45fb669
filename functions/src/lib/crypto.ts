/**
 * Field-level encryption of sensitive personal information at rest (ID numbers, health
 * conditions; docs/CONVENTIONS.md) and keyed hashes for uniqueness look-ups.
 *
 * Ciphertext format (compact, URL-safe, no padding):
 *
 *   <keyId>.<iv b64url>.<ciphertext b64url>.<tag b64url>      e.g. v1.Vx3…. …. ….
 *
 * AES-256-GCM, 96-bit random IV, 128-bit tag. The key id prefix names the key that encrypted
 * the value, so keys rotate without a flag day: encrypt with the active key, decrypt with
 * whichever key the prefix names, re-encrypt lazily (`needsReencryption`).
 * Optional associated data (e.g. `member#<id>#idNumber`) binds a ciphertext to its place, so a
 * value copied into another record fails to decrypt.
 *
 * Keyed hashes (HMAC-SHA256, hex) cannot rotate without re-hashing every row: the hash key is
 * separate from the encryption keys and meant to stay fixed.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface FieldKey {
  /** Short id written in front of every ciphertext, e.g. `v1`. Letters, digits, `_`, `-`. */
  id: string;
  key: Buffer;
}

export interface KeyRing {
  /** Key used for new ciphertexts. */
  active: FieldKey;
  /** Every key that may still be needed to decrypt (the active one included). */
  keys: ReadonlyMap<string, FieldKey>;
}

export class FieldCryptoError extends Error {
  constructor(
    readonly reason: 'bad_key' | 'malformed' | 'unknown_key' | 'auth_failed',
    message: string,
  ) {
    super(message);
    this.name = 'FieldCryptoError';
  }
}

const KEY_ID_RE = /^[A-Za-z0-9_-]{1,16}$/;
const B64URL_RE = /^[A-Za-z0-9_-]*$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte AES-256 key from standard base64 (or base64url). */
export function loadKey(id: string, base64: string): FieldKey {
  if (!KEY_ID_RE.test(id)) throw new FieldCryptoError('bad_key', `bad key id: ${JSON.stringify(id)}`);
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new FieldCryptoError('bad_key', `key ${id} must be 32 bytes of base64, got ${key.length} bytes`);
  return { id, key };
}

/**
 * Key ring from configuration: either one bare base64 key (id `v1`) or a comma-separated list
 * `v2:<base64>,v1:<base64>` where the first entry is the active key.
 */
export function keyRing(spec: string): KeyRing {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new FieldCryptoError('bad_key', 'empty key specification');
  const parsed = entries.map((e) => {
    const i = e.indexOf(':');
    return i < 0 ? loadKey('v1', e) : loadKey(e.slice(0, i), e.slice(i + 1));
  });
  const keys = new Map<string, FieldKey>();
  for (const k of parsed) {
    if (keys.has(k.id)) throw new FieldCryptoError('bad_key', `duplicate key id ${k.id}`);
    keys.set(k.id, k);
  }
  return { active: parsed[0]!, keys };
}

function asRing(k: FieldKey | KeyRing): KeyRing {
  return 'active' in k ? k : { active: k, keys: new Map([[k.id, k]]) };
}

/** Encrypt a UTF-8 string with the key (or the ring's active key). */
export function encryptField(plain: string, key: FieldKey | KeyRing, aad?: string): string {
  const k = asRing(key).active;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', k.key, iv, { authTagLength: TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [k.id, iv.toString('base64url'), ct.toString('base64url'), tag.toString('base64url')].join('.');
}

function splitToken(token: string): { keyId: string; iv: Buffer; ct: Buffer; tag: Buffer } {
  const parts = token.split('.');
  if (parts.length !== 4) throw new FieldCryptoError('malformed', 'ciphertext must have 4 parts');
  const [keyId, iv, ct, tag] = parts as [string, string, string, string];
  if (!KEY_ID_RE.test(keyId) || ![iv, ct, tag].every((p) => B64URL_RE.test(p))) {
    throw new FieldCryptoError('malformed', 'ciphertext has invalid characters');
  }
  const out = { keyId, iv: Buffer.from(iv, 'base64url'), ct: Buffer.from(ct, 'base64url'), tag: Buffer.from(tag, 'base64url') };
  if (out.iv.length !== IV_BYTES || out.tag.length !== TAG_BYTES) throw new FieldCryptoError('malformed', 'bad IV or tag length');
  return out;
}

/** The key id a ciphertext was written with. */
export function keyIdOf(token: string): string {
  return splitToken(token).keyId;
}

/** Decrypt with the key the prefix names. Throws FieldCryptoError (never returns garbage). */
export function decryptField(token: string, keys: FieldKey | KeyRing, aad?: string): string {
  const { keyId, iv, ct, tag } = splitToken(token);
  const k = asRing(keys).keys.get(keyId);
  if (!k) throw new FieldCryptoError('unknown_key', `no key with id ${keyId}`);
  const decipher = createDecipheriv('aes-256-gcm', k.key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch {
    throw new FieldCryptoError('auth_failed', 'ciphertext failed authentication (wrong key, associated data or tampered)');
  }
}

/** True when the value was written with a key other than the ring's active one. */
export function needsReencryption(token: string, ring: KeyRing): boolean {
  return keyIdOf(token) !== ring.active.id;
}

/** HMAC key from base64; at least 32 bytes. */
export function loadHmacKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length < 32) throw new FieldCryptoError('bad_key', `HMAC key must be at least 32 bytes, got ${key.length}`);
  return key;
}

/**
 * HMAC-SHA256 (hex) of a value, for equality look-ups of encrypted fields ("is this ID number
 * already registered?"). Callers hash the normalised value (e.g. upper-case X) and should
 * prefix a domain (`idNumber:`) so equal strings of different kinds never collide.
 * `hmacKey` is raw bytes or base64 text.
 */
export function keyedHash(value: string, hmacKey: Buffer | string): string {
  const key = typeof hmacKey === 'string' ? loadHmacKey(hmacKey) : hmacKey;
  if (key.length < 32) throw new FieldCryptoError('bad_key', 'HMAC key must be at least 32 bytes');
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}
