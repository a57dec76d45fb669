import { describe, expect, it } from 'vitest';
import { allPolicies, policyFor, regionPolicySchema, CLINIC_APPOINTMENT_ITEM_CODE, HEALTH_PUSH_ITEM_CODE, yearlyQuantity, catalogView } from './index';
import { liyang2019 } from './regions/liyang-2019';

const liyang = policyFor('liyang-2019', '2019-09-01');
const yongkang = policyFor('yongkang', '2020-01-01');
const pkg = (p: typeof liyang, code: string) => {
  const found = p.packages.find((x) => x.code === code);
  if (!found) throw new Error(`no package ${code}`);
  return found;
};

describe('region policies validate against the schema', () => {
  it.each(allPolicies().map((p) => [p.regionId, p] as const))('%s', (_id, p) => {
    expect(regionPolicySchema.safeParse(p).success).toBe(true);
  });

  it('rejects a policy whose shares do not add up to the price', () => {
    const broken = structuredClone(liyang2019);
    const d = broken.packages.find((x) => x.code === '160000002-d')!;
    if (d.pricing.kind !== 'fixed') throw new Error('fixture');
    d.pricing.shares[0]!.amountFen = 4999;
    expect(regionPolicySchema.safeParse(broken).success).toBe(false);
  });
});

describe('liyang-2019 annex catalog (附件 溧阳市家庭医生签约服务包内容及收费标准)', () => {
  // liyang-2019 §三(一) and 附件: codes a–j, prices 8 / 150 / 免费 / 1000.
  const table: [code: string, priceText: string][] = [
    ['LY-BASIC', '8元/人/年'],
    ['160000002-a', '150元/人/年'],
    ['160000002-b', '150元/人/年'],
    ['160000002-c', '150元/人/年'],
    ['160000002-d', '150元/人/年'],
    ['160000002-e', '150元/人/年'],
    ['160000002-f', '150元/人/年'],
    ['160000002-g', '150元/人/年'],
    ['160000002-h', '免费'],
    ['160000002-i', '1000元/人/年'],
    ['160000002-j', '免费'],
  ];
  it.each(table)('%s is priced %s', (code, text) => {
    expect(catalogView(liyang).find((v) => v.code === code)?.priceText).toBe(text);
  });

  it('has exactly the basic package and a–j', () => {
    expect(liyang.packages.map((p) => p.code)).toEqual(table.map(([c]) => c));
  });

  it('160000002-d items are the annex rows 2–8 with their yearly quantities', () => {
    // liyang-2019 附件 160000002-d: 测血压12次(含基本包4次), 尿常规1次, 血脂1次, 心电图1次, 全胸片1次, 解读1次, 预约转诊.
    const d = pkg(liyang, '160000002-d');
    expect(d.includes).toEqual(['LY-BASIC']);
    expect(d.items.map((i) => [i.code, yearlyQuantity(i), i.includedFromBasic ?? null])).toEqual([
      ['160000002-d/2', 12, 4],
      ['160000002-d/3', 1, null],
      ['160000002-d/4', 1, null],
      ['160000002-d/5', 1, null],
      ['160000002-d/6', 1, null],
      ['160000002-d/7', 1, null],
      ['160000002-d/8', null, null],
    ]);
    expect(d.items[6]!.name).toBe('提供预约就诊、转诊服务');
  });

  it('160000002-e and -f carry the fasting-glucose 8 including the basic package 4', () => {
    expect(pkg(liyang, '160000002-e').items.find((i) => i.code === '160000002-e/4')).toMatchObject({ quantity: 8, includedFromBasic: 4 });
    expect(pkg(liyang, '160000002-f').items.find((i) => i.code === '160000002-f/5')).toMatchObject({ quantity: 2, frequencyText: '半年1次，或者视病情而定' });
  });

  it('160000002-i has the 15 numbered services; -j visits monthly and tests blood quarterly', () => {
    expect(pkg(liyang, '160000002-i').items).toHaveLength(15);
    const j = pkg(liyang, '160000002-j').items;
    expect(yearlyQuantity(j.find((i) => i.code === '160000002-j/6a')!)).toBe(12);
    expect(yearlyQuantity(j.find((i) => i.code === '160000002-j/6b')!)).toBe(4);
  });

  it('the basic package carries every population row of 基本公卫服务包 and the 基本医疗服务包', () => {
    const labels = new Set(pkg(liyang, 'LY-BASIC').items.map((i) => i.appliesTo?.label ?? '全体'));
    expect([...labels]).toEqual(['孕产妇', '0-6岁儿童', '65岁以上老年人', '原发性高血压病患者', '辖区内35岁及以上常住居民', '2型糖尿病患者', '严重精神障碍患者', '肺结核患者', '普通人群', '全体']);
  });
});

