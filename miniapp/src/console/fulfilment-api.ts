/** Console calls of issue 8 (fulfilment ledger, reports, register, complaints). Staff realm. */
import {
  complaintsResponse,
  complaintView,
  progressResponse,
  recordServiceResponse,
  registerResponse,
  reportResponse,
  teamDueResponse,
  type RecordServiceBody,
  type ReportForm,
} from '@jiayi/shared/schemas/console';
import { institutionsResponse } from '@jiayi/shared/schemas/teams';
import type { StaffView } from '@jiayi/shared/schemas/staff';
import { api, getToken, ApiError } from '../api/client';

const enc = encodeURIComponent;
const staff = { realm: 'staff' as const };

export const teamDue = (teamId: string, filter: 'all' | 'due', cursor?: string) =>
  api('GET', `/teams/${enc(teamId)}/due`, { query: { filter, cursor }, schema: teamDueResponse, ...staff });
export const agreementServices = (id: string) => api('GET', `/agreements/${enc(id)}/services`, { schema: progressResponse, ...staff });
export const recordService = (id: string, body: RecordServiceBody) => api('POST', `/agreements/${enc(id)}/services`, { body, schema: recordServiceResponse, ...staff });
export const voidService = (id: string, entryId: string, reason: string) =>
  api('POST', `/agreements/${enc(id)}/services/${enc(entryId)}/correct`, { body: { reason }, schema: progressResponse, ...staff });
export const report = (institutionId: string, month: string) => api('GET', `/institutions/${enc(institutionId)}/reports`, { query: { month }, schema: reportResponse, ...staff });
export const uploadRegister = (institutionId: string, csv: string) =>
  api('POST', `/institutions/${enc(institutionId)}/population-register`, { body: { csv }, schema: registerResponse, ...staff });
export const getRegister = (institutionId: string) => api('GET', `/institutions/${enc(institutionId)}/population-register`, { schema: registerResponse, ...staff });
export const complaints = (institutionId: string, status?: 'open' | 'handled') =>
  api('GET', `/institutions/${enc(institutionId)}/complaints`, { query: { status }, schema: complaintsResponse, ...staff });
export const handleComplaint = (institutionId: string, id: string, reply: string) =>
  api('POST', `/institutions/${enc(institutionId)}/complaints/${enc(id)}/handle`, { body: { reply }, schema: complaintView, ...staff });

/** Institutions the staff member may report on: their own, or (region admin) the region's. */
export async function reportableInstitutions(s: StaffView): Promise<{ id: string; name: string }[]> {
  if (s.institutionId) return [{ id: s.institutionId, name: '本机构' }];
  const r = await api('GET', '/institutions', { query: { regionId: s.regionId }, schema: institutionsResponse, ...staff });
  return r.institutions.map((i) => ({ id: i.id, name: i.name }));
}

/** H5 only: download a report export with the staff token (CSV / XLSX). */
export async function downloadExport(institutionId: string, month: string, form: ReportForm, format: 'csv' | 'xlsx'): Promise<void> {
  if (process.env.TARO_ENV !== 'h5') throw new ApiError(0, 'H5_ONLY', '请在电脑浏览器中打开工作台导出报表');
  const url = `${API_BASE}/institutions/${enc(institutionId)}/reports/export?month=${enc(month)}&form=${form}&format=${format}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${getToken('staff') ?? ''}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    throw new ApiError(res.status, 'EXPORT', body?.error?.message ?? '导出失败，请稍后再试');
  }
  const blob = await res.blob();
  const match = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = match ? decodeURIComponent(match[1]!) : `report.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** The Asia/Shanghai date of an ISO instant (what staff expect to read). */
export const localDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
export const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
export const todayLocal = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
