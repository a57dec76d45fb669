/**
 * Notification senders chosen from the environment, once at cold start:
 *
 * | variable                  | values                                   | default (non-prod / prod) |
 * |---------------------------|------------------------------------------|---------------------------|
 * | NOTIFY_SUBSCRIBE_PROVIDER | 'wechat' \| 'recording'                   | recording / wechat        |
 * | NOTIFY_SMS_PROVIDER       | 'http' \| 'disabled' \| 'recording'        | recording / http          |
 *
 * 'wechat' needs WECHAT_APP_ID and WECHAT_APP_SECRET (the same as login; optional
 * WECHAT_API_BASE_URL, WECHAT_TOKEN_MODE 'stable'|'classic', WECHAT_MINIPROGRAM_STATE).
 * 'http' needs SMS_GATEWAY_URL, SMS_GATEWAY_KEY_ID, SMS_GATEWAY_SECRET (sms.ts documents the
 * gateway contract). Recording senders are refused on the prod stage: nothing would be delivered.
 */
import { DisabledSmsSender, HttpSmsSender, type SmsSender } from './sms';
import { RecordingSmsSender, RecordingSubscribeSender } from './recording-senders';
import type { MiniprogramState, SubscribeMessageSender } from './subscribe-message';
import { WechatSubscribeMessageSender } from './wechat-subscribe-sender';

export * from './subscribe-message';
export { validateTemplateData, TEMPLATE_FIELD_TYPES } from './template-data';
export { WechatSubscribeMessageSender, WECHAT_API_BASE_URL, TOKEN_REFRESH_MARGIN_MS, type WechatSubscribeSenderConfig } from './wechat-subscribe-sender';
export { RecordingSubscribeSender, RecordingSmsSender } from './recording-senders';
export {
  HttpSmsSender,
  DisabledSmsSender,
  maskMobile,
  signSmsRequest,
  smsSignatureMessage,
  MAINLAND_MOBILE_RE,
  type HttpSmsSenderConfig,
  type SmsFailureReason,
  type SmsMessage,
  type SmsSendResult,
  type SmsSender,
} from './sms';

export interface NotifyEnv {
  STAGE?: string;
  NOTIFY_SUBSCRIBE_PROVIDER?: string;
  NOTIFY_SMS_PROVIDER?: string;
  WECHAT_APP_ID?: string;
  WECHAT_APP_SECRET?: string;
  WECHAT_API_BASE_URL?: string;
  WECHAT_TOKEN_MODE?: string;
  WECHAT_MINIPROGRAM_STATE?: string;
  SMS_GATEWAY_URL?: string;
  SMS_GATEWAY_KEY_ID?: string;
  SMS_GATEWAY_SECRET?: string;
}

export interface NotifySenders {
  subscribe: SubscribeMessageSender;
  sms: SmsSender;
}

const PROD_STAGES = new Set(['prod', 'production']);
const STATES: MiniprogramState[] = ['developer', 'trial', 'formal'];

export function notifySendersFromConfig(
  env: NotifyEnv | NodeJS.ProcessEnv,
  deps: { fetch?: typeof fetch; now?: () => Date } = {},
): NotifySenders {
  const stage = env.STAGE ?? 'local';
  const isProd = PROD_STAGES.has(stage.toLowerCase());
  const refuseOnProd = (what: string) => {
    if (isProd) throw new Error(`${what}=recording is refused on stage "${stage}": messages would be recorded, not delivered`);
  };

  // Subscribe messages
  const subKind = env.NOTIFY_SUBSCRIBE_PROVIDER?.trim() || (isProd ? 'wechat' : 'recording');
  let subscribe: SubscribeMessageSender;
  if (subKind === 'recording') {
    refuseOnProd('NOTIFY_SUBSCRIBE_PROVIDER');
    subscribe = new RecordingSubscribeSender();
  } else if (subKind === 'wechat') {
    const appId = env.WECHAT_APP_ID?.trim();
    const appSecret = env.WECHAT_APP_SECRET?.trim();
    if (!appId || !appSecret) throw new Error('subscribe messages need WECHAT_APP_ID and WECHAT_APP_SECRET');
    const tokenMode = env.WECHAT_TOKEN_MODE?.trim() || 'stable';
    if (tokenMode !== 'stable' && tokenMode !== 'classic') throw new Error('WECHAT_TOKEN_MODE must be "stable" or "classic"');
    const state = env.WECHAT_MINIPROGRAM_STATE?.trim() || 'formal';
    if (!STATES.includes(state as MiniprogramState)) throw new Error('WECHAT_MINIPROGRAM_STATE must be developer, trial or formal');
    subscribe = new WechatSubscribeMessageSender({
      appId,
      appSecret,
      baseUrl: env.WECHAT_API_BASE_URL || undefined,
      tokenMode,
      defaultMiniprogramState: state as MiniprogramState,
      fetch: deps.fetch,
      now: deps.now,
    });
  } else {
    throw new Error(`NOTIFY_SUBSCRIBE_PROVIDER must be "wechat" or "recording" (got "${subKind.slice(0, 40)}")`);
  }

  // SMS
  const smsKind = env.NOTIFY_SMS_PROVIDER?.trim() || (isProd ? 'http' : 'recording');
  let sms: SmsSender;
  if (smsKind === 'recording') {
    refuseOnProd('NOTIFY_SMS_PROVIDER');
    sms = new RecordingSmsSender();
  } else if (smsKind === 'disabled') {
    sms = new DisabledSmsSender();
  } else if (smsKind === 'http') {
    const missing = (['SMS_GATEWAY_URL', 'SMS_GATEWAY_KEY_ID', 'SMS_GATEWAY_SECRET'] as const).filter((k) => !env[k]?.trim());
    if (missing.length) throw new Error(`the SMS gateway is not configured: ${missing.join(', ')} missing (or NOTIFY_SMS_PROVIDER=disabled)`);
    sms = new HttpSmsSender({
      url: env.SMS_GATEWAY_URL!.trim(),
      keyId: env.SMS_GATEWAY_KEY_ID!.trim(),
      secret: env.SMS_GATEWAY_SECRET!.trim(),
      fetch: deps.fetch,
      now: deps.now,
    });
  } else {
    throw new Error(`NOTIFY_SMS_PROVIDER must be "http", "disabled" or "recording" (got "${smsKind.slice(0, 40)}")`);
  }

  return { subscribe, sms };
}
