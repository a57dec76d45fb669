import { describe, expect, it } from 'vitest';
import {
  CONSENT_PURPOSE_IDS,
  CONSENT_PURPOSES,
  consentRecordSchema,
  consentState,
  hasConsent,
  isCurrentConsentVersion,
  missingConsents,
  needsGuardianConsent,
  PRIVACY_NOTICE,
  requiredConsents,
  type ConsentRecord,
} from './consent';

const V = '2026-11-01';
const rec = (over: Partial<ConsentRecord>): ConsentRecord => ({
  purpose: 'id_number',
  version: V,
  decision: 'granted',
  at: '2026-11-20T02:00:00.000Z',
  by: 'acc-1',
  ...over,
});

describe('PRIVACY_NOTICE', () => {
  it('is versioned and titled', () => {
    expect(PRIVACY_NOTICE.version).toBe('2026-11-01');
    expect(PRIVACY_NOTICE.title).toContain('隐私政策');
    expect(PRIVACY_NOTICE.body).toContain(`版本：${PRIVACY_NOTICE.version}`);
  });

  // PIPL art. 17 lists what a notice must tell; each heading below covers one item.
  it.each([
    ['who we are', '一、我们是谁'],
    ['what we collect', '二、我们收集哪些个人信息'],
    ['purposes', '三、我们如何使用您的个人信息'],
    ['legal basis', '四、处理的法律依据'],
    ['sharing with the team and payers', '五、我们如何共享您的个人信息'],
    ['retention', '六、存储地点和保存期限'],
    ['security', '七、我们如何保护您的个人信息'],
    ['rights', '八、您的权利'],
    ['children', '九、未成年人的个人信息'],
    ['updates', '十、本规则的更新'],
    ['contact', '十一、联系我们'],
  ])('covers %s', (_what, heading) => {
    expect(PRIVACY_NOTICE.body).toContain(heading);
  });

  it.each([
    ['family-doctor team', '家庭医生团队'],
    ['insurance payer', '医疗保障经办机构'],
    ['public-health fund', '基本公共卫生服务经费'],
    ['access and copy', '查阅、复制'],
    ['correct', '更正'],
    ['withdraw', '撤回同意'],
    ['delete', '删除'],
    ['account closure', '注销账号'],
    ['guardian under 14', '不满十四周岁'],
    ['stored in China', '境内'],
    ['sensitive info named', '敏感个人信息'],
  ])('mentions %s', (_what, phrase) => {
    expect(PRIVACY_NOTICE.body).toContain(phrase);
  });
});

