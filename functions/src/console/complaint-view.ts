/** The one complaint view, shared by the resident routes and the institution's inbox. */
import { COMPLAINT_CATEGORIES, type ComplaintView } from '@jiayi/shared/schemas/console';
import type { ComplaintRecord } from '../db/reports.repo';

export function complaintView(c: ComplaintRecord): ComplaintView {
  return {
    id: c.id,
    agreementId: c.agreementId,
    teamId: c.teamId,
    teamName: c.teamName,
    institutionId: c.institutionId,
    category: c.category,
    categoryLabel: COMPLAINT_CATEGORIES[c.category as keyof typeof COMPLAINT_CATEGORIES] ?? c.category,
    content: c.content,
    residentName: c.residentName,
    status: c.status,
    statusLabel: c.status === 'open' ? '待处理' : '已处理',
    filedAt: c.filedAt,
    reply: c.reply ?? null,
    handledAt: c.handledAt ?? null,
    handledBy: c.handledBy ?? null,
  };
}
