/**
 * The providers: the institution (Organization), each family-doctor team (CareTeam) and its
 * members (Practitioner + PractitionerRole). Team members have no ids of their own in our store
 * (the team item lists them), so their ids are derived from the team id and their position.
 */
import type { CareTeam, Organization, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { DOCTOR_ROLES } from '../../schemas/teams';
import type { FhirInstitution, FhirTeam } from './input';
import { coding, concept, fhirId, ref } from './ids';
import { CS, SID } from './systems';

export const practitionerId = (teamId: string, index: number): string => fhirId(teamId, `d${index}`);

export function organizationOf(inst: FhirInstitution): Organization {
  return {
    resourceType: 'Organization',
    id: fhirId(inst.id),
    identifier: [{ system: SID.institution, value: inst.id }],
    active: true,
    // HL7 organization-type has no primary-care-institution code that fits 卫生院/社区卫生服务中心: text only.
    type: [{ text: inst.kind }],
    name: inst.name,
    ...(inst.phone ? { telecom: [{ system: 'phone', value: inst.phone, use: 'work' }] } : {}),
    // ISO 3166-1 alpha-2; the street address is kept as text (no structured parts are stored).
    ...(inst.address ? { address: [{ use: 'work', type: 'physical', text: inst.address, country: 'CN' }] } : {}),
  };
}

const roleConcept = (role: string) => concept(coding(CS.teamRole, role, DOCTOR_ROLES[role as keyof typeof DOCTOR_ROLES]));

/** The team with its members: CareTeam, then per member a Practitioner and a PractitionerRole. */
export function careTeamOf(team: FhirTeam): [CareTeam, ...(Practitioner | PractitionerRole)[]] {
  const orgRef = ref('Organization', fhirId(team.institutionId));
  const people = team.doctors.flatMap((d, i): (Practitioner | PractitionerRole)[] => {
    const id = practitionerId(team.id, i);
    return [
      {
        resourceType: 'Practitioner',
        id,
        active: true,
        name: [{ text: d.name }],
        // 职称 (professional title) as text: no certain code system for Chinese titles.
        ...(d.title ? { qualification: [{ code: { text: d.title } }] } : {}),
      },
      {
        resourceType: 'PractitionerRole',
        id,
        active: true,
        practitioner: ref('Practitioner', id, d.name),
        organization: orgRef,
        code: [roleConcept(d.role)],
      },
    ];
  });
  const careTeam: CareTeam = {
    resourceType: 'CareTeam',
    id: fhirId(team.id),
    identifier: [{ system: SID.team, value: team.id }],
    status: 'active',
    name: team.name,
    participant: team.doctors.map((d, i) => ({
      role: [roleConcept(d.role)],
      member: ref('PractitionerRole', practitionerId(team.id, i), d.name),
      onBehalfOf: orgRef,
    })),
    managingOrganization: [orgRef],
    ...(team.clinicHours.length ? { note: [{ text: `签约门诊时间：${team.clinicHours.join('；')}` }] } : {}),
  };
  return [careTeam, ...people];
}

/** The PractitionerRole of a named team member (appointments name the doctor), if listed. */
export function practitionerRoleByName(team: FhirTeam | undefined, name: string | undefined): string | undefined {
  if (!team || !name) return undefined;
  const i = team.doctors.findIndex((d) => d.name === name);
  return i < 0 ? undefined : practitionerId(team.id, i);
}
