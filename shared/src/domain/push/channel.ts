/**
 * The external channel for one tip (issue 7). The in-app inbox always gets the tip; on top of it:
 *   1. a WeChat subscribe message when the template is long-term for the resident's
 *      institution/region (no credit needed) or the account holds a one-time credit for it;
 *   2. otherwise an SMS when the account holder consented to SMS (purpose `sms`) and has a mobile;
 *   3. otherwise the inbox alone.
 * Pure: the facts are loaded by the sender.
 */
export type PushChannel = 'wechat' | 'sms' | 'inbox';

export const PUSH_CHANNELS: Record<PushChannel, string> = { wechat: '微信订阅消息', sms: '短信', inbox: '站内消息' };

export interface ChannelFacts {
  /** The tip template configured for the resident's institution or region, if any. */
  template: { templateId: string; longTerm: boolean } | null;
  hasOpenid: boolean;
  /** One-time subscription credits held for that template. */
  credits: number;
  smsConsent: boolean;
  hasMobile: boolean;
}

export interface ChannelChoice {
  channel: PushChannel;
  /** A one-time credit is spent with the delivery (false for long-term templates and other channels). */
  spendCredit: boolean;
}

export function chooseChannel(f: ChannelFacts): ChannelChoice {
  if (f.template && f.hasOpenid) {
    if (f.template.longTerm) return { channel: 'wechat', spendCredit: false };
    if (f.credits > 0) return { channel: 'wechat', spendCredit: true };
  }
  if (f.smsConsent && f.hasMobile) return { channel: 'sms', spendCredit: false };
  return { channel: 'inbox', spendCredit: false };
}
