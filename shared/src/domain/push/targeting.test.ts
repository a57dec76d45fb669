import { describe, expect, it } from 'vitest';
import { policyFor } from '../policy';
import { coveredInQuarter, fittingTips, impliedConditions, isPublished, pickTip, plannedPushes, tipScore, type PlanningTip, type ResidentProfile } from './targeting';

const tip = (id: string, over: Partial<PlanningTip> = {}): PlanningTip => ({
  id,
  category: 'daily',
  ageGroups: [],
  conditions: [],
  packageCodes: [],
  publishFrom: '2026-01-01',
  publishTo: null,
  ...over,
});

const adult: ResidentProfile = { ageGroup: 'adult_18_64', sex: 'F', packageCodes: ['basic'], conditions: [], institutionId: 'i1' };
const hypertensive: ResidentProfile = { ageGroup: 'elderly_65', sex: 'M', packageCodes: ['basic', '160000002-d'], conditions: ['hypertension'], institutionId: 'i1' };
const child: ResidentProfile = { ageGroup: 'child_0_6', sex: 'M', packageCodes: ['basic'], conditions: [], institutionId: 'i2' };

const LIB = [
  tip('general'),
  tip('elderly', { ageGroups: ['elderly_65'], category: 'wellness' }),
  tip('bp', { conditions: ['hypertension'], category: 'prevention' }),
  tip('child', { ageGroups: ['child_0_6'] }),
  tip('inst-i2', { institutionId: 'i2', category: 'tcm' }),
];

describe('tipScore: who a tip applies to', () => {
  it.each([
    ['general tip fits anyone', 'general', adult, 0],
    ['age group must match', 'elderly', adult, null],
    ['age group match', 'elderly', hypertensive, 2],
    ['condition implied by package', 'bp', hypertensive, 4],
    ['condition missing', 'bp', adult, null],
    ['child tip to a 0-6 child only', 'child', child, 2],
    ['child tip not to an adult', 'child', adult, null],
    ['institution tip only to its residents', 'inst-i2', adult, null],
    ['institution tip to its residents', 'inst-i2', child, 1],
  ] as const)('%s', (_n, id, profile, expected) => {
    expect(tipScore(LIB.find((t) => t.id === id)!, profile)).toBe(expected);
  });

  it('package codes restrict when given', () => {
    expect(tipScore(tip('p', { packageCodes: ['160000002-d'] }), hypertensive)).toBe(4);
    expect(tipScore(tip('p', { packageCodes: ['160000002-d'] }), adult)).toBeNull();
  });
});

describe('isPublished: inclusive window', () => {
  it.each([
    ['2026-03-31', { publishFrom: '2026-04-01' }, false],
    ['2026-04-01', { publishFrom: '2026-04-01' }, true],
    ['2026-06-30', { publishFrom: '2026-04-01', publishTo: '2026-06-30' }, true],
    ['2026-07-01', { publishFrom: '2026-04-01', publishTo: '2026-06-30' }, false],
  ] as const)('on %s', (today, w, expected) => {
    expect(isPublished(w, today)).toBe(expected);
  });
});

describe('pickTip: best match not yet received', () => {
  it.each([
    ['most specific first (condition beats age)', hypertensive, [], 'bp', false],
    ['next best once received', hypertensive, ['bp'], 'elderly', false],
    ['general last', hypertensive, ['bp', 'elderly'], 'general', false],
    ['all received: the best one again, flagged repeat', hypertensive, ['bp', 'elderly', 'general'], 'bp', true],
    ['child gets the child tip', child, [], 'child', false],
    ['adult gets the general tip', adult, [], 'general', false],
  ] as const)('%s', (_n, profile, received, expected, repeat) => {
    expect(pickTip(profile, LIB, { tipIds: [...received] }, '2026-10-01')).toMatchObject({ tipId: expected, repeat });
  });

  it('prefers another category than the last one at equal score', () => {
    const lib = [tip('a', { category: 'daily' }), tip('b', { category: 'tcm' }), tip('last', { category: 'daily' })];
    expect(pickTip(adult, lib, { tipIds: ['last'] }, '2026-10-01')?.tipId).toBe('b');
  });

  it('ignores unpublished tips and answers null when nothing matches', () => {
    expect(pickTip(adult, [tip('later', { publishFrom: '2027-01-01' })], { tipIds: [] }, '2026-10-01')).toBeNull();
    expect(pickTip(adult, [tip('bp', { conditions: ['hypertension'] })], { tipIds: [] }, '2026-10-01')).toBeNull();
  });

  it('is deterministic (earliest published, then id)', () => {
    const lib = [tip('z', { publishFrom: '2026-02-01' }), tip('y', { publishFrom: '2026-01-01' }), tip('x', { publishFrom: '2026-01-01' })];
    expect(pickTip(adult, lib, { tipIds: [] }, '2026-10-01')?.tipId).toBe('x');
  });
});

