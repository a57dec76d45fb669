/**
 * The export, assembled: the providers (Organization, CareTeam, Practitioner, PractitionerRole),
 * then per household the people, agreements, consents and events. Pure: the caller loads the
 * records (and decides the scope: a whole household, or an institution's residents of it).
 *
 *   GET /me/export/fhir               householdBundle(...)          one Bundle (type collection)
 *   GET /institutions/{id}/export/fhir providerResources + householdResources per household, NDJSON
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { FhirHousehold, FhirInstitution, FhirTeam, MappingOptions } from './input';
import { careTeamOf, organizationOf } from './care-team';
import { consentsOf } from './consent';
import { contractOf } from './contract';
import { appointmentOf, communicationOf, procedureOf } from './events';
import { fhirId } from './ids';
import { coverageOf, patientOf, relatedPersonOf } from './patient';
import { policyOf } from './privacy';
import { FHIR_BASE, SID } from './systems';

/** Resource types the export produces (the `_type` filter of the bulk export accepts these). */
export const EXPORT_TYPES = [
  'Organization',
  'CareTeam',
  'Practitioner',
  'PractitionerRole',
  'Patient',
  'RelatedPerson',
  'Coverage',
  'Contract',
  'Consent',
  'Appointment',
  'Communication',
  'Procedure',
] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

export function providerResources(institutions: readonly FhirInstitution[], teams: readonly FhirTeam[]): Resource[] {
  return [...institutions.map(organizationOf), ...teams.flatMap(careTeamOf)];
}

/** The member's latest agreement in this household (their managing organization, their region). */
function latestAgreementOf(h: FhirHousehold, memberId: string) {
  let latest: FhirHousehold['agreements'][number] | undefined;
  for (const a of h.agreements) if (a.members.some((m) => m.memberId === memberId) && (!latest || a.createdAt > latest.createdAt)) latest = a;
  return latest;
}

export function householdResources(h: FhirHousehold, opts: MappingOptions, teams: ReadonlyMap<string, FhirTeam>): Resource[] {
  const people = h.members.flatMap((m): Resource[] => {
    const latest = latestAgreementOf(h, m.memberId);
    const regionName = latest ? policyOf(latest.regionId, latest.policyVersion)?.name : undefined;
    return [
      patientOf(h, m, opts, latest ? fhirId(latest.institutionId) : undefined),
      ...[relatedPersonOf(h, m), coverageOf(m, regionName)].filter((r): r is NonNullable<typeof r> => r !== undefined),
    ];
  });
  const agreements = new Map(h.agreements.map((a) => [a.id, a]));
  return [
    ...people,
    ...h.agreements.map((a) => contractOf(h, a)),
    ...consentsOf(h),
    ...h.appointments.map((x) => appointmentOf(h, x, teams.get(x.teamId))),
    ...h.deliveries.map((d) => communicationOf(h, d)),
    ...h.services.flatMap((e) => {
      const a = agreements.get(e.agreementId);
      return a ? [procedureOf(h, e, a)] : [];
    }),
  ];
}

/** The household's own export: one Bundle of type collection, every entry with a resolvable fullUrl. */
export function householdBundle(input: {
  household: FhirHousehold;
  institutions: readonly FhirInstitution[];
  teams: readonly FhirTeam[];
  options: MappingOptions;
  /** ISO instant of the export. */
  at: string;
}): Bundle {
  const teams = new Map(input.teams.map((t) => [t.id, t]));
  const resources = [...providerResources(input.institutions, input.teams), ...householdResources(input.household, input.options, teams)];
  return {
    resourceType: 'Bundle',
    id: fhirId(input.household.accountId, 'export'),
    meta: { lastUpdated: input.at },
    identifier: { system: SID.account, value: input.household.accountId },
    type: 'collection',
    timestamp: input.at,
    entry: resources.map((resource) => ({ fullUrl: `${FHIR_BASE}/${resource.resourceType}/${resource.id}`, resource })),
  };
}
