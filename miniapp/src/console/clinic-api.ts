/** Console calls of the signing clinic (issue 6): rota, day list, attendance. Staff realm. */
import { dayResponse, publishRotaResponse, rotaResponse, staffAppointmentView, type RotaBody } from '@jiayi/shared/schemas/appointments';
import { teamsResponse } from '@jiayi/shared/schemas/teams';
import * as z from 'zod';
import { api } from '../api/client';
import type { StaffView } from '@jiayi/shared/schemas/staff';

const enc = encodeURIComponent;

export const getRota = (teamId: string) => api('GET', `/teams/${enc(teamId)}/rota`, { schema: rotaResponse, realm: 'staff' });
export const publishRota = (teamId: string, body: Partial<RotaBody>) => api('PUT', `/teams/${enc(teamId)}/rota`, { body, schema: publishRotaResponse, realm: 'staff' });
export const getDay = (teamId: string, date: string) => api('GET', `/teams/${enc(teamId)}/appointments`, { query: { date }, schema: dayResponse, realm: 'staff' });
export const mark = (id: string, outcome: 'attended' | 'no_show') =>
  api('POST', `/appointments/${enc(id)}/attendance`, { body: { outcome }, schema: z.object({ appointment: staffAppointmentView }), realm: 'staff' });

/** Teams the staff member may manage: their own, or (institution admin) the institution's. */
export async function manageableTeams(staff: StaffView): Promise<{ id: string; name: string }[]> {
  if (staff.teamId) return [{ id: staff.teamId, name: '本团队' }];
  if (!staff.institutionId) return [];
  const r = await api('GET', '/teams', { query: { institutionId: staff.institutionId }, schema: teamsResponse, realm: 'staff' });
  return r.teams.map((t) => ({ id: t.id, name: t.name }));
}

const FIELD_LABELS: Record<string, string> = {
  weekday: '星期',
  kind: '时段类型',
  start: '开始时间',
  end: '结束时间',
  slotMinutes: '号源时长',
  placesPerSlot: '每号名额',
  doctor: '医生',
};

/** `sessions.3.start` → `第4行 开始时间`. */
export function fieldLabel(path: string): string {
  const m = /^sessions\.(\d+)\.(\w+)$/.exec(path);
  if (m) return `第${Number(m[1]) + 1}行 ${FIELD_LABELS[m[2]!] ?? m[2]}`;
  const c = /^closedDates\.(\d+)$/.exec(path);
  if (c) return `第${Number(c[1]) + 1}个停诊日期`;
  return path;
}