describe('coveredInQuarter (yongkang 每季度不少于1条, from the quarter the cycle begins)', () => {
  it.each([
    ['cycle spans the quarter', { cycleStart: '2026-01-01', cycleEnd: '2026-12-31' }, '2026Q4', '2026-10-01', true],
    ['signed mid-quarter, before today', { cycleStart: '2026-11-15', cycleEnd: '2027-11-14' }, '2026Q4', '2026-11-20', true],
    ['cycle starts after today (liyang Q4 signing for next year)', { cycleStart: '2027-01-01', cycleEnd: '2027-12-31' }, '2026Q4', '2026-11-20', false],
    ['cycle ended before the quarter', { cycleStart: '2025-10-01', cycleEnd: '2026-09-30' }, '2026Q4', '2026-10-05', false],
    ['cycle ends on the first day of the quarter', { cycleStart: '2025-10-01', cycleEnd: '2026-10-01' }, '2026Q4', '2026-10-05', true],
    ['planning a past quarter looks at its last day', { cycleStart: '2026-12-31', cycleEnd: '2027-12-30' }, '2026Q4', '2027-01-05', true],
  ] as const)('%s', (_n, cycle, q, today, expected) => {
    expect(coveredInQuarter(cycle, q, today)).toBe(expected);
  });
});

describe('impliedConditions: from package eligibility', () => {
  it('a liyang hypertension package implies hypertension; the basic package nothing', () => {
    const liyang = policyFor('liyang-2019', '2026-10-01');
    const hyper = liyang.packages.find((p) => p.code === '160000002-d')!;
    const basic = liyang.packages.find((p) => p.category === 'basic')!;
    expect(impliedConditions([hyper])).toContain('hypertension');
    expect(impliedConditions([basic])).toEqual([]);
  });
  it('walks anyOf, ignores not', () => {
    expect(
      impliedConditions([
        { eligibility: [{ when: { anyOf: [{ anyConditions: ['diabetes_t2'] }, { allConditions: ['copd'] }] } }, { when: { not: { anyConditions: ['leukemia'] } } }] },
      ]),
    ).toEqual(['copd', 'diabetes_t2']);
  });
});

describe('plannedPushes', () => {
  it('skips residents covered this quarter, picks for the others', () => {
    const out = plannedPushes(
      [
        { key: 'a', profile: adult, history: { tipIds: [] }, coveredQuarters: ['2026Q4'] },
        { key: 'b', profile: hypertensive, history: { tipIds: [] }, coveredQuarters: ['2026Q3'] },
        { key: 'c', profile: adult, history: { tipIds: [] }, coveredQuarters: [] },
      ],
      LIB.filter((t) => t.id !== 'general'),
      '2026Q4',
      '2026-10-01',
    );
    expect(out).toEqual([
      { key: 'a', kind: 'covered' },
      { key: 'b', kind: 'send', choice: { tipId: 'bp', score: 4, repeat: false } },
      { key: 'c', kind: 'no_tip' },
    ]);
  });
});

describe('fittingTips: the library that fits a resident (健康知识 为您推荐)', () => {
  it.each([
    ['a hypertensive elder: condition first, then age group, then general', hypertensive, ['bp', 'elderly', 'general']],
    ['an adult: only what applies to anyone', adult, ['general']],
    ['a child of institution i2: its own tip and the child tip before the general one', child, ['child', 'inst-i2', 'general']],
  ])('%s', (_name, profile, ids) => {
    expect(fittingTips(profile, LIB, '2026-10-01').map((t) => t.tipId)).toEqual(ids);
  });

  it('leaves out tips not yet published or withdrawn by their window, on the boundary days', () => {
    const lib = [tip('from-31-dec', { publishFrom: '2026-12-31' }), tip('to-31-dec', { publishFrom: '2026-01-01', publishTo: '2026-12-31' }), tip('leap', { publishFrom: '2028-02-29', publishTo: '2028-02-29' })];
    expect(fittingTips(adult, lib, '2026-12-30').map((t) => t.tipId)).toEqual(['to-31-dec']);
    expect(fittingTips(adult, lib, '2026-12-31').map((t) => t.tipId)).toEqual(['from-31-dec', 'to-31-dec']);
    expect(fittingTips(adult, lib, '2027-01-01').map((t) => t.tipId)).toEqual(['from-31-dec']);
    expect(fittingTips(adult, lib, '2028-02-29').map((t) => t.tipId)).toEqual(['leap', 'from-31-dec']);
    expect(fittingTips(adult, lib, '2028-03-01').map((t) => t.tipId)).toEqual(['from-31-dec']);
  });
});
