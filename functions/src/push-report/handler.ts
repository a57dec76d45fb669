/**
 * GET /reports/push-compliance?regionId&quarter — proof that every signed resident got at least
 * one tip this quarter (yongkang 基本服务包 第4项, 每季度不少于1条). Region admins see their
 * region, institution admins their institution's teams; computed from the counters written by
 * the planner and the sender (push.repo loadQuarterStats), never by scanning deliveries.
 */
import { complianceQuery, type ComplianceReport } from '@jiayi/shared/schemas/push';
import { ForbiddenError } from '@jiayi/shared/domain/errors';
import { route, router } from '../http/with-http';
import { loadQuarterStats } from '../db/push.repo';

export const handler = router({
  'GET /reports/push-compliance': route({ auth: 'staff', roles: ['region_admin', 'institution_admin'], query: complianceQuery }, async ({ principal, query }) => {
    if (principal.regionId !== query.regionId) throw new ForbiddenError('无权查看其他地区的报表', 'OUT_OF_SCOPE');
    const institutionId = principal.role === 'institution_admin' ? (principal.institutionId ?? '') : null;
    const stats = await loadQuarterStats(query.regionId, query.quarter);
    const inScope = (i: { institutionId: string }) => institutionId === null || i.institutionId === institutionId;

    const teams = new Map<string, { teamId: string; institutionId: string; signedResidents: number; residentsWithTip: number; residentsWithout: number }>();
    let noMatchingTip = 0;
    for (const r of stats.run.filter(inScope)) {
      const t = teams.get(r.teamId) ?? { teamId: r.teamId, institutionId: r.institutionId, signedResidents: 0, residentsWithTip: 0, residentsWithout: 0 };
      const signed = r.counts.signed ?? 0;
      const withTip = Math.min(signed, (r.counts.alreadyCovered ?? 0) + (r.counts.delivered ?? 0));
      t.signedResidents += signed;
      t.residentsWithTip += withTip;
      t.residentsWithout += signed - withTip;
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
      signedResidents: rows.reduce((n, r) => n + r.signedResidents, 0),
      residentsWithTip: rows.reduce((n, r) => n + r.residentsWithTip, 0),
      residentsWithout: rows.reduce((n, r) => n + r.residentsWithout, 0),
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
