import { describe, expect, it } from 'vitest';
import { policyFor, refund, refundPackageOf, type RefundInput } from './index';

const liyang = policyFor('liyang-2019', '2019-09-01');
const d = liyang.packages.find((p) => p.code === '160000002-d')!;
// liyang 160000002-d: resident share 50元 of 150元; paid units = BP 12−4 + urine + lipids + ECG + X-ray + interpretation = 13.
const dRefund = refundPackageOf(d, 15000, 5000);
const TODAY = '2024-06-01';

describe('refund — liyang-2019 §三(二): prepaid resident share minus the resident share of services delivered', () => {
  it('promises 13 paid units in 160000002-d', () => {
    expect(dRefund.items.reduce((a, i) => a + i.promisedQuantity, 0)).toBe(13);
  });

  const cases: [name: string, delivered: RefundInput['delivered'], refundFen: number][] = [
    ['nothing delivered: full 50元', [], 5000],
    // The first 4 measurements are the basic package's (free): 4 BP → no deduction.
    ['4 blood-pressure measurements are the basic package’s', [{ itemCode: '160000002-d/2', quantity: 4 }], 5000],
    // 6 BP (2 paid) + urine = 3 of 13 units: 5000 × 3/13 = 1153.8 → deduct 1153 (rounded down).
    ['3 of 13 units delivered', [{ itemCode: '160000002-d/2', quantity: 6 }, { itemCode: '160000002-d/3', quantity: 1 }], 3847],
    ['referral booking carries no value', [{ itemCode: '160000002-d/2', quantity: 0 }], 5000],
    ['everything delivered: nothing left', [
      { itemCode: '160000002-d/2', quantity: 12 },
      { itemCode: '160000002-d/3', quantity: 1 },
      { itemCode: '160000002-d/4', quantity: 1 },
      { itemCode: '160000002-d/5', quantity: 1 },
      { itemCode: '160000002-d/6', quantity: 1 },
      { itemCode: '160000002-d/7', quantity: 1 },
    ], 0],
    ['over-delivery is capped at the promise', [{ itemCode: '160000002-d/2', quantity: 40 }], 5000 - Math.floor((5000 * 8) / 13)],
  ];
  it.each(cases)('%s', (_n, delivered, refundFen) => {
    const r = refund({ residentPaidFen: 5000, packages: [dRefund], delivered }, TODAY);
    expect(r.refundFen).toBe(refundFen);
    expect(r.notes[0]).toContain('双方协商');
  });

  it('uses a unit value where one is given and spreads the rest of the price', () => {
    const r = refund(
      {
        residentPaidFen: 5000,
        packages: [{ code: 'X', priceFen: 15000, residentShareFen: 5000, items: [{ code: 'a', promisedQuantity: 1, unitValueFen: 6000 }, { code: 'b', promisedQuantity: 9 }] }],
        delivered: [{ itemCode: 'a', quantity: 1 }, { itemCode: 'b', quantity: 3 }],
      },
      TODAY,
    );
    // delivered value = 6000 + 9000 × 3/9 = 9000; resident share 5000 × 9000/15000 = 3000.
    expect(r.packages[0]).toMatchObject({ deliveredValueFen: 9000, residentDeductionFen: 3000, refundFen: 2000 });
  });

  it('never refunds more than the resident paid (special populations paid nothing)', () => {
    expect(refund({ residentPaidFen: 0, packages: [dRefund], delivered: [] }, TODAY).refundFen).toBe(0);
    expect(refund({ residentPaidFen: 3000, packages: [dRefund], delivered: [] }, TODAY).refundFen).toBe(3000);
  });

  it('nothing after the cycle has ended', () => {
    expect(refund({ residentPaidFen: 5000, packages: [dRefund], delivered: [], cycleEnd: '2024-05-31' }, TODAY).refundFen).toBe(0);
  });

  it('rejects unknown items and negative quantities', () => {
    expect(() => refund({ residentPaidFen: 5000, packages: [dRefund], delivered: [{ itemCode: 'nope', quantity: 1 }] }, TODAY)).toThrow('未找到服务项目：nope');
    expect(() => refund({ residentPaidFen: 5000, packages: [dRefund], delivered: [{ itemCode: '160000002-d/3', quantity: -1 }] }, TODAY)).toThrow('已提供数量须为非负整数');
  });

  it('two packages: each refunded on its own', () => {
    const c = refundPackageOf(liyang.packages.find((p) => p.code === '160000002-c')!, 15000, 15000); // resident-only second package
    const r = refund({ residentPaidFen: 20000, packages: [dRefund, c], delivered: [{ itemCode: '160000002-c/2', quantity: 1 }] }, TODAY);
    // c: 3 units, 1 delivered → deduct 15000/3 = 5000.
    expect(r.packages.map((p) => p.refundFen)).toEqual([5000, 10000]);
    expect(r.refundFen).toBe(15000);
  });
});
