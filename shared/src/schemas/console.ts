/**
 * HTTP contracts of the clinic console and the resident's fulfilment view (GitHub issue 8):
 * the fulfilment ledger (record, correct), progress, team due lists, ratings, complaints,
 * the population register and the monthly reports. Messages are Simplified Chinese.
 */
import * as z from 'zod';
import { isLocalDate } from '../domain/dates';

type IssueLike = { code?: string; input?: unknown };
const typeError = (missing: string, wrong: string) => (iss: IssueLike) => (iss.code === 'invalid_type' ? (iss.input === undefined ? missing : wrong) : undefined);
const text = (label: string) => z.string({ error: typeError(`请填写${label}`, `${label}格式有误，应为文本`) });
const body = <T extends z.core.$ZodLooseShape>(shape: T) => z.object(shape, { error: typeError('请求内容不能为空', '请求内容格式有误，应为JSON对象') });
export const opaqueId = (label: string) =>
  text(label)
    .min(1, `请填写${label}`)
    .max(80, `${label}格式有误`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label}格式有误`);
const localDate = (label: string) => text(label).refine((s) => isLocalDate(s), `${label}格式应为YYYY-MM-DD`);
export const monthParam = z
  .string({ error: typeError('请选择月份', '月份格式应为YYYY-MM') })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为YYYY-MM');

// ---------------------------------------------------------------- fulfilment ledger

/** Evidence of the service as the payment rules ask (jilin-2017 §五(四): 刷社会保障卡、身份证或居民健康卡). */
export const EVIDENCE_KINDS = { ss_card: '社会保障卡', id_card: '身份证', health_card: '居民健康卡', signature: '居民签字' } as const;
export type EvidenceKind = keyof typeof EVIDENCE_KINDS;

const serviceFields = {
  memberId: opaqueId('服务对象'),
  /** Optional: the package holding the item (resolved from the member's packages when left out). */
  packageCode: text('服务包').min(1, '请选择服务包').max(64, '服务包代码格式有误').optional(),
  itemCode: text('服务项目').min(1, '请选择服务项目').max(80, '服务项目代码格式有误'),
  date: localDate('服务日期'),
  quantity: z.number({ error: typeError('请填写服务次数', '服务次数须为数字') }).int('服务次数须为整数').min(1, '服务次数至少为1').max(50, '一次登记不能超过50次').default(1),
  evidence: z.object(
    {
      kind: z.enum(Object.keys(EVIDENCE_KINDS) as [EvidenceKind, ...EvidenceKind[]], { error: '请选择服务凭证类型' }),
      /** The swipe / card reference number (刷卡流水号). */
      reference: text('凭证号').trim().min(4, '凭证号至少4位').max(64, '凭证号不能超过64位').regex(/^[A-Za-z0-9-]+$/, '凭证号只能包含字母、数字和-'),
    },
    { error: typeError('请填写服务凭证（刷卡记录）', '服务凭证格式有误') },
  ),
  note: text('备注').trim().max(200, '备注不能超过200个字').optional(),
};

/** POST /agreements/{id}/services — a service delivered (staff of the agreement's team). */
export const recordServiceBody = body(serviceFields);
export type RecordServiceBody = z.infer<typeof recordServiceBody>;

/** POST /agreements/{id}/services/{entryId}/correct — void an entry, optionally with the corrected one. */
export const correctServiceBody = body({
  reason: text('更正原因').trim().min(2, '请填写更正原因（至少2个字）').max(200, '更正原因不能超过200个字'),
  replacement: z.object(serviceFields, { error: typeError('请填写更正后的服务记录', '更正后的服务记录格式有误') }).optional(),
});
export type CorrectServiceBody = z.infer<typeof correctServiceBody>;

export const agreementParams = z.object({ id: opaqueId('协议编号') });
export const entryParams = z.object({ id: opaqueId('协议编号'), entryId: opaqueId('服务记录编号') });
export const teamParams = z.object({ id: opaqueId('团队编号') });
export const institutionParams = z.object({ id: opaqueId('医疗机构编号') });
export const complaintParams = z.object({ id: opaqueId('医疗机构编号'), complaintId: opaqueId('投诉编号') });

export const serviceEntryView = z.object({
  entryId: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  packageCode: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  date: z.string(),
  quantity: z.number().int(),
  evidence: z.object({ kind: z.string(), kindLabel: z.string(), reference: z.string() }).nullable(),
  staff: z.object({ id: z.string(), name: z.string() }),
  note: z.string().nullable(),
  recordedAt: z.string(),
  voided: z.boolean(),
  voidReason: z.string().nullable(),
  voids: z.string().nullable(),
  /** Resident view: whether this service was already rated. */
  rated: z.boolean().optional(),
});
export type ServiceEntryView = z.infer<typeof serviceEntryView>;

export const itemProgressView = z.object({
  itemCode: z.string(),
  name: z.string(),
  unit: z.string(),
  promised: z.number().int().nullable(),
  delivered: z.number().int(),
  expectedByNow: z.number().int(),
  nextDueBy: z.string().nullable(),
  status: z.enum(['done', 'overdue', 'due_soon', 'on_track', 'open']),
  statusLabel: z.string(),
  label: z.string(),
});
export type ItemProgressView = z.infer<typeof itemProgressView>;

export const memberProgressView = z.object({
  memberId: z.string(),
  name: z.string(),
  packages: z.array(z.object({ code: z.string(), name: z.string(), items: z.array(itemProgressView) })),
  dueCount: z.number().int(),
  overdueCount: z.number().int(),
});
export type MemberProgressView = z.infer<typeof memberProgressView>;

/** GET /me/agreements/{id}/progress and GET /agreements/{id}/services. */
export const progressResponse = z.object({
  agreementId: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  team: z.object({ id: z.string(), name: z.string(), institutionName: z.string() }),
  cycle: z.object({ start: z.string(), end: z.string() }),
  today: z.string(),
  members: z.array(memberProgressView),
  entries: z.array(serviceEntryView),
});
export type ProgressResponse = z.infer<typeof progressResponse>;

export const recordServiceResponse = z.object({ entry: serviceEntryView, progress: progressResponse });

/** GET /teams/{id}/due — the team's residents (active agreements) with what is due. */
export const teamDueQuery = z.object({
  cursor: z.string().max(2000, '分页参数有误').optional(),
  limit: z.coerce.number({ error: '每页数量须为数字' }).int().min(1).max(50).default(20),
  /** all: every active agreement; due: only those with something due soon or overdue. */
  filter: z.enum(['all', 'due'], { error: '筛选条件应为 all 或 due' }).default('all'),
});
export const teamDueResponse = z.object({
  teamId: z.string(),
  today: z.string(),
  residents: z.array(
    z.object({
      agreementId: z.string(),
      representativeName: z.string(),
      cycle: z.object({ start: z.string(), end: z.string() }),
      members: z.array(
        z.object({
          memberId: z.string(),
          name: z.string(),
          dueCount: z.number().int(),
          overdueCount: z.number().int(),
          due: z.array(z.object({ packageCode: z.string(), itemCode: z.string(), name: z.string(), label: z.string(), status: z.string(), nextDueBy: z.string().nullable() })),
        }),
      ),
    }),
  ),
  cursor: z.string().nullable(),
});
export type TeamDueResponse = z.infer<typeof teamDueResponse>;

// ---------------------------------------------------------------- ratings and complaints

/** POST /me/ratings — after an attended appointment or a recorded service. */
export const ratingBody = body({
  target: z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('appointment'), appointmentId: opaqueId('预约编号') }),
      z.object({ kind: z.literal('service'), agreementId: opaqueId('协议编号'), entryId: opaqueId('服务记录编号') }),
    ],
    { error: '请选择要评价的预约或服务' },
  ),
  score: z.number({ error: typeError('请选择评分', '评分须为数字') }).int('评分须为1～5的整数').min(1, '评分须为1～5的整数').max(5, '评分须为1～5的整数'),
  comment: text('评价内容').trim().max(300, '评价内容不能超过300个字').optional(),
});
export type RatingBody = z.infer<typeof ratingBody>;
export const ratingResponse = z.object({ id: z.string(), score: z.number().int(), comment: z.string().nullable(), at: z.string() });

export const COMPLAINT_CATEGORIES = { service: '服务质量', attitude: '服务态度', fulfilment: '未按约提供服务', fees: '收费问题', other: '其他' } as const;
export type ComplaintCategory = keyof typeof COMPLAINT_CATEGORIES;

/** POST /me/complaints — about the caller's own team; goes to the institution admin. */
export const complaintBody = body({
  agreementId: opaqueId('协议编号'),
  category: z.enum(Object.keys(COMPLAINT_CATEGORIES) as [ComplaintCategory, ...ComplaintCategory[]], { error: '请选择投诉类型' }),
  content: text('投诉内容').trim().min(5, '请描述投诉内容（至少5个字）').max(1000, '投诉内容不能超过1000个字'),
});
export type ComplaintBody = z.infer<typeof complaintBody>;

export const complaintView = z.object({
  id: z.string(),
  agreementId: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  institutionId: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  content: z.string(),
  residentName: z.string(),
  status: z.enum(['open', 'handled']),
  statusLabel: z.string(),
  filedAt: z.string(),
  reply: z.string().nullable(),
  handledAt: z.string().nullable(),
  handledBy: z.string().nullable(),
});
export type ComplaintView = z.infer<typeof complaintView>;
export const complaintsResponse = z.object({ complaints: z.array(complaintView), cursor: z.string().nullable() });
export const complaintsQuery = z.object({
  status: z.enum(['open', 'handled'], { error: '状态应为 open 或 handled' }).optional(),
  cursor: z.string().max(2000, '分页参数有误').optional(),
});
export const handleComplaintBody = body({
  reply: text('处理回复').trim().min(5, '请填写处理回复（至少5个字）').max(1000, '处理回复不能超过1000个字'),
});

// ---------------------------------------------------------------- access log (resident)

export const accessLogResponse = z.object({
  entries: z.array(z.object({ at: z.string(), staffName: z.string(), roleName: z.string(), memberId: z.string().nullable(), what: z.string(), purpose: z.string() })),
});

// ---------------------------------------------------------------- population register and reports

export const registerJsonBody = body({ csv: text('人口登记表').min(1, '请上传人口登记表') });
export const registerResponse = z.object({
  institutionId: z.string(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
  totals: z.object({ groups: z.number(), households: z.number(), residents: z.number(), keyPersons: z.number(), specialPersons: z.number(), hardshipHouseholds: z.number() }),
  rows: z.array(z.object({ group: z.string(), households: z.number(), residents: z.number(), keyPersons: z.number(), specialPersons: z.number(), hardshipHouseholds: z.number() })),
});

export const reportQuery = z.object({ month: monthParam });
export const REPORT_FORMS = { summary: '月度汇总', zjg4: '附件4 困难家庭签约服务月报表', zjg5: '附件5 个性化家庭签约服务月报表' } as const;
export type ReportForm = keyof typeof REPORT_FORMS;
export const exportQuery = z.object({
  month: monthParam,
  form: z.enum(Object.keys(REPORT_FORMS) as [ReportForm, ...ReportForm[]], { error: '报表类型应为 summary、zjg4 或 zjg5' }).default('summary'),
  format: z.enum(['csv', 'xlsx'], { error: '导出格式应为 csv 或 xlsx' }).default('csv'),
});

const rateView = z.object({ numerator: z.number(), denominator: z.number(), percent: z.number().nullable() });
const tableView = z.object({ title: z.string(), caption: z.array(z.string()), header: z.array(z.array(z.string())), rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))), notes: z.array(z.string()) });
export type ReportTableView = z.infer<typeof tableView>;

export const reportResponse = z.object({
  institutionId: z.string(),
  institutionName: z.string(),
  regionId: z.string(),
  month: z.string(),
  asOf: z.string(),
  signed: z.object({ households: z.number(), persons: z.number(), keyPersons: z.number(), specialPersons: z.number(), hardshipHouseholds: z.number() }),
  coverage: z.array(
    rateView.extend({
      population: z.string(),
      label: z.string(),
      target: z.object({ minPercent: z.number().nullable(), year: z.number(), text: z.string(), source: z.string() }).nullable(),
      meetsTarget: z.boolean().nullable(),
    }),
  ),
  renewal: rateView,
  fulfilment: z.array(rateView.extend({ itemCode: z.string(), name: z.string(), unit: z.string() })),
  satisfaction: z.object({ month: rateView, last12: rateView, target: z.number(), meetsTarget: z.boolean().nullable(), averageScore: z.number().nullable() }),
  complaints: z.object({ month: z.number(), handled: z.number() }),
  referrals: z.object({ month: z.number(), last12: z.number() }),
  trend: z.array(z.object({ month: z.string(), newHouseholds: z.number(), services: z.number(), referrals: z.number(), satisfaction: z.number().nullable() })),
  registerLoaded: z.boolean(),
  forms: z.object({ zjg4: tableView, zjg5: tableView }),
  /** Counter items read to build the report (it never scans the agreements or the ledger). */
  itemsRead: z.number().int(),
});
export type ReportResponse = z.infer<typeof reportResponse>;
