/**
 * Bad input and access control on the Signing API: 4xx with field paths and Chinese messages;
 * another resident cannot read, pay, cancel, terminate, change or renew someone else's agreement
 * (404: ids are not confirmed to strangers); staff see only their own scope.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { http, staffLogin } from './stack';
import { arrangeTeam, ELDERLY, household, REGION, sign, signRequest, teamCount } from './agreements.fixtures';

const zh = /[\u4e00-\u9fa5]/;

describe('bad input → 4xx with field path and Chinese message', () => {
  it('missing members, bad ids, duplicates, malformed JSON, unknown team, outdated agreement text', async () => {
    const team = await arrangeTeam(5);
    const h = await household(1);
    const cases: [unknown, number, string][] = [
      [{ ...signRequest(team.teamId, h.memberIds), members: [] }, 400, 'members'],
      [{ ...signRequest(team.teamId, h.memberIds), members: [{ memberId: '../x', packageCodes: [] }] }, 400, 'members.0.memberId'],
      [signRequest(team.teamId, [h.memberIds[0]!, h.memberIds[0]!]), 400, 'members.1.memberId'],
      [{ ...signRequest(team.teamId, h.memberIds), idempotencyKey: 'short' }, 400, 'idempotencyKey'],
      [{ ...signRequest(team.teamId, h.memberIds), teamId: undefined }, 400, 'teamId'],
      [{ ...signRequest(team.teamId, h.memberIds), members: [{ memberId: h.memberIds[0], packageCodes: 'LY-BASIC' }] }, 400, 'members.0.packageCodes'],
      [{ ...signRequest(team.teamId, h.memberIds), agreementTextVersion: '1999.1' }, 409, 'agreementTextVersion'],
    ];
    for (const [body, status, path] of cases) {
      const r = await http('POST', '/agreements', { token: h.token, body });
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error.fields[0].path).toBe(path);
      expect(r.body.error.fields[0].message).toMatch(zh);
    }
    const bad = await http('POST', '/agreements', { token: h.token, body: '{"teamId":' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(zh);
    const unknownTeam = await http('POST', '/agreements', { token: h.token, body: signRequest(randomUUID(), h.memberIds) });
    expect(unknownTeam.status).toBe(404);
    expect(unknownTeam.body.error.code).toBe('TEAM_NOT_FOUND');
    const strangerMember = await http('POST', '/agreements', { token: h.token, body: signRequest(team.teamId, [randomUUID()]) });
    expect(strangerMember.status).toBe(404);
    expect(await teamCount(team.teamId)).toBe(0);
  });

  it('quote and eligibility validate region and members', async () => {
    const h = await household(1);
    const r = await http('POST', '/me/quote', { token: h.token, body: { regionId: 'atlantis', members: [{ memberId: h.memberIds[0], packageCodes: [] }] } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0]).toEqual({ path: 'regionId', message: '不支持的地区' });
    const e = await http('GET', `/members/${h.memberIds[0]}/eligible-packages`, { token: h.token });
    expect(e.status).toBe(400);
    expect(e.body.error.fields[0].path).toBe('query.regionId');
    const anon = await http('POST', '/agreements', { body: {} });
    expect(anon.status).toBe(401);
  });
});

describe('IDOR: someone else’s agreement', () => {
  it('another resident gets 404 on read, document, pay, cancel, refund preview, terminate, change of team and renewal', async () => {
    const team = await arrangeTeam(5);
    const other = await arrangeTeam(5);
    const owner = await household(1, { age: 70 });
    const stranger = await household(1);
    const a = await sign(owner.token, signRequest(team.teamId, owner.memberIds, [ELDERLY]));
    const attempts = [
      http('GET', `/agreements/${a.id}`, { token: stranger.token }),
      http('GET', `/agreements/${a.id}/document`, { token: stranger.token }),
      http('POST', `/agreements/${a.id}/pay`, { token: stranger.token }),
      http('POST', `/agreements/${a.id}/cancel`, { token: stranger.token }),
      http('GET', `/agreements/${a.id}/refund-preview`, { token: stranger.token }),
      http('POST', `/agreements/${a.id}/terminate`, { token: stranger.token, body: { reason: 'voluntary' } }),
      http('POST', `/agreements/${a.id}/change-team`, { token: stranger.token, body: { teamId: other.teamId, reason: '恶意变更' } }),
      http('POST', `/agreements/${a.id}/renew`, { token: stranger.token, body: { idempotencyKey: `k-${randomUUID()}` } }),
      http('POST', `/payments/simulate/${a.id}`, { token: stranger.token }),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(r.status, JSON.stringify(r.body)).toBe(404);
      expect(r.body.error.code).toBe('AGREEMENT_NOT_FOUND');
    }
    expect((await http('GET', '/agreements', { token: stranger.token })).body.agreements).toEqual([]);
    const mine = await http('GET', `/agreements/${a.id}`, { token: owner.token });
    expect(mine.body.status).toBe('pending_payment');
    expect(await teamCount(team.teamId)).toBe(1);
  });

  it('staff see agreements of their own team only; receivables only for their institution', async () => {
    const team = await arrangeTeam(5);
    const elsewhere = await arrangeTeam(5);
    const h = await household(1);
    const a = await sign(h.token, signRequest(team.teamId, h.memberIds));
    const doctor = await staffLogin({ id: `doc-${randomUUID()}`, role: 'team_doctor', regionId: REGION, institutionId: team.institutionId, teamId: team.teamId });
    const outsider = await staffLogin({ id: `doc-${randomUUID()}`, role: 'team_doctor', regionId: REGION, institutionId: elsewhere.institutionId, teamId: elsewhere.teamId });
    expect((await http('GET', `/agreements/${a.id}`, { token: doctor })).status).toBe(200);
    const list = await http('GET', `/teams/${team.teamId}/agreements?status=active`, { token: doctor });
    expect(list.status).toBe(200);
    expect(list.body.agreements.map((x: any) => x.id)).toEqual([a.id]);
    expect((await http('GET', `/agreements/${a.id}`, { token: outsider })).status).toBe(403);
    expect((await http('GET', `/teams/${team.teamId}/agreements`, { token: outsider })).status).toBe(403);
    const rec = await http('GET', `/institutions/${team.institutionId}/receivables?month=2025-01`, { token: doctor });
    expect(rec.status).toBe(403);
    const admin = await staffLogin({ id: `adm-${randomUUID()}`, role: 'institution_admin', regionId: REGION, institutionId: elsewhere.institutionId });
    expect((await http('GET', `/institutions/${team.institutionId}/receivables?month=2025-01`, { token: admin })).status).toBe(403);
    const badMonth = await http('GET', `/institutions/${elsewhere.institutionId}/receivables?month=2025-13`, { token: admin });
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.error.fields[0].path).toBe('query.month');
  });
});
