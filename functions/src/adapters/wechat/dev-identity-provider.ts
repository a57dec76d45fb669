/**
 * Local/simulated identity provider: the code `dev:alice` logs in as openid `dev_alice`.
 * Anyone who can reach an API running it can log in as anyone: `identityProviderFromConfig`
 * refuses to build it on the prod stage.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '@jiayi/shared/domain/errors';
import type { IdentityProvider, WechatSession } from './identity-provider';

export const DEV_CODE_PREFIX = 'dev:';
const DEV_CODE_RE = /^dev:([A-Za-z0-9_-]{1,32})$/;

export class DevIdentityProvider implements IdentityProvider {
  async code2Session(code: string): Promise<WechatSession> {
    const m = typeof code === 'string' ? DEV_CODE_RE.exec(code.trim()) : null;
    if (!m) {
      throw new ValidationError(
        { path: 'code', message: '开发环境登录凭证应为“dev:用户名”（字母、数字、_ 或 -，最多32位）' },
        undefined,
        'DEV_CODE_INVALID',
      );
    }
    const name = m[1]!;
    // Deterministic, shaped like WeChat's (base64 of 16 bytes), useless outside this stack.
    const sessionKey = createHash('sha256').update(`dev-session-key:${name}`).digest().subarray(0, 16).toString('base64');
    return { openid: `dev_${name}`, sessionKey };
  }
}
