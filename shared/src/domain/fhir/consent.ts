/**
 * Consent records (append-only decisions, identity/consent.ts) as FHIR Consents: one Consent per
 * grant, in force from the grant until the next decision on the same purpose for the same person
 * (provision.period); `active` only while it is the latest decision and for the current text.
 * A withdrawal ends the grant before it; a withdrawal with no open grant is a Consent of its own
 * (`rejected`, provision `deny`). Who decided is the performer and a provision actor whose role
 * says self / guardian (PIPL art. 31) / representative attesting an adult member's agreement.
 */
import type { Consent } from '@medplum/fhirtypes';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../identity/consent';
import type { StoredConsentRecord } from '../identity/household';
import type { FhirHousehold, FhirMember } from './input';
import { coding, concept, fhirId, ref } from './ids';
import { patientId, representativeRef } from './patient';
import { CS, STD } from './systems';

export const CONSENT_ROLES = { self: '本人同意', guardian: '监护人同意（不满十四周岁）', representative: '家庭代表确认成员本人已同意' } as const;

const LEGAL_BASIS: Record<ConsentPurpose, string> = {
  id_number: '《中华人民共和国个人信息保护法》第二十八条、第二十九条：敏感个人信息的单独同意',
  health_conditions: '《中华人民共和国个人信息保护法》第二十八条、第二十九条：敏感个人信息的单独同意',
  sms: '《中华人民共和国个人信息保护法》第十三条、第十四条：基于个人同意的处理',
};

function subjectOf(h: FhirHousehold, r: StoredConsentRecord): FhirMember | undefined {
  const id = r.onBehalfOf ?? h.representative.memberId;
  return id === undefined ? undefined : h.members.find((m) => m.memberId === id);
}

function consentResource(h: FhirHousehold, m: FhirMember, r: StoredConsentRecord, n: number, next: StoredConsentRecord | undefined): Consent {
  const purpose = r.purpose;
  const text = CONSENT_PURPOSES[purpose];
  const granted = r.decision === 'granted';
  const performer = r.role === 'self' ? ref('Patient', patientId(m.memberId), m.name) : representativeRef(h, m);
  const status: Consent['status'] = !granted ? 'rejected' : next === undefined && r.version === text.version ? 'active' : 'inactive';
  return {
    resourceType: 'Consent',
    id: fhirId(m.memberId, purpose, String(n)),
    status,
    scope: concept(coding(STD.consentScope, 'patient-privacy', 'Privacy Consent')),
    category: [concept(coding(STD.loinc, '59284-0', 'Patient Consent'))],
    patient: ref('Patient', patientId(m.memberId), m.name),
    dateTime: r.at,
    performer: [performer],
    sourceAttachment: { contentType: 'text/plain', language: 'zh-CN', title: `${text.title}（授权文本版本 ${r.version}）` },
    policyRule: { text: LEGAL_BASIS[purpose] },
    provision: {
      type: granted ? 'permit' : 'deny',
      period: { start: r.at, ...(next ? { end: next.at } : {}) },
      actor: [{ role: concept(coding(CS.consentRole, r.role, CONSENT_ROLES[r.role])), reference: performer }],
      purpose: [coding(CS.consentPurpose, purpose, text.title)],
    },
  };
}

/** Every consent decision of the exported members, in decision order. */
export function consentsOf(h: FhirHousehold): Consent[] {
  const out: Consent[] = [];
  const seq = new Map<string, StoredConsentRecord[]>();
  for (const r of h.consents) {
    const m = subjectOf(h, r);
    if (!m) continue;
    const k = `${m.memberId}\u0000${r.purpose}`;
    seq.set(k, [...(seq.get(k) ?? []), r]);
  }
  for (const records of seq.values()) {
    const m = subjectOf(h, records[0]!)!;
    records.forEach((r, i) => {
      const prev = records[i - 1];
      // A withdrawal that ends a grant is that grant's period end, not a Consent of its own.
      if (r.decision === 'withdrawn' && prev?.decision === 'granted') return;
      out.push(consentResource(h, m, r, i, records[i + 1]));
    });
  }
  return out;
}
