/**
 * Clinic console (issue 8): fulfilment progress views, service recording and correction,
 * report assembly. Shared by the staff router (console/handler.ts) and the resident router
 * (progress/handler.ts). Decisions are the pure functions of shared/src/domain/fulfilment.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '@jiayi/shared/domain/errors';
import { localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { agreementProgress, PROGRESS_STATUS_LABELS } from '@jiayi/shared/domain/fulfilment/progress';
import { checkService, entryAlreadyVoided, isReferralItem } from '@jiayi/shared/domain/fulfilment/record';
import { buildMonthlyReport, type Month } from '@jiayi/shared/domain/fulfilment/report';
import { zhangjiagangForm4, zhangjiagangForm5 } from '@jiayi/shared/domain/fulfilment/tables';
import { allPolicies, policyFor, type RegionPolicy } from '@jiayi/shared/domain/policy';
import { AGREEMENT_STATUSES } from '@jiayi/shared/schemas/agreements';
import { EVIDENCE_KINDS, type ProgressResponse, type RecordServiceBody, type ReportResponse, type ServiceEntryView } from '@jiayi/shared/schemas/console';
import type { Institution } from '@jiayi/shared/schemas/teams';
import type { AgreementRecord } from '../db/agreements.repo';
import { correctService, listFulfilment, recordService, sumDelivered, type ServiceRecord } from '../db/fulfilment.repo';
import { getRegister, readReportCounters } from '../db/reports.repo';

/** Statuses in which services can still be recorded: in force, or ended at its cycle end (late entry of the last weeks). */
const RECORDABLE = new Set(['active', 'expired']);

export function entryView(e: ServiceRecord, a: AgreementRecord, rated?: boolean): ServiceEntryView {
  const member = a.members.find((m) => m.memberId === e.memberId);
  const item = member?.packages.find((p) => p.code === e.packageCode)?.items.find((i) => i.code === e.itemCode);
  return {
    entryId: e.entryId,
    memberId: e.memberId,
    memberName: e.memberName ?? member?.name ?? '',
    packageCode: e.packageCode,
    itemCode: e.itemCode,
    itemName: e.itemName ?? item?.name ?? e.itemCode,
    date: e.at.slice(0, 10),
    quantity: e.quantity,
    evidence: e.evidence ? { kind: e.evidence.kind, kindLabel: EVIDENCE_KINDS[e.evidence.kind as keyof typeof EVIDENCE_KINDS] ?? e.evidence.kind, reference: e.evidence.reference } : null,
    staff: { id: e.by, name: e.staffName ?? e.by },
    note: e.note ?? null,
    recordedAt: e.recordedAt ?? e.at,
    voided: e.voided === true,
    voidReason: e.voidReason ?? null,
    voids: e.voids ?? null,
    ...(rated !== undefined && { rated }),
  };
}

export function progressOf(a: AgreementRecord, entries: ServiceRecord[], today: LocalDate, rated?: Set<string>): ProgressResponse {
  const members = agreementProgress(a.members, sumDelivered(entries), { start: a.cycleStart, end: a.cycleEnd }, today);
  return {
    agreementId: a.id,
    status: a.status,
    statusLabel: AGREEMENT_STATUSES[a.status] ?? a.status,
    team: { id: a.teamId, name: a.teamName, institutionName: a.institutionName },
    cycle: { start: a.cycleStart, end: a.cycleEnd },
    today,
    members: members.map((m) => ({
      ...m,
      packages: m.packages.map((p) => ({ ...p, items: p.items.map((i) => ({ ...i, statusLabel: PROGRESS_STATUS_LABELS[i.status] })) })),
    })),
    entries: [...entries]
      .sort((x, y) => (y.at === x.at ? (y.recordedAt ?? '').localeCompare(x.recordedAt ?? '') : y.at.localeCompare(x.at)))
      .map((e) => entryView(e, a, rated ? rated.has(e.entryId) : undefined)),
  };
}

export async function loadLedger(agreementId: string): Promise<ServiceRecord[]> {
  return (await listFulfilment(agreementId)) as ServiceRecord[];
}

function entryIdOf(now: Date): string {
  return `${now.toISOString().replace(/\D/g, '').slice(0, 17)}-${randomUUID().slice(0, 8)}`;
}

