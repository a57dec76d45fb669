import { describe, expect, it } from 'vitest';
import type { PersonFacts } from '../person';
import { assertQuoteOk, policyFor, quote, type InstitutionValues, type Payer, type Quote } from './index';

const person = (over: Partial<PersonFacts> = {}): PersonFacts => ({
  birthDate: '1980-06-15',
  sex: 'M',
  conditions: [],
  statuses: [],
  insuredLocally: true,
  localHukou: true,
  ...over,
});

type Amounts = Partial<Record<Payer, number>>;

/** Quote one member and return the non-zero payer amounts of one line. */
function line(region: string, today: string, p: PersonFacts, codes: string[], code: string, extra: { signingKind?: 'free' | 'paid'; iv?: Record<string, InstitutionValues> } = {}) {
  const q = quote(
    { members: [{ memberId: 'm1', person: p, packageCodes: codes, ...(extra.signingKind && { signingKind: extra.signingKind }), ...(extra.iv && { institutionValues: extra.iv }) }] },
    policyFor(region, today),
    today,
  );
  const m = q.members[0]!;
  const l = m.lines.find((x) => x.packageCode === code);
  return { q, m, l, amounts: l ? (Object.fromEntries(l.shares.map((s) => [s.payer, s.amountFen])) as Amounts) : undefined };
}

function expectBalanced(q: Quote) {
  for (const m of q.members) {
    for (const l of m.lines) expect(l.shares.reduce((a, s) => a + s.amountFen, 0)).toBe(l.priceFen);
    expect(m.lines.reduce((a, l) => a + l.priceFen, 0)).toBe(m.totalFen);
  }
  expect(q.members.reduce((a, m) => a + m.totalFen, 0)).toBe(q.totalFen);
}

const LY = '2024-03-01';

