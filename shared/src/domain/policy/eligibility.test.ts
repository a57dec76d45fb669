import { describe, expect, it } from 'vitest';
import type { PersonFacts } from '../person';
import { eligiblePackages, policyFor, promisedItems } from './index';

const person = (over: Partial<PersonFacts> = {}): PersonFacts => ({
  birthDate: '1980-06-15',
  sex: 'F',
  conditions: [],
  statuses: [],
  insuredLocally: true,
  localHukou: true,
  ...over,
});
const TODAY = '2024-06-15';
const liyang = policyFor('liyang-2019', TODAY);

function check(region: string, p: PersonFacts, code: string, today = TODAY, opts: { signingKind?: 'free' | 'paid' } = {}) {
  const r = eligiblePackages(p, policyFor(region, today), today, opts).find((e) => e.packageCode === code);
  if (!r) throw new Error(`no package ${code}`);
  return r;
}

describe('eligiblePackages — liyang-2019 附件 适用人群', () => {
  const cases: [name: string, p: PersonFacts, code: string, eligible: boolean, reason?: string][] = [
    // 160000002-c: 65岁以上老年人 (§二(一) 65岁及以上): the 65th birthday counts.
    ['65 today', person({ birthDate: '1959-06-15' }), '160000002-c', true],
    ['64, birthday tomorrow', person({ birthDate: '1959-06-16' }), '160000002-c', false, '该服务包仅适用于65岁及以上老年人'],
    // 160000002-b: 0-6岁儿童, up to the 7th birthday.
    ['6 years 364 days', person({ birthDate: '2017-06-16' }), '160000002-b', true],
    ['7 today', person({ birthDate: '2017-06-15' }), '160000002-b', false, '该服务包仅适用于0-6岁儿童'],
    ['newborn', person({ birthDate: '2024-06-15' }), '160000002-b', true],
    ['pregnant woman', person({ conditions: ['pregnant'] }), '160000002-a', true],
    ['not pregnant', person(), '160000002-a', false, '该服务包仅适用于孕产妇'],
    ['hypertension', person({ conditions: ['hypertension'] }), '160000002-d', true],
    ['diabetes only for -d', person({ conditions: ['diabetes_t2'] }), '160000002-d', false, '该服务包仅适用于原发性高血压病患者'],
    ['both conditions for -f', person({ conditions: ['hypertension', 'diabetes_t2'] }), '160000002-f', true],
    ['one condition for -f', person({ conditions: ['hypertension'] }), '160000002-f', false, '该服务包仅适用于同时患有高血压和2型糖尿病的患者'],
    ['copd', person({ conditions: ['copd'] }), '160000002-g', true],
    // 160000002-h: 重点人群以外的特殊人群.
    ['低保, 40 years, no key condition', person({ statuses: ['dibao'] }), '160000002-h', true],
    ['低保 but 70 years old (key population)', person({ birthDate: '1954-01-01', statuses: ['dibao'] }), '160000002-h', false],
    ['not special', person(), '160000002-h', false],
    ['离休干部', person({ birthDate: '1930-01-01', statuses: ['retired_cadre'] }), '160000002-i', true],
    ['not a retired cadre', person(), '160000002-i', false, '该服务包仅适用于离休干部'],
    ['leukemia', person({ birthDate: '2015-01-01', conditions: ['leukemia'] }), '160000002-j', true],
    ['anyone: basic package', person({ insuredLocally: false, localHukou: false }), 'LY-BASIC', true],
  ];
  it.each(cases)('%s → %s eligible=%s', (_n, p, code, eligible, reason) => {
    const r = check('liyang-2019', p, code);
    expect(r.eligible).toBe(eligible);
    if (reason) expect(r.reasons).toContain(reason);
    if (!eligible) expect(r.reasons.length).toBeGreaterThan(0);
  });

  it('reports every package, ineligible ones with Chinese reasons', () => {
    const all = eligiblePackages(person(), liyang, TODAY);
    expect(all).toHaveLength(liyang.packages.length);
    for (const e of all.filter((x) => !x.eligible)) expect(e.reasons.join('')).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('eligiblePackages — other regions', () => {
  it('yongkang 问答05: paid signing needs local insurance; free signing does not', () => {
    const uninsured = person({ insuredLocally: false });
    const paid = check('yongkang', uninsured, 'YK-BASIC');
    expect(paid.eligible).toBe(false);
    expect(paid.reasons[0]).toContain('收费签约仅限参加永康市');
    expect(check('yongkang', uninsured, 'YK-BASIC', TODAY, { signingKind: 'free' }).eligible).toBe(true);
  });

  it('yongkang 老年人服务包: 签约65岁及以上老人', () => {
    expect(check('yongkang', person({ birthDate: '1959-06-15' }), 'YK-ELDERLY').eligible).toBe(true);
    expect(check('yongkang', person({ birthDate: '1959-06-16' }), 'YK-ELDERLY').reasons).toEqual(['该服务包仅适用于65岁及以上老年人']);
  });

  it('jilin-2017 §二(二): personalized packages are for insured residents and flagged as institution-priced', () => {
    const r = check('jilin-2017', person({ insuredLocally: false }), 'JL-CHECKUP');
    expect(r.eligible).toBe(false);
    expect(r.needsInstitutionValues).toBe(true);
    expect(r.reasons[0]).toContain('参保居民');
    expect(check('jilin-2017', person({ statuses: ['left_behind_child'], birthDate: '2015-01-01' }), 'JL-LEFT-BEHIND-CARE').eligible).toBe(true);
  });

  it('zhangjiagang 附件3: 四个一 is for 大病困难群众 and 计生特殊困难家庭', () => {
    expect(check('zhangjiagang-2017', person({ statuses: ['major_illness_hardship'] }), 'ZJG-HARDSHIP', '2017-05-01').eligible).toBe(true);
    expect(check('zhangjiagang-2017', person(), 'ZJG-HARDSHIP', '2017-05-01').eligible).toBe(false);
  });

  it('rejects a birth date after today', () => {
    expect(() => eligiblePackages(person({ birthDate: '2030-01-01' }), liyang, TODAY)).toThrow('出生日期不能晚于当前日期');
  });
});

describe('promisedItems — liyang basic package rows per population', () => {
  it('a 40-year-old without key conditions gets the 普通人群 and 基本医疗 rows', () => {
    const codes = promisedItems(liyang.packages[0]!, person(), TODAY).map((i) => i.code);
    expect(codes).toContain('LY-BASIC/general-2');
    expect(codes).toContain('LY-BASIC/hypertension-2'); // 35岁及以上 blood-pressure screening
    expect(codes).not.toContain('LY-BASIC/elderly-2a');
  });
  it('a 70-year-old with hypertension gets the elderly and hypertension rows, not 普通人群', () => {
    const codes = promisedItems(liyang.packages[0]!, person({ birthDate: '1954-01-01', conditions: ['hypertension'] }), TODAY).map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['LY-BASIC/elderly-2a', 'LY-BASIC/hypertension-3']));
    expect(codes).not.toContain('LY-BASIC/general-2');
  });
});
