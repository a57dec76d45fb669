/**
 * Agreement lifecycle (docs/signing.md has the state machine):
 * - pending_payment: signed, the resident owes money; places are held until `pendingExpiresAt`.
 * - active: in force (paid, or nothing to pay). Holds the members' places in the team.
 * - scheduled: a confirmed renewal for the next cycle; takes over the places when the current
 *   cycle ends (it holds no places of its own before that).
 * - expired: the cycle ended without renewal.
 * - terminated: ended early (termination reason, refund).
 * - cancelled: never took effect (unpaid in time, or a renewal that was not paid).
 * - changed: replaced by an agreement with another team (change of team).
 */
export const AGREEMENT_STATUSES = {
  pending_payment: '待支付',
  active: '生效中',
  scheduled: '已续约（待生效）',
  expired: '已到期',
  terminated: '已解约',
  cancelled: '已取消',
  changed: '已变更团队',
} as const;
export type AgreementStatus = keyof typeof AGREEMENT_STATUSES;
