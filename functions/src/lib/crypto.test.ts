import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import {
  decryptField,
  encryptField,
  FieldCryptoError,
  keyedHash,
  keyIdOf,
  keyRing,
  loadHmacKey,
  loadKey,
  needsReencryption,
} from './crypto';

const B64_A = Buffer.alloc(32, 1).toString('base64');
const B64_B = Buffer.alloc(32, 2).toString('base64');
const keyA = loadKey('v1', B64_A);
const keyB = loadKey('v2', B64_B);

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FieldCryptoError) return e.reason;
    throw e;
  }
  throw new Error('expected a FieldCryptoError');
}

describe('encryptField / decryptField', () => {
  it('round-trips Chinese text and produces the compact format', () => {
    const token = encryptField('320481199001011234', keyA);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(token).not.toContain('320481');
    expect(decryptField(token, keyA)).toBe('320481199001011234');
    expect(decryptField(encryptField('原发性高血压、2型糖尿病', keyA), keyA)).toBe('原发性高血压、2型糖尿病');
    expect(decryptField(encryptField('', keyA), keyA)).toBe('');
  });

  it('uses a fresh IV every time', () => {
    expect(encryptField('same', keyA)).not.toBe(encryptField('same', keyA));
  });

  it('round-trips any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.option(fc.string(), { nil: undefined }), (s, aad) => {
        expect(decryptField(encryptField(s, keyA, aad), keyA, aad)).toBe(s);
      }),
    );
  });

  it('binds associated data', () => {
    const token = encryptField('320481199001011234', keyA, 'member#m1#idNumber');
    expect(decryptField(token, keyA, 'member#m1#idNumber')).toBe('320481199001011234');
    expect(reason(() => decryptField(token, keyA, 'member#m2#idNumber'))).toBe('auth_failed');
    expect(reason(() => decryptField(token, keyA))).toBe('auth_failed');
  });

  it.each([
    ['wrong part count', 'v1.abc.def'],
    ['bad characters', 'v1.a+b.cd.ef'],
    ['short IV', 'v1.AAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['empty', ''],
  ])('malformed: %s', (_n, token) => {
    expect(reason(() => decryptField(token, keyA))).toBe('malformed');
  });

  it('detects tampering with ciphertext or tag', () => {
    const [id, iv, ct, tag] = encryptField('320481199001011234', keyA).split('.') as [string, string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    expect(reason(() => decryptField([id, iv, flip(ct), tag].join('.'), keyA))).toBe('auth_failed');
    expect(reason(() => decryptField([id, iv, ct, flip(tag)].join('.'), keyA))).toBe('auth_failed');
    expect(reason(() => decryptField([id, flip(iv), ct, tag].join('.'), keyA))).toBe('auth_failed');
  });

  it('refuses a key with the right id but different bytes', () => {
    const token = encryptField('x', keyA);
    expect(reason(() => decryptField(token, loadKey('v1', B64_B)))).toBe('auth_failed');
  });
});

describe('rotation', () => {
  it('encrypts with the active key and decrypts old values by their prefix', () => {
    const old = encryptField('旧数据', keyA);
    const ring = keyRing(`v2:${B64_B}, v1:${B64_A}`);
    expect(ring.active.id).toBe('v2');
    const fresh = encryptField('新数据', ring);
    expect(keyIdOf(fresh)).toBe('v2');
    expect(decryptField(old, ring)).toBe('旧数据');
    expect(decryptField(fresh, ring)).toBe('新数据');
    expect(needsReencryption(old, ring)).toBe(true);
    expect(needsReencryption(fresh, ring)).toBe(false);
  });

  it('a retired key no longer decrypts', () => {
    const old = encryptField('x', keyA);
    expect(reason(() => decryptField(old, keyRing(`v2:${B64_B}`)))).toBe('unknown_key');
    expect(reason(() => decryptField(encryptField('x', keyB), keyA))).toBe('unknown_key');
  });

  it('a bare base64 key is key v1 (the single FIELD_KEY of the config)', () => {
    const ring = keyRing(B64_A);
    expect(ring.active.id).toBe('v1');
    expect(decryptField(encryptField('x', keyA), ring)).toBe('x');
  });

  it.each([
    ['empty', ''],
    ['short key', Buffer.alloc(16).toString('base64')],
    ['bad id', `v.1:${B64_A}`],
    ['duplicate id', `v1:${B64_A},v1:${B64_B}`],
  ])('refuses key spec: %s', (_n, spec) => {
    expect(reason(() => keyRing(spec))).toBe('bad_key');
  });
});

describe('keyedHash', () => {
  const hmacB64 = Buffer.alloc(32, 9).toString('base64');

  it('is HMAC-SHA256 hex, deterministic, key-dependent', () => {
    const h = keyedHash('idNumber:320481199001011234', hmacB64);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).toBe(createHmac('sha256', Buffer.alloc(32, 9)).update('idNumber:320481199001011234').digest('hex'));
    expect(keyedHash('idNumber:320481199001011234', loadHmacKey(hmacB64))).toBe(h);
    expect(keyedHash('idNumber:320481199001011234', Buffer.alloc(32, 8))).not.toBe(h);
    expect(keyedHash('idNumber:11010519491231002X', hmacB64)).not.toBe(h);
  });

  it('refuses short keys', () => {
    expect(reason(() => keyedHash('x', Buffer.alloc(16).toString('base64')))).toBe('bad_key');
    expect(reason(() => keyedHash('x', Buffer.alloc(8)))).toBe('bad_key');
  });
});
