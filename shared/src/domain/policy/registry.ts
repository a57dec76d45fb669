/**
 * All region policy versions, validated once when the module loads. An agreement stores
 * (regionId, version) and reads its rules back with `policyVersion`, so a later version never
 * changes what a resident signed for.
 */
import { isLocalDate, type LocalDate } from '../dates';
import { NotFoundError, ValidationError } from '../errors';
import { jilin2017 } from './regions/jilin-2017';
import { liyang2019 } from './regions/liyang-2019';
import { weihai2023 } from './regions/weihai-2023';
import { yongkang } from './regions/yongkang';
import { zhangjiagang2017 } from './regions/zhangjiagang-2017';
import { REGION_IDS, regionPolicySchema, type RegionId, type RegionPolicy, type ServicePackage } from './types';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Parse and freeze; a malformed policy fails at import, never at a resident's quote. */
export function validatePolicy(p: unknown): RegionPolicy {
  return deepFreeze(regionPolicySchema.parse(p));
}

const ALL: readonly RegionPolicy[] = [liyang2019, yongkang, jilin2017, weihai2023, zhangjiagang2017].map(validatePolicy);

/** Versions per region, oldest first. */
const BY_REGION = new Map<RegionId, RegionPolicy[]>(
  REGION_IDS.map((id) => [id, ALL.filter((p) => p.regionId === id).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))]),
);

export function isRegionId(s: string): s is RegionId {
  return (REGION_IDS as string[]).includes(s);
}

export function allPolicies(): readonly RegionPolicy[] {
  return ALL;
}

/** The version in force on `onDate` (the latest whose effectiveFrom ≤ onDate). */
export function policyFor(regionId: string, onDate: LocalDate): RegionPolicy {
  if (!isLocalDate(onDate)) throw new ValidationError({ path: 'onDate', message: '日期格式应为 YYYY-MM-DD' });
  const versions = isRegionId(regionId) ? BY_REGION.get(regionId) : undefined;
  if (!versions || versions.length === 0) throw new NotFoundError('未找到该地区的家庭医生签约政策', 'POLICY_NOT_FOUND');
  let found: RegionPolicy | undefined;
  for (const v of versions) if (v.effectiveFrom <= onDate) found = v;
  if (!found) throw new NotFoundError(`该地区在${onDate}尚无生效的家庭医生签约政策`, 'POLICY_NOT_IN_FORCE');
  return found;
}

/** Exactly the version an agreement was signed under. */
export function policyVersion(regionId: string, version: string): RegionPolicy {
  const versions = isRegionId(regionId) ? BY_REGION.get(regionId) : undefined;
  const found = versions?.find((v) => v.version === version);
  if (!found) throw new NotFoundError('未找到该地区对应版本的家庭医生签约政策', 'POLICY_VERSION_NOT_FOUND');
  return found;
}

export function findPackage(policy: RegionPolicy, code: string): ServicePackage | undefined {
  return policy.packages.find((p) => p.code === code);
}

/** True when the package cannot be sold before an institution sets a value. */
export function needsInstitutionValues(pkg: ServicePackage): boolean {
  return pkg.pricing.kind === 'institution_set';
}
