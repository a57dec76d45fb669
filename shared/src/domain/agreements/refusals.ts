/**
 * What signing answers when a rule says no: the typed domain errors and their Chinese messages,
 * in one place. Decisions throw them before any write; plans return them when a transaction's
 * condition decides (team full, person already signed).
 */
import { ConflictError, NotFoundError } from '../errors';

export const TEAM_FULL_MESSAGE = '团队已满，请选择其他家庭医生团队';
export const ALREADY_SIGNED_MESSAGE = '已有生效或待支付的签约';

export function teamFullError(): ConflictError {
  return new ConflictError('TEAM_FULL', TEAM_FULL_MESSAGE, [{ path: 'teamId', message: TEAM_FULL_MESSAGE }]);
}

/** A member holds another current agreement (sign lock). `heldBy` lets signing expire an unpaid holder lazily. */
export class PersonLocked extends ConflictError {
  constructor(
    readonly memberIndex: number,
    readonly memberName: string,
    readonly heldBy: string | undefined,
  ) {
    super('ALREADY_SIGNED', `${memberName}${ALREADY_SIGNED_MESSAGE}，不能重复签约`, [
      { path: `members.${memberIndex}.memberId`, message: `${memberName}${ALREADY_SIGNED_MESSAGE}` },
    ]);
  }
}

export function agreementNotFound(): NotFoundError {
  return new NotFoundError('未找到该签约协议', 'AGREEMENT_NOT_FOUND');
}

export function teamNotFound(): NotFoundError {
  return new NotFoundError('未找到该家庭医生团队', 'TEAM_NOT_FOUND');
}

export function idempotencyKeyReused(): ConflictError {
  return new ConflictError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一份签约申请，请刷新后重试', [{ path: 'idempotencyKey', message: '请求编号已被使用' }]);
}

export function agreementTextOutdated(): ConflictError {
  const msg = '签约协议文本已更新，请重新阅读后再签约';
  return new ConflictError('AGREEMENT_TEXT_OUTDATED', msg, [{ path: 'agreementTextVersion', message: msg }]);
}

/** A renewal whose predecessor moved meanwhile: not retried (the resident decides again). */
export function agreementStateChanged(): ConflictError {
  return new ConflictError('AGREEMENT_STATE', '协议状态已变化，请刷新后重试');
}

export function paymentBusy(): ConflictError {
  return new ConflictError('PAYMENT_BUSY', '支付处理繁忙，请稍后重试');
}

export function payerUnknown(): ConflictError {
  return new ConflictError('PAYER_UNKNOWN', '未获取到微信支付身份，请重新登录后再支付');
}
