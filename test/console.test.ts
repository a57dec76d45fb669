/**
 * Clinic console through the HTTP API (issue 8): recording services, corrections that void,
 * progress numbers for staff and the resident, bad input, scoping of every role, the access log.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { addDays } from '@jiayi/shared/domain/dates';
import { arrangeTeam, storedItems } from './agreements.fixtures';
import { http, staffLogin } from './stack';
import { adminOf, doctorOf, EXAM, PUSH, record, REGION, service, signedHousehold, today } from './console.fixtures';

const item = (progress: any, code: string) => progress.members[0].packages.flatMap((p: any) => p.items).find((i: any) => i.itemCode === code);

describe('recording services and the resident’s progress', () => {
  it('a team doctor records a service; staff and resident both see 已完成 1/1 and the push item 0/4', async () => {
    const { team, h, agreement } = await signedHousehold();
    const doctor = await doctorOf(team);
    const out = await record(doctor, agreement.id, service(h.memberIds[0]!, { note: '血压正常' }));
    expect(out.entry).toMatchObject({ itemCode: EXAM, quantity: 1, memberId: h.memberIds[0], staff: { name: '王建国' }, voided: false, evidence: { kind: 'ss_card', kindLabel: '社会保障卡' } });
    expect(item(out.progress, EXAM)).toMatchObject({ promised: 1, delivered: 1, status: 'done' });

    const mine = await http('GET', `/me/agreements/${agreement.id}/progress`, { token: h.token });
    expect(mine.status).toBe(200);
    expect(item(mine.body, EXAM).label).toMatch(/已完成 1\/1 次$/);
    expect(item(mine.body, PUSH)).toMatchObject({ promised: 4, delivered: 0, label: '健康知识推送服务 已完成 0/4 条' });
    expect(mine.body.entries[0]).toMatchObject({ itemCode: EXAM, rated: false });

    // The entry sits under the agreement as the signing engineer's reader expects.
    const stored = (await storedItems(agreement.id)).filter((i) => String(i.sk).startsWith('SVC#'));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.sk).toBe(`SVC#${today()}#${out.entry.entryId}`);
    expect(stored[0]).toMatchObject({ memberId: h.memberIds[0], itemCode: EXAM, quantity: 1 });
  });

  it('counts several units and several entries per item (2 of 4 pushes)', async () => {
    const { team, h, agreement } = await signedHousehold();
    const doctor = await doctorOf(team, 'team_assistant');
    await record(doctor, agreement.id, service(h.memberIds[0]!, { itemCode: PUSH }));
    const out = await record(doctor, agreement.id, service(h.memberIds[0]!, { itemCode: PUSH }));
    expect(item(out.progress, PUSH)).toMatchObject({ delivered: 2, promised: 4, label: '健康知识推送服务 已完成 2/4 条' });
  });

  it('a resident cannot read another household’s progress', async () => {
    const a = await signedHousehold();
    const b = await signedHousehold();
    const r = await http('GET', `/me/agreements/${a.agreement.id}/progress`, { token: b.h.token });
    expect(r.status).toBe(404);
  });
});

describe('corrections are new entries that void old ones', () => {
  it('voids the old entry, writes the corrected one pointing at it, and the numbers follow', async () => {
    const { team, h, agreement } = await signedHousehold();
    const doctor = await doctorOf(team);
    const first = await record(doctor, agreement.id, service(h.memberIds[0]!, { itemCode: PUSH, quantity: 2 }));
    const c = await http('POST', `/agreements/${agreement.id}/services/${first.entry.entryId}/correct`, {
      token: doctor,
      body: { reason: '次数登记错误', replacement: service(h.memberIds[0]!, { itemCode: PUSH, quantity: 1 }) },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(item(c.body, PUSH).delivered).toBe(1);
    const old = c.body.entries.find((e: any) => e.entryId === first.entry.entryId);
    const neu = c.body.entries.find((e: any) => e.voids === first.entry.entryId);
    expect(old).toMatchObject({ voided: true, voidReason: '次数登记错误', quantity: 2 });
    expect(neu).toMatchObject({ voided: false, quantity: 1 });

    const stored = (await storedItems(agreement.id)).filter((i) => String(i.sk).startsWith('SVC#'));
    expect(stored).toHaveLength(2);
    expect(stored.find((i) => i.entryId === first.entry.entryId)).toMatchObject({ voided: true, quantity: 2, itemCode: PUSH });

    // A voided entry cannot be corrected again; a plain void (no replacement) takes the units off.
    const again = await http('POST', `/agreements/${agreement.id}/services/${first.entry.entryId}/correct`, { token: doctor, body: { reason: '再次更正' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ENTRY_ALREADY_VOIDED');
    const plain = await http('POST', `/agreements/${agreement.id}/services/${neu.entryId}/correct`, { token: doctor, body: { reason: '误登记，作废' } });
    expect(plain.status).toBe(200);
    expect(item(plain.body, PUSH).delivered).toBe(0);

    const mine = await http('GET', `/me/agreements/${agreement.id}/progress`, { token: h.token });
    expect(item(mine.body, PUSH).delivered).toBe(0);
  });

  it('two concurrent corrections of one entry: exactly one wins', async () => {
    const { team, h, agreement } = await signedHousehold();
    const doctor = await doctorOf(team);
    const first = await record(doctor, agreement.id, service(h.memberIds[0]!, { itemCode: PUSH }));
    const rs = await Promise.all(
      [1, 2].map(() => http('POST', `/agreements/${agreement.id}/services/${first.entry.entryId}/correct`, { token: doctor, body: { reason: '并发更正', replacement: service(h.memberIds[0]!, { itemCode: PUSH }) } })),
    );
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409]);
    const stored = (await storedItems(agreement.id)).filter((i) => String(i.sk).startsWith('SVC#'));
    expect(stored).toHaveLength(2);
  });
});

describe('bad input → 400 with field path and Chinese message, nothing written', () => {
  it.each([
    ['an item not in the member’s packages', { itemCode: 'JL-PERSONAL/1' }, 'itemCode', '该服务项目不在该成员签约的服务包内'],
    ['a date in the future', { date: addDays(today(), 1) }, 'date', '服务日期不能晚于今天'],
    ['a date before the agreement’s cycle', { date: addDays(today(), -1) }, 'date', '服务日期不在协议服务周期内'],
    ['a malformed date', { date: '2026-02-30' }, 'date', '服务日期格式应为YYYY-MM-DD'],
    ['no evidence', { evidence: undefined }, 'evidence', '请填写服务凭证（刷卡记录）'],
    ['a bad evidence number', { evidence: { kind: 'ss_card', reference: '1' } }, 'evidence.reference', '凭证号至少4位'],
    ['a zero quantity', { quantity: 0 }, 'quantity', '服务次数至少为1'],
    ['a member outside the agreement', { memberId: 'someone-else' }, 'memberId', '该成员不在此签约协议中'],
  ])('%s', async (_n, patch, path, message) => {
    const { team, h, agreement } = await signedHousehold();
    const doctor = await doctorOf(team);
    const body = { ...service(h.memberIds[0]!), ...patch };
    const r = await http('POST', `/agreements/${agreement.id}/services`, { token: doctor, body });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    const f = r.body.error.fields.find((x: any) => x.path === path);
    expect(f, JSON.stringify(r.body.error.fields)).toBeTruthy();
    expect(f.message).toContain(message);
    expect((await storedItems(agreement.id)).filter((i) => String(i.sk).startsWith('SVC#'))).toHaveLength(0);
  });

  it('malformed JSON and an unknown agreement', async () => {
    const { team } = await signedHousehold();
    const doctor = await doctorOf(team);
    const bad = await http('POST', `/agreements/x/services`, { token: doctor, body: '{"memberId":' });
    expect(bad.status).toBe(400);
    const missing = await http('POST', `/agreements/${randomUUID()}/services`, { token: doctor, body: service('m') });
    expect(missing.status).toBe(404);
  });
});

describe('ratings: bad targets', () => {
  it('an unknown appointment is 404; a missing target or a bad score is 400 with Chinese messages', async () => {
    const { h } = await signedHousehold();
    const none = await http('POST', '/me/ratings', { token: h.token, body: { target: { kind: 'appointment', appointmentId: randomUUID() }, score: 5 } });
    expect(none.status).toBe(404);
    const bad = await http('POST', '/me/ratings', { token: h.token, body: { score: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.path).sort()).toEqual(['score', 'target']);
    for (const f of bad.body.error.fields) expect(f.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('scoping: each role sees only its own team / institution / region', () => {
  it('a doctor of another team cannot read or write this team’s residents', async () => {
    const { team, h, agreement } = await signedHousehold();
    const otherTeam = await arrangeTeam(10, 0, { regionId: REGION, institutionId: team.institutionId });
    const other = await doctorOf(otherTeam);
    for (const [method, path, body] of [
      ['GET', `/agreements/${agreement.id}/services`, undefined],
      ['POST', `/agreements/${agreement.id}/services`, service(h.memberIds[0]!)],
      ['GET', `/teams/${team.teamId}/due`, undefined],
    ] as const) {
      const r = await http(method, path, { token: other, body });
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe('OUT_OF_SCOPE');
    }
    // … while its own doctor can, and the institution admin of the same institution can too.
    expect((await http('GET', `/teams/${team.teamId}/due`, { token: await doctorOf(team) })).status).toBe(200);
    expect((await http('GET', `/agreements/${agreement.id}/services`, { token: await adminOf(team.institutionId) })).status).toBe(200);
  });

  it('an institution admin cannot read another institution’s residents or reports', async () => {
    const { team, agreement } = await signedHousehold();
    const foreign = await adminOf(randomUUID());
    const month = today().slice(0, 7);
    for (const path of [`/agreements/${agreement.id}/services`, `/teams/${team.teamId}/due`, `/institutions/${team.institutionId}/reports?month=${month}`, `/institutions/${team.institutionId}/complaints`]) {
      const r = await http('GET', path, { token: foreign });
      expect(r.status, path).toBe(403);
    }
    expect((await http('GET', `/institutions/${team.institutionId}/reports?month=${month}`, { token: await adminOf(team.institutionId) })).status).toBe(200);
  });

  it('a region admin covers the region’s institutions but not another region', async () => {
    const { team } = await signedHousehold();
    const month = today().slice(0, 7);
    const mine = await staffLogin({ id: `reg-${randomUUID()}`, role: 'region_admin', regionId: REGION });
    const theirs = await staffLogin({ id: `reg-${randomUUID()}`, role: 'region_admin', regionId: 'weihai-2023' });
    expect((await http('GET', `/institutions/${team.institutionId}/reports?month=${month}`, { token: mine })).status).toBe(200);
    expect((await http('GET', `/institutions/${team.institutionId}/reports?month=${month}`, { token: theirs })).status).toBe(403);
  });

  it('residents cannot reach staff routes, staff cannot reach resident routes, nobody without a token', async () => {
    const { team, h, agreement } = await signedHousehold();
    const month = today().slice(0, 7);
    for (const [method, path] of [
      ['GET', `/agreements/${agreement.id}/services`],
      ['POST', `/agreements/${agreement.id}/services`],
      ['GET', `/teams/${team.teamId}/due`],
      ['GET', `/institutions/${team.institutionId}/reports?month=${month}`],
      ['POST', `/institutions/${team.institutionId}/population-register`],
      ['GET', `/institutions/${team.institutionId}/complaints`],
    ] as const) {
      const r = await http(method, path, { token: h.token, body: method === 'POST' ? service(h.memberIds[0]!) : undefined });
      expect(r.status, path).toBe(403);
      expect((await http(method, path)).status, path).toBe(401);
    }
    const doctor = await doctorOf(team);
    expect((await http('GET', `/me/agreements/${agreement.id}/progress`, { token: doctor })).status).toBe(403);
  });

  it('team staff may not read reports (institution and region admins only)', async () => {
    const { team } = await signedHousehold();
    const r = await http('GET', `/institutions/${team.institutionId}/reports?month=${today().slice(0, 7)}`, { token: await doctorOf(team) });
    expect(r.status).toBe(403);
  });
});

describe('due list and access log', () => {
  it('the team’s residents with due items; every staff read is in the resident’s access log', async () => {
    const { team, h, agreement } = await signedHousehold();
    const doctor = await doctorOf(team);
    const all = await http('GET', `/teams/${team.teamId}/due`, { token: doctor });
    expect(all.status).toBe(200);
    const row = all.body.residents.find((r: any) => r.agreementId === agreement.id);
    expect(row.members[0]).toMatchObject({ memberId: h.memberIds[0], dueCount: 0, overdueCount: 0 });
    // Signed today: the year's exam falls due by the cycle end, the first quarterly tip after 3 months — nothing due yet.
    const due = await http('GET', `/teams/${team.teamId}/due?filter=due`, { token: doctor });
    expect(due.body.residents.find((r: any) => r.agreementId === agreement.id)).toBeUndefined();
    const bad = await http('GET', `/teams/${team.teamId}/due?filter=soon&limit=500`, { token: doctor });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.path).sort()).toEqual(['query.filter', 'query.limit']);

    const log = await http('GET', '/me/access-log', { token: h.token });
    expect(log.status).toBe(200);
    expect(log.body.entries[0]).toMatchObject({ staffName: '王建国', roleName: '团队医生', what: '签约服务包、履约服务记录' });
  });
});