/** Validates a service against the agreement (pure checks) and builds the ledger entry. */
function buildEntry(a: AgreementRecord, entries: ServiceRecord[], body: RecordServiceBody, staff: { id: string; name: string }, now: Date, pathPrefix = '', ignoreEntry?: string): ServiceRecord {
  const today = localDateOf(now);
  const member = a.members.find((m) => m.memberId === body.memberId);
  const live = entries.filter((e) => e.entryId !== ignoreEntry);
  const check = checkService({
    member,
    packageCode: body.packageCode,
    itemCode: body.itemCode,
    date: body.date,
    quantity: body.quantity,
    cycle: { start: a.cycleStart, end: a.cycleEnd },
    today,
    alreadyDelivered: (pkg) => sumDelivered(live).find((d) => d.memberId === body.memberId && d.packageCode === pkg && d.itemCode === body.itemCode)?.quantity ?? 0,
  });
  if (!check.ok) throw new ValidationError(check.issues.map((i) => ({ ...i, path: pathPrefix + i.path })));
  return {
    agreementId: a.id,
    entryId: entryIdOf(now),
    memberId: body.memberId,
    packageCode: check.resolved.packageCode,
    itemCode: body.itemCode,
    quantity: body.quantity,
    at: body.date,
    by: staff.id,
    ...(body.note ? { note: body.note } : {}),
    institutionId: a.institutionId,
    teamId: a.teamId,
    memberName: member!.name,
    itemName: check.resolved.item.name,
    evidence: body.evidence,
    staffName: staff.name,
    recordedAt: now.toISOString(),
    referral: isReferralItem(check.resolved.item),
  };
}

function assertRecordable(a: AgreementRecord): void {
  if (!RECORDABLE.has(a.status)) {
    throw new ConflictError('AGREEMENT_NOT_IN_SERVICE', `该协议${AGREEMENT_STATUSES[a.status] ?? ''}，不能登记服务`);
  }
}

export async function recordServiceFor(a: AgreementRecord, body: RecordServiceBody, staff: { id: string; name: string }, now: Date): Promise<{ entry: ServiceRecord; entries: ServiceRecord[] }> {
  assertRecordable(a);
  const entries = await loadLedger(a.id);
  const entry = buildEntry(a, entries, body, staff, now);
  await recordService(entry);
  return { entry, entries: [...entries, entry] };
}

export async function correctServiceFor(
  a: AgreementRecord,
  entryId: string,
  body: { reason: string; replacement?: RecordServiceBody },
  staff: { id: string; name: string },
  now: Date,
): Promise<{ entries: ServiceRecord[]; replacement?: ServiceRecord }> {
  assertRecordable(a);
  const entries = await loadLedger(a.id);
  const old = entries.find((e) => e.entryId === entryId);
  if (!old) throw new NotFoundError('未找到该服务记录', 'ENTRY_NOT_FOUND');
  if (old.voided) throw entryAlreadyVoided();
  const replacement = body.replacement ? { ...buildEntry(a, entries, body.replacement, staff, now, 'replacement.', old.entryId), voids: old.entryId } : undefined;
  await correctService({ old, replacement, by: staff.id, reason: body.reason, at: now.toISOString() });
  const voided = { ...old, voided: true, voidedAt: now.toISOString(), voidedBy: staff.id, voidReason: body.reason };
  return { entries: [...entries.filter((e) => e.entryId !== old.entryId), voided, ...(replacement ? [replacement] : [])], replacement };
}

// ---------------------------------------------------------------- reports

/** The policy a report uses: the region's policy in force at the month's end (else its first version). */
export function reportPolicy(regionId: string, onDate: LocalDate): RegionPolicy | undefined {
  try {
    return policyFor(regionId, onDate);
  } catch {
    return allPolicies().find((p) => p.regionId === regionId);
  }
}

export async function buildReport(inst: Institution, month: Month): Promise<ReportResponse> {
  const [{ rows, itemsRead }, register] = await Promise.all([readReportCounters(inst.id, month), getRegister(inst.id)]);
  const policy = reportPolicy(inst.regionId, `${month}-28`);
  const report = buildMonthlyReport({ month, rows, policy, register: register?.totals });
  return {
    institutionId: inst.id,
    institutionName: inst.name,
    regionId: inst.regionId,
    ...report,
    forms: {
      zjg4: zhangjiagangForm4({ month, rows, institutionName: inst.name }),
      zjg5: zhangjiagangForm5({ month, rows, policy, institutionName: inst.name, register: register?.totals }),
    },
    itemsRead: itemsRead + 1,
  };
}
