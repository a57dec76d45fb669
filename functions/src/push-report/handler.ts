/**
 * GET /reports/push-compliance?regionId&quarter — proof that every signed resident got at least
 * one tip this quarter (yongkang 基本服务包 第4项, 每季度不少于1条). Region admins see their
 * region, institution admins their institution's teams; computed from the counters written by
 * the planner and the sender (push.repo loadQuarterStats), never by scanning deliveries.
 * A resident without a tip is `pending` until the quarter's last day and `missed` only once it
 * ended without a delivery (shared/src/domain/push/compliance.ts).
 */
import { complianceQuery, type ComplianceReport } from '@jiayi/shared/schemas/push';
import { ForbiddenError } from '@jiayi/shared/domain/errors';
import { localDateOf } from '@jiayi/shared/domain/dates';
import { quarterPhase, tipFigures } from '@jiayi/shared/domain/push/compliance';
import { route, router } from '../http/with-http';
import { loadQuarterStats } from '../db/push.repo';

export const handler = router({
  'GET /reports/push-compliance': route({ auth: 'staff', roles: ['region_admin', 'institution_admin'], query: complianceQuery }, async ({ principal, query, now }) => {
    const today = localDateOf(now);
    if (principal.regionId !== query.regionId) throw new ForbiddenError('无权查看其他地区的报表', 'OUT_OF_SCOPE');
    const institutionId = principal.role === 'institution_admin' ? (principal.institutionId ?? '') : null;
    const stats = await loadQuarterStats(query.regionId, query.quarter);
    const inScope = (i: { institutionId: string }) => institutionId === null || i.institutionId === institutionId;

    const teams = new Map<string, { teamId: string; institutionId: string; signedResidents: number; residentsWithTip: number; residentsWithout: number; residentsPending: number; residentsMissed: number }>();
    let noMatchingTip = 0;
    for (const r of stats.run.filter(inScope)) {
      const t = teams.get(r.teamId) ?? { teamId: r.teamId, institutionId: r.institutionId, signedResidents: 0, residentsWithTip: 0, residentsWithout: 0, residentsPending: 0, residentsMissed: 0 };
      const f = tipFigures(r.counts.signed ?? 0, (r.counts.alreadyCovered ?? 0) + (r.counts.delivered ?? 0), query.quarter, today);
      t.signedResidents += f.signed;
      t.residentsWithTip += f.withTip;
      t.residentsWithout += f.pending + f.missed;
      t.residentsPending += f.pending;
      t.residentsMissed += f.missed;
      noMatchingTip += r.counts.noTip ?? 0;
      teams.set(r.teamId, t);
    }
    const sum = (k: string) => stats.teams.filter(inScope).reduce((n, i) => n + (i.counts[k] ?? 0), 0);
    const failures = new Map<string, number>();
    for (const i of stats.teams.filter(inScope)) {
      for (const [k, v] of Object.entries(i.counts)) if (k.startsWith('fail:')) failures.set(k, (failures.get(k) ?? 0) + v);
    }
    const rows = [...teams.values()].sort((a, b) => a.teamId.localeCompare(b.teamId));
    const report: ComplianceReport = {
      regionId: query.regionId,
      quarter: query.quarter,
      institutionId,
      lastRun: stats.latest,
      phase: quarterPhase(query.quarter, today),
      signedResidents: rows.reduce((n, r) => n + r.signedResidents, 0),
      residentsWithTip: rows.reduce((n, r) => n + r.residentsWithTip, 0),
      residentsWithout: rows.reduce((n, r) => n + r.residentsWithout, 0),
      residentsPending: rows.reduce((n, r) => n + r.residentsPending, 0),
      residentsMissed: rows.reduce((n, r) => n + r.residentsMissed, 0),
      deliveredThisQuarter: sum('covered'),
      noMatchingTip,
      byChannel: {
        inbox: sum('inbox'),
        wechat: { sent: sum('sent_wechat'), failed: sum('failed_wechat') },
        sms: { sent: sum('sent_sms'), failed: sum('failed_sms') },
      },
      failures: [...failures.entries()]
        .map(([k, count]) => {
          const [, channel = '', reason = ''] = k.split(':');
          return { channel, reason, count };
        })
        .sort((a, b) => b.count - a.count || a.channel.localeCompare(b.channel) || a.reason.localeCompare(b.reason)),
      teams: rows,
    };
    return report;
  }),
});
