/**
 * POST /auth/wechat — wx.login() code → WeChat code2Session (or the dev provider on local
 * stacks) → the account of that openid (created on first login) → our own signed session token
 * (7 days). WeChat's session_key is stored encrypted and never leaves the server.
 */
import { PRIVACY_NOTICE } from '@jiayi/shared/domain/identity/consent';
import { authWechatBody, type AuthWechatResponse } from '@jiayi/shared/schemas/residents';
import { route, router } from '../http/with-http';
import { RESIDENT_SESSION_TTL_SECONDS } from '../http/auth';
import { identityProviderFromConfig, type IdentityProvider } from '../adapters/wechat';
import { config, environment } from '../lib/config';
import { issue } from '../lib/session-token';
import { log } from '../lib/log';
import { loginWithOpenid } from '../db/accounts.repo';

// Start-up checks (cold start): unsafe keys or dev login on prod refuse to start.
config();
const provider: IdentityProvider = identityProviderFromConfig(environment());

export const handler = router({
  'POST /auth/wechat': route({ auth: 'none', body: authWechatBody }, async ({ body, now, requestId }): Promise<AuthWechatResponse> => {
    const session = await provider.code2Session(body.code);
    const account = await loginWithOpenid({ openid: session.openid, unionid: session.unionid, sessionKey: session.sessionKey, now });
    const token = issue({ sub: account.accountId, kind: 'resident' }, config().sessionSecret, now, RESIDENT_SESSION_TTL_SECONDS);
    log.info('resident login', { requestId, accountId: account.accountId });
    return {
      token,
      expiresAt: new Date(now.getTime() + RESIDENT_SESSION_TTL_SECONDS * 1000).toISOString(),
      accountId: account.accountId,
      privacyAccepted: account.privacyVersion === PRIVACY_NOTICE.version,
      hasIdentity: Boolean(account.selfMemberId),
    };
  }),
});
