/**
 * Read models of a policy for the API (shared/src/schemas/policy.ts): region summary and the
 * package catalog as a resident sees it before signing (知情同意: content, terms and price split).
 */
import type { Fen } from '../money';
import { yearlyQuantity } from './items';
import { formatYuan } from './pricing';
import { PACKAGE_CATEGORIES, PAYERS, TIERS, type Payer, type RegionPolicy, type ServicePackage } from './types';

export interface CatalogItemView {
  code: string;
  name: string;
  description: string | null;
  kind: ServicePackage['items'][number]['kind'];
  quantity: number | null;
  per: ServicePackage['items'][number]['per'];
  bound: ServicePackage['items'][number]['bound'];
  unit: string;
  yearlyQuantity: number | null;
  frequencyText: string | null;
  includedFromBasic: number | null;
  unitValueFen: Fen | null;
  appliesTo: string | null;
  note: string | null;
}

export interface CatalogPackageView {
  code: string;
  name: string;
  category: ServicePackage['category'];
  categoryLabel: string;
  tier: ServicePackage['tier'];
  tierLabel: string | null;
  targetPopulation: string;
  /** The standard price, null when an institution sets it. */
  priceFen: Fen | null;
  /** Chinese: 150元/人/年, 免费, 由签约机构设定… */
  priceText: string;
  /** The standard split (before population rules), in payer order. */
  standardShares: { payer: Payer; label: string; amountFen: Fen }[];
  needsInstitutionValues: boolean;
  includes: string[];
  notes: string[];
  items: CatalogItemView[];
}

export interface RegionSummary {
  regionId: RegionPolicy['regionId'];
  name: string;
  version: string;
  effectiveFrom: string;
  documentRef: string;
  basicPackageCode: string;
  packageCount: number;
  cycleText: string;
  renewalText: string;
  terminationText: string;
  earlyTermination: RegionPolicy['termination']['early'];
  teamCapacity: number | null;
  coverageTargets: { year: number; population: string; minPercent: number | null; text: string }[];
  specialistSlotShareMinPercent: number | null;
  booking: { maxFutureAppointments: number; cancelDeadlineMinutes: number; noShowLimit: number; noShowWindowDays: number; noShowSuspensionDays: number };
  benefits: string[];
  notes: string[];
}

export function priceText(pkg: ServicePackage): string {
  const r = pkg.pricing;
  switch (r.kind) {
    case 'fixed':
      return `${formatYuan(r.priceFen)}/人/年${r.freeSigningAllowed ? '（收费签约；不收费签约免费）' : ''}`;
    case 'minimum':
      return `不低于${formatYuan(r.minFen)}/人/年（个人暂不承担）`;
    case 'free':
      return '免费';
    case 'included':
      return r.note;
    case 'institution_set':
      return `由签约机构设定（${r.note}）`;
  }
}

function standardShares(pkg: ServicePackage): CatalogPackageView['standardShares'] {
  const r = pkg.pricing;
  const shares = r.kind === 'fixed' ? r.shares : r.kind === 'minimum' ? [...r.fixedShares, { payer: r.remainderPayer, amountFen: r.minFen - r.fixedShares.reduce((a, s) => a + s.amountFen, 0) }] : [];
  return shares.map((s) => ({ payer: s.payer, label: PAYERS[s.payer], amountFen: s.amountFen }));
}

export function catalogView(policy: RegionPolicy): CatalogPackageView[] {
  return policy.packages.map((pkg) => {
    const r = pkg.pricing;
    return {
      code: pkg.code,
      name: pkg.name,
      category: pkg.category,
      categoryLabel: PACKAGE_CATEGORIES[pkg.category],
      tier: pkg.tier,
      tierLabel: pkg.tier ? TIERS[pkg.tier] : null,
      targetPopulation: pkg.targetPopulation,
      priceFen: r.kind === 'fixed' ? r.priceFen : r.kind === 'minimum' ? r.minFen : r.kind === 'institution_set' ? null : 0,
      priceText: priceText(pkg),
      standardShares: standardShares(pkg),
      needsInstitutionValues: r.kind === 'institution_set',
      includes: [...pkg.includes],
      notes: [...pkg.notes],
      items: pkg.items.map((it) => ({
        code: it.code,
        name: it.name,
        description: it.description ?? null,
        kind: it.kind,
        quantity: it.quantity,
        per: it.per,
        bound: it.bound,
        unit: it.unit,
        yearlyQuantity: yearlyQuantity(it),
        frequencyText: it.frequencyText,
        includedFromBasic: it.includedFromBasic ?? null,
        unitValueFen: it.unitValueFen ?? null,
        appliesTo: it.appliesTo?.label ?? null,
        note: it.note ?? null,
      })),
    };
  });
}

export function cycleText(policy: RegionPolicy): string {
  const c = policy.cycle;
  if (c.kind === 'calendar_year') {
    return `服务周期为一年：${c.firstCycle.signedTo.slice(0, 4)}年自签约之日起至${c.firstCycle.end}为一个服务周期；此后每年第四季度签订下一年度协议，以每年1月1日至12月31日为一个服务周期`;
  }
  const renew = c.renewalTermYears.length > 1 ? `，续约可为${c.renewalTermYears.join('、')}年` : '';
  const paid = c.paidStartsOnPayment ? '；收费签约自交费并刷社会保障卡登记之日起计算' : '';
  return `自签约之日起${c.firstTermYears}年${renew}${paid}`;
}

export function regionSummary(policy: RegionPolicy): RegionSummary {
  const { source: _source, ...booking } = policy.booking;
  return {
    regionId: policy.regionId,
    name: policy.name,
    version: policy.version,
    effectiveFrom: policy.effectiveFrom,
    documentRef: policy.documentRef,
    basicPackageCode: policy.basicPackageCode,
    packageCount: policy.packages.length,
    cycleText: cycleText(policy),
    renewalText: policy.renewal.text,
    terminationText: policy.termination.text,
    earlyTermination: policy.termination.early,
    teamCapacity: policy.teamCapacity?.residentsPerTeam ?? null,
    coverageTargets: policy.coverageTargets.map(({ year, population, minPercent, text }) => ({ year, population, minPercent, text })),
    specialistSlotShareMinPercent: policy.specialistSlotShareMinPercent,
    booking,
    benefits: [...policy.benefits],
    notes: [...policy.notes],
  };
}
