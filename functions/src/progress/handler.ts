/**
 * The resident's side of fulfilment (GitHub issue 8):
 *
 *   GET  /me/agreements/{id}/progress   what was promised vs delivered ("面对面随访 已完成 2/4 次")
 *   POST /me/ratings                    rate an attended appointment or a recorded service (1–5)
 *   POST /me/complaints                 a complaint about the caller's team → institution admin
 *   GET  /me/complaints                 the household's complaints and their replies
 *   GET  /me/access-log                 which staff read the household's sensitive data
 *
 * Only the household's own agreements: another household's agreement id answers 404.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@jiayi/shared/domain/errors';
import { localDateOf } from '@jiayi/shared/domain/dates';
import { STAFF_ROLES } from '@jiayi/shared/schemas/staff';
import { agreementParams, complaintBody, ratingBody } from '@jiayi/shared/schemas/console';
import { reply, route, router } from '../http/with-http';
import { getAgreement, type AgreementRecord } from '../db/agreements.repo';
import { getAppointment } from '../db/appointments.repo';
import { listAccessFor } from '../db/access-log.repo';
import { getStaff } from '../db/staff.repo';
import { complaintView } from '../console/complaint-view';
import { complaintId, fileComplaint, listComplaintsForAccount, putRating, ratedTargets } from '../db/reports.repo';
import { loadLedger, progressOf } from '../console/service';

async function ownAgreement(accountId: string, id: string): Promise<AgreementRecord> {
  const a = await getAgreement(id);
  if (!a || a.accountId !== accountId) throw new NotFoundError('未找到该签约协议', 'AGREEMENT_NOT_FOUND');
  return a;
}

/** Access-log field codes in words a resident understands. */
const FIELD_LABELS: Record<string, string> = {
  'agreement.packages': '签约服务包',
  fulfilment: '履约服务记录',
  'appointment.memberName': '预约人姓名',
  'appointment.reason': '预约事由',
  'member.idNumber': '身份证号码',
  'member.conditions': '健康状况',
  'push.tips': '健康知识推送记录',
  'member.consents': '授权记录',
  'member.insurance': '参保情况',
};

export const handler = router({
  'GET /me/agreements/{id}/progress': route({ auth: 'resident', params: agreementParams }, async ({ params, principal, now }) => {
    const a = await ownAgreement(principal.sub, params.id);
    const entries = await loadLedger(a.id);
    const rated = await ratedTargets(
      'service',
      entries.filter((e) => !e.voided).slice(-100).map((e) => `${a.id}_${e.entryId}`),
    );
    const ratedEntries = new Set([...rated].map((t) => t.slice(a.id.length + 1)));
    return progressOf(a, entries, localDateOf(now), ratedEntries);
  }),

  'POST /me/ratings': route({ auth: 'resident', body: ratingBody }, async ({ body, principal, now }) => {
    let target: { kind: 'appointment' | 'service'; targetId: string; agreementId: string; institutionId: string; teamId: string };
    if (body.target.kind === 'appointment') {
      const appt = await getAppointment(principal.sub, body.target.appointmentId);
      if (!appt) throw new NotFoundError('未找到该预约', 'APPOINTMENT_NOT_FOUND');
      if (appt.status !== 'attended') throw new ConflictError('NOT_ATTENDED', '就诊后才能评价该预约');
      target = { kind: 'appointment', targetId: appt.id, agreementId: appt.agreementId, institutionId: appt.institutionId, teamId: appt.teamId };
    } else {
      const a = await ownAgreement(principal.sub, body.target.agreementId);
      const entryId = body.target.entryId;
      const entry = (await loadLedger(a.id)).find((e) => e.entryId === entryId);
      if (!entry) throw new NotFoundError('未找到该服务记录', 'ENTRY_NOT_FOUND');
      if (entry.voided) throw new ConflictError('ENTRY_VOIDED', '该服务记录已作废，不能评价');
      target = { kind: 'service', targetId: `${a.id}_${entry.entryId}`, agreementId: a.id, institutionId: entry.institutionId ?? a.institutionId, teamId: entry.teamId ?? a.teamId };
    }
    const at = now.toISOString();
    const id = randomUUID();
    const ok = await putRating({ id, ...target, accountId: principal.sub, score: body.score, ...(body.comment ? { comment: body.comment } : {}), at }, localDateOf(now).slice(0, 7));
    if (!ok) throw new ConflictError('ALREADY_RATED', '您已评价过，感谢您的反馈');
    return reply(201, { id, score: body.score, comment: body.comment ?? null, at });
  }),

  'POST /me/complaints': route({ auth: 'resident', body: complaintBody }, async ({ body, principal, now }) => {
    const a = await ownAgreement(principal.sub, body.agreementId);
    const c = {
      id: complaintId(now, randomUUID()),
      institutionId: a.institutionId,
      accountId: principal.sub,
      agreementId: a.id,
      teamId: a.teamId,
      teamName: a.teamName,
      category: body.category,
      content: body.content,
      residentName: a.representativeName,
      status: 'open' as const,
      filedAt: now.toISOString(),
    };
    await fileComplaint(c, localDateOf(now).slice(0, 7));
    return reply(201, { ...complaintView(c), institutionName: a.institutionName });
  }),

  'GET /me/complaints': route({ auth: 'resident' }, async ({ principal }) => ({ complaints: (await listComplaintsForAccount(principal.sub)).map(complaintView) })),

  'GET /me/access-log': route({ auth: 'resident' }, async ({ principal }) => {
    const entries = await listAccessFor(principal.sub);
    const names = new Map<string, string>();
    await Promise.all(
      [...new Set(entries.map((e) => e.staffId))].map(async (id) => {
        const s = await getStaff(id);
        names.set(id, s?.name ?? '工作人员');
      }),
    );
    return {
      entries: entries.map((e) => ({
        at: e.at,
        staffName: names.get(e.staffId) ?? '工作人员',
        roleName: STAFF_ROLES[e.role as keyof typeof STAFF_ROLES] ?? '工作人员',
        memberId: e.memberId ?? null,
        what: e.fields.map((f) => FIELD_LABELS[f] ?? f).join('、'),
        purpose: e.purpose,
      })),
    };
  }),
});

