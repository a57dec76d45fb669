/**
 * Service cycles, renewal and termination. Pure: `today` is always a parameter.
 */
import { addDays, addMonths, addYears, isLeapYear, isLocalDate, makeDate, maxDate, parts, type LocalDate } from '../dates';
import { ValidationError } from '../errors';
import { TERMINATION_REASONS, type RegionPolicy, type TerminationReason } from './types';

export interface Cycle {
  start: LocalDate;
  end: LocalDate;
}

export interface CycleInput {
  signedOn: LocalDate;
  /** yongkang paid signing: the date of paying + social-security-card registration. */
  paidOn?: LocalDate;
  kind: 'free' | 'paid';
  isRenewal?: boolean;
  /** Required for a renewal: the last day of the cycle being renewed. */
  previousEnd?: LocalDate;
  /** Renewal term where the policy offers several (weihai: 1, 2 or 3 years). */
  termYears?: number;
  /** Packages signed; a package with a fixed end (zhangjiagang 附件3) caps the cycle. */
  packageCodes?: string[];
}

function check(d: LocalDate | undefined, path: string): void {
  if (d !== undefined && !isLocalDate(d)) throw new ValidationError({ path, message: '日期格式应为 YYYY-MM-DD' });
}

/**
 * The same day `years` later; a 29 Feb start's anniversary in a common year is 1 Mar
 * (so a one-year cycle from 2024-02-29 ends 2025-02-28), matching dates.ageOn.
 */
export function anniversary(d: LocalDate, years: number): LocalDate {
  const { year, month, day } = parts(d);
  if (month === 2 && day === 29 && !isLeapYear(year + years)) return makeDate(year + years, 3, 1);
  return addYears(d, years);
}

/** A cycle of whole years starting on `start`, ending the day before the anniversary. */
export function yearsFrom(start: LocalDate, years: number): Cycle {
  return { start, end: addDays(anniversary(start, years), -1) };
}

export function serviceCycle(policy: RegionPolicy, input: CycleInput): Cycle {
  check(input.signedOn, 'signedOn');
  check(input.paidOn, 'paidOn');
  check(input.previousEnd, 'previousEnd');
  if (input.isRenewal && !input.previousEnd) throw new ValidationError({ path: 'previousEnd', message: '续约须提供上一服务周期的截止日期' });

  const rule = policy.cycle;
  let cycle: Cycle;
  if (rule.kind === 'calendar_year') {
    if (input.isRenewal) {
      // liyang-2019 §二(三)2: 以每年1月1日至12月31日为一个服务周期.
      const start = addDays(input.previousEnd!, 1);
      cycle = { start, end: makeDate(parts(start).year, 12, 31) };
    } else {
      const signed = input.signedOn;
      const { year, month } = parts(signed);
      if (signed >= rule.firstCycle.signedFrom && signed <= rule.firstCycle.signedTo) {
        // 2019年自签约之日起至2020年12月31日，为一个服务周期.
        cycle = { start: signed, end: rule.firstCycle.end };
      } else if (month >= rule.advanceSigningFromMonth) {
        // 此后在每年第四季度集中签订下一年度的家庭医生签约服务协议.
        cycle = { start: makeDate(year + 1, 1, 1), end: makeDate(year + 1, 12, 31) };
      } else {
        // Outside Q4 the resident joins the current calendar-year cycle (docs/decisions.md).
        cycle = { start: signed, end: makeDate(year, 12, 31) };
      }
    }
  } else {
    let years: number;
    let start: LocalDate;
    if (input.isRenewal) {
      years = input.termYears ?? rule.renewalTermYears[0]!;
      if (!rule.renewalTermYears.includes(years)) {
        throw new ValidationError({ path: 'termYears', message: `续约期限只能为${rule.renewalTermYears.join('、')}年` });
      }
      start = addDays(input.previousEnd!, 1);
    } else {
      years = input.termYears ?? rule.firstTermYears;
      if (years !== rule.firstTermYears) {
        throw new ValidationError({ path: 'termYears', message: `首次签约服务期为${rule.firstTermYears}年` });
      }
      if (input.kind === 'paid' && rule.paidStartsOnPayment) {
        // yongkang 问答05: 收费签约以…交纳自负费用、刷社会保障卡登记成功的日期开始计算签约服务周期.
        if (!input.paidOn) throw new ValidationError({ path: 'paidOn', message: '收费签约须提供交费并刷社会保障卡登记的日期' });
        start = maxDate(input.signedOn, input.paidOn);
      } else {
        start = input.signedOn;
      }
    }
    cycle = yearsFrom(start, years);
  }

  for (const code of input.packageCodes ?? []) {
    const end = policy.packages.find((p) => p.code === code)?.fixedCycleEnd;
    if (!end) continue;
    if (cycle.start > end) throw new ValidationError({ path: 'signedOn', message: `该服务的约定服务期已于${end}结束` });
    if (end < cycle.end) cycle = { start: cycle.start, end };
  }
  return cycle;
}

/** When the resident may renew, or null where the seed sets no window (renew any time before expiry). */
export function renewalWindow(policy: RegionPolicy, cycle: Cycle): Cycle | null {
  const w = policy.renewal.window;
  if (!w) return null;
  if (w.kind === 'months_before_end') {
    // yongkang: 续签可在该周期期满前1个月内交费.
    return { start: maxDate(cycle.start, addMonths(addDays(cycle.end, 1), -w.months)), end: cycle.end };
  }
  // liyang: 每年第四季度集中签订下一年度协议.
  const y = parts(cycle.end).year;
  return { start: maxDate(cycle.start, makeDate(y, 10, 1)), end: makeDate(y, 12, 31) };
}

