import { describe, expect, it } from 'vitest';
import {
  DisabledSmsSender,
  HttpSmsSender,
  notifySendersFromConfig,
  RecordingSmsSender,
  RecordingSubscribeSender,
  WechatSubscribeMessageSender,
  type SubscribeMessage,
} from './index';

const MESSAGE: SubscribeMessage = {
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  templateId: 'tmpl-followup',
  page: 'pages/health/followup?id=42',
  data: { thing1: { value: '高血压季度随访' }, time2: { value: '2025年3月12日 09:30' } },
};

describe('RecordingSubscribeSender', () => {
  it('records deliveries and fails on request with the errcode WeChat would give', async () => {
    const r = new RecordingSubscribeSender().failFor('oRefused_000001').failFor('oBusy_000000001', 'rate_limited');
    await expect(r.send(MESSAGE)).resolves.toEqual({ ok: true });
    await expect(r.send({ ...MESSAGE, openid: 'oRefused_000001' })).resolves.toEqual({ ok: false, reason: 'user_refused', errcode: 43101, retryable: false });
    await expect(r.send({ ...MESSAGE, openid: 'oBusy_000000001' })).resolves.toEqual({ ok: false, reason: 'rate_limited', errcode: 45009, retryable: true });
    expect(r.sent).toEqual([MESSAGE]);
    expect(r.sentTo(MESSAGE.openid)).toHaveLength(1);
    expect(r.attempts).toHaveLength(3);

    r.succeedFor('oRefused_000001');
    await expect(r.send({ ...MESSAGE, openid: 'oRefused_000001' })).resolves.toEqual({ ok: true });
    r.clear();
    expect(r.sent).toHaveLength(0);
  });

  it('checks template data like the real sender', async () => {
    const r = new RecordingSubscribeSender();
    const result = await r.send({ ...MESSAGE, data: { phrase1: { value: '已经完成了签约' } } });
    expect(result).toMatchObject({ ok: false, reason: 'bad_template_data', errcode: null, retryable: false });
    expect(r.sent).toHaveLength(0);
  });

  it('keeps a copy: later changes to the caller’s object do not rewrite history', async () => {
    const r = new RecordingSubscribeSender();
    const m = structuredClone(MESSAGE);
    await r.send(m);
    m.data.thing1!.value = 'changed';
    expect(r.sent[0]!.data.thing1!.value).toBe('高血压季度随访');
  });
});

describe('RecordingSmsSender', () => {
  it('records deliveries with ids, fails on request, and checks the mobile', async () => {
    const r = new RecordingSmsSender().failFor('13900000000');
    const m = { mobile: '13812345678', templateCode: 'FOLLOW_UP', params: { name: '张三' } };
    await expect(r.send(m)).resolves.toEqual({ ok: true, messageId: 'recorded-1' });
    await expect(r.send({ ...m, mobile: '13900000000' })).resolves.toMatchObject({ ok: false, reason: 'user_refused', retryable: false });
    await expect(r.send({ ...m, mobile: '12345' })).resolves.toMatchObject({ ok: false, reason: 'invalid_mobile' });
    expect(r.sent).toEqual([m]);
    expect(r.sentTo('13812345678')).toHaveLength(1);
  });
});

describe('notifySendersFromConfig', () => {
  const WECHAT = { WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 'S3CR3T-0123456789abcdef0123456789' };
  const GATEWAY = { SMS_GATEWAY_URL: 'https://sms.example.cn/send', SMS_GATEWAY_KEY_ID: 'k1', SMS_GATEWAY_SECRET: 'gateway-secret-0123456789abcdef-0123' };

  it('records by default outside prod', () => {
    const s = notifySendersFromConfig({ STAGE: 'local' });
    expect(s.subscribe).toBeInstanceOf(RecordingSubscribeSender);
    expect(s.sms).toBeInstanceOf(RecordingSmsSender);
    expect(notifySendersFromConfig({}).subscribe).toBeInstanceOf(RecordingSubscribeSender);
  });

  it('uses the real senders by default on prod', () => {
    const s = notifySendersFromConfig({ STAGE: 'prod', ...WECHAT, ...GATEWAY });
    expect(s.subscribe).toBeInstanceOf(WechatSubscribeMessageSender);
    expect(s.sms).toBeInstanceOf(HttpSmsSender);
  });

  it.each(['prod', 'production'])('refuses recording senders on stage %s', (STAGE) => {
    expect(() => notifySendersFromConfig({ STAGE, ...GATEWAY, NOTIFY_SUBSCRIBE_PROVIDER: 'recording' })).toThrow(/refused/);
    expect(() => notifySendersFromConfig({ STAGE, ...WECHAT, NOTIFY_SMS_PROVIDER: 'recording' })).toThrow(/refused/);
  });

  it('allows a deployment without SMS, even on prod', () => {
    expect(notifySendersFromConfig({ STAGE: 'prod', ...WECHAT, NOTIFY_SMS_PROVIDER: 'disabled' }).sms).toBeInstanceOf(DisabledSmsSender);
  });

  it('names what is missing', () => {
    expect(() => notifySendersFromConfig({ STAGE: 'prod', ...GATEWAY })).toThrow(/WECHAT_APP_ID and WECHAT_APP_SECRET/);
    expect(() => notifySendersFromConfig({ STAGE: 'prod', ...WECHAT, SMS_GATEWAY_URL: 'https://sms.example.cn/send' })).toThrow(
      'the SMS gateway is not configured: SMS_GATEWAY_KEY_ID, SMS_GATEWAY_SECRET missing (or NOTIFY_SMS_PROVIDER=disabled)',
    );
  });

  it('refuses unknown values', () => {
    expect(() => notifySendersFromConfig({ NOTIFY_SUBSCRIBE_PROVIDER: 'email' })).toThrow(/"wechat" or "recording"/);
    expect(() => notifySendersFromConfig({ NOTIFY_SMS_PROVIDER: 'aliyun' })).toThrow(/"http", "disabled" or "recording"/);
    expect(() => notifySendersFromConfig({ NOTIFY_SUBSCRIBE_PROVIDER: 'wechat', ...WECHAT, WECHAT_TOKEN_MODE: 'fast' })).toThrow(/WECHAT_TOKEN_MODE/);
    expect(() => notifySendersFromConfig({ NOTIFY_SUBSCRIBE_PROVIDER: 'wechat', ...WECHAT, WECHAT_MINIPROGRAM_STATE: 'beta' })).toThrow(
      /WECHAT_MINIPROGRAM_STATE/,
    );
  });
});
