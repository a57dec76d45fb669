import { describe, expect, it } from 'vitest';
import { policyFor, policyVersion, quote, type RegionPolicy } from '../policy';
import { ConflictError } from '../errors';
import type { PersonFacts } from '../person';
import {
  ageGroupOf,
  agreementIdOfOutTradeNo,
  agreementRefund,
  assertTransition,
  cycleEndAction,
  cycleOnActivation,
  draftAgreement,
  isUnpaidExpired,
  nextStatus,
  outTradeNoOf,
  paymentOutcome,
  pendingExpiresAt,
  receivableFen,
  shardOf,
  type AgreementAction,
} from './lifecycle';
import type { AgreementStatus } from '../../schemas/agreements';

const liyang = policyFor('liyang-2019', '2025-03-01');
const zhangjiagang = policyFor('zhangjiagang-2017', '2017-06-01');
const yongkang = policyFor('yongkang', '2025-03-01');

const elder: PersonFacts = { birthDate: '1950-05-01', sex: 'M', conditions: [], statuses: [], insuredLocally: true, localHukou: true };
const adult: PersonFacts = { birthDate: '1990-05-01', sex: 'F', conditions: [], statuses: [], insuredLocally: true, localHukou: true };
const person = (memberId: string, facts: PersonFacts) => ({ memberId, name: '张三', relation: '本人', idNumberMasked: '320481********123X', idHash: `h-${memberId}`, sex: facts.sex, facts });

describe('state machine', () => {
  const table: [AgreementAction, AgreementStatus, AgreementStatus | undefined][] = [
    ['pay', 'pending_payment', 'active'],
    ['pay', 'active', undefined],
    ['pay', 'cancelled', undefined],
    ['pay_renewal', 'pending_payment', 'scheduled'],
    ['expire_unpaid', 'pending_payment', 'cancelled'],
    ['expire_unpaid', 'active', undefined],
    ['cancel', 'pending_payment', 'cancelled'],
    ['late_payment', 'cancelled', 'active'],
    ['late_payment', 'terminated', undefined],
    ['terminate', 'active', 'terminated'],
    ['terminate', 'pending_payment', undefined],
    ['terminate', 'terminated', undefined],
    ['change_team', 'active', 'changed'],
    ['change_team', 'changed', undefined],
    ['cycle_end', 'active', 'expired'],
    ['take_over', 'scheduled', 'active'],
    ['take_over', 'active', undefined],
  ];
  it.each(table)('%s from %s → %s', (action, from, to) => {
    expect(nextStatus(action, from)).toBe(to);
    if (to) expect(assertTransition(action, from)).toBe(to);
    else expect(() => assertTransition(action, from)).toThrow(ConflictError);
  });
});

describe('ageGroupOf (coarse group kept instead of a birth date)', () => {
  it.each([
    [0, 'child_0_6'],
    [6, 'child_0_6'],
    [7, 'minor_7_17'],
    [17, 'minor_7_17'],
    [18, 'adult_18_64'],
    [64, 'adult_18_64'],
    [65, 'elderly_65'],
    [101, 'elderly_65'],
  ])('%i → %s', (age, group) => expect(ageGroupOf(age)).toBe(group));
});

describe('draftAgreement', () => {
  it('a free liyang household is active at once; the basic package carries its promised items', () => {
    const q = quote({ members: [{ memberId: 'a', person: adult, packageCodes: [] }] }, liyang, '2025-03-01');
    const d = draftAgreement({ policy: liyang, quote: q, people: [person('a', adult)], today: '2025-03-01' });
    expect(d).toMatchObject({ status: 'active', signingKind: 'free', residentDueFen: 0, cycle: { start: '2025-03-01', end: '2025-12-31' } });
    expect(d.members[0]!.packages[0]!.items.length).toBeGreaterThan(0);
    expect(d.members[0]!.ageGroup).toBe('adult_18_64');
    expect(d.members[0]!.idHash).toBe('h-a');
  });

  it('a paid liyang 65+ package is pending_payment for the resident share; Q4 signing is for next year (liyang §二(三)2)', () => {
    const q = quote({ members: [{ memberId: 'e', person: elder, packageCodes: ['160000002-c'] }] }, liyang, '2025-11-02');
    const d = draftAgreement({ policy: liyang, quote: q, people: [person('e', elder)], today: '2025-11-02' });
    expect(d).toMatchObject({ status: 'pending_payment', signingKind: 'paid', residentDueFen: 5000, cycle: { start: '2026-01-01', end: '2026-12-31' } });
    const pkg = d.members[0]!.packages.find((p) => p.code === '160000002-c')!;
    expect(pkg.byPayer).toMatchObject({ resident: 5000, insurance_fund: 5000, public_health: 5000 });
    expect(pkg.items.find((i) => i.code === '160000002-c/2')).toMatchObject({ quantity: 1, per: 'year', promisedUnits: 1 });
  });

  it('a renewal continues the previous cycle', () => {
    const q = quote({ members: [{ memberId: 'a', person: adult, packageCodes: [] }] }, liyang, '2025-11-02');
    const d = draftAgreement({ policy: liyang, quote: q, people: [person('a', adult)], today: '2025-11-02', renewal: { previousEnd: '2025-12-31' } });
    expect(d.cycle).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });
});

