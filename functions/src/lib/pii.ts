/**
 * Sensitive fields at rest: AES-256-GCM with FIELD_KEY (bound to their place by associated data)
 * and HMAC (HASH_KEY) look-up hashes of ID numbers. Keys come from lib/config.ts, parsed once.
 */
import { decryptField, encryptField, keyedHash, keyRing, loadHmacKey, type KeyRing } from './crypto';
import { config } from './config';

let ring: KeyRing | undefined;
let hmacKey: Buffer | undefined;

function fieldKeys(): KeyRing {
  ring ??= keyRing(config().fieldKey);
  return ring;
}

export function seal(plain: string, place: string): string {
  return encryptField(plain, fieldKeys(), place);
}

export function open(token: string, place: string): string {
  return decryptField(token, fieldKeys(), place);
}

export function sealJson(value: unknown, place: string): string {
  return seal(JSON.stringify(value), place);
}

export function openJson<T>(token: string, place: string): T {
  return JSON.parse(open(token, place)) as T;
}

/** Keyed hash of a normalised ID document number: one namespace for every person of every household. */
export function idNumberHash(normalized: string): string {
  hmacKey ??= loadHmacKey(config().hashKey);
  return keyedHash(`idNumber:${normalized}`, hmacKey);
}

/** Associated data naming where a ciphertext lives (a copy moved elsewhere does not decrypt). */
export const places = {
  sessionKey: (accountId: string) => `account#${accountId}#sessionKey`,
  mobile: (accountId: string) => `account#${accountId}#mobile`,
  permitNumber: (accountId: string) => `account#${accountId}#permitNumber`,
  idNumber: (accountId: string, memberId: string) => `member#${accountId}#${memberId}#idNumber`,
  health: (accountId: string, memberId: string) => `member#${accountId}#${memberId}#health`,
} as const;
