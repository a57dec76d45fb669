import { describe, expect, it } from 'vitest';
import { chooseChannel, type ChannelFacts } from './channel';

const base: ChannelFacts = { template: { templateId: 't', longTerm: false }, hasOpenid: true, credits: 0, smsConsent: false, hasMobile: true };

describe('chooseChannel (inbox always; external on top)', () => {
  it.each([
    ['one-time credit held → WeChat, spends it', { credits: 2 }, 'wechat', true],
    ['long-term template → WeChat, no credit needed', { template: { templateId: 't', longTerm: true } }, 'wechat', false],
    ['no credit, SMS consent and mobile → SMS', { smsConsent: true }, 'sms', false],
    ['no credit, SMS consent but no mobile → inbox', { smsConsent: true, hasMobile: false }, 'inbox', false],
    ['no credit, no SMS consent → inbox only', {}, 'inbox', false],
    ['credit but no template configured → SMS when consented', { template: null, credits: 3, smsConsent: true }, 'sms', false],
    ['credit but no openid → inbox', { hasOpenid: false, credits: 1 }, 'inbox', false],
    ['credit wins over SMS', { credits: 1, smsConsent: true }, 'wechat', true],
  ] as const)('%s', (_n, over, channel, spend) => {
    expect(chooseChannel({ ...base, ...over } as ChannelFacts)).toEqual({ channel, spendCredit: spend });
  });
});
