/**
 * What the FHIR mapping takes: the records the store holds, already loaded (and decrypted) by the
 * caller, in the shapes the repositories return (the agreement record of
 * shared/src/domain/agreements/record.ts and the functions/src/db/*.repo.ts records satisfy these
 * structurally). The mapping reads nothing else: no clock, no store, no environment.
 */
import type { LocalDate } from '../dates';
import type { StoredConsentRecord } from '../identity/household';
import type { Sex } from '../person';

export interface FhirPromisedItem {
  code: string;
  name: string;
  kind: string;
  quantity: number | null;
  per: string | null;
  unit: string;
  promisedUnits: number;
  unitValueFen: number | null;
  frequencyText: string | null;
}

export interface FhirAgreementPackage {
  code: string;
  name: string;
  category: 'basic' | 'population' | 'personalized';
  priceFen: number;
  byPayer: Record<string, number>;
  items: FhirPromisedItem[];
}

export interface FhirAgreementMember {
  memberId: string;
  name: string;
  relation: string;
  sex: Sex;
  ageGroup: string;
  packages: FhirAgreementPackage[];
  byPayer: Record<string, number>;
  totalFen: number;
}

export interface FhirAgreement {
  id: string;
  accountId: string;
  representativeName: string;
  teamId: string;
  institutionId: string;
  regionId: string;
  policyVersion: string;
  status: string;
  cycleStart: LocalDate;
  cycleEnd: LocalDate;
  members: FhirAgreementMember[];
  totalFen: number;
  byPayer: Record<string, number>;
  residentDueFen: number;
  paidFen: number;
  refundedFen: number;
  consent: { agreementTextVersion: string; at: string };
  createdAt: string;
  paidAt?: string;
  endedAt?: string;
  endReason?: string;
}

/** A household member as the household partition holds it (decrypted); null facts are unknown. */
export interface FhirMember {
  memberId: string;
  relation: string;
  self: boolean;
  name: string;
  /** The full number: only ever output when asked for and consented to (see MappingOptions). */
  idNumber: string | null;
  birthDate: LocalDate | null;
  sex: Sex | null;
  /** Null when not known (e.g. the member left the household after signing). */
  insuredLocally: boolean | null;
}

export interface FhirDoctor {
  name: string;
  title: string;
  role: string;
  lead?: boolean;
}

export interface FhirTeam {
  id: string;
  institutionId: string;
  regionId: string;
  name: string;
  doctors: FhirDoctor[];
  clinicHours: string[];
}

export interface FhirInstitution {
  id: string;
  regionId: string;
  name: string;
  kind: string;
  address: string;
  phone: string;
}

export interface FhirAppointment {
  id: string;
  memberId: string;
  teamId: string;
  institutionId: string;
  agreementId: string;
  date: LocalDate;
  start: string;
  end: string;
  startAt: string;
  kind: string;
  doctor?: string;
  reason: string;
  service?: { packageCode: string; itemCode: string; itemName: string };
  status: string;
  bookedAt: string;
  cancelReason?: string;
}

export interface FhirServiceEntry {
  agreementId: string;
  entryId: string;
  memberId: string;
  packageCode: string;
  itemCode: string;
  itemName?: string;
  quantity: number;
  /** Service date (LocalDate) as the console records it. */
  at: string;
  by: string;
  staffName?: string;
  recordedAt?: string;
  voided?: boolean;
  voidReason?: string;
}

export interface FhirTip {
  id: string;
  title: string;
  bodyHtml: string;
  category: string;
  conditions: string[];
  packageCodes: string[];
}

/** One delivered quarterly health tip (the push delivery record with its tip). */
export interface FhirTipDelivery {
  quarter: string;
  memberId: string;
  agreementId: string;
  institutionId: string;
  teamId: string;
  tipId: string;
  messageId: string;
  channel: string;
  externalStatus: string;
  createdAt: string;
  tip?: FhirTip;
}

export interface FhirHousehold {
  accountId: string;
  /** The household representative (甲方代表); memberId when their 本人 record exists. */
  representative: { memberId?: string; name: string; sex: Sex | null };
  /** The members to export (the whole household, or an institution's residents of it). */
  members: FhirMember[];
  consents: StoredConsentRecord[];
  agreements: FhirAgreement[];
  appointments: FhirAppointment[];
  services: FhirServiceEntry[];
  deliveries: FhirTipDelivery[];
}

export interface MappingOptions {
  /** Put the full ID number on Patient.identifier (still only with the id_number consent in force). */
  includeIdentifier: boolean;
  /** Birth dates are the resident's own data; an institution export carries none (data minimisation). */
  includeBirthDate: boolean;
}