describe('quote — liyang-2019 §三(一)', () => {
  const cases: [name: string, p: PersonFacts, codes: string[], code: string, price: number, amounts: Amounts][] = [
    ['basic package 8元 by public health', person(), [], 'LY-BASIC', 800, { public_health: 800 }],
    ['personalized 150 = 50/50/50', person({ conditions: ['hypertension'] }), ['160000002-d'], '160000002-d', 15000, { resident: 5000, insurance_fund: 5000, public_health: 5000 }],
    ['not insured in liyang: resident pays the insurance 50 too', person({ conditions: ['hypertension'], insuredLocally: false }), ['160000002-d'], '160000002-d', 15000, { resident: 10000, public_health: 5000 }],
    ['低保: resident part by city finance', person({ conditions: ['hypertension'], statuses: ['dibao'] }), ['160000002-d'], '160000002-d', 15000, { insurance_fund: 5000, public_health: 5000, finance_city: 5000 }],
    ['五保 not insured: finance pays the whole personal part', person({ birthDate: '1950-01-01', statuses: ['wubao'], insuredLocally: false }), ['160000002-c'], '160000002-c', 15000, { public_health: 5000, finance_city: 10000 }],
    ['each of the seven special populations: 三无', person({ conditions: ['copd'], statuses: ['sanwu'] }), ['160000002-g'], '160000002-g', 15000, { insurance_fund: 5000, public_health: 5000, finance_city: 5000 }],
    ['重点优抚', person({ conditions: ['copd'], statuses: ['youfu'] }), ['160000002-g'], '160000002-g', 15000, { insurance_fund: 5000, public_health: 5000, finance_city: 5000 }],
    ['计划生育特殊家庭', person({ conditions: ['copd'], statuses: ['family_planning_special'] }), ['160000002-g'], '160000002-g', 15000, { insurance_fund: 5000, public_health: 5000, finance_city: 5000 }],
    ['无固定收入重度残疾人', person({ conditions: ['copd'], statuses: ['severe_disability_no_income'] }), ['160000002-g'], '160000002-g', 15000, { insurance_fund: 5000, public_health: 5000, finance_city: 5000 }],
    ['农村建档立卡贫困人口', person({ conditions: ['copd'], statuses: ['poverty_registered'] }), ['160000002-g'], '160000002-g', 15000, { insurance_fund: 5000, public_health: 5000, finance_city: 5000 }],
    ['离休干部 1000元 by city finance', person({ birthDate: '1930-01-01', statuses: ['retired_cadre'] }), ['160000002-i'], '160000002-i', 100000, { finance_city: 100000 }],
    ['白血病 free', person({ birthDate: '2016-01-01', conditions: ['leukemia'] }), ['160000002-j'], '160000002-j', 0, {}],
    ['特殊人群健康管理包 free', person({ statuses: ['dibao'] }), ['160000002-h'], '160000002-h', 0, {}],
  ];
  it.each(cases)('%s', (_n, p, codes, code, price, amounts) => {
    const { q, l, amounts: got, m } = line('liyang-2019', LY, p, codes, code);
    expect(m.errors).toEqual([]);
    expect(l?.priceFen).toBe(price);
    expect(got).toEqual(amounts);
    expectBalanced(q);
  });

  it('白血病: the cost is borne by the township health centre', () => {
    const { l } = line('liyang-2019', LY, person({ conditions: ['leukemia'] }), ['160000002-j'], '160000002-j');
    expect(l?.costBornBy).toBe('institution');
    expect(l?.notes).toContain('免费，所需经费由乡镇卫生院自行承担');
  });

  it('adds the basic package automatically', () => {
    const { m } = line('liyang-2019', LY, person({ conditions: ['hypertension'] }), ['160000002-d'], '160000002-d');
    expect(m.lines.map((l) => [l.packageCode, l.autoIncluded])).toEqual([
      ['LY-BASIC', true],
      ['160000002-d', false],
    ]);
    expect(m.totalFen).toBe(15800);
  });

  it('≥2 personalized packages: exactly one is split three ways, the others are paid wholly by the resident', () => {
    const p = person({ birthDate: '1950-01-01', conditions: ['hypertension', 'diabetes_t2'] });
    const { m, q } = line('liyang-2019', LY, p, ['160000002-f', '160000002-d', '160000002-c'], 'LY-BASIC');
    const roles = m.lines.filter((l) => l.splitRole).map((l) => [l.packageCode, l.splitRole, l.byPayer.resident]);
    // Equal prices: the earliest in the annex (c) is the shared one.
    expect(roles).toEqual([
      ['160000002-f', 'resident_only', 15000],
      ['160000002-d', 'resident_only', 15000],
      ['160000002-c', 'shared', 5000],
    ]);
    expect(q.byPayer.resident).toBe(35000);
    expect(q.byPayer.insurance_fund).toBe(5000);
    expectBalanced(q);
  });

  it('a special-population member with two packages: finance covers the shared one only', () => {
    const p = person({ birthDate: '1950-01-01', conditions: ['hypertension'], statuses: ['dibao'] });
    const { q } = line('liyang-2019', LY, p, ['160000002-c', '160000002-d'], 'LY-BASIC');
    expect(q.byPayer.finance_city).toBe(5000);
    expect(q.byPayer.resident).toBe(15000);
  });

  it('离休干部 + a three-way package: the rule applies only among three-way packages', () => {
    const p = person({ birthDate: '1930-01-01', statuses: ['retired_cadre'], conditions: ['hypertension'] });
    const { m } = line('liyang-2019', LY, p, ['160000002-i', '160000002-d'], '160000002-d');
    expect(m.lines.find((l) => l.packageCode === '160000002-d')?.splitRole).toBeNull();
    expect(m.byPayer).toMatchObject({ finance_city: 100000, resident: 5000, insurance_fund: 5000, public_health: 5800 });
  });

  it('reports ineligible selections instead of throwing', () => {
    const { m, q } = line('liyang-2019', LY, person(), ['160000002-c', 'NOPE'], 'LY-BASIC');
    expect(m.errors).toEqual([
      { packageCode: '160000002-c', code: 'NOT_ELIGIBLE', message: '该服务包仅适用于65岁及以上老年人' },
      { packageCode: 'NOPE', code: 'UNKNOWN_PACKAGE', message: '未找到服务包：NOPE' },
    ]);
    expect(q.ok).toBe(false);
    expect(() => assertQuoteOk(q)).toThrow('该服务包仅适用于65岁及以上老年人');
  });
});

