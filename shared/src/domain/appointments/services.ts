/**
 * Which promised item an appointment serves (so fulfilment can count it later). A member's
 * agreement lists packages with items; the signed-clinic appointment item (yongkang 基本服务包 5)
 * is the default, and a resident may book for another promised item instead — e.g. a
 * hypertension follow-up of the liyang 160000002-d package.
 */
import { CLINIC_APPOINTMENT_ITEM_CODE } from '../policy/items';
import type { FieldIssue } from '../errors';

export interface PackageLike {
  code: string;
  name: string;
  /** 'basic' for the basic package (policy PACKAGE_CATEGORIES). */
  category?: string;
  items: { code: string; name: string; kind?: string }[];
}

export interface ServiceChoice {
  packageCode: string;
  packageName: string;
  itemCode: string;
  itemName: string;
}

/**
 * Items a resident may pick for a visit: the signed-clinic appointment item first, then the items
 * of the member's personalized packages (follow-ups, checks — the visits a chronic package
 * promises); the basic package's public-health items (assessments, archives, push) are not
 * clinic visits a resident books. Each item once (first package wins).
 */
export function bookableServices(packages: PackageLike[]): ServiceChoice[] {
  const all = allServices(packages);
  const basicCodes = new Set(packages.filter((p) => p.category === 'basic').map((p) => p.code));
  return [
    ...all.filter((c) => c.itemCode === CLINIC_APPOINTMENT_ITEM_CODE),
    ...all.filter((c) => c.itemCode !== CLINIC_APPOINTMENT_ITEM_CODE && !basicCodes.has(c.packageCode)),
  ];
}

function allServices(packages: PackageLike[]): ServiceChoice[] {
  const out: ServiceChoice[] = [];
  const seen = new Set<string>();
  for (const p of packages) {
    for (const i of p.items) {
      if (seen.has(i.code)) continue;
      seen.add(i.code);
      out.push({ packageCode: p.code, packageName: p.name, itemCode: i.code, itemName: i.name });
    }
  }
  return out;
}

/**
 * The item a booking serves: the requested one when the member's packages promise it, else the
 * signed-clinic appointment item when present, else none (older agreements without the item
 * still book — the clinic is the team's, the item is only for counting).
 */
export function serviceFor(packages: PackageLike[], requestedItemCode: string | undefined): { choice: ServiceChoice | undefined; issue?: FieldIssue } {
  const all = allServices(packages);
  if (requestedItemCode) {
    const hit = all.find((c) => c.itemCode === requestedItemCode);
    return hit ? { choice: hit } : { choice: undefined, issue: { path: 'itemCode', message: '该成员的签约服务包中没有这项服务' } };
  }
  return { choice: all.find((c) => c.itemCode === CLINIC_APPOINTMENT_ITEM_CODE) };
}
