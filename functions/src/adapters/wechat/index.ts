/**
 * Identity provider chosen from the environment, once at cold start:
 *
 * | AUTH_DEV_LOGIN | WECHAT_APP_ID + WECHAT_APP_SECRET | provider                                   |
 * |----------------|-----------------------------------|--------------------------------------------|
 * | not 'true'     | both set                          | WeChat                                     |
 * | not 'true'     | missing                           | start-up error                             |
 * | 'true'         | missing                           | dev (`dev:alice` → openid `dev_alice`)     |
 * | 'true'         | both set                          | `dev:` codes → dev, any other code → WeChat |
 *
 * AUTH_DEV_LOGIN=true on the prod stage is a start-up error (same variable as lib/config.ts).
 */
import { DEV_CODE_PREFIX, DevIdentityProvider } from './dev-identity-provider';
import type { IdentityProvider, WechatSession } from './identity-provider';
import { WechatIdentityProvider } from './wechat-identity-provider';

export type { IdentityProvider, WechatSession } from './identity-provider';
export { DevIdentityProvider } from './dev-identity-provider';
export { WechatIdentityProvider, WECHAT_API_BASE_URL, type WechatIdentityProviderConfig } from './wechat-identity-provider';

export interface IdentityEnv {
  STAGE?: string;
  AUTH_DEV_LOGIN?: string;
  WECHAT_APP_ID?: string;
  WECHAT_APP_SECRET?: string;
  /** Optional override of https://api.weixin.qq.com (e.g. a local simulator). */
  WECHAT_API_BASE_URL?: string;
}

const PROD_STAGES = new Set(['prod', 'production']);

/** Routes `dev:` codes to the dev provider and everything else to WeChat (non-prod stages only). */
export class DevOrWechatIdentityProvider implements IdentityProvider {
  constructor(
    private readonly dev: IdentityProvider,
    private readonly wechat: IdentityProvider,
  ) {}

  code2Session(code: string): Promise<WechatSession> {
    return typeof code === 'string' && code.trim().startsWith(DEV_CODE_PREFIX) ? this.dev.code2Session(code) : this.wechat.code2Session(code);
  }
}

export function identityProviderFromConfig(
  env: IdentityEnv | NodeJS.ProcessEnv,
  deps: { fetch?: typeof fetch } = {},
): IdentityProvider {
  const stage = env.STAGE ?? 'local';
  const devLogin = env.AUTH_DEV_LOGIN === 'true';
  if (devLogin && PROD_STAGES.has(stage.toLowerCase())) {
    throw new Error(
      `AUTH_DEV_LOGIN=true is refused on stage "${stage}": the dev identity provider lets anyone log in as anyone with a "dev:<name>" code`,
    );
  }

  const appId = env.WECHAT_APP_ID?.trim();
  const appSecret = env.WECHAT_APP_SECRET?.trim();
  if (Boolean(appId) !== Boolean(appSecret)) {
    throw new Error(`WeChat login needs both WECHAT_APP_ID and WECHAT_APP_SECRET; ${appId ? 'WECHAT_APP_SECRET' : 'WECHAT_APP_ID'} is missing`);
  }
  const wechat =
    appId && appSecret
      ? new WechatIdentityProvider({ appId, appSecret, baseUrl: env.WECHAT_API_BASE_URL || undefined, fetch: deps.fetch })
      : undefined;

  if (devLogin) return wechat ? new DevOrWechatIdentityProvider(new DevIdentityProvider(), wechat) : new DevIdentityProvider();
  if (!wechat) {
    throw new Error(
      `WeChat login is not configured on stage "${stage}": set WECHAT_APP_ID and WECHAT_APP_SECRET (or AUTH_DEV_LOGIN=true outside prod)`,
    );
  }
  return wechat;
}