describe('quote — yongkang 问答06: 120元 = 医保45 + 财政45 + 个人30', () => {
  const T = '2020-05-01';
  it.each([
    ['paid signing', person(), {}, { insurance_fund: 4500, public_health: 4500, resident: 3000 }],
    ['五保: personal 30 by civil affairs', person({ statuses: ['wubao'] }), {}, { insurance_fund: 4500, public_health: 4500, civil_affairs: 3000 }],
    ['低保', person({ statuses: ['dibao'] }), {}, { insurance_fund: 4500, public_health: 4500, civil_affairs: 3000 }],
    ['残疾人: by 残联', person({ conditions: ['disability'] }), {}, { insurance_fund: 4500, public_health: 4500, civil_affairs: 3000 }],
    ['free signing', person(), { signingKind: 'free' as const }, {}],
    ['free signing, not insured', person({ insuredLocally: false }), { signingKind: 'free' as const }, {}],
  ] as const)('%s', (_n, p, extra, amounts) => {
    const { l, m } = line('yongkang', T, p, [], 'YK-BASIC', extra);
    expect(m.errors).toEqual([]);
    expect(l?.priceFen).toBe(Object.values(amounts).reduce((a: number, b) => a + (b ?? 0), 0));
    expect(Object.fromEntries(l!.shares.map((s) => [s.payer, s.amountFen]))).toEqual(amounts);
  });

  it('population packages are included in the 120 元', () => {
    const { m } = line('yongkang', T, person({ birthDate: '1950-01-01', conditions: ['hypertension'] }), ['YK-ELDERLY', 'YK-HYPERTENSION'], 'YK-ELDERLY');
    expect(m.lines.map((l) => [l.packageCode, l.priceFen])).toEqual([
      ['YK-BASIC', 12000],
      ['YK-ELDERLY', 0],
      ['YK-HYPERTENSION', 0],
    ]);
    expect(m.totalFen).toBe(12000);
  });

  it('paid signing without local insurance is reported', () => {
    const { m } = line('yongkang', T, person({ insuredLocally: false }), [], 'YK-BASIC');
    expect(m.errors[0]).toMatchObject({ packageCode: 'YK-BASIC', code: 'NOT_ELIGIBLE' });
  });
});

