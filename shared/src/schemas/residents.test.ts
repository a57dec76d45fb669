import { describe, expect, it } from 'vitest';
import { ZodError, type ZodType } from 'zod';
import {
  authWechatBody,
  consentBody,
  identityBody,
  identityIssuesOn,
  maskedIdNumber,
  maskIdNumber,
  maskMobile,
  memberCreateBody,
  memberIssuesOn,
  memberResponse,
  memberUpdateBody,
  zodIssuesToFields,
} from './residents';
import { makeIdNumber } from '../domain/identity/id-number';

// Deliberately NOT calling installZhErrors() here: field schemas must speak Chinese on their own.
// (zh-fallback behaviour with the global map installed is covered at the end of this file.)

const ID = '320481199001011234';
const TODAY = '2026-11-20';

function fieldsOf(schema: ZodType, value: unknown) {
  const r = schema.safeParse(value);
  if (r.success) throw new Error(`expected failure, got ${JSON.stringify(r.data)}`);
  return zodIssuesToFields(r.error);
}

const HAN = /[\u4e00-\u9fff]/;

const identity = {
  name: '张三',
  idNumber: ID,
  mobile: '13812345678',
  basis: { kind: 'local_hukou' },
};

describe('identityBody', () => {
  it('accepts and normalises a valid body', () => {
    const out = identityBody.parse({
      name: ' 买买提•艾力 ',
      idNumber: ' 11010519491231002x ',
      mobile: '+86 138-1234-5678',
      basis: { kind: 'residence_permit', permitNumber: 'js320481abc', expiresOn: '2027-06-30' },
    });
    expect(out).toEqual({
      name: '买买提·艾力',
      idNumber: '11010519491231002X',
      mobile: '13812345678',
      basis: { kind: 'residence_permit', permitNumber: 'JS320481ABC', expiresOn: '2027-06-30' },
    });
  });

  it.each([
    ['Han name', '欧阳娜娜'],
    ['Latin letters with space', 'CHAN Tai Man'],
    ['minority name with ·', '阿依古丽·买买提'],
    ['rare character outside the BMP counts once', '𠮷一'],
    ['30 characters', '张'.repeat(30)],
  ])('name: %s', (_n, name) => {
    expect(identityBody.safeParse({ ...identity, name }).success).toBe(true);
  });

  const cases: Array<{ name: string; patch: Record<string, unknown>; path: string; message: string }> = [
    { name: 'name missing', patch: { name: undefined }, path: 'name', message: '请填写姓名' },
    { name: 'name is a number', patch: { name: 42 }, path: 'name', message: '姓名格式有误，应为文本' },
    { name: 'name one character', patch: { name: '张' }, path: 'name', message: '姓名至少2个字' },
    { name: 'name blank', patch: { name: '   ' }, path: 'name', message: '请填写姓名' },
    { name: 'name 31 characters', patch: { name: '张'.repeat(31) }, path: 'name', message: '姓名不能超过30个字' },
    { name: 'name with digits', patch: { name: '张三3' }, path: 'name', message: '姓名只能包含汉字、字母和间隔号“·”' },
    { name: 'name leading dot', patch: { name: '·张三' }, path: 'name', message: '姓名只能包含汉字、字母和间隔号“·”' },
    { name: 'id number missing', patch: { idNumber: undefined }, path: 'idNumber', message: '请填写身份证号码' },
    { name: 'id number as number', patch: { idNumber: Number('320481199001011234') }, path: 'idNumber', message: '身份证号码格式有误，应为文本' },
    { name: 'id number wrong check char', patch: { idNumber: '320481199001011235' }, path: 'idNumber', message: '身份证号码校验位错误，请核对最后一位' },
    { name: 'id number 15 digits', patch: { idNumber: '320481900101123' }, path: 'idNumber', message: '15位旧身份证号码已停用，请使用18位身份证号码' },
    { name: 'id number 30 Feb', patch: { idNumber: '320481199002301234' }, path: 'idNumber', message: '身份证号码中的出生日期无效' },
    { name: 'mobile 10 digits', patch: { mobile: '1381234567' }, path: 'mobile', message: '请输入正确的11位手机号码' },
    { name: 'mobile starting 12', patch: { mobile: '12812345678' }, path: 'mobile', message: '请输入正确的11位手机号码' },
    { name: 'mobile as number', patch: { mobile: 13812345678 }, path: 'mobile', message: '手机号码格式有误，应为文本' },
    { name: 'basis missing', patch: { basis: undefined }, path: 'basis', message: '请选择户籍类型' },
    { name: 'basis unknown kind', patch: { basis: { kind: 'passport' } }, path: 'basis.kind', message: '户籍类型应为本地户籍或居住证' },
    { name: 'permit without number', patch: { basis: { kind: 'residence_permit', expiresOn: '2027-01-01' } }, path: 'basis.permitNumber', message: '请填写居住证号码' },
    { name: 'permit bad date', patch: { basis: { kind: 'residence_permit', permitNumber: 'A123456', expiresOn: '2027-02-30' } }, path: 'basis.expiresOn', message: '居住证有效期格式应为YYYY-MM-DD，且为有效日期' },
    { name: 'permit number too short', patch: { basis: { kind: 'residence_permit', permitNumber: 'A1', expiresOn: '2027-01-01' } }, path: 'basis.permitNumber', message: '居住证号码格式有误' },
  ];
  it.each(cases)('$name → $path: $message', (c) => {
    const fields = fieldsOf(identityBody, { ...identity, ...c.patch });
    expect(fields).toContainEqual({ path: c.path, message: c.message });
  });

  it('a non-object body gets a Chinese message at the root', () => {
    expect(fieldsOf(identityBody, [1, 2])).toEqual([{ path: '', message: '请求内容格式有误，应为JSON对象' }]);
    expect(fieldsOf(identityBody, undefined)).toEqual([{ path: '', message: '请求内容不能为空' }]);
  });

  it('every message is Chinese, also for all-wrong input', () => {
    const fields = fieldsOf(identityBody, { name: 1, idNumber: true, mobile: [], basis: 'x' });
    expect(fields.map((f) => f.path).sort()).toEqual(['basis', 'idNumber', 'mobile', 'name']);
    for (const f of fields) expect(f.message).toMatch(HAN);
  });
});