describe('yongkang 11-package list (永康市家庭医生签约服务内容项目清单)', () => {
  it('has the basic package and the ten population packages', () => {
    expect(yongkang.packages.map((p) => p.name)).toEqual([
      '基本服务包',
      '儿童服务包',
      '孕产妇服务包',
      '老年人服务包',
      '高血压患者服务包',
      '糖尿病患者服务包',
      '严重精神障碍患者服务包',
      '肺结核患者服务包',
      '计划生育特殊家庭服务包',
      '困难人群服务包',
      '残疾人服务包',
    ]);
    // 说明1: every population package includes 基本服务包所有内容.
    for (const p of yongkang.packages.slice(1)) expect(p.includes).toEqual(['YK-BASIC']);
  });

  it('uses each of the 37 服务频次 cells of the seed exactly once', () => {
    const withFrequency = yongkang.packages.flatMap((p) => p.items).filter((i) => i.frequencyText !== null);
    expect(withFrequency).toHaveLength(37);
  });

  it.each([
    ['YK-HYPERTENSION', 'YK-HYPERTENSION/2', 4, '不少于4次/年'],
    ['YK-DIABETES', 'YK-DIABETES/2', 4, '不少于4次/年'],
    ['YK-SMI', 'YK-SMI/2', 4, '不少于4次/年'],
    ['YK-ELDERLY', 'YK-ELDERLY/4', 1, '1次/年'],
    ['YK-MATERNAL', 'YK-MATERNAL/3', 2, '2次/年或相应增加'],
    ['YK-CHILD', 'YK-CHILD/5', 1, '每年一次'],
  ])('%s item %s: %i per year (%s)', (code, item, perYear, text) => {
    const it = pkg(yongkang, code).items.find((i) => i.code === item)!;
    expect(yearlyQuantity(it)).toBe(perYear);
    expect(it.frequencyText).toBe(text);
  });
});

describe('well-known items in every basic package', () => {
  it.each(allPolicies().map((p) => [p.regionId, p] as const))('%s basic package has the push and appointment items', (_id, p) => {
    const basic = p.packages.find((x) => x.code === p.basicPackageCode)!;
    const push = basic.items.find((i) => i.code === HEALTH_PUSH_ITEM_CODE);
    // yongkang 基本服务包 第4项: 每季度不少于1条.
    expect(push).toMatchObject({ quantity: 1, per: 'quarter', bound: 'atLeast', unit: '条', frequencyText: '每季度不少于1条' });
    expect(yearlyQuantity(push!)).toBe(4);
    expect(basic.items.some((i) => i.code === CLINIC_APPOINTMENT_ITEM_CODE)).toBe(true);
  });
});

describe('packages whose values the document leaves to local institutions', () => {
  it.each([
    ['jilin-2017', '2018-01-01', 10],
    ['weihai-2023', '2023-06-01', 3],
    ['zhangjiagang-2017', '2017-05-01', 5],
    ['liyang-2019', '2019-09-01', 0],
    ['yongkang', '2020-01-01', 0],
  ])('%s has %i packages needing an institution-set price', (region, on, n) => {
    expect(catalogView(policyFor(region, on)).filter((v) => v.needsInstitutionValues)).toHaveLength(n);
  });
});
