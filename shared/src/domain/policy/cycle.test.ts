import { describe, expect, it } from 'vitest';
import { canTerminateEarly, policyFor, renewalDecision, renewalWindow, serviceCycle, TERMINATION_REASON_CODES, TERMINATION_REASONS, type CycleInput } from './index';

const liyang = policyFor('liyang-2019', '2019-09-01');
const yongkang = policyFor('yongkang', '2020-01-01');
const weihai = policyFor('weihai-2023', '2023-06-01');
const zjg = policyFor('zhangjiagang-2017', '2017-05-01');
const jilin = policyFor('jilin-2017', '2017-08-01');

describe('serviceCycle — liyang-2019 §二(三)2', () => {
  const cases: [name: string, input: CycleInput, start: string, end: string][] = [
    ['signed in 2019: until 2020-12-31', { signedOn: '2019-08-20', kind: 'paid' }, '2019-08-20', '2020-12-31'],
    ['signed in Q4 2019: still the 2019 first cycle', { signedOn: '2019-11-15', kind: 'free' }, '2019-11-15', '2020-12-31'],
    ['Q4 signing is for the next calendar year', { signedOn: '2021-10-01', kind: 'paid' }, '2022-01-01', '2022-12-31'],
    ['31 Dec signing', { signedOn: '2021-12-31', kind: 'paid' }, '2022-01-01', '2022-12-31'],
    ['outside Q4: joins the current calendar year', { signedOn: '2021-09-30', kind: 'paid' }, '2021-09-30', '2021-12-31'],
    ['renewal: next calendar year', { signedOn: '2020-11-01', kind: 'free', isRenewal: true, previousEnd: '2020-12-31' }, '2021-01-01', '2021-12-31'],
  ];
  it.each(cases)('%s', (_n, input, start, end) => {
    expect(serviceCycle(liyang, input)).toEqual({ start, end });
  });
  it('renewal window is the fourth quarter', () => {
    expect(renewalWindow(liyang, { start: '2019-08-20', end: '2020-12-31' })).toEqual({ start: '2020-10-01', end: '2020-12-31' });
  });
});

describe('serviceCycle — yongkang 问答05', () => {
  const cases: [name: string, input: CycleInput, start: string, end: string][] = [
    ['free: from signing, one year', { signedOn: '2024-03-15', kind: 'free' }, '2024-03-15', '2025-03-14'],
    ['paid: from signing + paying + card registration', { signedOn: '2024-03-15', paidOn: '2024-03-20', kind: 'paid' }, '2024-03-20', '2025-03-19'],
    ['paid same day', { signedOn: '2024-03-15', paidOn: '2024-03-15', kind: 'paid' }, '2024-03-15', '2025-03-14'],
    ['29 Feb start ends 28 Feb', { signedOn: '2024-02-29', kind: 'free' }, '2024-02-29', '2025-02-28'],
    ['1 Jan start ends 31 Dec', { signedOn: '2023-01-01', kind: 'free' }, '2023-01-01', '2023-12-31'],
    ['renewal continues the day after', { signedOn: '2025-03-01', paidOn: '2025-03-01', kind: 'paid', isRenewal: true, previousEnd: '2025-03-19' }, '2025-03-20', '2026-03-19'],
  ];
  it.each(cases)('%s', (_n, input, start, end) => {
    expect(serviceCycle(yongkang, input)).toEqual({ start, end });
  });
  it('paid signing needs the payment date', () => {
    expect(() => serviceCycle(yongkang, { signedOn: '2024-03-15', kind: 'paid' })).toThrow('收费签约须提供交费并刷社会保障卡登记的日期');
  });
  it('renewal window: the month before expiry', () => {
    expect(renewalWindow(yongkang, { start: '2024-03-20', end: '2025-03-19' })).toEqual({ start: '2025-02-20', end: '2025-03-19' });
  });
});

describe('serviceCycle — weihai-2023 §五(一), zhangjiagang-2017 五、3, jilin-2017 §三', () => {
  it('weihai: first term one year', () => {
    expect(serviceCycle(weihai, { signedOn: '2023-07-01', kind: 'paid' })).toEqual({ start: '2023-07-01', end: '2024-06-30' });
  });
  it('weihai: first term is not 2 years', () => {
    expect(() => serviceCycle(weihai, { signedOn: '2023-07-01', kind: 'paid', termYears: 2 })).toThrow('首次签约服务期为1年');
  });
  it.each([1, 2, 3])('weihai: renewal for %i year(s)', (years) => {
    const c = serviceCycle(weihai, { signedOn: '2024-06-01', kind: 'paid', isRenewal: true, previousEnd: '2024-06-30', termYears: years });
    expect(c).toEqual({ start: '2024-07-01', end: `${2024 + years}-06-30` });
  });
  it('weihai: renewal for 4 years is refused', () => {
    expect(() => serviceCycle(weihai, { signedOn: '2024-06-01', kind: 'paid', isRenewal: true, previousEnd: '2024-06-30', termYears: 4 })).toThrow('续约期限只能为1、2、3年');
  });
  it('zhangjiagang: one year from signing', () => {
    expect(serviceCycle(zjg, { signedOn: '2017-05-10', kind: 'paid' })).toEqual({ start: '2017-05-10', end: '2018-05-09' });
  });
  it('zhangjiagang 附件3: 四个一 ends 2018-02-28', () => {
    expect(serviceCycle(zjg, { signedOn: '2017-04-20', kind: 'free', packageCodes: ['ZJG-HARDSHIP'] })).toEqual({ start: '2017-04-20', end: '2018-02-28' });
    expect(() => serviceCycle(zjg, { signedOn: '2018-03-01', kind: 'free', packageCodes: ['ZJG-HARDSHIP'] })).toThrow('2018-02-28');
  });
  it('jilin: one year from signing (按年收取)', () => {
    expect(serviceCycle(jilin, { signedOn: '2017-08-01', kind: 'free' })).toEqual({ start: '2017-08-01', end: '2018-07-31' });
    expect(renewalWindow(jilin, { start: '2017-08-01', end: '2018-07-31' })).toBeNull();
  });
});

