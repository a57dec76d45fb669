/**
 * The health-tip library through the console API (issue 7): drafts by any staff of the region,
 * approval and retirement by an institution admin (their institution's tips) or the region
 * admin, a sanitised body, and a retired tip never planned again.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { http, staffLogin } from './stack';
import { login } from './residents.fixtures';
import { arrangeAgreement, arrangeRegion, harness, useStackStore } from './push.fixtures';

beforeAll(() => useStackStore());

const draft = (over: Record<string, unknown> = {}) => ({
  title: '冬季防寒保暖',
  body: '<p onclick="x()">注意<b>头颈部</b>保暖</p><script>alert(1)</script><ul><li>室内常通风</li></ul>',
  category: 'wellness',
  publishFrom: '2026-10-01',
  ...over,
});

async function staffOf(regionId: string, institutionId: string) {
  const s = randomBytes(3).toString('hex');
  return {
    doctor: await staffLogin({ id: `doc-${s}`, role: 'team_doctor', regionId, institutionId, teamId: 't' }),
    instAdmin: await staffLogin({ id: `ia-${s}`, role: 'institution_admin', regionId, institutionId }),
    otherInstAdmin: await staffLogin({ id: `ib-${s}`, role: 'institution_admin', regionId, institutionId: `${institutionId}-other` }),
    regionAdmin: await staffLogin({ id: `ra-${s}`, role: 'region_admin', regionId }),
  };
}

describe('tip library: draft → approved → retired', () => {
  it('a doctor drafts (sanitised), only an admin of the scope approves, approved content is frozen, retired tips are not planned', async () => {
    const region = await arrangeRegion({ tips: [] });
    const staff = await staffOf(region.regionId, region.institutionId);

    const created = await http('POST', '/tips', { token: staff.doctor, body: draft() });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const tip = created.body.tip;
    expect(tip).toMatchObject({ status: 'draft', statusName: '草稿', institutionId: region.institutionId, categoryName: '养生保健', canApprove: false });
    expect(tip.bodyHtml).toBe('<p>注意<strong>头颈部</strong>保暖</p><ul><li>室内常通风</li></ul>');
    expect(tip.blocks[0]).toEqual({ type: 'p', runs: [{ text: '注意' }, { text: '头颈部', bold: true }, { text: '保暖' }] });

    const edited = await http('PUT', `/tips/${tip.id}`, { token: staff.doctor, body: draft({ title: '冬季防寒保暖要点' }) });
    expect(edited.status).toBe(200);
    expect((await http('POST', `/tips/${tip.id}/approve`, { token: staff.doctor })).status).toBe(403);
    expect((await http('POST', `/tips/${tip.id}/approve`, { token: staff.otherInstAdmin })).status).toBe(404); // not visible outside the institution

    // Nothing is planned from a draft.
    const h = harness();
    const s = await login();
    await arrangeAgreement(region, s.accountId, [{ name: '测试' }]);
    expect((await h.plan(region, '2026-10-02')).plan.totals).toMatchObject({ signed: 1, noTip: 1, enqueued: 0 });

    const approved = await http('POST', `/tips/${tip.id}/approve`, { token: staff.instAdmin });
    expect(approved.status).toBe(200);
    expect(approved.body.tip).toMatchObject({ status: 'approved', title: '冬季防寒保暖要点', approvedBy: expect.stringMatching(/^ia-/) });
    const frozen = await http('PUT', `/tips/${tip.id}`, { token: staff.doctor, body: draft() });
    expect(frozen.status).toBe(409);
    expect(frozen.body.error.message).toBe('只有草稿可以修改；已发布的知识请停用后重新编写');

    const listed = await http('GET', '/tips?status=approved', { token: staff.regionAdmin });
    expect(listed.body.tips.map((t: any) => t.id)).toContain(tip.id);

    const retired = await http('POST', `/tips/${tip.id}/retire`, { token: staff.regionAdmin, body: { reason: '内容更新' } });
    expect(retired.status).toBe(200);
    expect(retired.body.tip.status).toBe('retired');
    const other = await login();
    await arrangeAgreement(region, other.accountId, [{ name: '测试二' }]);
    expect((await h.plan(region, '2026-10-09')).plan.totals).toMatchObject({ signed: 2, noTip: 2, enqueued: 0 });
  });

  it('a tip retired after planning is not delivered; the catch-up picks another', async () => {
    const region = await arrangeRegion({ tips: [] });
    const staff = await staffOf(region.regionId, region.institutionId);
    const mk = async (title: string, publishFrom: string) => {
      const t = (await http('POST', '/tips', { token: staff.regionAdmin, body: draft({ title, publishFrom }) })).body.tip;
      expect((await http('POST', `/tips/${t.id}/approve`, { token: staff.regionAdmin })).status).toBe(200);
      return t;
    };
    const first = await mk('第一条知识', '2026-01-01');
    await mk('第二条知识', '2026-02-01');
    const { planQuarter } = await import('../functions/src/push/planner');
    const { InMemoryPushQueue } = await import('../functions/src/push/queue');
    const s = await login();
    await arrangeAgreement(region, s.accountId, [{ name: '测试' }]);
    const q = new InMemoryPushQueue();
    await planQuarter({ quarter: '2026Q4', today: '2026-10-01', now: new Date(), queue: q, regions: [region.regionId] });
    expect(q.jobs[0]!.tipId).toBe(first.id);
    await http('POST', `/tips/${first.id}/retire`, { token: staff.regionAdmin });
    const h = harness();
    expect(await h.redeliver(q.jobs)).toEqual([{ kind: 'tip_withdrawn' }]);
    await h.plan(region, '2026-10-08');
    const inbox = await http('GET', '/me/messages?kind=tip', { token: s.token });
    expect(inbox.body.messages.map((m: any) => m.title)).toEqual(['第二条知识']);
  });

  it('answers bad input with 400, field paths and Chinese messages; residents cannot author', async () => {
    const region = await arrangeRegion({ tips: [] });
    const staff = await staffOf(region.regionId, region.institutionId);
    const r = await http('POST', '/tips', {
      token: staff.doctor,
      body: { title: 'x', body: '<script>only</script>', category: 'gossip', publishFrom: '2026-13-01', ageGroups: ['teen'] },
    });
    expect(r.status).toBe(400);
    const paths = r.body.error.fields.map((f: any) => f.path).sort();
    expect(paths).toEqual(['ageGroups.0', 'body', 'category', 'publishFrom', 'title']);
    for (const f of r.body.error.fields) expect(f.message).toMatch(/[\u4e00-\u9fa5]/);
    const window = await http('POST', '/tips', { token: staff.doctor, body: draft({ publishFrom: '2026-10-01', publishTo: '2026-09-01' }) });
    expect(window.body.error.fields).toEqual([{ path: 'publishTo', message: '发布结束日期不能早于开始日期' }]);
    const resident = await login();
    expect((await http('POST', '/tips', { token: resident.token, body: draft() })).status).toBe(403);
    expect((await http('POST', '/tips/not-a-tip/approve', { token: staff.regionAdmin })).status).toBe(404);
  });
});
