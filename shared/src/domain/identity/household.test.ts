import { describe, expect, it } from 'vitest';
import { CONSENT_PURPOSES, type ConsentRecord } from './consent';
import {
  assertPrivacyAccepted,
  assertRelation,
  consentDecision,
  consentRole,
  consentsForSave,
  memberSaveNeeds,
  withdrawalErases,
} from './household';

const TODAY = '2026-11-20';
const AT = '2026-11-20T08:00:00.000Z';
const ID_V = CONSENT_PURPOSES.id_number.version;
const HEALTH_V = CONSENT_PURPOSES.health_conditions.version;

function caught(f: () => unknown): { status?: number; code?: string; message?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { status: number; code: string };
  }
  throw new Error('expected a throw');
}

describe('consentRole (PIPL art. 31)', () => {
  it.each([
    ['the holder', {}, 'self'],
    ['a member aged 13 years 364 days', { memberId: 'm', birthDate: '2012-11-21' }, 'guardian'],
    ['a member turning 14 today', { memberId: 'm', birthDate: '2012-11-20' }, 'representative'],
    ['an adult member', { memberId: 'm', birthDate: '1950-01-01' }, 'representative'],
    ['a child born today', { memberId: 'm', birthDate: TODAY }, 'guardian'],
  ])('%s → %s', (_n, subject, role) => {
    expect(consentRole(subject, TODAY)).toBe(role);
  });
});

describe('consentsForSave', () => {
  const base = { accountId: 'acc', today: TODAY, at: AT };
  const child = { memberId: 'kid', birthDate: '2020-05-06' };
  const adult = { memberId: 'mum', birthDate: '1955-05-06' };

  it.each([
    ['holder without consent', {}, [], ['id_number'], '请先同意处理您的身份证号码（实名核验与签约）'],
    ['child without consent', child, [], ['id_number'], '该成员不满14周岁，需由您作为监护人同意处理其身份证号码'],
    ['child health without consent', child, [{ purpose: 'id_number', version: ID_V }], ['id_number', 'health_conditions'], '该成员不满14周岁，需由您作为监护人同意处理其健康状况信息'],
    ['adult without consent', adult, [], ['id_number'], '请确认该成员已同意处理其身份证号码'],
    ['holder health without consent', {}, [], ['health_conditions'], '申报健康状况或特殊人群身份前，请先同意处理健康状况信息'],
  ] as const)('%s → 403 with whose consent is missing', (_n, subject, grants, needs, message) => {
    expect(caught(() => consentsForSave({ ...base, records: [], subject, grants, needs }))).toMatchObject({ status: 403, code: 'CONSENT_REQUIRED', message });
  });

  it('grants given with the save become records with the role, in order, once per purpose', () => {
    const out = consentsForSave({
      ...base,
      records: [],
      subject: child,
      grants: [
        { purpose: 'id_number', version: ID_V },
        { purpose: 'health_conditions', version: HEALTH_V },
        { purpose: 'id_number', version: ID_V },
      ],
      needs: ['id_number', 'health_conditions'],
    });
    expect(out).toEqual([
      { purpose: 'id_number', version: ID_V, decision: 'granted', at: AT, by: 'acc', onBehalfOf: 'kid', role: 'guardian' },
      { purpose: 'health_conditions', version: HEALTH_V, decision: 'granted', at: AT, by: 'acc', onBehalfOf: 'kid', role: 'guardian' },
    ]);
  });

  it('an existing current grant is enough and is not repeated', () => {
    const records: ConsentRecord[] = [{ purpose: 'id_number', version: ID_V, decision: 'granted', at: '2026-01-01T00:00:00Z', by: 'acc', onBehalfOf: 'mum' }];
    expect(consentsForSave({ ...base, records, subject: adult, grants: [{ purpose: 'id_number', version: ID_V }], needs: ['id_number'] })).toEqual([]);
  });

  it('the holder\'s consent never covers a member', () => {
    const records: ConsentRecord[] = [{ purpose: 'id_number', version: ID_V, decision: 'granted', at: '2026-01-01T00:00:00Z', by: 'acc' }];
    expect(caught(() => consentsForSave({ ...base, records, subject: adult, grants: [], needs: ['id_number'] })).status).toBe(403);
  });

  it('a withdrawn consent must be granted again', () => {
    const records: ConsentRecord[] = [
      { purpose: 'id_number', version: ID_V, decision: 'granted', at: '2026-01-01T00:00:00Z', by: 'acc' },
      { purpose: 'id_number', version: ID_V, decision: 'withdrawn', at: '2026-02-01T00:00:00Z', by: 'acc' },
    ];
    expect(caught(() => consentsForSave({ ...base, records, subject: {}, grants: [], needs: ['id_number'] })).status).toBe(403);
  });

  it('a grant for an outdated text → 409', () => {
    expect(caught(() => consentsForSave({ ...base, records: [], subject: {}, grants: [{ purpose: 'id_number', version: '2000-01-01' }], needs: [] }))).toMatchObject({
      status: 409,
      code: 'CONSENT_VERSION_OUTDATED',
    });
  });
});

describe('consentDecision', () => {
  const base = { accountId: 'acc', today: TODAY, at: AT };
  it('withdrawal is accepted for any version (PIPL art. 15)', () => {
    expect(consentDecision({ ...base, purpose: 'health_conditions', version: 'old', action: 'withdraw', subject: {} })).toMatchObject({ decision: 'withdrawn', version: 'old', role: 'self' });
  });
  it('sms belongs to the holder only', () => {
    expect(caught(() => consentDecision({ ...base, purpose: 'sms', version: 'v', action: 'grant', subject: { memberId: 'm' } }))).toMatchObject({ status: 400 });
  });
});

describe('small rules', () => {
  it.each([
    ['id_number', { idNumber: true, health: false }],
    ['health_conditions', { idNumber: false, health: true }],
    ['sms', { idNumber: false, health: false }],
  ] as const)('withdrawing %s erases %o', (p, erase) => {
    expect(withdrawalErases(p)).toEqual(erase);
  });

  it.each([
    [{ conditions: [], statuses: [] }, ['id_number']],
    [{ conditions: ['hypertension'], statuses: [] }, ['id_number', 'health_conditions']],
    [{ conditions: [], statuses: ['dibao'] }, ['id_number', 'health_conditions']],
  ])('memberSaveNeeds %o → %o', (d, needs) => {
    expect(memberSaveNeeds(d)).toEqual(needs);
  });

  it.each([
    ['本人', true, undefined],
    ['配偶', true, '账号本人的关系固定为“本人”'],
    ['本人', false, '“本人”是账号持有人，请为家庭成员选择其他关系'],
    ['子女', false, undefined],
  ] as const)('relation %s (self: %s)', (relation, self, message) => {
    if (message) expect(caught(() => assertRelation(relation, self))).toMatchObject({ status: 400, message });
    else expect(() => assertRelation(relation, self)).not.toThrow();
  });

  it.each([
    [undefined, '请先阅读并同意隐私政策，再填写个人信息'],
    ['2020-01-01', '隐私政策已更新，请重新阅读并同意后继续'],
  ])('privacy accepted %s → 403', (v, message) => {
    expect(caught(() => assertPrivacyAccepted(v, '2026-11-01'))).toMatchObject({ status: 403, code: 'PRIVACY_NOTICE_REQUIRED', message });
    expect(() => assertPrivacyAccepted('2026-11-01', '2026-11-01')).not.toThrow();
  });
});
