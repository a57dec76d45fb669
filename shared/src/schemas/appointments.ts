/**
 * HTTP contracts of Appointments (GitHub issue 6): the team rota (staff), slots with free places,
 * booking, cancellation, "我的预约", the day list and attendance (staff). Shared by the handlers
 * (functions/src/appointments) and the mini-program. Every message is Simplified Chinese.
 */
import * as z from 'zod';
import { daysBetween, isLocalDate } from '../domain/dates';
import { DEFAULT_HORIZON_DAYS, MAX_HORIZON_DAYS, rotaIssues, SESSION_KIND_CODES, SLOT_ID_RE } from '../domain/appointments/rota';

type IssueLike = { code?: string; input?: unknown };
function typeError(missing: string, wrong: string) {
  return (iss: IssueLike) => (iss.code === 'invalid_type' ? (iss.input === undefined ? missing : wrong) : undefined);
}
function text(label: string) {
  return z.string({ error: typeError(`请填写${label}`, `${label}格式有误，应为文本`) });
}
function int(label: string, min: number, max: number) {
  return z
    .number({ error: typeError(`请填写${label}`, `${label}应为数字`) })
    .int(`${label}应为整数`)
    .min(min, `${label}不能小于${min}`)
    .max(max, `${label}不能大于${max}`);
}
const opaqueId = (label: string) =>
  text(label)
    .min(1, `请填写${label}`)
    .max(64, `${label}格式有误`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label}格式有误`);
const localDate = (label: string) => text(label).refine((s) => isLocalDate(s), `${label}格式应为YYYY-MM-DD`);
const hhmm = (label: string) => text(label).regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, `${label}格式应为HH:MM（如08:30）`);

export const SESSION_KIND_LABELS = { morning: '上午门诊', noon: '午间延时服务', afternoon: '下午门诊', evening: '晚间延时服务' } as const;
export const sessionKind = z.enum(SESSION_KIND_CODES, { error: '门诊时段类型应为上午、午间、下午或晚间' });

// ---------------------------------------------------------------- rota (staff)

export const rotaSession = z.object(
  {
    weekday: int('星期', 1, 7),
    kind: sessionKind,
    start: hhmm('开始时间'),
    end: hhmm('结束时间'),
    slotMinutes: int('每个号源时长（分钟）', 5, 240),
    placesPerSlot: int('每个号源名额', 1, 50),
    doctor: text('医生姓名').trim().min(1, '医生姓名不能为空').max(20, '医生姓名过长').optional(),
  },
  { error: typeError('请填写门诊时段', '门诊时段格式有误') },
);
export type RotaSessionInput = z.infer<typeof rotaSession>;

export const rotaBody = z
  .object(
    {
      sessions: z.array(rotaSession, { error: typeError('请填写门诊时段', '门诊时段应为列表') }).max(80, '门诊时段最多80个'),
      closedDates: z.array(localDate('停诊日期'), { error: typeError('请填写停诊日期', '停诊日期应为列表') }).max(366, '停诊日期最多366个').default([]),
      horizonDays: int('放号天数', 1, MAX_HORIZON_DAYS).default(DEFAULT_HORIZON_DAYS),
      /** The version the editor loaded (optimistic concurrency); absent only for the first publish. */
      expectedVersion: int('排班版本', 0, 1_000_000).optional(),
    },
    { error: typeError('请求内容不能为空', '请求内容格式有误，应为JSON对象') },
  )
  .superRefine((b, ctx) => {
    for (const i of rotaIssues({ sessions: b.sessions, closedDates: b.closedDates, horizonDays: b.horizonDays })) {
      ctx.addIssue({ code: 'custom', path: i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: i.message });
    }
  });
export type RotaBody = z.infer<typeof rotaBody>;

export const rotaView = z.object({
  teamId: z.string(),
  sessions: z.array(rotaSession),
  closedDates: z.array(z.string()),
  horizonDays: z.number().int(),
  version: z.number().int(),
  publishedAt: z.string(),
  publishedBy: z.string(),
});
export type RotaView = z.infer<typeof rotaView>;

export const rotaChanges = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  withdrawn: z.number().int(),
  /** Appointments on withdrawn slots, cancelled by the clinic with an in-app notice. */
  cancelledAppointments: z.number().int(),
});
export type RotaChanges = z.infer<typeof rotaChanges>;

export const rotaResponse = z.object({ rota: rotaView.nullable() });
export const publishRotaResponse = z.object({ rota: rotaView, changes: rotaChanges });

export const teamParams = z.object({ teamId: opaqueId('团队编号') });

// ---------------------------------------------------------------- slots

export const MAX_SLOT_RANGE_DAYS = 31;

export const slotsQuery = z
  .object({
    teamId: opaqueId('团队编号'),
    from: localDate('开始日期').optional(),
    to: localDate('结束日期').optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && isLocalDate(q.from) && isLocalDate(q.to)) {
      const n = daysBetween(q.from, q.to);
      if (n < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期不能早于开始日期' });
      else if (n >= MAX_SLOT_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `一次最多查询${MAX_SLOT_RANGE_DAYS}天` });
    }
  });

export const slotView = z.object({
  slotId: z.string(),
  date: z.string(),
  start: z.string(),
  end: z.string(),
  startAt: z.string(),
  kind: sessionKind,
  kindLabel: z.string(),
  doctor: z.string().nullable(),
  places: z.number().int(),
  free: z.number().int(),
});
export type SlotView = z.infer<typeof slotView>;

export const slotsResponse = z.object({ teamId: z.string(), teamName: z.string(), from: z.string(), to: z.string(), slots: z.array(slotView) });
export type SlotsResponse = z.infer<typeof slotsResponse>;

// ---------------------------------------------------------------- booking

export const APPOINTMENT_STATUSES = {
  booked: '已预约',
  cancelled: '已取消',
  cancelled_by_clinic: '门诊调整，已取消',
  attended: '已就诊',
  no_show: '未到诊',
} as const;
export type AppointmentStatus = keyof typeof APPOINTMENT_STATUSES;
export const APPOINTMENT_STATUS_CODES = Object.keys(APPOINTMENT_STATUSES) as [AppointmentStatus, ...AppointmentStatus[]];

export const slotId = text('号源').regex(SLOT_ID_RE, '号源编号格式有误');

export const bookBody = z.object(
  {
    teamId: opaqueId('团队编号'),
    slotId,
    memberId: opaqueId('就诊成员'),
    reason: text('就诊事由').trim().min(1, '请填写就诊事由').max(200, '就诊事由不能超过200字'),
    /** A promised item of the member's packages this visit serves (default: the signed-clinic appointment item). */
    itemCode: text('服务项目').min(1, '服务项目格式有误').max(64, '服务项目格式有误').optional(),
    /** One per "预约" tap: a retried request returns the same appointment. */
    idempotencyKey: text('请求编号').min(8, '请求编号至少8位').max(64, '请求编号不能超过64位').regex(/^[A-Za-z0-9_-]+$/, '请求编号只能包含字母、数字、-和_'),
  },
  { error: typeError('请求内容不能为空', '请求内容格式有误，应为JSON对象') },
);
export type BookBody = z.infer<typeof bookBody>;

export const appointmentParams = z.object({ id: opaqueId('预约编号') });

export const serviceView = z.object({ packageCode: z.string(), itemCode: z.string(), itemName: z.string() });

export const appointmentView = z.object({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  slotId: z.string(),
  date: z.string(),
  start: z.string(),
  end: z.string(),
  startAt: z.string(),
  kind: sessionKind,
  kindLabel: z.string(),
  doctor: z.string().nullable(),
  memberId: z.string(),
  memberName: z.string(),
  reason: z.string(),
  service: serviceView.nullable(),
  status: z.enum(APPOINTMENT_STATUS_CODES),
  statusLabel: z.string(),
  bookedAt: z.string(),
  endedAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  /** Whether the resident can still cancel online, and until when (ISO instant). */
  canCancel: z.boolean(),
  cancelUntil: z.string(),
});
export type AppointmentView = z.infer<typeof appointmentView>;

export const appointmentResponse = z.object({ appointment: appointmentView });
export const appointmentsResponse = z.object({ appointments: z.array(appointmentView) });

export const eligibilityResponse = z.object({
  members: z.array(
    z.object({
      memberId: z.string(),
      name: z.string(),
      relation: z.string(),
      teamId: z.string(),
      teamName: z.string(),
      agreementId: z.string(),
      services: z.array(serviceView),
    }),
  ),
  policy: z.object({ maxFutureAppointments: z.number().int(), cancelDeadlineMinutes: z.number().int() }),
  /** The subscribe-message template of the day-before reminder (weapp asks for it at the booking tap); null when none is configured. */
  reminderTemplateId: z.string().nullable(),
});
export type Eligibility = z.infer<typeof eligibilityResponse>;

// ---------------------------------------------------------------- staff: day list, attendance

export const dayQuery = z.object({ date: localDate('日期') });

export const staffAppointmentView = appointmentView.omit({ canCancel: true, cancelUntil: true }).extend({ noShowCount: z.number().int().optional() });
export type StaffAppointmentView = z.infer<typeof staffAppointmentView>;
export const dayResponse = z.object({ teamId: z.string(), date: z.string(), appointments: z.array(staffAppointmentView), slots: z.array(slotView) });
export type DayResponse = z.infer<typeof dayResponse>;

export const attendanceBody = z.object(
  { outcome: z.enum(['attended', 'no_show'], { error: '就诊情况应为已就诊或未到诊' }) },
  { error: typeError('请求内容不能为空', '请求内容格式有误，应为JSON对象') },
);
