import { describe, expect, it } from 'vitest';
import { catalogView, policyFor, quote, regionSummary } from '../domain/policy';
import { packageCatalogResponseSchema, quoteRequestSchema, quoteResponseSchema, regionSummarySchema } from './policy';

const member = {
  memberId: 'm1',
  person: { birthDate: '1950-01-01', sex: 'M', conditions: ['hypertension'], statuses: [], insuredLocally: true, localHukou: true },
  packageCodes: ['160000002-d'],
};

describe('policy API schemas', () => {
  it('accepts a quote request and defaults missing lists', () => {
    const parsed = quoteRequestSchema.parse({ regionId: 'liyang-2019', members: [{ ...member, person: { ...member.person, conditions: undefined, statuses: undefined } }] });
    expect(parsed.members[0]!.person.conditions).toEqual([]);
  });

  it.each([
    [{ regionId: 'shanghai', members: [member] }, '不支持的地区'],
    [{ regionId: 'liyang-2019', members: [] }, '请至少选择一位家庭成员'],
    [{ regionId: 'liyang-2019', members: [member, member] }, '成员编号重复'],
    [{ regionId: 'liyang-2019', onDate: '2024-02-30', members: [member] }, '日期格式应为 YYYY-MM-DD'],
    [{ regionId: 'jilin-2017', members: [{ ...member, institutionValues: { 'JL-TCM': { priceFen: 12.5 } } }] }, '金额须以分为单位的整数'],
  ])('rejects %o with a Chinese message', (body, message) => {
    const r = quoteRequestSchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toContain(message);
  });

  it('domain outputs satisfy the response schemas', () => {
    const policy = policyFor('liyang-2019', '2024-01-01');
    const req = quoteRequestSchema.parse({ regionId: 'liyang-2019', members: [member] });
    expect(quoteResponseSchema.safeParse(quote(req, policy, '2024-01-01')).success).toBe(true);
    expect(packageCatalogResponseSchema.safeParse({ regionId: policy.regionId, policyVersion: policy.version, packages: catalogView(policy) }).success).toBe(true);
    for (const region of ['liyang-2019', 'yongkang', 'jilin-2017', 'weihai-2023', 'zhangjiagang-2017']) {
      expect(regionSummarySchema.safeParse(regionSummary(policyFor(region, '2024-01-01'))).success).toBe(true);
    }
  });
});
