/**
 * What the export may reveal about health (PIPL art. 28–29). Declared conditions and statuses
 * are processed only under the member's health_conditions consent; a package or item that is
 * only offered to people with a condition or status reveals it. Without that consent in force
 * (never given, withdrawn, or given for an outdated text) such packages, items, services and
 * targeted tips are exported masked (data-absent-reason `masked`), never named.
 */
import { hasConsent } from '../identity/consent';
import type { ConsentRecord } from '../identity/consent';
import { findPackage, policyVersion } from '../policy/registry';
import type { PopulationMatcher, RegionPolicy, ServicePackage } from '../policy/types';
import type { FhirMember } from './input';
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import { STD } from './systems';

/** True when the matcher selects people by a declared condition or status. */
export function matcherRevealsHealth(m: PopulationMatcher | undefined): boolean {
  if (!m) return false;
  if (m.anyConditions?.length || m.allConditions?.length || m.anyStatuses?.length) return true;
  return (m.anyOf ?? []).some(matcherRevealsHealth) || matcherRevealsHealth(m.not);
}

export function packageRevealsHealth(pkg: ServicePackage): boolean {
  return pkg.eligibility.some((r) => matcherRevealsHealth(r.when));
}

/** The policy an agreement was signed under, or undefined (an unknown version masks conservatively). */
export function policyOf(regionId: string, version: string): RegionPolicy | undefined {
  try {
    return policyVersion(regionId, version);
  } catch {
    return undefined;
  }
}

/**
 * Whether a package (and optionally one of its items) reveals health. Unknown packages and items
 * outside the basic package are treated as revealing: nothing unknown is named without consent.
 */
export function revealsHealth(policy: RegionPolicy | undefined, packageCode: string, itemCode?: string): boolean {
  const pkg = policy ? findPackage(policy, packageCode) : undefined;
  if (!pkg) return true;
  if (packageRevealsHealth(pkg)) return true;
  if (itemCode === undefined) return false;
  const item = pkg.items.find((i) => i.code === itemCode);
  if (!item) return pkg.category !== 'basic';
  return matcherRevealsHealth(item.appliesTo?.when);
}

/** The member's health_conditions consent is in force (granted, current text). */
export function healthConsentInForce(consents: readonly ConsentRecord[], member: Pick<FhirMember, 'memberId' | 'self'>): boolean {
  return hasConsent(consents, 'health_conditions', member.self ? undefined : member.memberId);
}

export function idConsentInForce(consents: readonly ConsentRecord[], member: Pick<FhirMember, 'memberId' | 'self'>): boolean {
  return hasConsent(consents, 'id_number', member.self ? undefined : member.memberId);
}

/** The standard way to say "withheld for privacy" on an element. */
export const MASKED: CodeableConcept = { extension: [{ url: STD.dataAbsent, valueCode: 'masked' }] };

/** Resource-level security label: some content of this resource is masked. */
export const MASKED_LABEL: Coding = { system: STD.securityLabel, code: 'MASKED', display: 'masked' };
