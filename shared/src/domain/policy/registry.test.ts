import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors';
import { allPolicies, policyFor, policyVersion, regionSummary } from './index';

describe('policyFor / policyVersion', () => {
  it.each([
    ['liyang-2019', '2019-08-08', '2019.1'],
    ['yongkang', '2016-01-01', '2016.1'],
    ['jilin-2017', '2017-08-01', '2017.1'],
    ['weihai-2023', '2023-05-25', '2023.1'],
    ['zhangjiagang-2017', '2017-03-01', '2017.1'],
  ])('%s is in force from %s', (region, on, version) => {
    expect(policyFor(region, on).version).toBe(version);
    expect(policyVersion(region, version).effectiveFrom).toBe(on);
  });

  it('nothing before a region’s first version', () => {
    expect(() => policyFor('weihai-2023', '2023-05-24')).toThrow(NotFoundError);
    expect(() => policyFor('weihai-2023', '2023-05-24')).toThrow('尚无生效的家庭医生签约政策');
  });

  it('unknown region and version', () => {
    expect(() => policyFor('shanghai', '2024-01-01')).toThrow('未找到该地区的家庭医生签约政策');
    expect(() => policyVersion('liyang-2019', '1999.1')).toThrow(NotFoundError);
  });

  it('policies are frozen', () => {
    expect(Object.isFrozen(policyFor('liyang-2019', '2020-01-01').packages[0]!.pricing)).toBe(true);
  });

  it('region summaries carry capacity, targets and booking defaults', () => {
    const s = regionSummary(policyFor('liyang-2019', '2020-01-01'));
    expect(s.teamCapacity).toBe(2000);
    expect(s.coverageTargets.map((t) => t.minPercent)).toEqual([35, 75, null]);
    expect(s.booking).toMatchObject({ maxFutureAppointments: 3, cancelDeadlineMinutes: 120 });
    expect(regionSummary(policyFor('zhangjiagang-2017', '2017-05-01')).earlyTermination).toBe('restricted');
    expect(regionSummary(policyFor('weihai-2023', '2024-01-01')).specialistSlotShareMinPercent).toBe(20);
    expect(allPolicies()).toHaveLength(5);
  });
});
