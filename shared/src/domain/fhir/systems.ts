/**
 * Canonical URLs, identifier systems and the standard code mappings of the FHIR R4 export
 * (docs/fhir.md). A standard code system is used only where the mapping is certain; everything
 * else is one of our local CodeSystems (codesystems.ts), published at GET /fhir/CodeSystem/{id}.
 *
 * The canonical base is a placeholder until the operating organisation owns a domain (like
 * PRIVACY_OPERATOR in identity/consent.ts): canonical URLs are identifiers, the routes publish the
 * definitions whatever host serves the API.
 */
import type { Sex } from '../person';

export const FHIR_BASE = 'https://jiayi.example/fhir';

export const cs = (id: string): string => `${FHIR_BASE}/CodeSystem/${id}`;
export const sid = (id: string): string => `${FHIR_BASE}/sid/${id}`;
export const ext = (id: string): string => `${FHIR_BASE}/StructureDefinition/${id}`;

/** Our identifier systems (Identifier.system); values are our own opaque ids. */
export const SID = {
  member: sid('household-member'),
  account: sid('household-account'),
  agreement: sid('agreement'),
  appointment: sid('appointment'),
  serviceEntry: sid('service-entry'),
  tipDelivery: sid('tip-delivery'),
  institution: sid('institution'),
  team: sid('team'),
  staff: sid('staff'),
  payer: sid('payer'),
  /**
   * 居民身份证号码 (GB 11643). No national FHIR NamingSystem for it could be cited with certainty,
   * so the system is ours and the type is the standard v2-0203 `NI`.
   */
  residentId: sid('cn-resident-id'),
} as const;

/** Local CodeSystem URLs (definitions in codesystems.ts). */
export const CS = {
  agreementStatus: cs('agreement-status'),
  endReason: cs('agreement-end-reason'),
  termType: cs('contract-term-type'),
  packageCategory: cs('package-category'),
  payer: cs('payer'),
  consentPurpose: cs('consent-purpose'),
  consentRole: cs('consent-role'),
  householdRelation: cs('household-relation'),
  teamRole: cs('team-role'),
  sessionKind: cs('clinic-session-kind'),
  communication: cs('communication-category'),
  pushChannel: cs('push-channel'),
  /** Per region: the packages and the service items its policy document defines. */
  packages: (regionId: string) => cs(`packages-${regionId}`),
  items: (regionId: string) => cs(`service-items-${regionId}`),
} as const;

/** Our extensions (StructureDefinitions in codesystems.ts). */
export const EXT = {
  /** On Procedure and Appointment: the agreement (Contract) the service or visit belongs to. */
  agreement: ext('agreement'),
  /** On Procedure: units delivered by one ledger entry (e.g. 3 blood-pressure measurements). */
  serviceUnits: ext('service-units'),
} as const;

/** Standard systems used where the mapping is certain. */
export const STD = {
  gender: 'http://hl7.org/fhir/administrative-gender',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  loinc: 'http://loinc.org',
  signerType: 'http://terminology.hl7.org/CodeSystem/contractsignertypecodes',
  signatureType: 'urn:iso-astm:E1762-95:2013',
  dataAbsent: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
  securityLabel: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  currency: 'CNY',
} as const;

export const GENDER: Record<Sex, 'male' | 'female'> = { M: 'male', F: 'female' };

/**
 * The representative's role towards a member, from the member's relation to the representative
 * (本人 / 配偶 / 子女 / 父母 / 其他): a member who is the representative's child has the
 * representative as parent (PRN), and so on. 其他 has no certain code: only the local one.
 */
export const REPRESENTATIVE_ROLE: Record<string, { code: string; display: string } | undefined> = {
  配偶: { code: 'SPS', display: 'spouse' },
  子女: { code: 'PRN', display: 'parent' },
  父母: { code: 'CHILD', display: 'child' },
};

export const GUARDIAN_ROLE = { code: 'GUARD', display: 'guardian' } as const;

/** Agreement status → Contract.status (required binding). The local status goes in legalState. */
export const CONTRACT_STATUS: Record<string, 'offered' | 'executed' | 'terminated' | 'cancelled'> = {
  // Signed by the resident, payment outstanding: the offer stands, nothing is in force yet.
  pending_payment: 'offered',
  active: 'executed',
  // A paid renewal waiting for its cycle to begin: executed, applies.start in the future.
  scheduled: 'executed',
  expired: 'terminated',
  terminated: 'terminated',
  cancelled: 'cancelled',
  changed: 'terminated',
};

/** Appointment status → Appointment.status (required binding). */
export const APPOINTMENT_STATUS: Record<string, 'booked' | 'cancelled' | 'fulfilled' | 'noshow'> = {
  booked: 'booked',
  cancelled: 'cancelled',
  cancelled_by_clinic: 'cancelled',
  attended: 'fulfilled',
  no_show: 'noshow',
};