describe('quote — jilin-2017 §三', () => {
  const T = '2018-01-10';
  it('basic ≥50 = public health 30 + insurance 20, resident 0', () => {
    expect(line('jilin-2017', T, person(), [], 'JL-BASIC').amounts).toEqual({ public_health: 3000, insurance_fund: 2000 });
  });
  it('an institution may set a higher basic price; the insurance part stays 20', () => {
    expect(line('jilin-2017', T, person(), [], 'JL-BASIC', { iv: { 'JL-BASIC': { priceFen: 6000 } } }).amounts).toEqual({ public_health: 4000, insurance_fund: 2000 });
  });
  it('a basic price below 50 is rejected', () => {
    const { m } = line('jilin-2017', T, person(), [], 'JL-BASIC', { iv: { 'JL-BASIC': { priceFen: 4000 } } });
    expect(m.errors[0]).toMatchObject({ code: 'INVALID_INSTITUTION_VALUE', message: '「基础性服务包」签约服务费不得低于50元' });
  });
  it('uninsured: the resident still pays nothing; the institution bears the 20', () => {
    expect(line('jilin-2017', T, person({ insuredLocally: false }), [], 'JL-BASIC').amounts).toEqual({ public_health: 3000, institution: 2000 });
  });
  it('personalized without institution values fails with a Chinese reason', () => {
    const { m, q } = line('jilin-2017', T, person(), ['JL-CHECKUP'], 'JL-CHECKUP');
    expect(m.errors).toHaveLength(1);
    expect(m.errors[0]!.code).toBe('PRICE_NOT_SET');
    expect(m.errors[0]!.message).toContain('「健康体检服务包」的价格须由签约机构按规定设定');
    expect(q.ok).toBe(false);
  });
  it('personalized: resident 45 % of list price, insurance ≤ 40元, institution forgoes the rest', () => {
    const iv = { 'JL-CHECKUP': { priceFen: 20000, residentShareBp: 4500, insuranceFen: 4000 } };
    expect(line('jilin-2017', T, person(), ['JL-CHECKUP'], 'JL-CHECKUP', { iv }).amounts).toEqual({ resident: 9000, insurance_fund: 4000, institution: 7000 });
  });
  it('personalized: insurance is capped by what remains after the resident share', () => {
    const iv = { 'JL-TCM': { priceFen: 6000, residentShareBp: 5000, insuranceFen: 4000 } };
    expect(line('jilin-2017', T, person(), ['JL-TCM'], 'JL-TCM', { iv }).amounts).toEqual({ resident: 3000, insurance_fund: 3000 });
  });
  it.each([
    [{ priceFen: 20000, insuranceFen: 4000 }, 'PRICE_NOT_SET', '须由签约机构核定居民付费比例'],
    [{ priceFen: 20000, residentShareBp: 3900, insuranceFen: 4000 }, 'INVALID_INSTITUTION_VALUE', '居民付费比例须在40%—50%之间'],
    [{ priceFen: 20000, residentShareBp: 5100, insuranceFen: 4000 }, 'INVALID_INSTITUTION_VALUE', '居民付费比例须在40%—50%之间'],
    [{ priceFen: 20000, residentShareBp: 4000 }, 'PRICE_NOT_SET', '医保基金支付额须由统筹区确定'],
    [{ priceFen: 20000, residentShareBp: 4000, insuranceFen: 4001 }, 'INVALID_INSTITUTION_VALUE', '医保基金支付额不得超过40元'],
  ])('invalid institution values %o → %s', (iv, code, message) => {
    const { m } = line('jilin-2017', T, person(), ['JL-CHECKUP'], 'JL-CHECKUP', { iv: { 'JL-CHECKUP': iv } });
    expect(m.errors[0]!.code).toBe(code);
    expect(m.errors[0]!.message).toContain(message);
  });
  it('household-level institution values apply to every member; member values override', () => {
    const policy = policyFor('jilin-2017', T);
    const q = quote(
      {
        institutionValues: { 'JL-CHECKUP': { priceFen: 10000, residentShareBp: 4000, insuranceFen: 2000 } },
        members: [
          { memberId: 'a', person: person(), packageCodes: ['JL-CHECKUP'] },
          { memberId: 'b', person: person(), packageCodes: ['JL-CHECKUP'], institutionValues: { 'JL-CHECKUP': { residentShareBp: 5000 } } },
        ],
      },
      policy,
      T,
    );
    expect(q.members.map((m) => m.byPayer.resident)).toEqual([4000, 5000]);
    expectBalanced(q);
  });
});

