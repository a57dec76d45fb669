import { describe, expect, it } from 'vitest';
import { policyVersion } from '../policy';
import { buildMonthlyReport, monthsEndingWith, rate, signingDelta, signingMetrics, type AgreementLike, type CounterRow } from './report';
import { tableToCsv, zhangjiagangForm4, zhangjiagangForm5 } from './tables';

const zjg = policyVersion('zhangjiagang-2017', '2017.1');
const liyang = policyVersion('liyang-2019', '2019.1');

const pkg = (code: string, category = 'personalized', items: AgreementLike['members'][number]['packages'][number]['items'] = []) => ({ code, category, items });
const household = (status: string, members: [string, string[]][], origin = 'signed'): AgreementLike => ({
  status,
  origin,
  members: members.map(([ageGroup, codes], i) => ({ memberId: `m${i}`, ageGroup, packages: [pkg('ZJG-BASIC', 'basic'), ...codes.map((c) => pkg(c))] })),
});

describe('signingMetrics', () => {
  it('zhangjiagang 附件5: households and household people per package, 合计 deduplicated by household', () => {
    const m = signingMetrics(household('active', [['adult_18_64', ['ZJG-INTERMEDIATE-1']], ['adult_18_64', ['ZJG-PRIMARY']], ['minor_7_17', []]]), zjg);
    expect(m).toMatchObject({ h: 1, p: 3, pers_h: 1, pers_p: 3, 'pkgh:ZJG-INTERMEDIATE-1': 1, 'pkgp:ZJG-INTERMEDIATE-1': 3, 'pkgm:ZJG-INTERMEDIATE-1': 1, 'pkgh:ZJG-PRIMARY': 1 });
    // 中级Ⅰ型 is for hypertension patients → a key-population member; nobody is special.
    expect(m.key).toBe(1);
    expect(m.special).toBe(0);
  });

  it.each([
    ['65+ by the age group kept at signing', [['elderly_65', []]], { key: 1, special: 0 }],
    ['0-6 by the age group', [['child_0_6', []]], { key: 1 }],
    ['a hardship household (附件3 四个一)', [['adult_18_64', ['ZJG-HARDSHIP']]], { special: 1, hardship_h: 1 }],
    ['an adult with only the basic package', [['adult_18_64', []]], { key: 0, special: 0 }],
  ] as const)('%s', (_n, members, expected) => {
    expect(signingMetrics(household('active', members as never), zjg)).toMatchObject(expected);
  });

  it('liyang 特殊人群 package counts as special, 离休干部 does not', () => {
    const special = signingMetrics({ status: 'active', members: [{ memberId: 'a', ageGroup: 'adult_18_64', packages: [pkg('160000002-h', 'population')] }] }, liyang);
    const cadre = signingMetrics({ status: 'active', members: [{ memberId: 'a', ageGroup: 'adult_18_64', packages: [pkg('160000002-i', 'population')] }] }, liyang);
    expect(special.special).toBe(1);
    expect(cadre.special).toBe(0);
  });

  it('promised yearly units per item (per quarter × 4; per stage as promised)', () => {
    const m = signingMetrics(
      {
        status: 'active',
        members: [
          { memberId: 'a', ageGroup: 'elderly_65', packages: [pkg('X', 'basic', [{ code: 'push', kind: 'count', quantity: 1, per: 'quarter' }, { code: 'open', kind: 'on_demand', quantity: null, per: null }, { code: 'st', kind: 'count', quantity: 2, per: 'stage' }])] },
          { memberId: 'b', ageGroup: 'elderly_65', packages: [pkg('X', 'basic', [{ code: 'push', kind: 'count', quantity: 1, per: 'quarter' }])] },
        ],
      },
      undefined,
    );
    expect(m).toMatchObject({ 'prom:push': 8, 'prom:st': 2 });
    expect(m['prom:open']).toBeUndefined();
  });
});

