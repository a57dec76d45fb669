import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';

describe('staff password hashing', () => {
  it.each([
    ['correct password', 'jiayi-demo', true],
    ['wrong password', 'jiayi-demo!', false],
    ['empty password', '', false],
  ])('%s', (_name, attempt, ok) => {
    const stored = hashPassword('jiayi-demo');
    expect(verifyPassword(attempt, stored)).toBe(ok);
  });

  it('salts every hash and rejects malformed stored values', () => {
    expect(hashPassword('x')).not.toBe(hashPassword('x'));
    expect(verifyPassword('x', 'md5$abc')).toBe(false);
  });
});
