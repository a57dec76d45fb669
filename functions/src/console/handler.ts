/**
 * Clinic console routes (GitHub issue 8), staff only, each scoped with assertStaffCovers:
 *
 *   GET  /teams/{id}/due                          the team's signed residents with what is due
 *   GET  /agreements/{id}/services                one agreement's ledger and progress
 *   POST /agreements/{id}/services                record a delivered service
 *   POST /agreements/{id}/services/{entryId}/correct   void an entry (+ the corrected one)
 *   GET  /institutions/{id}/reports?month=        monthly report (counters only)
 *   GET  /institutions/{id}/reports/export?month=&form=&format=   CSV / XLSX download
 *   GET|POST /institutions/{id}/population-register   denominators (CSV, all-or-nothing)
 *   GET  /institutions/{id}/complaints            complaints inbox
 *   POST /institutions/{id}/complaints/{complaintId}/handle   reply and mark handled
 *
 * Every response that shows a resident's packages or services is a read of sensitive data
 * (package codes imply health conditions): recordAccess() first.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '@jiayi/shared/domain/errors';
import { localDateOf } from '@jiayi/shared/domain/dates';
import { parseRegister } from '@jiayi/shared/domain/fulfilment/register';
import { summaryTable, tableToCsv, type ReportTable } from '@jiayi/shared/domain/fulfilment/tables';
import {
  agreementParams,
  complaintParams,
  complaintsQuery,
  correctServiceBody,
  entryParams,
  exportQuery,
  handleComplaintBody,
  institutionParams,
  recordServiceBody,
  registerJsonBody,
  REPORT_FORMS,
  reportQuery,
  teamDueQuery,
  teamParams,
} from '@jiayi/shared/schemas/console';
import { parseBody, reply, route, router, type AuthedRequest } from '../http/with-http';
import type { Principal } from '../http/auth';
import { assertStaffCovers } from '../http/scope';
import { getAgreement, listAgreementsForTeam, type AgreementRecord } from '../db/agreements.repo';
import { decodeCursor, encodeCursor } from '../db/query';
import { recordAccess } from '../db/access-log.repo';
import { getStaff } from '../db/staff.repo';
import { getInstitution, getTeam } from '../db/teams.repo';
import { getComplaint, getRegister, handleComplaint, listComplaints, putRegister } from '../db/reports.repo';
import { complaintView } from './complaint-view';
import { xlsx } from '../lib/xlsx';
import { buildReport, correctServiceFor, loadLedger, progressOf, recordServiceFor } from './service';

const RECORDERS = ['team_doctor', 'team_assistant', 'institution_admin'];
const ADMINS = ['institution_admin', 'region_admin'];

async function staffOf(p: Principal): Promise<{ id: string; name: string }> {
  const s = await getStaff(p.sub);
  if (!s) throw new UnauthorizedError('账号不存在或已停用', 'STAFF_GONE');
  return { id: s.id, name: s.name };
}

async function agreementInScope(p: Principal, id: string): Promise<AgreementRecord> {
  const a = await getAgreement(id);
  if (!a) throw new NotFoundError('未找到该签约协议', 'AGREEMENT_NOT_FOUND');
  assertStaffCovers(p, { teamId: a.teamId, institutionId: a.institutionId, regionId: a.regionId });
  return a;
}

async function institutionInScope(p: Principal, id: string) {
  const inst = await getInstitution(id);
  if (!inst) throw new NotFoundError('未找到该医疗机构', 'INSTITUTION_NOT_FOUND');
  assertStaffCovers(p, { institutionId: inst.id, regionId: inst.regionId });
  return inst;
}

function logRead(p: Principal, a: AgreementRecord, fields: string[], purpose: string, at: string) {
  return recordAccess({ staffId: p.sub, role: p.role ?? '', subjectAccountId: a.accountId, fields, purpose, at });
}


/** Marker header: the wrapper below turns `{ base64 }` into a binary download. */
const FILE_HEADER = 'x-jiayi-file';

function fileResult(name: string, contentType: string, data: Buffer) {
  return reply(200, { base64: data.toString('base64') }, { [FILE_HEADER]: '1', 'content-type': contentType, 'content-disposition': `attachment; filename="report.${name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(name)}` });
}

