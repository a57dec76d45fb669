/**
 * Malformed requests get a 4xx with a field path and a Chinese message, and write nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@jiayi/shared/domain/dates';
import { makeIdNumber } from '@jiayi/shared/domain/identity/id-number';
import { http } from './stack';
import { addMember, freshId, identityOf, memberBody, partitionItems, resident, today, withWrongCheckChar, type Resident } from './residents.fixtures';

const HAN = /[\u4e00-\u9fff]/;
const A_ID = freshId();
let a: Resident;
let member: any;
let itemsBefore: string;

const snapshot = async () => JSON.stringify((await partitionItems(a.accountId)).sort((x, y) => String(x.sk).localeCompare(String(y.sk))));

beforeAll(async () => {
  a = await resident({ idNumber: A_ID });
  member = await addMember(a, memberBody(freshId()));
  itemsBefore = await snapshot();
});

const tomorrowId = () => makeIdNumber({ region: '320481', birthDate: addDays(today(), 1), seq: 7, sex: 'M' });

describe('bad input → 4xx with field path and Chinese message, nothing written', () => {
  const cases: Array<{ name: string; method: string; path: () => string; body: unknown; status: number; field: string; message?: string }> = [
    { name: 'bad JSON on PUT /me/identity', method: 'PUT', path: () => '/me/identity', body: '{"name": "张三",', status: 400, field: '', message: '请求内容不是有效的 JSON' },
    { name: 'bad JSON on POST /me/members', method: 'POST', path: () => '/me/members', body: '{oops', status: 400, field: '', message: '请求内容不是有效的 JSON' },
    { name: 'bad JSON on PUT /me/members/{id}', method: 'PUT', path: () => `/me/members/${member.memberId}`, body: 'not json', status: 400, field: '' },
    { name: 'bad JSON on POST /me/consents', method: 'POST', path: () => '/me/consents', body: '[', status: 400, field: '' },
    { name: 'bad JSON on POST /me/privacy', method: 'POST', path: () => '/me/privacy', body: '{', status: 400, field: '' },
    { name: 'a JSON array as body', method: 'PUT', path: () => '/me/identity', body: '[1,2]', status: 400, field: '', message: '请求内容格式有误，应为JSON对象' },
    { name: 'identity: name is a number', method: 'PUT', path: () => '/me/identity', body: { ...identityOf(A_ID), name: 42 }, status: 400, field: 'name', message: '姓名格式有误，应为文本' },
    { name: 'identity: ID number is a number', method: 'PUT', path: () => '/me/identity', body: { ...identityOf(A_ID), idNumber: 320481199001011 }, status: 400, field: 'idNumber', message: '身份证号码格式有误，应为文本' },
    { name: 'identity: wrong check character', method: 'PUT', path: () => '/me/identity', body: identityOf(withWrongCheckChar(freshId())), status: 400, field: 'idNumber', message: '身份证号码校验位错误，请核对最后一位' },
    { name: 'identity: birth date tomorrow', method: 'PUT', path: () => '/me/identity', body: identityOf(tomorrowId()), status: 400, field: 'idNumber', message: '出生日期不能晚于今天，请核对身份证号码' },
    { name: 'identity: expired residence permit', method: 'PUT', path: () => '/me/identity', body: { ...identityOf(freshId()), basis: { kind: 'residence_permit', permitNumber: 'A1234567', expiresOn: addDays(today(), -1) } }, status: 400, field: 'basis.expiresOn', message: '居住证已过期，请更新居住证信息后再办理' },
    { name: 'identity: bad mobile', method: 'PUT', path: () => '/me/identity', body: { ...identityOf(freshId()), mobile: '12345' }, status: 400, field: 'mobile', message: '请输入正确的11位手机号码' },
    { name: 'member: conditions not a list', method: 'POST', path: () => '/me/members', body: memberBody(freshId(), { conditions: 'hypertension' }), status: 400, field: 'conditions', message: '健康状况格式有误，应为列表' },
    { name: 'member: unknown condition', method: 'POST', path: () => '/me/members', body: memberBody(freshId(), { conditions: ['flu'] }), status: 400, field: 'conditions.0', message: '健康状况选项无效' },
    { name: 'member: insuredLocally a string', method: 'POST', path: () => '/me/members', body: memberBody(freshId(), { insuredLocally: 'yes' }), status: 400, field: 'insuredLocally' },
    { name: 'member: invalid ID', method: 'POST', path: () => '/me/members', body: memberBody(withWrongCheckChar(freshId())), status: 400, field: 'idNumber', message: '身份证号码校验位错误，请核对最后一位' },
    { name: 'member: 15-digit ID', method: 'POST', path: () => '/me/members', body: memberBody('320481900101123'), status: 400, field: 'idNumber', message: '15位旧身份证号码已停用，请使用18位身份证号码' },
    { name: 'member: future birth date', method: 'POST', path: () => '/me/members', body: memberBody(tomorrowId(), { relation: '子女' }), status: 400, field: 'idNumber', message: '出生日期不能晚于今天，请核对身份证号码' },
    { name: 'member: unknown relation', method: 'POST', path: () => '/me/members', body: memberBody(freshId(), { relation: '邻居' }), status: 400, field: 'relation' },
    { name: 'member: consents not a list', method: 'POST', path: () => '/me/members', body: memberBody(freshId(), { consents: 'yes' }), status: 400, field: 'consents' },
    { name: 'member update: invalid ID', method: 'PUT', path: () => `/me/members/${member.memberId}`, body: { idNumber: withWrongCheckChar(freshId()) }, status: 400, field: 'idNumber' },
    { name: 'member update: future birth date', method: 'PUT', path: () => `/me/members/${member.memberId}`, body: { idNumber: tomorrowId() }, status: 400, field: 'idNumber', message: '出生日期不能晚于今天，请核对身份证号码' },
    { name: 'member update: nothing to change', method: 'PUT', path: () => `/me/members/${member.memberId}`, body: {}, status: 400, field: '', message: '没有需要修改的内容' },
    { name: 'member id with bad characters', method: 'PUT', path: () => '/me/members/a%20b', body: { name: '王五' }, status: 400, field: 'params.memberId' },
    { name: 'consent: unknown purpose', method: 'POST', path: () => '/me/consents', body: { purpose: 'marketing', version: 'x', action: 'grant' }, status: 400, field: 'purpose', message: '授权事项无效' },
    { name: 'consent: sms for a member', method: 'POST', path: () => '/me/consents', body: { purpose: 'sms', version: 'x', action: 'withdraw', memberId: 'placeholder' }, status: 404, field: '' },
    { name: 'privacy: version a number', method: 'POST', path: () => '/me/privacy', body: { version: 1 }, status: 400, field: 'version' },
    { name: 'member: duplicate ID (own household)', method: 'POST', path: () => '/me/members', body: memberBody(A_ID), status: 409, field: 'idNumber', message: '该证件号码已登记在您的家庭成员中' },
  ];

  it.each(cases)('$name → $status $field', async (c) => {
    const r = await http(c.method, c.path(), { token: a.token, body: c.body });
    expect(r.status, JSON.stringify(r.body)).toBe(c.status);
    expect(r.body.error.message).toMatch(HAN);
    if (c.status === 400) {
      expect(r.body.error.fields.map((f: any) => f.path)).toContain(c.field);
      for (const f of r.body.error.fields) expect(f.message).toMatch(HAN);
    }
    if (c.message) expect(r.body.error.fields.find((f: any) => f.path === c.field)?.message ?? r.body.error.message).toBe(c.message);
    expect(await snapshot()).toBe(itemsBefore);
  });

  it('sms consent is the holder\'s own, not a member\'s', async () => {
    const r = await http('POST', '/me/consents', { token: a.token, body: { purpose: 'sms', version: 'x', action: 'withdraw', memberId: member.memberId } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toEqual([{ path: 'purpose', message: '短信通知只能由账号本人授权' }]);
    expect(await snapshot()).toBe(itemsBefore);
  });
});
