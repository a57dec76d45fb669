/**
 * Response views of agreements (shared/src/schemas/agreements.ts): no idHash, no birth date, no
 * health condition ever leaves the server.
 */
import type { LocalDate } from '@jiayi/shared/domain/dates';
import { renewalWindow, policyVersion, PAYER_CODES, type Payer } from '@jiayi/shared/domain/policy';
import { AGREEMENT_STATUSES, HISTORY_ACTIONS, PAYMENT_STATUSES, type AgreementView, type PaymentView } from '@jiayi/shared/schemas/agreements';
import type { AgreementPartition, AgreementRecord, PaymentRecord } from '../db/agreements.repo';

function paymentView(p: PaymentRecord): PaymentView {
  return {
    outTradeNo: p.outTradeNo,
    amountFen: p.amountFen,
    status: p.status,
    statusLabel: PAYMENT_STATUSES[p.status],
    transactionId: p.transactionId ?? null,
    paidAt: p.paidAt ?? null,
    refundedFen: p.refundedFen,
    history: p.history,
  };
}

function amounts(r: Record<string, number>): Record<Payer, number> {
  return Object.fromEntries(PAYER_CODES.map((p) => [p, r[p] ?? 0])) as Record<Payer, number>;
}

function canRenew(a: AgreementRecord, today: LocalDate): boolean {
  if (a.status !== 'active' || a.nextAgreementId || today > a.cycleEnd) return false;
  try {
    const w = renewalWindow(policyVersion(a.regionId, a.policyVersion), { start: a.cycleStart, end: a.cycleEnd });
    return !w || (today >= w.start && today <= w.end);
  } catch {
    return false;
  }
}

function canTerminate(a: AgreementRecord): boolean {
  if (a.status !== 'active' || a.nextAgreementId) return false;
  try {
    const t = policyVersion(a.regionId, a.policyVersion).termination;
    return t.early === 'allowed' || t.allowedReasons.length > 0;
  } catch {
    return false;
  }
}

export function agreementView(p: AgreementPartition | { agreement: AgreementRecord; payments?: PaymentRecord[]; refunds?: AgreementPartition['refunds'] }, today: LocalDate): AgreementView {
  const a = p.agreement;
  return {
    id: a.id,
    status: a.status,
    statusLabel: AGREEMENT_STATUSES[a.status],
    regionId: a.regionId as AgreementView['regionId'],
    policyVersion: a.policyVersion,
    signingKind: a.signingKind,
    team: { id: a.teamId, name: a.teamName, institutionId: a.institutionId, institutionName: a.institutionName },
    representative: { accountId: a.accountId, name: a.representativeName },
    cycle: { start: a.cycleStart, end: a.cycleEnd },
    members: a.members.map((m) => ({
      memberId: m.memberId,
      name: m.name,
      relation: m.relation,
      idNumberMasked: m.idNumberMasked,
      sex: m.sex,
      ageGroup: m.ageGroup,
      signingKind: m.signingKind,
      packages: m.packages,
      byPayer: amounts(m.byPayer),
      totalFen: m.totalFen,
    })),
    price: { totalFen: a.totalFen, byPayer: amounts(a.byPayer), byPayerGroup: a.byPayerGroup, residentDueFen: a.residentDueFen },
    consent: a.consent,
    pendingExpiresAt: a.status === 'pending_payment' ? (a.pendingExpiresAt ?? null) : null,
    payments: (p.payments ?? []).map(paymentView),
    refunds: (p.refunds ?? []).map((r) => ({ outRefundNo: r.outRefundNo, amountFen: r.amountFen, status: r.status, reason: r.reason, at: r.at })),
    history: a.history.map((h) => ({ ...h, actionLabel: HISTORY_ACTIONS[h.action] ?? h.action })),
    previousAgreementId: a.previousAgreementId ?? null,
    nextAgreementId: a.nextAgreementId ?? null,
    createdAt: a.createdAt,
    activatedAt: a.activatedAt ?? null,
    endedAt: a.endedAt ?? null,
    actions: {
      pay: a.status === 'pending_payment',
      terminate: canTerminate(a),
      changeTeam: a.status === 'active' && !a.nextAgreementId,
      renew: canRenew(a, today),
      document: true,
    },
  };
}
