/**
 * Response views of agreements (shared/src/schemas/agreements.ts): no idHash, no birth date, no
 * health condition ever leaves the server. What an agreement allows (`actions`) is the domain's
 * (agreementActions): the same checks the requests are refused with.
 */
import type { LocalDate } from '@jiayi/shared/domain/dates';
import { PAYER_CODES, PAYERS, type Payer, type RegionPolicy } from '@jiayi/shared/domain/policy';
import { agreementActions } from '@jiayi/shared/domain/agreements/state';
import { agreementDocument } from '@jiayi/shared/domain/agreements/document';
import { AGREEMENT_STATUSES, HISTORY_ACTIONS, PAYMENT_STATUSES, type AgreementView, type PaymentView } from '@jiayi/shared/schemas/agreements';
import type { Institution } from '@jiayi/shared/schemas/teams';
import type { AgreementPartition, AgreementRecord, PaymentRecord, ReceivableRecord } from '../db/agreements.repo';
import type { TeamRecord } from '../db/teams.repo';

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
    actions: agreementActions(a, today),
  };
}

/** GET /agreement-text: the agreement text (template) a resident reads before signing. */
export function agreementTextView(policy: RegionPolicy) {
  return agreementDocument(
    { agreementId: null, representativeName: '（签约居民）', members: [], team: { name: '（所选家庭医生团队）', institutionName: '（所属医疗机构）', doctors: [] }, cycle: null, price: null, consent: null },
    policy,
  );
}

/** GET /agreements/{id}/document: the signed agreement as a Chinese document. */
export function agreementDocumentView(a: AgreementRecord, team: TeamRecord | undefined, inst: Institution | undefined, policy: RegionPolicy) {
  return agreementDocument(
    {
      agreementId: a.id,
      status: a.status,
      representativeName: a.representativeName,
      members: a.members,
      team: { name: a.teamName, institutionName: a.institutionName, ...(inst?.phone && { institutionPhone: inst.phone }), doctors: team?.doctors ?? [] },
      cycle: { start: a.cycleStart, end: a.cycleEnd },
      price: { totalFen: a.totalFen, byPayer: a.byPayer, residentDueFen: a.residentDueFen },
      consent: a.consent,
    },
    policy,
  );
}

/** GET /institutions/{id}/receivables: the month's items and their totals per payer and payer group. */
export function receivablesView(institutionId: string, month: string, items: ReceivableRecord[]) {
  const byPayer = amounts({});
  const byPayerGroup: Record<string, number> = {};
  let receivableFen = 0;
  let residentPaidFen = 0;
  for (const r of items) {
    for (const p of PAYER_CODES) byPayer[p] += r.byPayer[p] ?? 0;
    for (const [g, v] of Object.entries(r.byPayerGroup)) byPayerGroup[g] = (byPayerGroup[g] ?? 0) + v;
    receivableFen += r.receivableFen;
    residentPaidFen += r.residentPaidFen;
  }
  return {
    institutionId,
    month,
    items: items.map((r) => ({
      agreementId: r.agreementId,
      teamId: r.teamId,
      activatedAt: r.activatedAt,
      memberCount: r.memberCount,
      byPayer: r.byPayer,
      byPayerGroup: r.byPayerGroup,
      residentPaidFen: r.residentPaidFen,
      receivableFen: r.receivableFen,
    })),
    totals: { byPayer, byPayerGroup, receivableFen, residentPaidFen },
    payerLabels: PAYERS,
  };
}
