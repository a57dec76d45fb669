/**
 * Builders for catalog items (keeps the region files close to the seed tables) and the
 * well-known items other features reference by code.
 */
import type { PackageItem, PopulationMatcher } from './types';

/**
 * Health-knowledge push: yongkang 基本服务包 第4项 "采用微信或短信等推送方式，推送日常健康知识、
 * 疾病预防知识、养生保健知识等健康信息", 服务频次 "每季度不少于1条". The push feature plans one
 * push per signed resident per quarter against this code.
 */
export const HEALTH_PUSH_ITEM_CODE = 'health-knowledge-push';
/** Signed-clinic appointment: yongkang 基本服务包 第5项 "为签约居民提供家庭医生预约门诊服务". */
export const CLINIC_APPOINTMENT_ITEM_CODE = 'signed-clinic-appointment';

interface ItemOpts {
  bound?: PackageItem['bound'];
  unit?: string;
  frequencyText?: string | null;
  description?: string;
  includedFromBasic?: number;
  unitValueFen?: number;
  appliesTo?: { label: string; when: PopulationMatcher };
  note?: string;
  source: string;
}

export function countItem(
  code: string,
  name: string,
  quantity: number,
  per: NonNullable<PackageItem['per']>,
  opts: ItemOpts,
): PackageItem {
  return {
    code,
    name,
    kind: 'count',
    quantity,
    per,
    bound: opts.bound ?? 'exact',
    unit: opts.unit ?? '次',
    frequencyText: opts.frequencyText ?? null,
    ...(opts.description !== undefined && { description: opts.description }),
    ...(opts.includedFromBasic !== undefined && { includedFromBasic: opts.includedFromBasic }),
    ...(opts.unitValueFen !== undefined && { unitValueFen: opts.unitValueFen }),
    ...(opts.appliesTo !== undefined && { appliesTo: opts.appliesTo }),
    ...(opts.note !== undefined && { note: opts.note }),
    source: opts.source,
  };
}

export function openItem(
  code: string,
  name: string,
  kind: Exclude<PackageItem['kind'], 'count'>,
  opts: ItemOpts,
): PackageItem {
  return {
    code,
    name,
    kind,
    quantity: null,
    per: null,
    bound: 'exact',
    unit: opts.unit ?? '次',
    frequencyText: opts.frequencyText ?? null,
    ...(opts.description !== undefined && { description: opts.description }),
    ...(opts.appliesTo !== undefined && { appliesTo: opts.appliesTo }),
    ...(opts.note !== undefined && { note: opts.note }),
    source: opts.source,
  };
}

/** The push item, as yongkang words it; `source` says why the region carries it. */
export function healthPushItem(source: string): PackageItem {
  return countItem(HEALTH_PUSH_ITEM_CODE, '健康知识推送服务', 1, 'quarter', {
    bound: 'atLeast',
    unit: '条',
    frequencyText: '每季度不少于1条',
    description: '采用微信或短信等推送方式，推送日常健康知识、疾病预防知识、养生保健知识等健康信息',
    source,
  });
}

export function clinicAppointmentItem(source: string): PackageItem {
  return openItem(CLINIC_APPOINTMENT_ITEM_CODE, '签约门诊预约服务', 'on_demand', {
    frequencyText: '按需服务',
    description: '为签约居民提供家庭医生预约门诊服务',
    source,
  });
}

/** Yearly promised count of an item (null when the seed promises no number or a per-stage number). */
export function yearlyQuantity(item: PackageItem): number | null {
  if (item.kind !== 'count' || item.quantity === null) return null;
  switch (item.per) {
    case 'year':
      return item.quantity;
    case 'quarter':
      return item.quantity * 4;
    case 'month':
      return item.quantity * 12;
    default:
      return null;
  }
}

/**
 * Units a paid package promises for one service year: yearly counts and per-stage counts, minus
 * the units the basic package already funds (includedFromBasic). Items without a number carry no
 * units (see docs/decisions.md "Policy engine": refund valuation).
 */
export function promisedUnits(item: PackageItem): number {
  if (item.kind !== 'count' || item.quantity === null) return 0;
  const perCycle = item.per === 'stage' ? item.quantity : (yearlyQuantity(item) ?? 0);
  return Math.max(0, perCycle - (item.includedFromBasic ?? 0));
}