function tableRows(t: ReportTable): (string | number | null)[][] {
  return [[t.title], ...t.caption.map((c) => [c]), ...t.header, ...t.rows, [], ...t.notes.map((n) => [n])];
}

function registerCsv(req: AuthedRequest<unknown, unknown, unknown>): string {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('text/csv') || type.startsWith('text/plain')) return req.rawBody;
  return parseBody(registerJsonBody, req.rawBody, '请求内容不是有效的 JSON；上传CSV文件请使用 Content-Type: text/csv').csv;
}

const api = router({
  'GET /teams/{id}/due': route({ auth: 'staff', params: teamParams, query: teamDueQuery }, async ({ params, query, principal, now }) => {
    const team = await getTeam(params.id);
    if (!team) throw new NotFoundError('未找到该团队', 'TEAM_NOT_FOUND');
    assertStaffCovers(principal, { teamId: team.id, institutionId: team.institutionId, regionId: team.regionId });
    const today = localDateOf(now);
    const page = await listAgreementsForTeam(team.id, { status: 'active', cursor: query.cursor, limit: query.limit });
    const at = now.toISOString();
    const residents = await Promise.all(
      page.items.map(async (a) => {
        const [entries] = await Promise.all([loadLedger(a.id), logRead(principal, a, ['agreement.packages', 'fulfilment'], '履约跟踪：团队待办服务', at)]);
        const p = progressOf(a, entries, today);
        return {
          agreementId: a.id,
          representativeName: a.representativeName,
          cycle: p.cycle,
          members: p.members.map((m) => ({
            memberId: m.memberId,
            name: m.name,
            dueCount: m.dueCount,
            overdueCount: m.overdueCount,
            due: m.packages.flatMap((pk) =>
              pk.items
                .filter((i) => i.status === 'due_soon' || i.status === 'overdue')
                .map((i) => ({ packageCode: pk.code, itemCode: i.itemCode, name: i.name, label: i.label, status: i.status, nextDueBy: i.nextDueBy })),
            ),
          })),
        };
      }),
    );
    return {
      teamId: team.id,
      today,
      residents: query.filter === 'due' ? residents.filter((r) => r.members.some((m) => m.dueCount > 0)) : residents,
      cursor: page.cursor ?? null,
    };
  }),

  'GET /agreements/{id}/services': route({ auth: 'staff', params: agreementParams }, async ({ params, principal, now }) => {
    const a = await agreementInScope(principal, params.id);
    await logRead(principal, a, ['agreement.packages', 'fulfilment'], '履约记录查询', now.toISOString());
    return progressOf(a, await loadLedger(a.id), localDateOf(now));
  }),

  'POST /agreements/{id}/services': route({ auth: 'staff', roles: RECORDERS, params: agreementParams, body: recordServiceBody }, async ({ params, body, principal, now }) => {
    const a = await agreementInScope(principal, params.id);
    const staff = await staffOf(principal);
    const { entry, entries } = await recordServiceFor(a, body, staff, now);
    await logRead(principal, a, ['agreement.packages', 'fulfilment'], '登记履约服务', now.toISOString());
    const progress = progressOf(a, entries, localDateOf(now));
    return reply(201, { entry: progress.entries.find((e) => e.entryId === entry.entryId), progress });
  }),

  'POST /agreements/{id}/services/{entryId}/correct': route({ auth: 'staff', roles: RECORDERS, params: entryParams, body: correctServiceBody }, async ({ params, body, principal, now }) => {
    const a = await agreementInScope(principal, params.id);
    const staff = await staffOf(principal);
    const { entries } = await correctServiceFor(a, params.entryId, body, staff, now);
    await logRead(principal, a, ['agreement.packages', 'fulfilment'], '更正履约服务记录', now.toISOString());
    return progressOf(a, entries, localDateOf(now));
  }),

  'GET /institutions/{id}/reports': route({ auth: 'staff', roles: ADMINS, params: institutionParams, query: reportQuery }, async ({ params, query, principal }) => {
    const inst = await institutionInScope(principal, params.id);
    return buildReport(inst, query.month);
  }),

  'GET /institutions/{id}/reports/export': route({ auth: 'staff', roles: ADMINS, params: institutionParams, query: exportQuery }, async ({ params, query, principal }) => {
    const inst = await institutionInScope(principal, params.id);
    const r = await buildReport(inst, query.month);
    const table = query.form === 'zjg4' ? r.forms.zjg4 : query.form === 'zjg5' ? r.forms.zjg5 : summaryTable(r, inst.name);
    const name = `${inst.name}-${REPORT_FORMS[query.form]}-${query.month}`;
    if (query.format === 'csv') return fileResult(`${name}.csv`, 'text/csv; charset=utf-8', Buffer.from(tableToCsv(table), 'utf8'));
    const rows = tableRows(table);
    const boldRows = [0, ...table.header.map((_h, i) => 1 + table.caption.length + i)];
    return fileResult(`${name}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xlsx([{ name: REPORT_FORMS[query.form].split(' ')[0]!, rows, boldRows, widths: [28, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14] }]));
  }),

  'GET /institutions/{id}/population-register': route({ auth: 'staff', roles: ADMINS, params: institutionParams }, async ({ params, principal }) => {
    const inst = await institutionInScope(principal, params.id);
    const r = await getRegister(inst.id);
    if (!r) throw new NotFoundError('尚未上传人口登记表', 'REGISTER_NOT_FOUND');
    return r;
  }),

  'POST /institutions/{id}/population-register': route({ auth: 'staff', roles: ADMINS, params: institutionParams }, async (req) => {
    const inst = await institutionInScope(req.principal, req.params.id);
    const parsed = parseRegister(registerCsv(req));
    if (!parsed.ok) throw new ValidationError(parsed.issues, `人口登记表有${parsed.issues.length}处错误，未导入任何数据：${parsed.issues[0]!.message}`, 'REGISTER_INVALID');
    const staff = await staffOf(req.principal);
    const record = { institutionId: inst.id, uploadedAt: req.now.toISOString(), uploadedBy: staff.name, rows: parsed.rows, totals: parsed.totals };
    await putRegister(record);
    return reply(201, record);
  }),

  'GET /institutions/{id}/complaints': route({ auth: 'staff', roles: ADMINS, params: institutionParams, query: complaintsQuery }, async ({ params, query, principal }) => {
    const inst = await institutionInScope(principal, params.id);
    const page = await listComplaints(inst.id, { status: query.status, cursor: decodeCursor(query.cursor) });
    return { complaints: page.items.map(complaintView), cursor: encodeCursor(page.cursor) ?? null };
  }),

  'POST /institutions/{id}/complaints/{complaintId}/handle': route(
    { auth: 'staff', roles: ['institution_admin'], params: complaintParams, body: handleComplaintBody },
    async ({ params, body, principal, now }) => {
      const inst = await institutionInScope(principal, params.id);
      const c = await getComplaint(inst.id, params.complaintId);
      if (!c) throw new NotFoundError('未找到该投诉', 'COMPLAINT_NOT_FOUND');
      if (c.status !== 'open') throw new ConflictError('COMPLAINT_ALREADY_HANDLED', '该投诉已处理');
      const staff = await staffOf(principal);
      const ok = await handleComplaint(c, body.reply, staff.name, now.toISOString(), localDateOf(c.filedAt).slice(0, 7));
      if (!ok) throw new ConflictError('COMPLAINT_ALREADY_HANDLED', '该投诉已处理');
      return complaintView({ ...c, status: 'handled', reply: body.reply, handledAt: now.toISOString(), handledBy: staff.name });
    },
  ),
});

/** The router, with report exports sent as binary downloads (CSV / XLSX) instead of JSON. */
export async function handler(event: APIGatewayProxyEventV2, context?: Partial<Context>): Promise<APIGatewayProxyResultV2> {
  const res = await api(event, context);
  if (typeof res === 'object' && res.headers?.[FILE_HEADER] && typeof res.body === 'string') {
    const { [FILE_HEADER]: _f, ...headers } = res.headers;
    return { statusCode: res.statusCode, headers, body: (JSON.parse(res.body) as { base64: string }).base64, isBase64Encoded: true };
  }
  return res;
}