describe('cycleOnActivation (yongkang 问答05: a paid cycle starts on the day of paying)', () => {
  const base = { signingKind: 'paid' as const, cycleStart: '2025-03-01', cycleEnd: '2026-02-28', createdOn: '2025-03-01', renewal: false, packageCodes: [] };
  it('moves a yongkang paid cycle to the payment date', () => expect(cycleOnActivation(yongkang, base, '2025-03-02')).toEqual({ start: '2025-03-02', end: '2026-03-01' }));
  it('keeps liyang cycles', () => expect(cycleOnActivation(liyang, base, '2025-03-02')).toEqual({ start: '2025-03-01', end: '2026-02-28' }));
  it('keeps renewals', () => expect(cycleOnActivation(yongkang, { ...base, renewal: true }, '2025-03-02')).toEqual({ start: '2025-03-01', end: '2026-02-28' }));
});

describe('unpaid hold', () => {
  const created = '2025-03-01T02:00:00.000Z';
  it('defaults to 30 minutes', () => expect(pendingExpiresAt(created)).toBe('2025-03-01T02:30:00.000Z'));
  it.each([
    ['2025-03-01T02:29:59.999Z', false],
    ['2025-03-01T02:30:00.000Z', true],
    ['2025-03-01T03:00:00.000Z', true],
  ])('at %s expired=%s', (now, expired) => expect(isUnpaidExpired({ status: 'pending_payment', pendingExpiresAt: pendingExpiresAt(created) }, new Date(now))).toBe(expired));
  it('only pending agreements expire', () => expect(isUnpaidExpired({ status: 'active', pendingExpiresAt: created }, new Date('2030-01-01'))).toBe(false));
});

describe('paymentOutcome (the rule for notifications, docs/signing.md)', () => {
  const a = (status: AgreementStatus, endReason?: string) => ({ status, residentDueFen: 5000, ...(endReason && { endReason }) });
  it.each([
    ['SUCCESS', 5000, 'created', a('pending_payment'), 'activate'],
    ['SUCCESS', 5000, 'paid', a('active'), 'duplicate'],
    ['SUCCESS', 5000, 'refunded', a('cancelled', 'unpaid'), 'duplicate'],
    ['SUCCESS', 5000, 'created', a('cancelled', 'unpaid'), 'reactivate_or_refund'],
    ['SUCCESS', 5000, 'created', a('cancelled', 'cancelled_by_resident'), 'refund'],
    ['SUCCESS', 5000, 'created', a('terminated'), 'refund'],
    ['SUCCESS', 1, 'created', a('pending_payment'), 'refund'],
    ['CLOSED', 5000, 'paid', a('active'), 'record_only'],
    ['NOTPAY', 5000, 'created', a('pending_payment'), 'record_only'],
  ] as const)('%s %i on a %s payment of a %o → %s', (tradeState, amountFen, paymentStatus, agreement, outcome) =>
    expect(paymentOutcome({ tradeState, amountFen, paymentStatus, agreement })).toBe(outcome),
  );
});

