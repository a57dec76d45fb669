/**
 * Signing through the HTTP API on the local stack (issue 5): quote, eligibility, sign (free →
 * active at once, paid → pending_payment), price breakdown stored per payer, promised items,
 * the document, idempotency, lifecycle (cancel, change team, terminate with refund preview).
 */
import { describe, expect, it } from 'vitest';
import { http } from './stack';
import { arrangeTeam, BASIC, ELDERLY, household, lockOf, REGION, sign, signRequest, storedItems, teamCount } from './agreements.fixtures';

describe('POST /me/quote and eligibility (own household, stored facts)', () => {
  it('quotes the 65+ package from the stored birth date: resident 50 + insurance 50 + public health 50 (liyang-2019 §三(一))', async () => {
    const h = await household(2, { age: 70 });
    const r = await http('POST', '/me/quote', { token: h.token, body: { regionId: REGION, members: [{ memberId: h.memberIds[1], packageCodes: [ELDERLY] }] } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const line = r.body.members[0].lines.find((l: any) => l.packageCode === ELDERLY);
    expect(line.byPayer).toMatchObject({ resident: 5000, insurance_fund: 5000, public_health: 5000 });
    expect(r.body.members[0].lines.some((l: any) => l.packageCode === BASIC && l.autoIncluded)).toBe(true);
  });

  it('lists eligible packages of an own member; another household’s member is not found', async () => {
    const h = await household(1, { age: 70 });
    const other = await household(1);
    const r = await http('GET', `/members/${h.memberIds[0]}/eligible-packages?regionId=${REGION}`, { token: h.token });
    expect(r.status).toBe(200);
    expect(r.body.packages.find((p: any) => p.packageCode === ELDERLY).eligible).toBe(true);
    const x = await http('GET', `/members/${h.memberIds[0]}/eligible-packages?regionId=${REGION}`, { token: other.token });
    expect(x.status).toBe(404);
  });
});

describe('POST /agreements', () => {
  it('a free household agreement is active at once; the counter moves by the number of members; locks hold the agreement', async () => {
    const team = await arrangeTeam(10);
    const h = await household(2);
    const a = await sign(h.token, signRequest(team.teamId, h.memberIds));
    expect(a.status).toBe('active');
    expect(a.price.residentDueFen).toBe(0);
    expect(a.members).toHaveLength(2);
    expect(a.members[0].packages[0]).toMatchObject({ code: BASIC, autoIncluded: true });
    expect(a.members[0].packages[0].items.length).toBeGreaterThan(0);
    expect(a.members[0].idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(a)).not.toMatch(/idHash|birthDate/);
    expect(await teamCount(team.teamId)).toBe(2);
    const stored = (await storedItems(a.id)).find((i) => i.sk === 'AGR')!;
    for (const m of stored.members) expect((await lockOf(m.idHash))?.agreementId).toBe(a.id);
    expect(stored.policyVersion).toBeTruthy();
    expect(stored.cycleStart <= stored.cycleEnd).toBe(true);
  });

  it('a paid agreement is pending_payment with the resident’s due; the stored quote is the server’s, not the client’s', async () => {
    const team = await arrangeTeam(10);
    const h = await household(1, { age: 70 });
    const a = await sign(h.token, { ...signRequest(team.teamId, h.memberIds, [ELDERLY]), priceFen: 1 });
    expect(a.status).toBe('pending_payment');
    // The holder is not insured locally: liyang §三(一) moves the insurance share to the resident.
    expect(a.price.residentDueFen).toBe(10000);
    expect(a.pendingExpiresAt).toBeTruthy();
    expect(a.members[0].packages.map((p: any) => p.code).sort()).toEqual([ELDERLY, BASIC].sort());
    const pkg = a.members[0].packages.find((p: any) => p.code === ELDERLY);
    expect(pkg.items.find((i: any) => i.code === '160000002-c/2')).toMatchObject({ quantity: 1, per: 'year', promisedUnits: 1 });
  });

  it('replays the same idempotency key to the same agreement (200), never two', async () => {
    const team = await arrangeTeam(10);
    const h = await household(1);
    const body = signRequest(team.teamId, h.memberIds);
    const [x, y] = await Promise.all([http('POST', '/agreements', { token: h.token, body }), http('POST', '/agreements', { token: h.token, body })]);
    expect([x.status, y.status].sort()).toEqual([200, 201]);
    expect(x.body.id).toBe(y.body.id);
    const again = await http('POST', '/agreements', { token: h.token, body });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(x.body.id);
    expect(await teamCount(team.teamId)).toBe(1);
    const list = await http('GET', '/agreements', { token: h.token });
    expect(list.body.agreements).toHaveLength(1);
    const reused = await http('POST', '/agreements', { token: h.token, body: { ...body, members: [{ memberId: h.memberIds[0], packageCodes: [ELDERLY] }] } });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a full team answers 409 TEAM_FULL 团队已满', async () => {
    const team = await arrangeTeam(1, 1);
    const h = await household(1);
    const r = await http('POST', '/agreements', { token: h.token, body: signRequest(team.teamId, h.memberIds) });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('TEAM_FULL');
    expect(r.body.error.message).toContain('团队已满');
  });

  it('a person already signed cannot sign again with another team (409 ALREADY_SIGNED)', async () => {
    const t1 = await arrangeTeam(5);
    const t2 = await arrangeTeam(5);
    const h = await household(1);
    await sign(h.token, signRequest(t1.teamId, h.memberIds));
    const r = await http('POST', '/agreements', { token: h.token, body: signRequest(t2.teamId, h.memberIds) });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ALREADY_SIGNED');
    expect(r.body.error.message).toContain('已有生效或待支付的签约');
    expect(r.body.error.fields[0].path).toBe('members.0.memberId');
    expect(await teamCount(t2.teamId)).toBe(0);
  });

  it('an ineligible package is a 400 with the member’s field path and the policy’s Chinese reason', async () => {
    const team = await arrangeTeam(5);
    const h = await household(1, { age: 30 });
    const r = await http('POST', '/agreements', { token: h.token, body: signRequest(team.teamId, h.memberIds, [ELDERLY]) });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0]).toEqual({ path: 'members.0.packageCodes', message: expect.stringContaining('65岁') });
    expect(await teamCount(team.teamId)).toBe(0);
  });
});

describe('GET /agreements/{id}/document', () => {
  it('reads as the zhangjiagang-style agreement: 甲方, 乙方, content, fees, rights and duties, term, termination', async () => {
    const team = await arrangeTeam(5);
    const h = await household(1, { age: 70 });
    const a = await sign(h.token, signRequest(team.teamId, h.memberIds, [ELDERLY]));
    const d = await http('GET', `/agreements/${a.id}/document`, { token: h.token });
    expect(d.status).toBe(200);
    const headings = d.body.sections.map((s: any) => s.heading);
    expect(headings).toEqual(expect.arrayContaining(['甲方', '乙方', '一、协议服务内容', '二、服务费用', '三、权利与义务', '四、协议期限', '五、变更与解约']));
    expect(d.body.text).toContain('家庭医生签约服务协议书');
    expect(d.body.text).toContain('王医生');
    expect(d.body.text).toContain('甲方个人应缴：100元');
    expect(d.body.text).not.toMatch(/\d{17}[\dX]/);
    const t = await http('GET', `/agreement-text?regionId=${REGION}`);
    expect(t.status).toBe(200);
    expect(t.body.agreementTextVersion).toBe(a.consent.agreementTextVersion);
  });
});