describe('quote — weihai-2023 §六(一)', () => {
  const T = '2024-01-10';
  it.each([
    ['resident pays 10元', person(), 1000, { resident: 1000 }],
    ['local household 60+: +40元, city 20 % : county 80 %', person({ birthDate: '1964-01-10' }), 5000, { resident: 1000, finance_city: 800, finance_county: 3200 }],
    ['59 years old: no subsidy', person({ birthDate: '1964-01-11' }), 1000, { resident: 1000 }],
    ['60+ without local hukou: no subsidy', person({ birthDate: '1950-01-01', localHukou: false }), 1000, { resident: 1000 }],
    ['城乡低保: resident part from charity, city level 20 %', person({ statuses: ['dibao'] }), 1000, { charity_city: 200, charity_other: 800 }],
    ['严重精神障碍患者', person({ conditions: ['severe_mental_disorder'] }), 1000, { charity_city: 200, charity_other: 800 }],
    ['脱贫享受政策人口, 70 local', person({ birthDate: '1954-01-01', statuses: ['poverty_alleviated'] }), 5000, { charity_city: 200, charity_other: 800, finance_city: 800, finance_county: 3200 }],
  ])('%s', (_n, p, price, amounts) => {
    const { l, amounts: got } = line('weihai-2023', T, p, [], 'WH-BASIC');
    expect(l?.priceFen).toBe(price);
    expect(got).toEqual(amounts);
  });
  it('personalized tiers need a county price', () => {
    const { m } = line('weihai-2023', T, person(), ['WH-PRIMARY'], 'WH-PRIMARY');
    expect(m.errors[0]).toMatchObject({ code: 'PRICE_NOT_SET' });
    expect(m.errors[0]!.message).toContain('收费及补助标准由县区级根据实际情况确定');
  });
  it('personalized with a county price and subsidy', () => {
    const iv = { 'WH-INTERMEDIATE': { priceFen: 30000, subsidyFen: 10000 } };
    expect(line('weihai-2023', T, person(), ['WH-INTERMEDIATE'], 'WH-INTERMEDIATE', { iv }).amounts).toEqual({ resident: 20000, finance_county: 10000 });
  });
  it('残疾人: a note points to 咸卫函〔2020〕113号', () => {
    expect(line('weihai-2023', T, person({ conditions: ['disability'] }), [], 'WH-BASIC').l?.notes.join('')).toContain('咸卫函〔2020〕113号');
  });
});

describe('quote — zhangjiagang-2017', () => {
  const T = '2017-05-10';
  it('附件2: one personalized package per household member', () => {
    const iv = { 'ZJG-PRIMARY': { priceFen: 10000 }, 'ZJG-ADVANCED': { priceFen: 30000 } };
    const { m } = line('zhangjiagang-2017', T, person(), ['ZJG-PRIMARY', 'ZJG-ADVANCED'], 'ZJG-PRIMARY', { iv });
    expect(m.lines.map((l) => l.packageCode)).toEqual(['ZJG-BASIC', 'ZJG-PRIMARY']);
    expect(m.errors).toEqual([{ packageCode: 'ZJG-ADVANCED', code: 'TOO_MANY_PACKAGES', message: '每位家庭成员只能选择1个个性化服务包' }]);
  });
  it('package prices are 另附: a quote without the institution price fails', () => {
    const { m } = line('zhangjiagang-2017', T, person({ conditions: ['hypertension'] }), ['ZJG-INTERMEDIATE-1'], 'ZJG-INTERMEDIATE-1');
    expect(m.errors[0]).toMatchObject({ code: 'PRICE_NOT_SET' });
  });
  it('四个一 is free for 大病困难群众', () => {
    const { l, m } = line('zhangjiagang-2017', T, person({ statuses: ['major_illness_hardship'] }), ['ZJG-HARDSHIP'], 'ZJG-HARDSHIP');
    expect(m.errors).toEqual([]);
    expect(l?.priceFen).toBe(0);
  });
});

describe('quote — household', () => {
  it('totals per payer and per member add up; duplicate member ids throw', () => {
    const policy = policyFor('liyang-2019', LY);
    const q = quote(
      {
        members: [
          { memberId: 'grandpa', person: person({ birthDate: '1948-02-01', conditions: ['hypertension'] }), packageCodes: ['160000002-c', '160000002-d'] },
          { memberId: 'mum', person: person({ sex: 'F', conditions: ['pregnant'] }), packageCodes: ['160000002-a'] },
          { memberId: 'kid', person: person({ birthDate: '2021-01-01' }), packageCodes: ['160000002-b'] },
        ],
      },
      policy,
      LY,
    );
    expect(q.ok).toBe(true);
    expect(q.members.map((m) => m.totalFen)).toEqual([30800, 15800, 15800]);
    expect(q.totalFen).toBe(62400);
    // grandpa: c shared (50) + d wholly his (150); mum and kid 50 each.
    expect(q.byPayerGroup).toMatchObject({ resident: 30000, insurance_fund: 15000, public_health: 17400 });
    expectBalanced(q);
    expect(() => quote({ members: [q.members[0]!, q.members[0]!].map((m) => ({ memberId: m.memberId, person: person(), packageCodes: [] })) }, policy, LY)).toThrow('成员编号重复');
  });
});