describe('signingDelta: only transitions across active count', () => {
  const a = household('active', [['adult_18_64', []]]);
  it.each([
    ['new active (free signing)', undefined, a, { 'a:h': 1, 'a:p': 1 }],
    ['pending → active (paid)', { ...a, status: 'pending_payment' }, a, { 'a:h': 1 }],
    ['new pending', undefined, { ...a, status: 'pending_payment' }, {}],
    ['active → terminated', a, { ...a, status: 'terminated' }, { 'e:h': 1, 'e:p': 1 }],
    ['active → expired (cycle end)', a, { ...a, status: 'expired' }, { 'e:h': 1, 'e:expired_h': 1 }],
    ['active → active (a payment bookkeeping)', a, a, {}],
    ['scheduled → active renewal', { ...a, status: 'scheduled', origin: 'renewal' }, { ...a, origin: 'renewal' }, { 'a:h': 1, 'a:renew_h': 1 }],
  ] as const)('%s', (_n, before, after, expected) => {
    const d = signingDelta(before as never, after as never, zjg);
    if (Object.keys(expected).length === 0) expect(d).toEqual({});
    else expect(d).toMatchObject(expected);
  });
});

const row = (kind: CounterRow['kind'], month: string, values: Record<string, number>, teamId = 't1'): CounterRow => ({ kind, month, teamId, values });

describe('buildMonthlyReport', () => {
  const rows: CounterRow[] = [
    row('SIGN', '2019-01', { 'a:h': 10, 'a:p': 20, 'a:key': 8, 'a:special': 1, 'a:prom:LY-BASIC/hypertension-3': 16 }),
    row('SIGN', '2019-02', { 'a:h': 5, 'a:p': 5, 'a:key': 2 }, 't2'),
    row('SIGN', '2019-03', { 'e:h': 2, 'e:p': 3, 'e:key': 1, 'e:expired_h': 2, 'a:h': 1, 'a:p': 1, 'a:renew_h': 1 }),
    row('SIGN', '2019-04', { 'a:h': 100, 'a:p': 100 }), // after the report month: ignored
    row('SVC', '2019-02', { n: 3, 'q:LY-BASIC/hypertension-3': 3 }),
    row('SVC', '2019-03', { n: 2, 'q:LY-BASIC/hypertension-3': 1, 'q:LY-BASIC/medical-2': 1, ref: 1 }),
    row('RATE', '2019-03', { n: 4, pos: 3, sum: 17 }),
    row('RATE', '2018-02', { n: 10, pos: 0, sum: 10 }), // older than 12 months: ignored
    row('CMP', '2019-03', { n: 2, handled: 1 }, '-'),
  ];
  const r = buildMonthlyReport({ month: '2019-03', rows, policy: liyang, register: { groups: 3, households: 20, residents: 100, keyPersons: 18, specialPersons: 2, hardshipHouseholds: 0 } });

  it('signed stock = running sum of in − out up to the month', () => {
    expect(r.signed).toEqual({ households: 14, persons: 23, keyPersons: 9, specialPersons: 1, hardshipHouseholds: 0 });
  });
  it('coverage against the register and liyang targets (35 % overall, 75 % key)', () => {
    expect(r.coverage.find((c) => c.population === 'overall')).toMatchObject({ numerator: 23, denominator: 100, percent: 23, meetsTarget: false, target: { minPercent: 35 } });
    expect(r.coverage.find((c) => c.population === 'key')).toMatchObject({ percent: 50, target: { minPercent: 75 } });
    expect(r.coverage.find((c) => c.population === 'special')).toMatchObject({ percent: 50, meetsTarget: null });
  });
  it('renewal, fulfilment per item, satisfaction, complaints, referrals', () => {
    expect(r.renewal).toEqual(rate(1, 2));
    expect(r.fulfilment.find((f) => f.itemCode === 'LY-BASIC/hypertension-3')).toMatchObject({ numerator: 4, denominator: 16, percent: 25, name: '每年提供至少4次面对面的随访' });
    expect(r.fulfilment.find((f) => f.itemCode === 'LY-BASIC/medical-2')).toMatchObject({ numerator: 1, denominator: 0, percent: null });
    expect(r.satisfaction).toMatchObject({ month: { percent: 75 }, last12: { percent: 75 }, target: 85, meetsTarget: false, averageScore: 4.3 });
    expect(r.complaints).toEqual({ month: 2, handled: 1 });
    expect(r.referrals).toEqual({ month: 1, last12: 1 });
    expect(r.trend).toHaveLength(12);
    expect(r.trend.at(-1)).toMatchObject({ month: '2019-03', newHouseholds: 1, services: 2, referrals: 1, satisfaction: 75 });
  });
  it('without a register: no denominators, no percentages', () => {
    const x = buildMonthlyReport({ month: '2019-03', rows, policy: liyang, register: undefined });
    expect(x.coverage[0]).toMatchObject({ percent: null, meetsTarget: null });
    expect(x.registerLoaded).toBe(false);
  });
  it('months ending with a month cross the year', () => {
    expect(monthsEndingWith('2019-02', 3)).toEqual(['2018-12', '2019-01', '2019-02']);
  });
});