export interface AgreementState {
  kind: 'free' | 'paid';
  cycle: Cycle;
  /** The resident asked to renew (paid renewal: the day paid and registered). */
  renewalRequestedOn?: LocalDate;
  /** Renewal term chosen (weihai 1–3 years). */
  renewalTermYears?: number;
  /** liyang: the resident asked for a change or termination (no automatic renewal). */
  changeRequested?: boolean;
  terminationRequested?: boolean;
  /** yongkang: 停止参加基本医疗保险 ends the paid benefits. */
  insuredLocally?: boolean;
}

export type RenewalAction = 'none' | 'renew' | 'auto_renew' | 'fall_back_to_free' | 'expire';

export interface RenewalDecision {
  action: RenewalAction;
  inRenewalWindow: boolean;
  /** The agreement's next cycle (for renew, auto_renew and fall_back_to_free). */
  nextCycle: Cycle | null;
  /** The agreement kind after the decision. */
  nextKind: 'free' | 'paid' | null;
  /** Chinese. */
  reason: string;
}

function within(d: LocalDate, c: Cycle): boolean {
  return d >= c.start && d <= c.end;
}

/**
 * What happens to an agreement at the end of its cycle. Before the end the action is 'none'
 * (and `inRenewalWindow` tells the UI to invite renewal).
 */
export function renewalDecision(agreement: AgreementState, policy: RegionPolicy, today: LocalDate): RenewalDecision {
  check(today, 'today');
  const { cycle } = agreement;
  const window = renewalWindow(policy, cycle);
  const inRenewalWindow = today <= cycle.end && (window ? within(today, window) : true);
  const renewalValid =
    agreement.renewalRequestedOn !== undefined &&
    agreement.renewalRequestedOn <= cycle.end &&
    (window === null || within(agreement.renewalRequestedOn, window));
  const lostInsurance = agreement.kind === 'paid' && agreement.insuredLocally === false && policy.renewal.paid === 'fall_back_to_free';

  if (today <= cycle.end) {
    return {
      action: 'none',
      inRenewalWindow,
      nextCycle: null,
      nextKind: null,
      reason: agreement.terminationRequested ? '已申请解约，服务周期结束后协议终止' : inRenewalWindow && window ? '服务周期内，现可办理续约' : '服务周期内',
    };
  }
  const next = (kind: 'free' | 'paid', termYears?: number): Cycle =>
    serviceCycle(policy, { kind, signedOn: addDays(cycle.end, 1), isRenewal: true, previousEnd: cycle.end, ...(termYears !== undefined && { termYears }) });

  if (agreement.terminationRequested) {
    return { action: 'expire', inRenewalWindow: false, nextCycle: null, nextKind: null, reason: '居民已申请解约，协议到期终止' };
  }
  if (lostInsurance) {
    return {
      action: 'fall_back_to_free',
      inRenewalWindow: false,
      nextCycle: next('free'),
      nextKind: 'free',
      reason: '停止参加基本医疗保险，收费签约自动转为不收费签约，只享受基本型服务',
    };
  }
  if (renewalValid) {
    return {
      action: 'renew',
      inRenewalWindow: false,
      nextCycle: next(agreement.kind, agreement.renewalTermYears),
      nextKind: agreement.kind,
      reason: '已在续约期内办理续约',
    };
  }
  if (agreement.kind === 'free') {
    if (policy.renewal.free === 'auto_renew' && !agreement.changeRequested) {
      return { action: 'auto_renew', inRenewalWindow: false, nextCycle: next('free'), nextKind: 'free', reason: '无偿（不收费）签约期满，居民未提出变更或解约，自动续约一年' };
    }
    return { action: 'expire', inRenewalWindow: false, nextCycle: null, nextKind: null, reason: '协议期满，未办理续约' };
  }
  if (policy.renewal.paid === 'fall_back_to_free') {
    return {
      action: 'fall_back_to_free',
      inRenewalWindow: false,
      nextCycle: next('free'),
      nextKind: 'free',
      reason: '收费（有偿）签约期满未续签，转为不收费签约，只享受基本服务',
    };
  }
  return { action: 'expire', inRenewalWindow: false, nextCycle: null, nextKind: null, reason: '协议期满，未办理续约' };
}

export interface TerminationCheck {
  allowed: boolean;
  requiresVerification: boolean;
  refund: RegionPolicy['termination']['refund'];
  /** Chinese. */
  message: string;
}

export const TERMINATION_REASON_CODES = Object.keys(TERMINATION_REASONS) as TerminationReason[];

export function canTerminateEarly(policy: RegionPolicy, reason: TerminationReason): TerminationCheck {
  const t = policy.termination;
  if (!(reason in TERMINATION_REASONS)) throw new ValidationError({ path: 'reason', message: '解约原因无效' });
  const allowed = t.early === 'allowed' || t.allowedReasons.includes(reason);
  return {
    allowed,
    requiresVerification: t.requiresVerification,
    refund: t.refund,
    message: allowed ? t.text : `${t.text}（“${TERMINATION_REASONS[reason]}”不属于可提前解约的情形）`,
  };
}
