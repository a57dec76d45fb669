import { describe, expect, it } from 'vitest';
import { checkService, isReferralItem } from './record';
import type { MemberPackagesLike } from './progress';

const member: MemberPackagesLike = {
  memberId: 'm1',
  name: '张三',
  packages: [
    {
      code: 'LY-BASIC',
      name: '基本服务包',
      items: [
        { code: 'LY-BASIC/hypertension-3', name: '每年提供至少4次面对面的随访', kind: 'count', quantity: 4, per: 'year', bound: 'atLeast', unit: '次' },
        { code: 'LY-BASIC/medical-2', name: '为病情需要的签约对象提供转诊预约服务', kind: 'on_demand', quantity: null, per: null, bound: 'exact', unit: '次' },
      ],
    },
    {
      // zhangjiagang-2017 附件3 一、1: 累计不超过4项次.
      code: 'ZJG-HARDSHIP',
      name: '四个一',
      items: [{ code: 'ZJG-HARDSHIP/1-5', name: '常规检查', kind: 'count', quantity: 4, per: 'year', bound: 'atMost', unit: '项次' }],
    },
  ],
};
const base = { member, itemCode: 'LY-BASIC/hypertension-3', date: '2019-05-01', quantity: 1, cycle: { start: '2019-01-01', end: '2019-12-31' }, today: '2019-06-01', alreadyDelivered: () => 0 };

describe('checkService', () => {
  it.each([
    ['an item the member holds', {}, null],
    ['a date on the cycle start', { date: '2019-01-01' }, null],
    ['today', { date: '2019-06-01' }, null],
    ['an unknown member', { member: undefined }, ['memberId']],
    ['an item outside the member’s packages', { itemCode: 'LY-BASIC/diabetes-2b' }, ['itemCode']],
    ['a package the member does not hold', { packageCode: '160000002-d' }, ['packageCode']],
    ['a future date', { date: '2019-06-02' }, ['date']],
    ['a date before the cycle', { date: '2018-12-31' }, ['date']],
    ['a date after the cycle (a past cycle)', { date: '2020-01-01', today: '2020-02-01' }, ['date']],
    ['an at-most item beyond its bound', { itemCode: 'ZJG-HARDSHIP/1-5', quantity: 2, alreadyDelivered: () => 3 }, ['quantity']],
    ['an at-most item up to its bound', { itemCode: 'ZJG-HARDSHIP/1-5', quantity: 1, alreadyDelivered: () => 3 }, null],
    ['two faults at once', { itemCode: 'nope', date: '2030-01-01' }, ['itemCode', 'date']],
  ] as const)('%s', (_n, patch, paths) => {
    const r = checkService({ ...base, ...patch } as never);
    if (paths === null) {
      expect(r.ok).toBe(true);
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.issues.map((i) => i.path)).toEqual(paths);
        for (const i of r.issues) expect(i.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    }
  });

  it('resolves the package holding the item', () => {
    const r = checkService(base);
    expect(r.ok && r.resolved.packageCode).toBe('LY-BASIC');
  });

  it('the future-date message is the one a doctor understands', () => {
    const r = checkService({ ...base, date: '2019-07-01' });
    expect(!r.ok && r.issues[0]!.message).toBe('服务日期不能晚于今天');
  });
});

describe('isReferralItem', () => {
  it.each([
    ['为病情需要的签约对象提供转诊预约服务', true],
    ['提供转诊服务', true],
    ['每年提供至少4次面对面的随访', false],
  ])('%s → %s', (name, yes) => expect(isReferralItem({ name })).toBe(yes));
});
