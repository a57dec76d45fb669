/**
 * Who is logging in: the mini-program sends the `code` from `wx.login()`, the provider turns it
 * into a stable user id. Real implementation: WeChat's code2Session
 * (wechat-identity-provider.ts); local/simulated one: dev-identity-provider.ts.
 */
export interface WechatSession {
  /** User id within our mini-program. */
  openid: string;
  /** User id across the operator's WeChat apps; only when the app is bound to an open platform account. */
  unionid?: string;
  /**
   * Session key for decrypting wx.getPhoneNumber / user-info payloads. Secret: never log it,
   * never return it to the client, never put it in a token.
   */
  sessionKey: string;
}

export interface IdentityProvider {
  /**
   * Exchange a login code for the user's identity. Throws the typed errors of
   * shared/src/domain/errors.ts: ValidationError (bad/used code, 400), RateLimitedError (429),
   * ForbiddenError (403), UpstreamError (WeChat unavailable, 502).
   */
  code2Session(code: string): Promise<WechatSession>;
}