describe('cycleEndAction (renewalDecision at the end of a cycle)', () => {
  const act = (p: RegionPolicy, signingKind: 'free' | 'paid', today: string, next?: { status: AgreementStatus }, nextAgreementId?: string) =>
    cycleEndAction({ status: 'active', signingKind, cycleStart: '2025-01-01', cycleEnd: '2025-12-31', ...(nextAgreementId && { nextAgreementId }) }, next, p, today);
  it('nothing before the end', () => expect(act(liyang, 'free', '2025-12-31').kind).toBe('none'));
  it('hands over to a confirmed renewal', () => expect(act(liyang, 'paid', '2026-01-01', { status: 'scheduled' }, 'n1')).toEqual({ kind: 'hand_over', nextAgreementId: 'n1' }));
  it('an unpaid renewal does not take over', () => expect(act(liyang, 'paid', '2026-01-01', { status: 'cancelled' }, 'n1').kind).toBe('renew_free'));
  it('liyang free auto-renews', () => expect(act(liyang, 'free', '2026-01-01')).toMatchObject({ kind: 'renew_free', basicOnly: false }));
  it('liyang paid falls back to free basic service', () => expect(act(liyang, 'paid', '2026-01-01')).toMatchObject({ kind: 'renew_free', basicOnly: true }));
  it('zhangjiagang expires', () => expect(act(zhangjiagang, 'paid', '2026-01-01').kind).toBe('expire'));
  it('an agreement no longer active does nothing', () =>
    expect(cycleEndAction({ status: 'terminated', signingKind: 'free', cycleStart: '2025-01-01', cycleEnd: '2025-12-31' }, undefined, liyang, '2026-02-01').kind).toBe('none'));
});

describe('agreementRefund (liyang-2019 §三(二): prepaid fee minus services delivered)', () => {
  const q = quote({ members: [{ memberId: 'e', person: elder, packageCodes: ['160000002-c'] }] }, liyang, '2025-03-01');
  const d = draftAgreement({ policy: liyang, quote: q, people: [person('e', elder)], today: '2025-03-01' });
  const signed = { paidFen: 5000, cycleEnd: d.cycle.end, members: d.members };
  it('refunds everything when nothing was delivered', () => expect(agreementRefund(signed, [], '2025-04-01').refundFen).toBe(5000));
  it('deducts a delivered item, rounding in the resident’s favour', () => {
    const r = agreementRefund(signed, [{ memberId: 'e', packageCode: '160000002-c', itemCode: '160000002-c/2', quantity: 1 }], '2025-04-01');
    expect(r.refundFen).toBeLessThan(5000);
    expect(r.refundFen).toBeGreaterThan(0);
    expect(r.members[0]!.residentPaidFen).toBe(5000);
  });
  it('ignores deliveries of other members and of items without a promised number', () => {
    const r = agreementRefund(
      signed,
      [
        { memberId: 'x', packageCode: '160000002-c', itemCode: '160000002-c/2', quantity: 1 },
        { memberId: 'e', packageCode: '160000002-c', itemCode: '160000002-c/5', quantity: 3 },
      ],
      '2025-04-01',
    );
    expect(r.refundFen).toBe(5000);
  });
  it('nothing to refund when the resident paid nothing or the cycle is over', () => {
    expect(agreementRefund({ ...signed, paidFen: 0 }, [], '2025-04-01').refundFen).toBe(0);
    expect(agreementRefund(signed, [], '2026-01-02').refundFen).toBe(0);
  });
});

describe('ids and shards', () => {
  it('out_trade_no round-trips to the agreement id and fits WeChat Pay (≤ 32 characters)', () => {
    const id = '6ea1e0ea-dd5d-4f88-92f8-03760caededd';
    expect(outTradeNoOf(id)).toHaveLength(32);
    expect(agreementIdOfOutTradeNo(outTradeNoOf(id))).toBe(id);
    expect(agreementIdOfOutTradeNo('JY2025')).toBeUndefined();
  });
  it('shards are stable and cover 0..15', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(shardOf(`agreement-${i}`, 16));
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(shardOf('x', 16)).toBe(shardOf('x', 16));
  });
  it('receivables are every payer but the resident', () => expect(receivableFen({ resident: 5000, insurance_fund: 5000, public_health: 5800 })).toBe(10800));
  it('policyVersion reads back the signed version', () => expect(policyVersion('liyang-2019', liyang.version).version).toBe(liyang.version));
});
