/**
 * Reports through the HTTP API (issue 8): population register upload (CSV, per-row errors,
 * all-or-nothing), report numbers from the counters written with each event, satisfaction and
 * complaints, CSV and XLSX exports.
 */
import { describe, expect, it } from 'vitest';
import { arrangeTeam } from './agreements.fixtures';
import { http, apiUrl } from './stack';
import { adminOf, countSigning, doctorOf, EXAM, PUSH, record, REFERRAL, REGION, service, signedHousehold, today } from './console.fixtures';
import { unzip } from '../functions/src/lib/zip';

const HEADER = '村民小组,常住户数,常住人口,重点人群人数,特殊人群人数,困难家庭户数';

async function upload(token: string, institutionId: string, csv: string, asJson = false) {
  if (asJson) return http('POST', `/institutions/${institutionId}/population-register`, { token, body: { csv } });
  return http('POST', `/institutions/${institutionId}/population-register`, { token, body: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } });
}

describe('population register upload', () => {
  it('accepts text/csv and JSON {csv}; totals are the denominators', async () => {
    const team = await arrangeTeam(10, 0, { regionId: REGION });
    const admin = await adminOf(team.institutionId);
    const r = await upload(admin, team.institutionId, `${HEADER}\r\n一组,100,300,120,6,4\r\n二组,50,150,60,2,1\r\n`);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.totals).toEqual({ groups: 2, households: 150, residents: 450, keyPersons: 180, specialPersons: 8, hardshipHouseholds: 5 });
    const j = await upload(admin, team.institutionId, `${HEADER}\n一组,10,30,12,1,1`, true);
    expect(j.status).toBe(201);
    const got = await http('GET', `/institutions/${team.institutionId}/population-register`, { token: admin });
    expect(got.body.totals.residents).toBe(30);
  });

  it('refuses a file with bad rows: one Chinese error per bad cell with line and column, nothing imported', async () => {
    const team = await arrangeTeam(10, 0, { regionId: REGION });
    const admin = await adminOf(team.institutionId);
    expect((await upload(admin, team.institutionId, `${HEADER}\n一组,10,30,12,1,1`)).status).toBe(201);
    const bad = await upload(admin, team.institutionId, `${HEADER}\n一组,10,30,12,1,1\n二组,10,abc,12,1,1\n三组,10,30,40,1,1\n一组,1,1,0,0,0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REGISTER_INVALID');
    expect(bad.body.error.fields.map((f: any) => f.path)).toEqual(['rows.3.常住人口', 'rows.4.重点人群人数', 'rows.5.村民小组']);
    expect(bad.body.error.fields[0].message).toBe('第3行「常住人口」：「abc」不是不小于0的整数');
    expect(bad.body.error.message).toMatch(/^人口登记表有3处错误，未导入任何数据/);
    const got = await http('GET', `/institutions/${team.institutionId}/population-register`, { token: admin });
    expect(got.body.totals).toMatchObject({ groups: 1, residents: 30 });
  });

  it('a missing header column, an empty body, another institution', async () => {
    const team = await arrangeTeam(10, 0, { regionId: REGION });
    const admin = await adminOf(team.institutionId);
    const noCol = await upload(admin, team.institutionId, '村民小组,常住人口\n一组,3');
    expect(noCol.status).toBe(400);
    expect(noCol.body.error.fields[0].path).toBe('rows.1.常住户数');
    const empty = await upload(admin, team.institutionId, '', true);
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0].path).toBe('csv');
    const other = await arrangeTeam(10, 0, { regionId: REGION });
    expect((await upload(admin, other.institutionId, `${HEADER}\n一组,10,30,12,1,1`)).status).toBe(403);
    expect((await upload(await doctorOf(team), team.institutionId, `${HEADER}\n一组,10,30,12,1,1`)).status).toBe(403);
  });
});

describe('monthly report numbers', () => {
  it('signing, coverage, fulfilment per item, referrals, satisfaction, complaints', async () => {
    const a = await signedHousehold(undefined, 2);
    const b = await signedHousehold(a.team, 1);
    await countSigning(a.agreement.id);
    await countSigning(b.agreement.id);
    const doctor = await doctorOf(a.team);
    const admin = await adminOf(a.team.institutionId);
    await upload(admin, a.team.institutionId, `${HEADER}\n一组,5,10,6,1,0`);

    const s1 = await record(doctor, a.agreement.id, service(a.h.memberIds[0]!));
    await record(doctor, a.agreement.id, service(a.h.memberIds[1]!, { itemCode: PUSH }));
    await record(doctor, b.agreement.id, service(b.h.memberIds[0]!, { itemCode: REFERRAL }));
    const wrong = await record(doctor, b.agreement.id, service(b.h.memberIds[0]!, { itemCode: PUSH, quantity: 3 }));
    await http('POST', `/agreements/${b.agreement.id}/services/${wrong.entry.entryId}/correct`, { token: doctor, body: { reason: '登记错误' } });

    // Ratings: 5 and 3 → satisfaction 50 %; a second rating of the same service is refused.
    const r1 = await http('POST', '/me/ratings', { token: a.h.token, body: { target: { kind: 'service', agreementId: a.agreement.id, entryId: s1.entry.entryId }, score: 5, comment: '王医生很耐心' } });
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    const again = await http('POST', '/me/ratings', { token: a.h.token, body: { target: { kind: 'service', agreementId: a.agreement.id, entryId: s1.entry.entryId }, score: 1 } });
    expect(again.status).toBe(409);
    const bEntries = (await http('GET', `/me/agreements/${b.agreement.id}/progress`, { token: b.h.token })).body.entries;
    const live = bEntries.find((e: any) => !e.voided);
    expect((await http('POST', '/me/ratings', { token: b.h.token, body: { target: { kind: 'service', agreementId: b.agreement.id, entryId: live.entryId }, score: 3 } })).status).toBe(201);
    const voided = bEntries.find((e: any) => e.voided);
    expect((await http('POST', '/me/ratings', { token: b.h.token, body: { target: { kind: 'service', agreementId: b.agreement.id, entryId: voided.entryId }, score: 5 } })).status).toBe(409);
    expect((await http('POST', '/me/ratings', { token: b.h.token, body: { target: { kind: 'service', agreementId: a.agreement.id, entryId: s1.entry.entryId }, score: 5 } })).status).toBe(404);
    const badScore = await http('POST', '/me/ratings', { token: b.h.token, body: { target: { kind: 'service', agreementId: b.agreement.id, entryId: live.entryId }, score: 6 } });
    expect(badScore.status).toBe(400);
    expect(badScore.body.error.fields[0]).toMatchObject({ path: 'score', message: '评分须为1～5的整数' });
    const rated = (await http('GET', `/me/agreements/${a.agreement.id}/progress`, { token: a.h.token })).body.entries.find((e: any) => e.entryId === s1.entry.entryId);
    expect(rated.rated).toBe(true);

    // A complaint reaches the institution admin, who replies; the resident sees the reply.
    const c = await http('POST', '/me/complaints', { token: b.h.token, body: { agreementId: b.agreement.id, category: 'attitude', content: '随访时医生态度不好' } });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const inbox = await http('GET', `/institutions/${a.team.institutionId}/complaints?status=open`, { token: admin });
    expect(inbox.body.complaints.map((x: any) => x.id)).toEqual([c.body.id]);
    expect(inbox.body.complaints[0]).toMatchObject({ categoryLabel: '服务态度', statusLabel: '待处理', content: '随访时医生态度不好' });
    const handled = await http('POST', `/institutions/${a.team.institutionId}/complaints/${c.body.id}/handle`, { token: admin, body: { reply: '已约谈团队并回访居民' } });
    expect(handled.status).toBe(200);
    expect((await http('POST', `/institutions/${a.team.institutionId}/complaints/${c.body.id}/handle`, { token: admin, body: { reply: '再次处理一下' } })).status).toBe(409);
    const mine = await http('GET', '/me/complaints', { token: b.h.token });
    expect(mine.body.complaints[0]).toMatchObject({ status: 'handled', reply: '已约谈团队并回访居民' });
    expect((await http('POST', '/me/complaints', { token: b.h.token, body: { agreementId: a.agreement.id, category: 'other', content: '投诉别人的团队' } })).status).toBe(404);

    const month = today().slice(0, 7);
    const rep = await http('GET', `/institutions/${a.team.institutionId}/reports?month=${month}`, { token: admin });
    expect(rep.status, JSON.stringify(rep.body)).toBe(200);
    const r = rep.body;
    expect(r.signed).toMatchObject({ households: 2, persons: 3, keyPersons: 3 });
    expect(r.coverage.find((x: any) => x.population === 'overall')).toMatchObject({ numerator: 3, denominator: 10, percent: 30, target: { minPercent: 30 }, meetsTarget: true });
    expect(r.coverage.find((x: any) => x.population === 'key')).toMatchObject({ numerator: 3, denominator: 6, percent: 50, meetsTarget: false });
    expect(r.fulfilment.find((f: any) => f.itemCode === EXAM)).toMatchObject({ numerator: 1, denominator: 3 });
    expect(r.fulfilment.find((f: any) => f.itemCode === PUSH)).toMatchObject({ numerator: 1, denominator: 12 });
    expect(r.referrals).toEqual({ month: 1, last12: 1 });
    expect(r.satisfaction).toMatchObject({ month: { numerator: 1, denominator: 2, percent: 50 }, target: 85, meetsTarget: false });
    expect(r.complaints).toEqual({ month: 1, handled: 1 });
    expect(r.trend.at(-1)).toMatchObject({ month, newHouseholds: 2, services: 3, referrals: 1 });
    expect(r.forms.zjg5.title).toBe('社区医生个性化家庭签约服务情况月报表');
    expect(r.itemsRead).toBeLessThan(20);

    // Exports: CSV (BOM, Chinese) and XLSX (a zip whose sheet holds the cells).
    const csv = await fetch(`${apiUrl()}/institutions/${a.team.institutionId}/reports/export?month=${month}&form=summary&format=csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment/);
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.startsWith('\ufeff家庭医生签约服务月度报表')).toBe(true);
    expect(text).toContain('签约人数,3,');
    const xl = await fetch(`${apiUrl()}/institutions/${a.team.institutionId}/reports/export?month=${month}&form=zjg4&format=xlsx`, { headers: { authorization: `Bearer ${admin}` } });
    expect(xl.status).toBe(200);
    const files = new Map(unzip(Buffer.from(await xl.arrayBuffer())).map((e) => [e.name, e.data.toString('utf8')]));
    expect(files.get('xl/worksheets/sheet1.xml')).toContain('大病困难群众、计生特殊困难家庭家庭医生签约服务情况月报表');
    expect(files.get('xl/workbook.xml')).toContain('附件4');
    const badForm = await http('GET', `/institutions/${a.team.institutionId}/reports/export?month=2026-13&form=x&format=pdf`, { token: admin });
    expect(badForm.status).toBe(400);
    expect(badForm.body.error.fields.map((f: any) => f.path).sort()).toEqual(['query.form', 'query.format', 'query.month']);
  });
});