describe('CONSENT_PURPOSES', () => {
  it.each(CONSENT_PURPOSE_IDS)('%s has a versioned Chinese text', (p) => {
    const c = CONSENT_PURPOSES[p];
    expect(c.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(c.title).toMatch(/[\u4e00-\u9fff]/);
    expect(c.text.length).toBeGreaterThan(40);
    expect(c.text).toContain('撤回');
  });
  it('marks ID numbers and health data as sensitive, SMS not', () => {
    expect(CONSENT_PURPOSES.id_number.sensitive).toBe(true);
    expect(CONSENT_PURPOSES.health_conditions.sensitive).toBe(true);
    expect(CONSENT_PURPOSES.sms.sensitive).toBe(false);
  });
  it('isCurrentConsentVersion', () => {
    expect(isCurrentConsentVersion('sms', V)).toBe(true);
    expect(isCurrentConsentVersion('sms', '2020-01-01')).toBe(false);
  });
});

describe('consentState', () => {
  const cases: Array<{ name: string; records: ConsentRecord[]; memberId?: string; expected: ReturnType<typeof consentState> }> = [
    { name: 'no records', records: [], expected: { status: 'none' } },
    { name: 'other purpose only', records: [rec({ purpose: 'sms' })], expected: { status: 'none' } },
    {
      name: 'single grant',
      records: [rec({})],
      expected: { status: 'granted', version: V, at: '2026-11-20T02:00:00.000Z', by: 'acc-1', current: true },
    },
    {
      name: 'grant then withdraw',
      records: [rec({}), rec({ decision: 'withdrawn', at: '2026-11-21T02:00:00.000Z' })],
      expected: { status: 'withdrawn', version: V, at: '2026-11-21T02:00:00.000Z', by: 'acc-1' },
    },
    {
      name: 'withdraw then grant again',
      records: [rec({}), rec({ decision: 'withdrawn', at: '2026-11-21T02:00:00.000Z' }), rec({ at: '2026-11-22T02:00:00.000Z' })],
      expected: { status: 'granted', version: V, at: '2026-11-22T02:00:00.000Z', by: 'acc-1', current: true },
    },
    {
      name: 'latest by time, not by array order',
      records: [rec({ decision: 'withdrawn', at: '2026-11-21T02:00:00.000Z' }), rec({ at: '2026-11-20T02:00:00.000Z' })],
      expected: { status: 'withdrawn', version: V, at: '2026-11-21T02:00:00.000Z', by: 'acc-1' },
    },
    {
      name: 'offsets compared as instants (10:00+08:00 is before 03:00Z)',
      records: [rec({ decision: 'withdrawn', at: '2026-11-20T03:00:00Z' }), rec({ at: '2026-11-20T10:00:00+08:00' })],
      expected: { status: 'withdrawn', version: V, at: '2026-11-20T03:00:00Z', by: 'acc-1' },
    },
    {
      name: 'same instant: the later record wins',
      records: [rec({}), rec({ decision: 'withdrawn' })],
      expected: { status: 'withdrawn', version: V, at: '2026-11-20T02:00:00.000Z', by: 'acc-1' },
    },
    {
      name: 'grant of an older text is not current',
      records: [rec({ version: '2025-01-01' })],
      expected: { status: 'granted', version: '2025-01-01', at: '2026-11-20T02:00:00.000Z', by: 'acc-1', current: false },
    },
    {
      name: "a member's consent does not count for the account holder",
      records: [rec({ onBehalfOf: 'mem-1' })],
      expected: { status: 'none' },
    },
    {
      name: "guardian consent for a member",
      records: [rec({ onBehalfOf: 'mem-1' }), rec({ onBehalfOf: 'mem-2', decision: 'withdrawn' })],
      memberId: 'mem-1',
      expected: { status: 'granted', version: V, at: '2026-11-20T02:00:00.000Z', by: 'acc-1', current: true },
    },
    {
      name: "the account holder's consent does not count for a member",
      records: [rec({})],
      memberId: 'mem-1',
      expected: { status: 'none' },
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(consentState(c.records, 'id_number', c.memberId)).toEqual(c.expected);
  });
});

describe('hasConsent / requiredConsents / missingConsents', () => {
  it.each([
    ['verify_identity', ['id_number']],
    ['save_member', ['id_number']],
    ['declare_health', ['health_conditions']],
    ['sign_agreement', ['id_number']],
    ['send_sms', ['sms']],
  ] as const)('%s needs %o', (action, purposes) => {
    expect(requiredConsents(action)).toEqual(purposes);
  });

  it('requiredConsents returns a copy', () => {
    requiredConsents('verify_identity').push('sms');
    expect(requiredConsents('verify_identity')).toEqual(['id_number']);
  });

  it('missing when none, withdrawn or outdated; present when currently granted', () => {
    expect(missingConsents([], 'verify_identity')).toEqual(['id_number']);
    expect(missingConsents([rec({})], 'verify_identity')).toEqual([]);
    expect(missingConsents([rec({}), rec({ decision: 'withdrawn', at: '2026-11-21T00:00:00Z' })], 'verify_identity')).toEqual(['id_number']);
    expect(missingConsents([rec({ version: '2025-01-01' })], 'verify_identity')).toEqual(['id_number']);
    expect(missingConsents([rec({ purpose: 'health_conditions', onBehalfOf: 'kid' })], 'declare_health', 'kid')).toEqual([]);
    expect(hasConsent([rec({ purpose: 'sms' })], 'sms')).toBe(true);
    expect(hasConsent([rec({ purpose: 'sms' })], 'id_number')).toBe(false);
  });
});

describe('needsGuardianConsent (PIPL art. 31: under 14)', () => {
  it.each([
    ['2026-11-20', '2026-11-20', true], // newborn
    ['2012-11-21', '2026-11-20', true], // 14 tomorrow
    ['2012-11-20', '2026-11-20', false], // 14 today
    ['2012-11-19', '2026-11-20', false],
    ['1990-01-01', '2026-11-20', false],
    // 29 Feb birthday turns 14 on 1 Mar in a non-leap year
    ['2012-02-29', '2026-02-28', true],
    ['2012-02-29', '2026-03-01', false],
  ])('born %s, today %s → %s', (birth, today, expected) => {
    expect(needsGuardianConsent(birth, today)).toBe(expected);
  });
});

describe('consentRecordSchema', () => {
  it('accepts a guardian record', () => {
    const r = { purpose: 'health_conditions', version: V, decision: 'granted', at: '2026-11-20T10:00:00+08:00', by: 'acc-1', onBehalfOf: 'mem-9' };
    expect(consentRecordSchema.parse(r)).toEqual(r);
  });
  it.each([
    ['unknown purpose', { purpose: 'marketing' }],
    ['bad decision', { decision: 'grant' }],
    ['bad instant', { at: '2026-11-20' }],
    ['empty by', { by: '' }],
    ['empty version', { version: '' }],
  ])('rejects %s', (_n, over) => {
    expect(consentRecordSchema.safeParse({ ...rec({}), ...over }).success).toBe(false);
  });
});
