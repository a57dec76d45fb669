/**
 * Who may sign which package. Age is whole years on `today` (an Asia/Shanghai local date).
 */
import { ageOn, compareDates, isLocalDate, type LocalDate } from '../dates';
import { ValidationError } from '../errors';
import type { PersonFacts } from '../person';
import type { PackageItem, PopulationMatcher, RegionPolicy, ServicePackage } from './types';

export function ageOf(person: PersonFacts, today: LocalDate): number {
  if (!isLocalDate(today)) throw new ValidationError({ path: 'today', message: '日期格式应为 YYYY-MM-DD' });
  if (!isLocalDate(person.birthDate)) throw new ValidationError({ path: 'birthDate', message: '出生日期格式应为 YYYY-MM-DD' });
  if (compareDates(person.birthDate, today) > 0) throw new ValidationError({ path: 'birthDate', message: '出生日期不能晚于当前日期' });
  return ageOn(person.birthDate, today);
}

/** Evaluate a matcher against a person whose age is already known. */
export function matchesAt(m: PopulationMatcher, person: PersonFacts, age: number): boolean {
  if (m.minAge !== undefined && age < m.minAge) return false;
  if (m.maxAge !== undefined && age > m.maxAge) return false;
  if (m.sex !== undefined && person.sex !== m.sex) return false;
  if (m.anyConditions && !m.anyConditions.some((c) => person.conditions.includes(c))) return false;
  if (m.allConditions && !m.allConditions.every((c) => person.conditions.includes(c))) return false;
  if (m.anyStatuses && !m.anyStatuses.some((s) => person.statuses.includes(s))) return false;
  if (m.insuredLocally !== undefined && person.insuredLocally !== m.insuredLocally) return false;
  if (m.localHukou !== undefined && person.localHukou !== m.localHukou) return false;
  if (m.anyOf && !m.anyOf.some((sub) => matchesAt(sub, person, age))) return false;
  if (m.not && matchesAt(m.not, person, age)) return false;
  return true;
}

export function matches(m: PopulationMatcher, person: PersonFacts, today: LocalDate): boolean {
  return matchesAt(m, person, ageOf(person, today));
}

/** Chinese reasons why `person` may not sign `pkg` (empty when eligible). Pricing-level limits are in quote.ts. */
export function ineligibilityReasons(pkg: ServicePackage, person: PersonFacts, age: number): string[] {
  return pkg.eligibility.filter((r) => !matchesAt(r.when, person, age)).map((r) => r.reason);
}

export interface PackageEligibility {
  packageCode: string;
  packageName: string;
  category: ServicePackage['category'];
  eligible: boolean;
  /** Chinese, one per failed rule. */
  reasons: string[];
  /** The package cannot be sold until the institution sets its price / shares. */
  needsInstitutionValues: boolean;
}

/**
 * Eligibility of every package in the policy for one person. Also applies the pricing rules that
 * make a package unsellable for this person (jilin personalized packages and yongkang paid signing
 * require local insurance).
 */
export function eligiblePackages(
  person: PersonFacts,
  policy: RegionPolicy,
  today: LocalDate,
  options: { signingKind?: 'free' | 'paid' } = {},
): PackageEligibility[] {
  const age = ageOf(person, today);
  const signingKind = options.signingKind ?? policy.defaultSigningKind ?? 'paid';
  return policy.packages.map((pkg) => {
    const reasons = ineligibilityReasons(pkg, person, age);
    const insurance = uninsuredReason(pkg, person, signingKind);
    if (insurance) reasons.push(insurance);
    return {
      packageCode: pkg.code,
      packageName: pkg.name,
      category: pkg.category,
      eligible: reasons.length === 0,
      reasons,
      needsInstitutionValues: pkg.pricing.kind === 'institution_set',
    };
  });
}

/** The Chinese reason when the package may not be sold to someone not insured locally. */
export function uninsuredReason(pkg: ServicePackage, person: PersonFacts, signingKind: 'free' | 'paid'): string | null {
  if (person.insuredLocally) return null;
  const r = pkg.pricing;
  if (r.kind === 'fixed') {
    if (r.freeSigningAllowed && signingKind === 'free') return null;
    const hasInsurance = r.shares.some((s) => s.payer === 'insurance_fund' && s.amountFen > 0);
    if (r.uninsured.to === 'ineligible' && (hasInsurance || r.freeSigningAllowed)) return r.uninsured.reason;
  }
  if (r.kind === 'minimum' && r.uninsured.to === 'ineligible') return r.uninsured.reason;
  if (r.kind === 'institution_set' && r.split.kind === 'resident_share' && r.split.uninsured.to === 'ineligible') return r.split.uninsured.reason;
  return null;
}

/** The items of `pkg` promised to this person (basic-package rows apply per population group). */
export function promisedItems(pkg: ServicePackage, person: PersonFacts, today: LocalDate): PackageItem[] {
  const age = ageOf(person, today);
  return pkg.items.filter((it) => !it.appliesTo || matchesAt(it.appliesTo.when, person, age));
}
