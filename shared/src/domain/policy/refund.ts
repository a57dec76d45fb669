/**
 * Refund on early termination — liyang-2019 §三(二): "经调查核实后应在扣除实际服务的费用后，双方进行
 * 协商，退还签约居民". The figure here is the proposal the two sides negotiate from.
 *
 * Per package: refund = resident share − resident share × (value delivered ÷ price).
 * Value delivered: items with a unit value from the document count at that value; the rest of the
 * price is spread evenly over the other promised units. Computed in exact integer arithmetic
 * (BigInt) and rounded once, down, on the deduction — so any rounding favours the resident.
 * Never negative, never more than the resident paid.
 */
import { isLocalDate, type LocalDate } from '../dates';
import { ValidationError, type FieldIssue } from '../errors';
import type { Fen } from '../money';
import { promisedUnits } from './items';
import type { ServicePackage } from './types';

export interface RefundItem {
  code: string;
  /** Units the paid package promises (excluding units the free basic package already funds). */
  promisedQuantity: number;
  /** liyang 160000002-d/2: the first 4 blood-pressure measurements are the basic package's. */
  includedFromBasic?: number;
  unitValueFen?: Fen;
}

export interface RefundPackage {
  code: string;
  priceFen: Fen;
  residentShareFen: Fen;
  items: RefundItem[];
}

export interface RefundInput {
  residentPaidFen: Fen;
  packages: RefundPackage[];
  delivered: { itemCode: string; quantity: number; packageCode?: string }[];
  /** When given and `today` is after it, the cycle is over and nothing is refunded. */
  cycleEnd?: LocalDate;
}

export interface PackageRefund {
  code: string;
  residentShareFen: Fen;
  /** Value of delivered services (rounded down for display). */
  deliveredValueFen: Fen;
  residentDeductionFen: Fen;
  refundFen: Fen;
}

export interface RefundResult {
  refundFen: Fen;
  residentPaidFen: Fen;
  packages: PackageRefund[];
  /** Chinese. */
  notes: string[];
}

const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;

function validate(input: RefundInput, today: LocalDate): void {
  const issues: FieldIssue[] = [];
  if (!isLocalDate(today)) issues.push({ path: 'today', message: '日期格式应为 YYYY-MM-DD' });
  if (input.cycleEnd !== undefined && !isLocalDate(input.cycleEnd)) issues.push({ path: 'cycleEnd', message: '日期格式应为 YYYY-MM-DD' });
  if (!isCount(input.residentPaidFen)) issues.push({ path: 'residentPaidFen', message: '已缴金额须为以分计的非负整数' });
  input.packages.forEach((p, i) => {
    if (!isCount(p.priceFen)) issues.push({ path: `packages.${i}.priceFen`, message: '服务包价格须为以分计的非负整数' });
    if (!isCount(p.residentShareFen) || p.residentShareFen > p.priceFen) {
      issues.push({ path: `packages.${i}.residentShareFen`, message: '个人承担金额须为非负整数且不超过服务包价格' });
    }
    p.items.forEach((it, j) => {
      if (!isCount(it.promisedQuantity)) issues.push({ path: `packages.${i}.items.${j}.promisedQuantity`, message: '约定数量须为非负整数' });
      if (it.unitValueFen !== undefined && !isCount(it.unitValueFen)) issues.push({ path: `packages.${i}.items.${j}.unitValueFen`, message: '单价须为以分计的非负整数' });
      if (it.includedFromBasic !== undefined && !isCount(it.includedFromBasic)) issues.push({ path: `packages.${i}.items.${j}.includedFromBasic`, message: '数量须为非负整数' });
    });
  });
  input.delivered.forEach((d, k) => {
    if (!isCount(d.quantity)) issues.push({ path: `delivered.${k}.quantity`, message: '已提供数量须为非负整数' });
    const owners = input.packages.filter((p) => (d.packageCode === undefined || p.code === d.packageCode) && p.items.some((it) => it.code === d.itemCode));
    if (owners.length === 0) issues.push({ path: `delivered.${k}.itemCode`, message: `未找到服务项目：${d.itemCode}` });
    if (owners.length > 1) issues.push({ path: `delivered.${k}.packageCode`, message: `服务项目${d.itemCode}属于多个服务包，请指明服务包` });
  });
  if (issues.length) throw new ValidationError(issues);
}