describe('identityIssuesOn (today-dependent checks)', () => {
  it('accepts a valid identity', () => {
    expect(identityIssuesOn({ idNumber: ID, basis: { kind: 'local_hukou' } }, TODAY)).toEqual([]);
  });
  it('a permit expiring today is still valid', () => {
    expect(identityIssuesOn({ idNumber: ID, basis: { kind: 'residence_permit', permitNumber: 'A123456', expiresOn: TODAY } }, TODAY)).toEqual([]);
  });
  it('rejects an expired permit and a future birth date, with paths', () => {
    const future = makeIdNumber({ region: '320481', birthDate: '2026-11-21', seq: 0, sex: 'F' });
    expect(identityIssuesOn({ idNumber: future, basis: { kind: 'residence_permit', permitNumber: 'A123456', expiresOn: '2026-11-19' } }, TODAY)).toEqual([
      { path: 'idNumber', message: '出生日期不能晚于今天，请核对身份证号码' },
      { path: 'basis.expiresOn', message: '居住证已过期，请更新居住证信息后再办理' },
    ]);
  });
  it('memberIssuesOn', () => {
    const future = makeIdNumber({ region: '320481', birthDate: '2027-01-01', seq: 0, sex: 'F' });
    expect(memberIssuesOn({ idNumber: future }, TODAY)).toEqual([{ path: 'idNumber', message: '出生日期不能晚于今天，请核对身份证号码' }]);
    expect(memberIssuesOn({}, TODAY)).toEqual([]);
    expect(memberIssuesOn({ idNumber: ID }, TODAY)).toEqual([]);
  });
});

describe('authWechatBody and consentBody', () => {
  it('auth code', () => {
    expect(authWechatBody.parse({ code: ' 081abc ' })).toEqual({ code: '081abc' });
    expect(fieldsOf(authWechatBody, {})).toEqual([{ path: 'code', message: '请填写登录凭证' }]);
    expect(fieldsOf(authWechatBody, { code: '' })).toEqual([{ path: 'code', message: '缺少登录凭证，请重新登录' }]);
    expect(fieldsOf(authWechatBody, { code: 123 })).toEqual([{ path: 'code', message: '登录凭证格式有误，应为文本' }]);
  });
  it('consent grant for a member', () => {
    expect(consentBody.parse({ purpose: 'health_conditions', version: '2026-11-01', action: 'grant', memberId: 'mem_1' })).toEqual({
      purpose: 'health_conditions',
      version: '2026-11-01',
      action: 'grant',
      memberId: 'mem_1',
    });
  });
  it.each([
    [{ purpose: 'marketing', version: 'v', action: 'grant' }, 'purpose', '授权事项无效'],
    [{ purpose: 'sms', version: 'v', action: 'accept' }, 'action', '操作应为同意或撤回'],
    [{ purpose: 'sms', action: 'grant' }, 'version', '请填写授权版本'],
    [{ purpose: 'sms', version: 'v', action: 'grant', memberId: 'a/b' }, 'memberId', '家庭成员编号格式有误'],
  ])('consent body %o → %s', (value, path, message) => {
    expect(fieldsOf(consentBody, value)).toContainEqual({ path, message });
  });
});

