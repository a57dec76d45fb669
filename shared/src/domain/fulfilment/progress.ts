/**
 * Fulfilment progress (GitHub issue 8, "签约一人、履约一人、做实一人"): what each member was promised
 * (the items stored on the agreement at signing) against what the ledger says was delivered, and
 * what is due next. Pure: the cycle, the deliveries and `today` are parameters.
 *
 * Schedule: a counted item's units for the cycle are spread evenly over the cycle's months, unit k
 * (1-based) falling due the day before cycleStart + ceil(k × months / units) months. So liyang-2019
 * 基本公卫 "每年提供至少4次面对面的随访" over a calendar year is one follow-up per quarter (31 Mar,
 * 30 Jun, 30 Sep, 31 Dec), and yongkang's "每季度不少于1条" is one per quarter of the cycle.
 */
import { addDays, addMonths, daysBetween, type LocalDate } from '../dates';

export interface PromisedItemLike {
  code: string;
  name: string;
  kind: 'count' | 'on_demand' | 'ongoing' | 'schedule' | 'unspecified';
  quantity: number | null;
  per: 'year' | 'quarter' | 'month' | 'stage' | null;
  bound: 'exact' | 'atLeast' | 'atMost';
  unit: string;
}

export type ProgressStatus = 'done' | 'overdue' | 'due_soon' | 'on_track' | 'open';

export const PROGRESS_STATUS_LABELS: Record<ProgressStatus, string> = {
  done: '已完成',
  overdue: '已逾期',
  due_soon: '即将到期',
  on_track: '按计划进行',
  open: '按需提供',
};

export interface ItemProgress {
  itemCode: string;
  name: string;
  unit: string;
  /** Units promised for the whole cycle (null: the seed promises no number — on demand, ongoing, by schedule). */
  promised: number | null;
  delivered: number;
  /** Units that should have been delivered by today (0 for items without a number). */
  expectedByNow: number;
  /** Due date of the next undelivered unit (null when done or not counted). */
  nextDueBy: LocalDate | null;
  status: ProgressStatus;
  /** e.g. 面对面随访 已完成 2/4 次 */
  label: string;
}

/** Whole service years a cycle spans (a 1-year cycle is 1; weihai 2–3-year renewals count 2–3). */
export function cycleYears(cycleStart: LocalDate, cycleEnd: LocalDate): number {
  return Math.max(1, Math.round((daysBetween(cycleStart, cycleEnd) + 1) / 365.25));
}

/** Units an item promises over a cycle, or null when no number is promised. */
export function promisedInCycle(item: PromisedItemLike, cycleStart: LocalDate, cycleEnd: LocalDate): number | null {
  if (item.kind !== 'count' || item.quantity === null || item.per === null) return null;
  const years = cycleYears(cycleStart, cycleEnd);
  switch (item.per) {
    case 'year':
      return item.quantity * years;
    case 'quarter':
      return item.quantity * 4 * years;
    case 'month':
      return item.quantity * 12 * years;
    case 'stage':
      return item.quantity;
  }
}

/**
 * Due date of unit k (1-based) of `units` spread evenly over the cycle's months: the day before
 * cycleStart + ceil(k × months / units) months, never after the cycle end.
 */
export function unitDueBy(k: number, units: number, cycleStart: LocalDate, cycleEnd: LocalDate): LocalDate {
  const months = Math.max(1, Math.round((daysBetween(cycleStart, cycleEnd) + 1) / 30.4375));
  const due = addDays(addMonths(cycleStart, Math.ceil((k * months) / units)), -1);
  return due > cycleEnd ? cycleEnd : due;
}

/**
 * Progress of one promised item. `horizonDays`: how far ahead "due soon" looks (default 30).
 * Per-stage items (孕中期2次, 健康服务卡1张) have no spread: they fall due by the cycle end.
 */
export function itemProgress(
  item: PromisedItemLike,
  delivered: number,
  cycle: { start: LocalDate; end: LocalDate },
  today: LocalDate,
  horizonDays = 30,
): ItemProgress {
  const promised = promisedInCycle(item, cycle.start, cycle.end);
  const base = { itemCode: item.code, name: item.name, unit: item.unit, promised, delivered };
  if (promised === null) {
    return { ...base, expectedByNow: 0, nextDueBy: null, status: 'open', label: `${item.name} 已提供 ${delivered} ${item.unit}` };
  }
  const label = `${item.name} 已完成 ${Math.min(delivered, promised)}/${promised} ${item.unit}`;
  if (delivered >= promised) return { ...base, expectedByNow: promised, nextDueBy: null, status: 'done', label };
  const spread = item.per !== 'stage';
  let expectedByNow = 0;
  if (spread) {
    for (let k = 1; k <= promised; k++) if (unitDueBy(k, promised, cycle.start, cycle.end) < today) expectedByNow = k;
  } else if (today > cycle.end) {
    expectedByNow = promised;
  }
  const nextDueBy = spread ? unitDueBy(delivered + 1, promised, cycle.start, cycle.end) : cycle.end;
  const status: ProgressStatus = delivered < expectedByNow ? 'overdue' : daysBetween(today, nextDueBy) <= horizonDays ? 'due_soon' : 'on_track';
  return { ...base, expectedByNow, nextDueBy, status, label };
}

export interface MemberPackagesLike {
  memberId: string;
  name: string;
  packages: { code: string; name: string; items: PromisedItemLike[] }[];
}

export interface DeliveredLike {
  memberId: string;
  packageCode: string;
  itemCode: string;
  quantity: number;
}

export interface MemberProgress {
  memberId: string;
  name: string;
  packages: { code: string; name: string; items: ItemProgress[] }[];
  /** Items overdue or due within the horizon. */
  dueCount: number;
  overdueCount: number;
}

/** Progress of every promised item of every member of an agreement. */
export function agreementProgress(
  members: MemberPackagesLike[],
  delivered: DeliveredLike[],
  cycle: { start: LocalDate; end: LocalDate },
  today: LocalDate,
  horizonDays = 30,
): MemberProgress[] {
  const sums = new Map<string, number>();
  for (const d of delivered) {
    const k = `${d.memberId}\u0000${d.packageCode}\u0000${d.itemCode}`;
    sums.set(k, (sums.get(k) ?? 0) + d.quantity);
  }
  return members.map((m) => {
    const packages = m.packages.map((p) => ({
      code: p.code,
      name: p.name,
      items: p.items.map((it) => itemProgress(it, sums.get(`${m.memberId}\u0000${p.code}\u0000${it.code}`) ?? 0, cycle, today, horizonDays)),
    }));
    const all = packages.flatMap((p) => p.items);
    return {
      memberId: m.memberId,
      name: m.name,
      packages,
      dueCount: all.filter((i) => i.status === 'due_soon' || i.status === 'overdue').length,
      overdueCount: all.filter((i) => i.status === 'overdue').length,
    };
  });
}
