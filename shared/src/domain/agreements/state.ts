/**
 * The agreement state machine (docs/signing.md) and what an agreement allows now: pay, renew,
 * terminate, change team. Decided here only: the decisions refuse with these checks' errors and
 * the views show their `ok` (so a button never offers what the server would refuse).
 */
import type { LocalDate } from '../dates';
import { ConflictError } from '../errors';
import { canTerminateEarly, policyVersion, renewalWindow, type RegionPolicy, type TerminationReason } from '../policy';
import type { AgreementStatus } from '../../schemas/agreements';
import type { AgreementRecord } from './record';

export type AgreementAction =
  | 'pay'
  | 'pay_renewal'
  | 'expire_unpaid'
  | 'cancel'
  | 'late_payment'
  | 'terminate'
  | 'change_team'
  | 'renew'
  | 'cycle_end'
  | 'take_over';

/** Allowed transitions: action → from-status → to-status. Anything else is a 409. */
export const TRANSITIONS: Record<AgreementAction, Partial<Record<AgreementStatus, AgreementStatus>>> = {
  pay: { pending_payment: 'active' },
  // A paid renewal waits for the current cycle to end.
  pay_renewal: { pending_payment: 'scheduled' },
  expire_unpaid: { pending_payment: 'cancelled' },
  cancel: { pending_payment: 'cancelled' },
  // A payment for an agreement cancelled as unpaid: re-activated if the places are still free.
  late_payment: { cancelled: 'active' },
  terminate: { active: 'terminated' },
  change_team: { active: 'changed' },
  // The renewal itself is a new agreement; the current one stays active until its cycle ends.
  renew: { active: 'active' },
  cycle_end: { active: 'expired' },
  // A confirmed renewal takes over the places at the end of the previous cycle.
  take_over: { scheduled: 'active' },
};

const ACTION_MESSAGES: Record<AgreementAction, string> = {
  pay: '该协议当前无需支付',
  pay_renewal: '该续约协议当前无需支付',
  expire_unpaid: '该协议不在待支付状态',
  cancel: '只有待支付的协议可以取消',
  late_payment: '该协议无法恢复',
  terminate: '只有生效中的协议可以解约',
  change_team: '只有生效中的协议可以变更团队',
  renew: '只有生效中的协议可以续约',
  cycle_end: '该协议不在生效状态',
  take_over: '该续约协议不在待生效状态',
};

export function nextStatus(action: AgreementAction, from: AgreementStatus): AgreementStatus | undefined {
  return TRANSITIONS[action][from];
}

/** The status after `action`, or ConflictError (409, AGREEMENT_STATE) with a Chinese message. */
export function assertTransition(action: AgreementAction, from: AgreementStatus): AgreementStatus {
  const to = nextStatus(action, from);
  if (!to) throw new ConflictError('AGREEMENT_STATE', ACTION_MESSAGES[action]);
  return to;
}

/** Statuses in which the agreement's members hold places (sign locks + team counter). */
export const HOLDS_PLACES: readonly AgreementStatus[] = ['pending_payment', 'active'];

/**
 * Whether the agreement's members hold places now: an active agreement always (a renewal that
 * took over holds them too), an unpaid one unless it is a renewal (it waits for its predecessor's).
 */
export function holdsPlaces(a: Pick<AgreementRecord, 'status' | 'origin'>): boolean {
  return HOLDS_PLACES.includes(a.status) && (a.status === 'active' || a.origin !== 'renewal');
}

// ---------------------------------------------------------------- what an agreement allows

/** A check's answer: allowed, or the refusal a request would get. */
export type Check = { ok: true } | { ok: false; error: ConflictError };

const OK: Check = { ok: true };
const no = (code: string, message: string, fields: ConflictError['fields'] = []): Check => ({ ok: false, error: new ConflictError(code, message, fields) });

function transition(action: AgreementAction, from: AgreementStatus): Check {
  return nextStatus(action, from) ? OK : no('AGREEMENT_STATE', ACTION_MESSAGES[action]);
}

/** Throws the refusal of a check. */
export function assertAllowed(c: Check): void {
  if (!c.ok) throw c.error;
}

/** The transition a payment of this agreement makes (a renewal's waits for its cycle). */
export function payAction(a: Pick<AgreementRecord, 'origin'>): AgreementAction {
  return a.origin === 'renewal' ? 'pay_renewal' : 'pay';
}

export function canPay(a: Pick<AgreementRecord, 'status' | 'origin'>): Check {
  return transition(payAction(a), a.status);
}

/** Renewal: an active agreement not yet renewed, within the policy's renewal window (none: until the cycle ends). */
export function canRenew(a: Pick<AgreementRecord, 'status' | 'nextAgreementId' | 'cycleStart' | 'cycleEnd'>, policy: RegionPolicy, today: LocalDate): Check {
  const t = transition('renew', a.status);
  if (!t.ok) return t;
  if (a.nextAgreementId) return no('ALREADY_RENEWED', '该协议已办理续约');
  const window = renewalWindow(policy, { start: a.cycleStart, end: a.cycleEnd });
  if (today > a.cycleEnd || (window && (today < window.start || today > window.end))) {
    return no('RENEWAL_WINDOW_CLOSED', window ? `续约办理时间为${window.start}至${window.end}` : '服务周期已结束，请重新签约');
  }
  return OK;
}

/**
 * Early termination of an active agreement with no renewal pending, for `reason` where the policy
 * allows it (canTerminateEarly); without a reason: whether the policy allows it for any reason.
 */
export function canTerminate(a: Pick<AgreementRecord, 'status' | 'nextAgreementId'>, policy: RegionPolicy, reason?: TerminationReason): Check {
  const t = transition('terminate', a.status);
  if (!t.ok) return t;
  if (a.nextAgreementId) return no('RENEWAL_IN_PROGRESS', '该协议已办理续约，请联系签约机构办理解约');
  if (reason === undefined) {
    const rule = policy.termination;
    return rule.early === 'allowed' || rule.allowedReasons.length > 0 ? OK : no('TERMINATION_NOT_ALLOWED', rule.text);
  }
  const check = canTerminateEarly(policy, reason);
  return check.allowed ? OK : no('TERMINATION_NOT_ALLOWED', check.message, [{ path: 'reason', message: check.message }]);
}

/** A change of team: an active agreement with no renewal pending (the new team is checked when it is chosen). */
export function canChangeTeam(a: Pick<AgreementRecord, 'status' | 'nextAgreementId'>): Check {
  const t = transition('change_team', a.status);
  if (!t.ok) return t;
  if (a.nextAgreementId) return no('RENEWAL_IN_PROGRESS', '该协议已办理续约，请在新服务周期开始后再变更团队');
  return OK;
}

export interface AgreementActions {
  pay: boolean;
  terminate: boolean;
  changeTeam: boolean;
  renew: boolean;
  document: boolean;
}

/** What the agreement view offers today (the same checks the requests are refused with). */
export function agreementActions(a: AgreementRecord, today: LocalDate): AgreementActions {
  let policy: RegionPolicy | undefined;
  try {
    policy = policyVersion(a.regionId, a.policyVersion);
  } catch {
    policy = undefined;
  }
  return {
    pay: canPay(a).ok,
    terminate: !!policy && canTerminate(a, policy).ok,
    changeTeam: canChangeTeam(a).ok,
    renew: !!policy && canRenew(a, policy, today).ok,
    document: true,
  };
}
