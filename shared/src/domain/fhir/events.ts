/**
 * What happened under an agreement: signing-clinic visits (Appointment), delivered quarterly
 * health tips (Communication) and recorded services from the fulfilment ledger (Procedure).
 * Services, visits and tips that reveal a health condition are masked when the member's health
 * consent is not in force (privacy.ts).
 */
import type { Appointment, Communication, Meta, Procedure } from '@medplum/fhirtypes';
import { SESSION_KINDS } from '../appointments/rota';
import { TIP_CATEGORIES } from '../push/targeting';
import type { FhirAgreement, FhirAppointment, FhirHousehold, FhirServiceEntry, FhirTeam, FhirTipDelivery } from './input';
import { practitionerRoleByName } from './care-team';
import { contractId } from './contract';
import { coding, concept, fhirId, ref, shanghaiInstant } from './ids';
import { patientId } from './patient';
import { healthConsentInForce, MASKED, MASKED_LABEL, policyOf, revealsHealth } from './privacy';
import { APPOINTMENT_STATUS, CS, EXT, SID } from './systems';

export const PUSH_CHANNELS: Record<string, string> = { wechat: '微信订阅消息', sms: '短信', inbox: '小程序站内消息' };
export const COMMUNICATION_CATEGORIES: Record<string, string> = {
  'health-tip': '健康知识推送',
  ...Object.fromEntries(Object.entries(TIP_CATEGORIES).map(([k, v]) => [`tip-${k}`, v])),
};

const maskedMeta = (masked: boolean): { meta?: Meta } => (masked ? { meta: { security: [MASKED_LABEL] } } : {});

function healthOf(h: FhirHousehold, memberId: string): boolean {
  return healthConsentInForce(h.consents, { memberId, self: memberId === h.representative.memberId });
}

function agreementExt(agreementId: string) {
  return { url: EXT.agreement, valueReference: ref('Contract', contractId(agreementId)) };
}

function itemConcept(a: FhirAgreement | undefined, itemCode: string, name: string | undefined) {
  return a ? concept(coding(CS.items(a.regionId), itemCode, name, a.policyVersion), name) : { text: name ?? itemCode };
}

export function appointmentOf(h: FhirHousehold, x: FhirAppointment, team: FhirTeam | undefined): Appointment {
  const a = h.agreements.find((g) => g.id === x.agreementId);
  const masked = !!x.service && !healthOf(h, x.memberId) && revealsHealth(a && policyOf(a.regionId, a.policyVersion), x.service.packageCode, x.service.itemCode);
  const doctor = practitionerRoleByName(team, x.doctor);
  const status = APPOINTMENT_STATUS[x.status] ?? 'booked';
  return {
    resourceType: 'Appointment',
    id: fhirId(x.id),
    ...maskedMeta(masked),
    extension: [agreementExt(x.agreementId)],
    identifier: [{ system: SID.appointment, value: x.id }],
    status,
    ...(status === 'cancelled' ? { cancelationReason: { text: x.cancelReason ?? (x.status === 'cancelled_by_clinic' ? '门诊调整，已取消' : '已取消') } } : {}),
    appointmentType: concept(coding(CS.sessionKind, x.kind, SESSION_KINDS[x.kind as keyof typeof SESSION_KINDS])),
    ...(x.service ? { serviceType: [masked ? MASKED : itemConcept(a, x.service.itemCode, x.service.itemName)] } : {}),
    // The visit reason is the resident's own words to their team (not a declared condition).
    ...(x.reason ? { description: x.reason } : {}),
    start: x.startAt,
    end: shanghaiInstant(x.date, x.end),
    created: x.bookedAt,
    participant: [
      { actor: ref('Patient', patientId(x.memberId)), required: 'required', status: 'accepted' },
      ...(doctor ? [{ actor: ref('PractitionerRole', doctor, x.doctor), required: 'required' as const, status: 'accepted' as const }] : []),
    ],
  };
}

/** Base64 of UTF-8 text without Node's Buffer (this module is pure TypeScript). */
function base64(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function communicationOf(h: FhirHousehold, d: FhirTipDelivery): Communication {
  const a = h.agreements.find((g) => g.id === d.agreementId);
  const policy = a && policyOf(a.regionId, a.policyVersion);
  const tip = d.tip;
  const targeted = !!tip && (tip.conditions.length > 0 || tip.packageCodes.some((c) => revealsHealth(policy, c)));
  const masked = targeted && !healthOf(h, d.memberId);
  const patient = ref('Patient', patientId(d.memberId));
  return {
    resourceType: 'Communication',
    id: fhirId(d.messageId),
    ...maskedMeta(masked),
    identifier: [{ system: SID.tipDelivery, value: `${d.quarter}/${d.memberId}` }],
    basedOn: [ref('Contract', contractId(d.agreementId))],
    status: 'completed',
    category: [
      concept(coding(CS.communication, 'health-tip', COMMUNICATION_CATEGORIES['health-tip'])),
      ...(tip && !masked ? [concept(coding(CS.communication, `tip-${tip.category}`, COMMUNICATION_CATEGORIES[`tip-${tip.category}`]))] : []),
    ],
    medium: [concept(coding(CS.pushChannel, d.channel, PUSH_CHANNELS[d.channel]))],
    subject: patient,
    recipient: [patient],
    sender: ref('Organization', fhirId(d.institutionId)),
    sent: d.createdAt,
    ...(tip && !masked
      ? {
          topic: { text: tip.title },
          payload: [{ contentString: tip.title }, { contentAttachment: { contentType: 'text/html', language: 'zh-CN', title: tip.title, data: base64(tip.bodyHtml) } }],
        }
      : { payload: [{ contentString: masked ? '健康知识（内容涉及健康状况，健康信息授权未生效，已隐藏）' : `${d.quarter}健康知识` }] }),
  };
}

/** A ledger entry of agreement `a` (entries are always exported with their agreement). */
export function procedureOf(h: FhirHousehold, e: FhirServiceEntry, a: FhirAgreement): Procedure {
  const policy = policyOf(a.regionId, a.policyVersion);
  const masked = !healthOf(h, e.memberId) && revealsHealth(policy, e.packageCode, e.itemCode);
  return {
    resourceType: 'Procedure',
    id: fhirId(e.agreementId, e.entryId),
    ...maskedMeta(masked),
    extension: [agreementExt(e.agreementId), { url: EXT.serviceUnits, valuePositiveInt: e.quantity }],
    identifier: [{ system: SID.serviceEntry, value: e.entryId }],
    status: e.voided ? 'entered-in-error' : 'completed',
    ...(e.voided && e.voidReason ? { statusReason: { text: e.voidReason } } : {}),
    category: masked ? MASKED : concept(coding(CS.packages(a.regionId), e.packageCode, undefined, a.policyVersion)),
    code: masked ? MASKED : itemConcept(a, e.itemCode, e.itemName),
    subject: ref('Patient', patientId(e.memberId)),
    performedDateTime: e.at,
    recorder: { identifier: { system: SID.staff, value: e.by }, ...(e.staffName ? { display: e.staffName } : {}) },
    performer: [{ actor: ref('Organization', fhirId(a.institutionId)) }],
    // The evidence (card swipe record) is not exported: its reference may carry a card number.
  };
}