describe('zhangjiagang forms', () => {
  const rows: CounterRow[] = [
    row('SIGN', '2017-03', { 'a:h': 3, 'a:p': 9, 'a:pers_h': 2, 'a:pers_p': 7, 'a:pkgh:ZJG-PRIMARY': 1, 'a:pkgp:ZJG-PRIMARY': 4, 'a:pkgh:ZJG-INTERMEDIATE-3': 2, 'a:pkgp:ZJG-INTERMEDIATE-3': 7, 'a:hardship_h': 1 }),
    row('SIGN', '2017-04', { 'e:pers_h': 1, 'e:pers_p': 4, 'e:pkgh:ZJG-PRIMARY': 1, 'e:pkgp:ZJG-PRIMARY': 4, 'a:hardship_h': 1 }),
    row('SVC', '2017-03', { 'q:ZJG-HARDSHIP/1-6': 2, 'q:ZJG-HARDSHIP/1-7': 1 }),
    row('SVC', '2017-04', { 'q:ZJG-HARDSHIP/1-6': 1 }),
  ];
  it('附件5: cumulative households and people per type at the month end', () => {
    const t = zhangjiagangForm5({ month: '2017-04', rows, policy: zjg, institutionName: '常阴沙社区卫生服务中心', register: { groups: 12, households: 0, residents: 0, keyPersons: 0, specialPersons: 0, hardshipHouseholds: 0 } });
    expect(t.header[0]).toEqual(['辖区村民小组总数', '已开展个性化签约村民小组数', '初级包', '', '中级包Ⅰ型（高血压）', '', '中级包Ⅱ型（糖尿病）', '', '中级包Ⅲ型（复合型）', '', '高级包（体检型）', '', '合计', '']);
    expect(t.rows[0]).toEqual([12, null, 0, 0, 0, 0, 0, 0, 2, 7, 0, 0, 1, 3]);
    const march = zhangjiagangForm5({ month: '2017-03', rows, policy: zjg, institutionName: 'x', register: undefined });
    expect(march.rows[0]).toEqual([null, null, 1, 4, 0, 0, 0, 0, 2, 7, 0, 0, 2, 7]);
  });
  it('附件4: month and cumulative per indicator; what the ledger cannot know stays blank', () => {
    const t = zhangjiagangForm4({ month: '2017-04', rows, institutionName: 'x' });
    const get = (label: string) => t.rows.find((r) => r[0] === label)!;
    expect(get('签订服务协议')).toEqual(['签订服务协议', '份', 1, 2]);
    expect(get('社区医生开展家庭访视')).toEqual(['社区医生开展家庭访视', '户次', 1, 3]);
    expect(get('提供转诊服务')).toEqual(['提供转诊服务', '人次', 0, 1]);
    expect(get('提供优先预约就诊、检查、住院')).toEqual(['提供优先预约就诊、检查、住院', '人次', null, null]);
  });
  it('CSV: BOM, quoting, every line', () => {
    const csv = tableToCsv({ title: 'T', caption: ['a,b'], header: [['x', 'y']], rows: [['say "hi"', 1, null]], notes: ['n'] });
    expect(csv.startsWith('\ufeffT\r\n"a,b"\r\nx,y\r\n"say ""hi""",1,\r\n')).toBe(true);
  });
});
