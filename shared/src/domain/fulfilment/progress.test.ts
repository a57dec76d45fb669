import { describe, expect, it } from 'vitest';
import { agreementProgress, itemProgress, promisedInCycle, unitDueBy, type PromisedItemLike } from './progress';

// liyang-2019 附件 基本公卫 原发性高血压病患者 3: 每年提供至少4次面对面的随访.
const followUp: PromisedItemLike = { code: 'LY-BASIC/hypertension-3', name: '面对面随访', kind: 'count', quantity: 4, per: 'year', bound: 'atLeast', unit: '次' };
// yongkang 基本服务包 4: 每季度不少于1条.
const push: PromisedItemLike = { code: 'health-knowledge-push', name: '健康知识推送服务', kind: 'count', quantity: 1, per: 'quarter', bound: 'atLeast', unit: '条' };
const stage: PromisedItemLike = { code: 'LY-BASIC/maternal-3', name: '孕中期健康管理', kind: 'count', quantity: 2, per: 'stage', bound: 'exact', unit: '次' };
const onDemand: PromisedItemLike = { code: 'LY-BASIC/medical-2', name: '转诊预约服务', kind: 'on_demand', quantity: null, per: null, bound: 'exact', unit: '次' };
const year = { start: '2019-01-01', end: '2019-12-31' };

describe('unitDueBy: units spread evenly over the cycle', () => {
  it.each([
    [1, 4, '2019-03-31'],
    [2, 4, '2019-06-30'],
    [3, 4, '2019-09-30'],
    [1, 12, '2019-01-31'],
    [2, 12, '2019-02-28'],
    [4, 4, '2019-12-31'],
    [1, 1, '2019-12-31'],
    [12, 12, '2019-12-31'],
  ])('unit %i of %i falls due by %s', (k, n, due) => {
    expect(unitDueBy(k, n, year.start, year.end)).toBe(due);
  });
});

describe('promisedInCycle', () => {
  it.each([
    [followUp, year, 4],
    [push, year, 4],
    [stage, year, 2],
    [onDemand, year, null],
    // weihai-2023: a 2-year renewal promises two years of follow-ups.
    [followUp, { start: '2024-03-01', end: '2026-02-28' }, 8],
    // A first liyang cycle from a mid-2019 signing to 2020-12-31 spans about 1.5 years → rounds to 2.
    [followUp, { start: '2019-06-15', end: '2020-12-31' }, 8],
  ] as const)('%o over %o → %s', (item, cycle, n) => {
    expect(promisedInCycle(item, cycle.start, cycle.end)).toBe(n);
  });
});

describe('itemProgress: hypertension follow-up ≥4 per year → one per quarter', () => {
  it.each([
    // [delivered, today, status, expectedByNow, nextDueBy]
    [0, '2019-02-01', 'on_track', 0, '2019-03-31'],
    [0, '2019-03-10', 'due_soon', 0, '2019-03-31'],
    [0, '2019-03-31', 'due_soon', 0, '2019-03-31'],
    [0, '2019-04-01', 'overdue', 1, '2019-03-31'],
    [1, '2019-04-01', 'on_track', 1, '2019-06-30'],
    [2, '2019-06-15', 'on_track', 1, '2019-09-30'],
    [2, '2019-09-05', 'due_soon', 2, '2019-09-30'],
    [1, '2019-10-01', 'overdue', 3, '2019-06-30'],
    [4, '2019-05-01', 'done', 4, null],
    [6, '2019-05-01', 'done', 4, null],
  ] as const)('%i delivered on %s → %s', (delivered, today, status, expected, next) => {
    const p = itemProgress(followUp, delivered, year, today);
    expect(p.status).toBe(status);
    expect(p.expectedByNow).toBe(expected);
    expect(p.nextDueBy).toBe(next);
    expect(p.promised).toBe(4);
  });

  it('labels read as the issue words them: 面对面随访 已完成 2/4 次', () => {
    expect(itemProgress(followUp, 2, year, '2019-06-01').label).toBe('面对面随访 已完成 2/4 次');
    expect(itemProgress(followUp, 9, year, '2019-06-01').label).toBe('面对面随访 已完成 4/4 次');
  });

  it('items without a number are open and only counted', () => {
    const p = itemProgress(onDemand, 3, year, '2019-06-01');
    expect(p).toMatchObject({ status: 'open', promised: null, nextDueBy: null, label: '转诊预约服务 已提供 3 次' });
  });

  it('per-stage items fall due by the cycle end, overdue only after it', () => {
    expect(itemProgress(stage, 0, year, '2019-06-01')).toMatchObject({ status: 'on_track', nextDueBy: '2019-12-31', expectedByNow: 0 });
    expect(itemProgress(stage, 1, year, '2019-12-15')).toMatchObject({ status: 'due_soon' });
    expect(itemProgress(stage, 1, year, '2020-01-02')).toMatchObject({ status: 'overdue', expectedByNow: 2 });
  });

  it('a horizon of 0 days only flags what falls due today', () => {
    expect(itemProgress(followUp, 0, year, '2019-03-30', 0).status).toBe('on_track');
    expect(itemProgress(followUp, 0, year, '2019-03-31', 0).status).toBe('due_soon');
  });
});

describe('agreementProgress', () => {
  it('sums deliveries per member, package and item; counts what is due', () => {
    const members = [
      { memberId: 'm1', name: '张三', packages: [{ code: 'LY-BASIC', name: '基本服务包', items: [followUp, onDemand] }] },
      { memberId: 'm2', name: '李四', packages: [{ code: 'LY-BASIC', name: '基本服务包', items: [followUp] }] },
    ];
    const delivered = [
      { memberId: 'm1', packageCode: 'LY-BASIC', itemCode: followUp.code, quantity: 1 },
      { memberId: 'm1', packageCode: 'LY-BASIC', itemCode: followUp.code, quantity: 1 },
      { memberId: 'm2', packageCode: 'OTHER', itemCode: followUp.code, quantity: 3 },
    ];
    const [a, b] = agreementProgress(members, delivered, year, '2019-07-10');
    expect(a!.packages[0]!.items[0]!.delivered).toBe(2);
    expect(a!.dueCount).toBe(0);
    expect(b!.packages[0]!.items[0]!.delivered).toBe(0);
    expect(b!.overdueCount).toBe(1);
  });
});
