/**
 * The people: a Patient per household member, a RelatedPerson per member for the household
 * representative (甲方代表, who signs and consents for them), and a Coverage where the member's
 * basic medical insurance is known.
 */
import type { Coverage, Identifier, Patient, RelatedPerson } from '@medplum/fhirtypes';
import type { StoredConsentRecord } from '../identity/household';
import type { FhirHousehold, FhirMember, MappingOptions } from './input';
import { coding, concept, fhirId, ref } from './ids';
import { idConsentInForce } from './privacy';
import { CS, GENDER, GUARDIAN_ROLE, REPRESENTATIVE_ROLE, SID, STD } from './systems';

/** Member relation to the representative → local code (CodeSystem household-relation). */
export const RELATION_CODES: Record<string, string> = { 本人: 'self', 配偶: 'spouse', 子女: 'child', 父母: 'parent', 其他: 'other' };

export const patientId = (memberId: string): string => fhirId(memberId);
export const representativeId = (memberId: string): string => fhirId(memberId, 'rep');

/** The Patient or RelatedPerson that stands for the representative towards `member`. */
export function representativeRef(h: FhirHousehold, member: Pick<FhirMember, 'memberId' | 'self'>) {
  return member.self ? ref('Patient', patientId(member.memberId), h.representative.name) : ref('RelatedPerson', representativeId(member.memberId), h.representative.name);
}

export function relationConcept(relation: string) {
  const code = RELATION_CODES[relation];
  return code ? concept(coding(CS.householdRelation, code, relation), relation) : { text: relation };
}

function identifiers(m: FhirMember, consents: readonly StoredConsentRecord[], opts: MappingOptions): Identifier[] {
  const out: Identifier[] = [{ use: 'secondary', system: SID.member, value: m.memberId }];
  // The ID number only on request, only with the id_number consent in force, only when held.
  if (opts.includeIdentifier && m.idNumber && idConsentInForce(consents, m)) {
    out.push({
      use: 'official',
      type: concept(coding(STD.identifierType, 'NI', 'National unique individual identifier'), '居民身份证号码'),
      system: SID.residentId,
      value: m.idNumber,
    });
  }
  return out;
}

export function patientOf(h: FhirHousehold, m: FhirMember, opts: MappingOptions, managingOrganizationId?: string): Patient {
  return {
    resourceType: 'Patient',
    id: patientId(m.memberId),
    identifier: identifiers(m, h.consents, opts),
    active: true,
    name: [{ use: 'official', text: m.name }],
    ...(m.sex ? { gender: GENDER[m.sex] } : {}),
    ...(opts.includeBirthDate && m.birthDate ? { birthDate: m.birthDate } : {}),
    ...(managingOrganizationId ? { managingOrganization: ref('Organization', managingOrganizationId) } : {}),
  };
}

/** Someone consented for this member as guardian (PIPL art. 31: a child under 14). */
function guardianFor(consents: readonly StoredConsentRecord[], memberId: string): boolean {
  return consents.some((c) => c.onBehalfOf === memberId && c.role === 'guardian');
}

/** The representative as related to a non-self member (none for the representative's own record). */
export function relatedPersonOf(h: FhirHousehold, m: FhirMember): RelatedPerson | undefined {
  if (m.self) return undefined;
  const role = REPRESENTATIVE_ROLE[m.relation];
  const relationship = [
    concept(coding(CS.householdRelation, 'representative', '家庭代表（甲方代表）')),
    ...(role ? [concept(coding(STD.roleCode, role.code, role.display))] : []),
    ...(guardianFor(h.consents, m.memberId) ? [concept(coding(STD.roleCode, GUARDIAN_ROLE.code, GUARDIAN_ROLE.display), '监护人')] : []),
  ];
  return {
    resourceType: 'RelatedPerson',
    id: representativeId(m.memberId),
    active: true,
    patient: ref('Patient', patientId(m.memberId), m.name),
    relationship,
    name: [{ use: 'official', text: h.representative.name }],
    ...(h.representative.sex ? { gender: GENDER[h.representative.sex] } : {}),
  };
}

/**
 * Basic medical insurance where the member declared it (参加本地基本医疗保险). Not being insured
 * locally says nothing about insurance elsewhere, so no Coverage is made then.
 */
export function coverageOf(m: FhirMember, regionName: string | undefined): Coverage | undefined {
  if (m.insuredLocally !== true) return undefined;
  return {
    resourceType: 'Coverage',
    id: fhirId(m.memberId, 'insurance'),
    status: 'active',
    type: concept(coding(STD.actCode, 'PUBLICPOL', 'public healthcare'), '基本医疗保险'),
    beneficiary: ref('Patient', patientId(m.memberId), m.name),
    payor: [{ display: `${regionName ?? '本地'}基本医疗保险（参保地：本地）` }],
  };
}