function packageRefund(p: RefundPackage, delivered: Map<string, number>): PackageRefund {
  const P = BigInt(p.priceFen);
  const R = BigInt(p.residentShareFen);
  let explicitPromised = 0n;
  let explicitDelivered = 0n;
  let U = 0n; // spread units promised
  let D = 0n; // spread units delivered
  for (const it of p.items) {
    const raw = delivered.get(it.code) ?? 0;
    const done = BigInt(Math.min(it.promisedQuantity, Math.max(0, raw - (it.includedFromBasic ?? 0))));
    const promised = BigInt(it.promisedQuantity);
    if (it.unitValueFen !== undefined) {
      explicitPromised += BigInt(it.unitValueFen) * promised;
      explicitDelivered += BigInt(it.unitValueFen) * done;
    } else {
      U += promised;
      D += done;
    }
  }
  const pool = P > explicitPromised ? P - explicitPromised : 0n;
  // delivered value = N / den, exactly.
  const den = U > 0n ? U : 1n;
  let N = explicitDelivered * den + (U > 0n ? pool * D : 0n);
  if (N > P * den) N = P * den;
  const deduction = P > 0n ? (R * N) / (P * den) : 0n; // BigInt division truncates: rounds down
  return {
    code: p.code,
    residentShareFen: p.residentShareFen,
    deliveredValueFen: Number(N / den),
    residentDeductionFen: Number(deduction),
    refundFen: Number(R - deduction),
  };
}

export function refund(input: RefundInput, today: LocalDate): RefundResult {
  validate(input, today);
  const notes: string[] = ['退费金额为已缴个人费用扣除已提供服务中个人承担部分后的参考金额，最终由双方协商确定'];
  if (input.cycleEnd !== undefined && today > input.cycleEnd) {
    return { refundFen: 0, residentPaidFen: input.residentPaidFen, packages: [], notes: ['服务周期已结束，不再退费'] };
  }
  const perPackage = new Map<string, Map<string, number>>();
  for (const d of input.delivered) {
    const owner = input.packages.find((p) => (d.packageCode === undefined || p.code === d.packageCode) && p.items.some((it) => it.code === d.itemCode))!;
    const m = perPackage.get(owner.code) ?? new Map<string, number>();
    m.set(d.itemCode, (m.get(d.itemCode) ?? 0) + d.quantity);
    perPackage.set(owner.code, m);
  }
  const packages = input.packages.map((p) => packageRefund(p, perPackage.get(p.code) ?? new Map()));
  const sum = packages.reduce((a, p) => a + p.refundFen, 0);
  const refundFen = Math.max(0, Math.min(input.residentPaidFen, sum));
  if (sum > input.residentPaidFen) notes.push('退费金额以实际已缴金额为上限');
  return { refundFen, residentPaidFen: input.residentPaidFen, packages, notes };
}

/**
 * The refund view of a catalog package: promised units per item (counts only; items without a
 * number carry no value) and the resident's share from the quote line.
 */
export function refundPackageOf(pkg: ServicePackage, priceFen: Fen, residentShareFen: Fen): RefundPackage {
  return {
    code: pkg.code,
    priceFen,
    residentShareFen,
    items: pkg.items
      .filter((it) => promisedUnits(it) > 0)
      .map((it) => ({
        code: it.code,
        promisedQuantity: promisedUnits(it),
        ...(it.includedFromBasic !== undefined && { includedFromBasic: it.includedFromBasic }),
        ...(it.unitValueFen !== undefined && { unitValueFen: it.unitValueFen }),
      })),
  };
}
