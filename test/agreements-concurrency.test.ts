/**
 * The signing invariants are enforced by the database (one TransactWriteItems with conditions),
 * not by read-then-write code: concurrent requests → exact winners.
 */
import { describe, expect, it } from 'vitest';
import { http, pool } from './stack';
import { arrangeTeam, household, lockOf, sign, signRequest, storedItems, teamCount, type Household } from './agreements.fixtures';

/** Run `fn` over `items` with at most `limit` in flight. */
describe('team capacity under concurrency', () => {
  it('200 concurrent sign requests for a team with 10 places left → exactly 10 succeed, the rest 409 TEAM_FULL 团队已满', async () => {
    // 20 households × 10 people = 200 distinct persons; each request signs one person.
    const households: Household[] = await pool(Array.from({ length: 20 }, (_, i) => i), 5, () => household(10));
    const team = await arrangeTeam(2000, 1990);
    const requests = households.flatMap((h) => h.memberIds.map((id) => ({ token: h.token, body: signRequest(team.teamId, [id]) })));
    expect(requests).toHaveLength(200);
    // All 200 are issued at once; at most 50 are on the wire together (like a Lambda reserved
    // concurrency of 50): serverless-offline starts one worker thread per in-flight request, and
    // 200 cold worker threads on a 2-core box stall it (docs/decisions.md "Signing and payments").
    const results = await pool(requests, 50, (r) => http('POST', '/agreements', { token: r.token, body: r.body }));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(190);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.error.code).toBe('TEAM_FULL');
      expect(r.body.error.message).toContain('团队已满');
    }
    expect(await teamCount(team.teamId)).toBe(2000);
  }, 180_000);

  it('the same person signing concurrently with two teams → exactly one agreement, the other 409 ALREADY_SIGNED', async () => {
    const h = await household(1);
    const t1 = await arrangeTeam(10);
    const t2 = await arrangeTeam(10);
    const [x, y] = await Promise.all([
      http('POST', '/agreements', { token: h.token, body: signRequest(t1.teamId, h.memberIds) }),
      http('POST', '/agreements', { token: h.token, body: signRequest(t2.teamId, h.memberIds) }),
    ]);
    expect([x.status, y.status].sort()).toEqual([201, 409]);
    const loser = x.status === 409 ? x : y;
    expect(loser.body.error.code).toBe('ALREADY_SIGNED');
    expect(loser.body.error.message).toContain('已有生效或待支付的签约');
    expect((await teamCount(t1.teamId)) + (await teamCount(t2.teamId))).toBe(1);
    const list = await http('GET', '/agreements', { token: h.token });
    expect(list.body.agreements).toHaveLength(1);
  });

  it('one household signing overlapping members twice at once → one agreement; counters stay exact', async () => {
    const h = await household(3);
    const team = await arrangeTeam(10);
    const [x, y] = await Promise.all([
      http('POST', '/agreements', { token: h.token, body: signRequest(team.teamId, h.memberIds.slice(0, 2)) }),
      http('POST', '/agreements', { token: h.token, body: signRequest(team.teamId, h.memberIds.slice(1)) }),
    ]);
    expect([x.status, y.status].sort()).toEqual([201, 409]);
    expect(await teamCount(team.teamId)).toBe(2);
  });

  it('a change of team racing a termination of the same agreement → exactly one applies; counters stay exact', async () => {
    const h = await household(2);
    const t1 = await arrangeTeam(10);
    const t2 = await arrangeTeam(10);
    const a = await sign(h.token, signRequest(t1.teamId, h.memberIds));
    const [c, t] = await Promise.all([
      http('POST', `/agreements/${a.id}/change-team`, { token: h.token, body: { teamId: t2.teamId, reason: '搬家到新小区' } }),
      http('POST', `/agreements/${a.id}/terminate`, { token: h.token, body: { reason: 'voluntary' } }),
    ]);
    expect([c.status, t.status].filter((s) => s === 200)).toHaveLength(1);
    expect([c.status, t.status].filter((s) => s === 409)).toHaveLength(1);
    const stored = (await storedItems(a.id)).find((i) => i.sk === 'AGR')!;
    if (c.status === 200) {
      expect(stored.status).toBe('changed');
      expect([await teamCount(t1.teamId), await teamCount(t2.teamId)]).toEqual([0, 2]);
      for (const m of stored.members) expect((await lockOf(m.idHash))?.agreementId).toBe(c.body.id);
    } else {
      expect(stored.status).toBe('terminated');
      expect([await teamCount(t1.teamId), await teamCount(t2.teamId)]).toEqual([0, 0]);
      for (const m of stored.members) expect(await lockOf(m.idHash)).toBeUndefined();
    }
  });
});
