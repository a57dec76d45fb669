import { describe, expect, it } from 'vitest';
import { ValidationError } from '@jiayi/shared/domain/errors';
import {
  DevIdentityProvider,
  DevOrWechatIdentityProvider,
  identityProviderFromConfig,
  WechatIdentityProvider,
  type IdentityEnv,
} from './index';

const SESSION_KEY = 'tiihtNczf5v6AKRyjwEUhQ==';
const WECHAT = { WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 'S3CR3T-0123456789abcdef0123456789' };

describe('DevIdentityProvider', () => {
  const dev = new DevIdentityProvider();

  it('dev:alice → openid dev_alice with a WeChat-shaped, deterministic session key', async () => {
    const a = await dev.code2Session('dev:alice');
    expect(a.openid).toBe('dev_alice');
    expect(a.unionid).toBeUndefined();
    expect(Buffer.from(a.sessionKey, 'base64')).toHaveLength(16);
    expect((await dev.code2Session(' dev:alice ')).sessionKey).toBe(a.sessionKey);
    expect((await dev.code2Session('dev:bob')).sessionKey).not.toBe(a.sessionKey);
    expect((await dev.code2Session('dev:Resident_01-x')).openid).toBe('dev_Resident_01-x');
  });

  it.each([
    ['a WeChat code', '0c3Xyz000abcDEF1ghi200iJkl3Xyz0z'],
    ['bare name', 'alice'],
    ['empty name', 'dev:'],
    ['upper-case prefix', 'DEV:alice'],
    ['space in name', 'dev:al ice'],
    ['Chinese name', 'dev:张三'],
    ['name too long', `dev:${'a'.repeat(33)}`],
    ['empty', ''],
  ])('rejects %s with 400', async (_n, code) => {
    await expect(dev.code2Session(code)).rejects.toBeInstanceOf(ValidationError);
    await expect(dev.code2Session(code)).rejects.toMatchObject({ status: 400, code: 'DEV_CODE_INVALID', fields: [{ path: 'code' }] });
  });
});

describe('identityProviderFromConfig', () => {
  it.each<[string, IdentityEnv, new (...a: never[]) => object]>([
    ['WeChat credentials → WeChat', { STAGE: 'prod', ...WECHAT }, WechatIdentityProvider],
    ['dev login on the local stage → dev', { STAGE: 'local', AUTH_DEV_LOGIN: 'true' }, DevIdentityProvider],
    ['dev login, STAGE unset (local default) → dev', { AUTH_DEV_LOGIN: 'true' }, DevIdentityProvider],
    ['dev login + credentials on staging → both', { STAGE: 'staging', AUTH_DEV_LOGIN: 'true', ...WECHAT }, DevOrWechatIdentityProvider],
    ['AUTH_DEV_LOGIN other than "true" is off', { STAGE: 'dev', AUTH_DEV_LOGIN: '1', ...WECHAT }, WechatIdentityProvider],
  ])('%s', (_n, env, type) => {
    expect(identityProviderFromConfig(env)).toBeInstanceOf(type);
  });

  it.each<[string, IdentityEnv, RegExp]>([
    ['dev login on prod', { STAGE: 'prod', AUTH_DEV_LOGIN: 'true', ...WECHAT }, /AUTH_DEV_LOGIN=true is refused on stage "prod"/],
    ['dev login on PRODUCTION', { STAGE: 'PRODUCTION', AUTH_DEV_LOGIN: 'true' }, /refused on stage "PRODUCTION"/],
    ['no credentials and no dev login', { STAGE: 'prod' }, /set WECHAT_APP_ID and WECHAT_APP_SECRET/],
    ['no credentials on local either', { STAGE: 'local' }, /set WECHAT_APP_ID and WECHAT_APP_SECRET/],
    ['app id without secret', { STAGE: 'prod', WECHAT_APP_ID: 'wx1' }, /WECHAT_APP_SECRET is missing/],
    ['secret without app id', { STAGE: 'prod', WECHAT_APP_SECRET: 's', AUTH_DEV_LOGIN: 'false' }, /WECHAT_APP_ID is missing/],
    ['blank secret', { STAGE: 'prod', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: '  ' }, /WECHAT_APP_SECRET is missing/],
  ])('throws at start-up: %s', (_n, env, message) => {
    expect(() => identityProviderFromConfig(env)).toThrow(message);
  });

  it('the error messages never quote the secret', () => {
    let msg = '';
    try {
      identityProviderFromConfig({ STAGE: 'prod', AUTH_DEV_LOGIN: 'true', ...WECHAT });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).not.toBe('');
    expect(msg).not.toContain(WECHAT.WECHAT_APP_SECRET);
  });

  it('the combined provider routes dev: codes locally and others to WeChat (with the injected fetch and base URL)', async () => {
    const urls: string[] = [];
    const fetch = (async (input: string | URL | Request) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ openid: 'oREAL', session_key: SESSION_KEY }));
    }) as typeof globalThis.fetch;
    const p = identityProviderFromConfig({ STAGE: 'staging', AUTH_DEV_LOGIN: 'true', WECHAT_API_BASE_URL: 'http://sim.local', ...WECHAT }, { fetch });
    expect((await p.code2Session('dev:alice')).openid).toBe('dev_alice');
    expect(urls).toEqual([]);
    expect((await p.code2Session('0c3Xyz000abc')).openid).toBe('oREAL');
    expect(urls).toHaveLength(1);
    expect(urls[0]!.startsWith('http://sim.local/sns/jscode2session?')).toBe(true);
  });
});