describe('renewalDecision', () => {
  const ykCycle = { start: '2024-03-20', end: '2025-03-19' };
  const cases: [name: string, policy: typeof liyang, agreement: Parameters<typeof renewalDecision>[0], today: string, action: string, next: { start: string; end: string } | null][] = [
    ['yongkang free: auto-extends a year', yongkang, { kind: 'free', cycle: ykCycle }, '2025-03-20', 'auto_renew', { start: '2025-03-20', end: '2026-03-19' }],
    ['yongkang paid renewed within the month before expiry', yongkang, { kind: 'paid', cycle: ykCycle, renewalRequestedOn: '2025-03-01' }, '2025-03-20', 'renew', { start: '2025-03-20', end: '2026-03-19' }],
    ['yongkang paid renewed too early: falls back to free', yongkang, { kind: 'paid', cycle: ykCycle, renewalRequestedOn: '2025-01-10' }, '2025-03-20', 'fall_back_to_free', { start: '2025-03-20', end: '2026-03-19' }],
    ['yongkang paid not renewed: falls back to free', yongkang, { kind: 'paid', cycle: ykCycle }, '2025-04-01', 'fall_back_to_free', { start: '2025-03-20', end: '2026-03-19' }],
    ['yongkang paid, left basic insurance: falls back even if renewed', yongkang, { kind: 'paid', cycle: ykCycle, renewalRequestedOn: '2025-03-01', insuredLocally: false }, '2025-03-20', 'fall_back_to_free', { start: '2025-03-20', end: '2026-03-19' }],
    ['yongkang, before expiry', yongkang, { kind: 'paid', cycle: ykCycle }, '2025-03-19', 'none', null],
    ['liyang free: auto-renews for the next calendar year', liyang, { kind: 'free', cycle: { start: '2019-09-01', end: '2020-12-31' } }, '2021-01-01', 'auto_renew', { start: '2021-01-01', end: '2021-12-31' }],
    ['liyang free with a change request: expires', liyang, { kind: 'free', cycle: { start: '2019-09-01', end: '2020-12-31' }, changeRequested: true }, '2021-01-01', 'expire', null],
    ['liyang paid: 一年一签, the basic part continues free', liyang, { kind: 'paid', cycle: { start: '2021-01-01', end: '2021-12-31' } }, '2022-01-01', 'fall_back_to_free', { start: '2022-01-01', end: '2022-12-31' }],
    ['liyang paid re-signed in Q4', liyang, { kind: 'paid', cycle: { start: '2021-01-01', end: '2021-12-31' }, renewalRequestedOn: '2021-11-02' }, '2022-01-01', 'renew', { start: '2022-01-01', end: '2022-12-31' }],
    ['weihai: renews for 3 years', weihai, { kind: 'paid', cycle: { start: '2023-07-01', end: '2024-06-30' }, renewalRequestedOn: '2024-05-01', renewalTermYears: 3 }, '2024-07-01', 'renew', { start: '2024-07-01', end: '2027-06-30' }],
    ['weihai: not renewed expires', weihai, { kind: 'paid', cycle: { start: '2023-07-01', end: '2024-06-30' } }, '2024-07-01', 'expire', null],
    ['termination requested', yongkang, { kind: 'free', cycle: ykCycle, terminationRequested: true }, '2025-03-20', 'expire', null],
  ];
  it.each(cases)('%s', (_n, policy, agreement, today, action, next) => {
    const d = renewalDecision(agreement, policy, today);
    expect(d.action).toBe(action);
    expect(d.nextCycle).toEqual(next);
    expect(d.reason).toMatch(/[\u4e00-\u9fa5]/);
  });
  it('flags the renewal window before expiry', () => {
    expect(renewalDecision({ kind: 'paid', cycle: ykCycle }, yongkang, '2025-02-20').inRenewalWindow).toBe(true);
    expect(renewalDecision({ kind: 'paid', cycle: ykCycle }, yongkang, '2025-02-19').inRenewalWindow).toBe(false);
  });
});

describe('canTerminateEarly', () => {
  it('has the six termination reasons with Chinese labels', () => {
    expect(TERMINATION_REASON_CODES.map((c) => TERMINATION_REASONS[c])).toEqual(['迁出本辖区', '连续一年无法取得联系', '连续一年拒绝服务', '主动解约', '死亡', '其他']);
  });
  it('liyang §三(二): allowed after verification, refund after deducting services delivered', () => {
    expect(canTerminateEarly(liyang, 'voluntary')).toMatchObject({ allowed: true, requiresVerification: true, refund: 'deduct_delivered' });
  });
  it.each([
    ['voluntary', false],
    ['other', false],
    ['refused_one_year', false],
    ['death', true],
    ['moved_out', true],
  ] as const)('zhangjiagang 附件2 三(一)2 (原则上一年签约期内不得解约): %s → %s', (reason, allowed) => {
    const r = canTerminateEarly(zjg, reason);
    expect(r.allowed).toBe(allowed);
    if (!allowed) expect(r.message).toContain('原则上一年签约期内不得解约');
  });
});
