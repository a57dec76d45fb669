/**
 * Every region's policy, through the domain: households signing every package a person can sign
 * (fixtures.ts: quote → draftAgreement), mapped to FHIR and validated against the official R4
 * JSON schema; every local code used is defined in the CodeSystem we publish.
 */
import { describe, expect, it } from 'vitest';
import type { Coding, Resource } from '@medplum/fhirtypes';
import { fhirSchemaErrors } from '../../testing/fhir-validator';
import { allPolicies } from '../policy/registry';
import { localCodeSystem, localCodeSystems, structureDefinitions } from './codesystems';
import { regionHouseholds, demoInstitution } from './fixtures';
import { householdBundle } from './household';
import { FHIR_BASE } from './systems';

/** Every Coding in a resource (any depth). */
export function codingsOf(x: unknown, out: Coding[] = []): Coding[] {
  if (Array.isArray(x)) x.forEach((v) => codingsOf(v, out));
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (typeof o.system === 'string' && typeof o.code === 'string') out.push(o as Coding);
    Object.values(o).forEach((v) => codingsOf(v, out));
  }
  return out;
}

/** Local codes must be defined, in the version the coding names. */
export function undefinedLocalCodes(resources: Resource[]): string[] {
  const bad: string[] = [];
  for (const c of resources.flatMap((r) => codingsOf(r))) {
    if (!c.system!.startsWith(`${FHIR_BASE}/CodeSystem/`)) continue;
    const cs = localCodeSystem(c.system!.slice(`${FHIR_BASE}/CodeSystem/`.length), c.version);
    if (!cs?.concept?.some((k) => k.code === c.code)) bad.push(`${c.system}|${c.version ?? ''}#${c.code}`);
  }
  return [...new Set(bad)];
}

/** References of the form Type/id that do not resolve to a resource of the set. */
export function danglingReferences(resources: Resource[]): string[] {
  const ids = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
  const refs: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.reference === 'string' && !ids.has(o.reference)) refs.push(o.reference);
      Object.values(o).forEach(walk);
    }
  };
  resources.forEach(walk);
  return refs;
}

describe.each(allPolicies().map((p) => [p.regionId, p] as const))('FHIR export of %s', (_id, policy) => {
  const today = policy.effectiveFrom;
  const { households, unsigned } = regionHouseholds(policy, today);
  const { institution, team } = demoInstitution(policy);
  const bundles = households.map((household) =>
    householdBundle({ household, institutions: [institution], teams: [team], options: { includeIdentifier: true, includeBirthDate: true }, at: `${today}T04:00:00.000Z` }),
  );
  const resources = bundles.flatMap((b) => b.entry!.map((e) => e.resource!));

  it('the fixtures hold every package of the policy', () => {
    const signed = new Set(households.flatMap((h) => h.agreements.flatMap((a) => a.members.flatMap((m) => m.packages.map((k) => k.code)))));
    expect(unsigned).toEqual({});
    expect([...signed].sort()).toEqual(policy.packages.map((k) => k.code).sort());
  });

  it('every Bundle and every resource is valid FHIR R4 (official JSON schema)', () => {
    for (const b of bundles) expect(fhirSchemaErrors(b)).toEqual([]);
    for (const r of resources) expect(fhirSchemaErrors(r), `${r.resourceType}/${r.id}`).toEqual([]);
    expect(new Set(resources.map((r) => r.resourceType))).toEqual(
      new Set(['Organization', 'CareTeam', 'Practitioner', 'PractitionerRole', 'Patient', 'Coverage', 'Contract', 'Consent', 'Appointment', 'Communication', 'Procedure']),
    );
  });

  it('every reference resolves inside the Bundle, every local code is published', () => {
    for (const b of bundles) expect(danglingReferences(b.entry!.map((e) => e.resource!))).toEqual([]);
    expect(undefinedLocalCodes(resources)).toEqual([]);
  });

  it('fee shares add up to each package price and to the agreement total', () => {
    for (const r of resources.filter((x) => x.resourceType === 'Contract')) {
      const c = r as import('@medplum/fhirtypes').Contract;
      const sum = (t: NonNullable<typeof c.term>[number]) => Math.round(t.asset!.at(-1)!.valuedItem!.reduce((a, v) => a + v.net!.value! * 100, 0));
      const [total, ...members] = c.term!;
      const packages = members.flatMap((m) => m.group!);
      expect(sum(total!)).toBe(Math.round(packages.reduce((a, p) => a + sum(p), 0)));
    }
  });
});

describe('published definitions', () => {
  it('every local CodeSystem and extension StructureDefinition is valid FHIR R4', () => {
    const defs = [...localCodeSystems(), ...structureDefinitions()];
    for (const d of defs) expect(fhirSchemaErrors(d), d.id).toEqual([]);
    expect(new Set(defs.map((d) => d.id)).size).toBe(defs.length);
    for (const cs of localCodeSystems()) expect(new Set(cs.concept!.map((c) => c.code)).size, cs.id).toBe(cs.concept!.length);
  });

  it('every region has its package and item CodeSystems', () => {
    const ids = localCodeSystems().map((c) => c.id);
    for (const p of allPolicies()) expect(ids).toEqual(expect.arrayContaining([`packages-${p.regionId}`, `service-items-${p.regionId}`]));
  });
});