describe('member bodies', () => {
  const member = { relation: '子女', name: '张小明', idNumber: makeIdNumber({ region: '320481', birthDate: '2018-06-01', seq: 5, sex: 'M' }), insuredLocally: true, localHukou: true };

  it('create: arrays default to empty, duplicates dropped', () => {
    expect(memberCreateBody.parse(member)).toEqual({ ...member, conditions: [], statuses: [], consents: [] });
    expect(memberCreateBody.parse({ ...member, conditions: ['hypertension', 'hypertension', 'diabetes_t2'], statuses: ['dibao'] })).toMatchObject({
      conditions: ['hypertension', 'diabetes_t2'],
      statuses: ['dibao'],
    });
  });

  it.each([
    [{ relation: '邻居' }, 'relation', '与您的关系应为本人、配偶、子女、父母或其他'],
    [{ relation: undefined }, 'relation', '请选择与您的关系'],
    [{ conditions: ['flu'] }, 'conditions.0', '健康状况选项无效'],
    [{ conditions: 'hypertension' }, 'conditions', '健康状况格式有误，应为列表'],
    [{ statuses: ['rich'] }, 'statuses.0', '特殊人群身份选项无效'],
    [{ insuredLocally: 'yes' }, 'insuredLocally', '是否参加本地基本医疗保险应为是或否（true/false）'],
    [{ localHukou: undefined }, 'localHukou', '请选择是否为本地户籍'],
    [{ idNumber: '110105194912310021' }, 'idNumber', '身份证号码校验位错误，请核对最后一位'],
  ])('create %o → %s', (patch, path, message) => {
    expect(fieldsOf(memberCreateBody, { ...member, ...patch })).toContainEqual({ path, message });
  });

  it('create: consents default to none; grants are per purpose with the version shown', () => {
    expect(memberCreateBody.parse(member).consents).toEqual([]);
    const grants = [{ purpose: 'id_number', version: '2026-11-01' }];
    expect(memberCreateBody.parse({ ...member, consents: grants }).consents).toEqual(grants);
    expect(fieldsOf(memberCreateBody, { ...member, consents: [{ purpose: 'sms', version: 'v' }] })).toContainEqual({ path: 'consents.0.purpose', message: '授权事项无效' });
  });

  it('update: consents alone are not a change', () => {
    expect(fieldsOf(memberUpdateBody, { consents: [] })).toEqual([{ path: '', message: '没有需要修改的内容' }]);
  });

  it('update: a subset is fine, nothing is not', () => {
    expect(memberUpdateBody.parse({ conditions: ['copd'] })).toEqual({ conditions: ['copd'] });
    expect(fieldsOf(memberUpdateBody, {})).toEqual([{ path: '', message: '没有需要修改的内容' }]);
    expect(fieldsOf(memberUpdateBody, { name: '张三3' })).toContainEqual({ path: 'name', message: '姓名只能包含汉字、字母和间隔号“·”' });
  });
});

describe('responses carry masked numbers only', () => {
  it('maskedIdNumber accepts the mask and refuses a full number', () => {
    expect(maskedIdNumber.safeParse(maskIdNumber(ID)).success).toBe(true);
    expect(maskedIdNumber.safeParse(ID).success).toBe(false);
  });
  it('memberResponse refuses a full ID number', () => {
    const m = {
      memberId: 'm1', relation: '本人', self: true, name: '张三', age: 36, sex: 'M', conditions: [], statuses: [],
      insuredLocally: true, localHukou: true, guardianConsent: false, consents: [],
    };
    expect(memberResponse.safeParse({ ...m, idNumberMasked: maskIdNumber(ID) }).success).toBe(true);
    expect(memberResponse.safeParse({ ...m, idNumberMasked: ID }).success).toBe(false);
  });
  it('memberResponse carries no birth date (masked number + birth date = the full number)', () => {
    expect(Object.keys(memberResponse.shape)).not.toContain('birthDate');
  });
  it.each([
    ['13812345678', '138****5678'],
    ['123', '***'],
  ])('maskMobile %s → %s', (m, masked) => {
    expect(maskMobile(m)).toBe(masked);
  });
});

describe('zodIssuesToFields', () => {
  it('joins nested paths with dots', () => {
    const err = new ZodError([
      { code: 'custom', path: ['members', 1, 'idNumber'], message: '身份证号码校验位错误，请核对最后一位', input: 'x' },
      { code: 'custom', path: [], message: '请求内容格式有误', input: 'x' },
    ]);
    expect(zodIssuesToFields(err)).toEqual([
      { path: 'members.1.idNumber', message: '身份证号码校验位错误，请核对最后一位' },
      { path: '', message: '请求内容格式有误' },
    ]);
  });
});
