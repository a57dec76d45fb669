/**
 * An agreement (家庭医生签约服务协议) as a FHIR Contract, with standard elements only:
 *
 *   Contract.applies              the service cycle (Asia/Shanghai dates)
 *   Contract.status / legalState  the FHIR status / our agreement status (local code)
 *   Contract.signer               the household representative's consent signature
 *   term[0] 费用合计               agreement totals: one valuedItem per payer (net, responsible)
 *   term[1..] per member          offer.party = the member's Patient, group = one term per package:
 *     asset[services]             one valuedItem per promised item (code, promised units, unit value)
 *     asset[fee]                  one valuedItem per payer: net = that payer's share, responsible = payer
 *
 * Packages and items that reveal a health condition are masked when the member's health consent is
 * not in force (privacy.ts); their fee shares stay (settlement needs them).
 */
import type { Contract, ContractTerm, ContractTermAssetValuedItem, ContractTermOfferParty, Reference } from '@medplum/fhirtypes';
import { AGREEMENT_STATUSES, type AgreementStatus } from '../agreements/statuses';
import { PACKAGE_CATEGORIES, PAYERS, TERMINATION_REASONS, type RegionPolicy } from '../policy/types';
import type { FhirAgreement, FhirAgreementMember, FhirAgreementPackage, FhirHousehold, FhirPromisedItem } from './input';
import { coding, concept, fhirId, money, ref } from './ids';
import { patientId, relationConcept, representativeRef } from './patient';
import { healthConsentInForce, MASKED, MASKED_LABEL, policyOf, revealsHealth } from './privacy';
import { CONTRACT_STATUS, CS, SID, STD } from './systems';

/** Why an agreement ended, beyond the termination reasons of the policies. */
export const END_REASONS: Record<string, string> = {
  ...TERMINATION_REASONS,
  unpaid: '超时未支付',
  cancelled_by_resident: '居民取消签约',
  team_changed: '变更签约团队',
};

export const TERM_TYPES = { total: '费用合计', member: '成员签约内容', package: '服务包', services: '服务项目', fee: '费用构成' } as const;
const termType = (t: keyof typeof TERM_TYPES) => concept(coding(CS.termType, t, TERM_TYPES[t]));

export const contractId = (agreementId: string): string => fhirId(agreementId);

function payerRef(h: FhirHousehold, a: FhirAgreement, payer: string): Reference<never> {
  if (payer === 'resident') {
    const self = a.members.find((m) => m.memberId === h.representative.memberId);
    return self ? representativeRef(h, { memberId: self.memberId, self: true }) : representativeRef(h, { memberId: a.members[0]!.memberId, self: false });
  }
  return { identifier: { system: SID.payer, value: payer }, display: PAYERS[payer as keyof typeof PAYERS] ?? payer };
}

function residentPayment(a: FhirAgreement): Pick<ContractTermAssetValuedItem, 'payment' | 'paymentDate'> {
  if (a.residentDueFen <= 0) return { payment: '无需个人支付' };
  const yuan = (f: number) => (f / 100).toFixed(2);
  const paid = a.paidFen > 0 ? `已支付${yuan(a.paidFen)}元` : '待支付';
  const refunded = a.refundedFen > 0 ? `，已退费${yuan(a.refundedFen)}元` : '';
  return { payment: `${paid}${refunded}（微信支付）`, ...(a.paidAt ? { paymentDate: a.paidAt } : {}) };
}

function shares(h: FhirHousehold, a: FhirAgreement, byPayer: Record<string, number>, what: string): ContractTermAssetValuedItem[] {
  const recipient = ref('Organization', fhirId(a.institutionId));
  return Object.entries(byPayer)
    .filter(([, fen]) => fen > 0)
    .map(([payer, fen]) => ({
      entityCodeableConcept: concept(coding(CS.payer, payer, PAYERS[payer as keyof typeof PAYERS]), `${what}：${PAYERS[payer as keyof typeof PAYERS] ?? payer}承担`),
      net: money(fen),
      responsible: payerRef(h, a, payer),
      recipient,
      ...(payer === 'resident' ? residentPayment(a) : {}),
    }));
}

function itemValued(a: FhirAgreement, it: FhirPromisedItem): ContractTermAssetValuedItem {
  return {
    entityCodeableConcept: concept(coding(CS.items(a.regionId), it.code, it.name, a.policyVersion), it.frequencyText ? `${it.name}（${it.frequencyText}）` : it.name),
    ...(it.promisedUnits > 0 ? { quantity: { value: it.promisedUnits, unit: it.unit } } : {}),
    ...(it.unitValueFen !== null ? { unitPrice: money(it.unitValueFen) } : {}),
  };
}

interface Masking {
  masked: boolean;
}

function packageTerm(h: FhirHousehold, a: FhirAgreement, policy: RegionPolicy | undefined, party: ContractTermOfferParty, pkg: FhirAgreementPackage, health: boolean, mask: Masking): ContractTerm {
  const hidden = !health && revealsHealth(policy, pkg.code);
  const items = hidden ? [] : pkg.items.filter((it) => health || !revealsHealth(policy, pkg.code, it.code));
  const withheldItems = !hidden && items.length < pkg.items.length;
  if (hidden || withheldItems) mask.masked = true;
  const period = [{ start: a.cycleStart, end: a.cycleEnd }];
  const services: ContractTermAssetValuedItem[] = [...items.map((it) => itemValued(a, it)), ...(withheldItems ? [{ entityCodeableConcept: MASKED }] : [])];
  const text = hidden ? '服务包（涉及健康状况，健康信息授权未生效，已隐藏）' : pkg.name;
  return {
    type: concept(coding(CS.packageCategory, pkg.category, PACKAGE_CATEGORIES[pkg.category])),
    subType: hidden ? MASKED : concept(coding(CS.packages(a.regionId), pkg.code, pkg.name, a.policyVersion), pkg.name),
    text,
    offer: { party: [party], text },
    asset: [
      ...(services.length ? [{ type: [termType('services')], period, valuedItem: services }] : []),
      { type: [termType('fee')], period, valuedItem: shares(h, a, pkg.byPayer, `服务包费用${(pkg.priceFen / 100).toFixed(2)}元`) },
    ],
  };
}

function memberTerm(h: FhirHousehold, a: FhirAgreement, policy: RegionPolicy | undefined, m: FhirAgreementMember, mask: Masking): ContractTerm {
  const party: ContractTermOfferParty = { reference: [ref('Patient', patientId(m.memberId), m.name)], role: relationConcept(m.relation) };
  const self = m.memberId === h.representative.memberId;
  const health = healthConsentInForce(h.consents, { memberId: m.memberId, self });
  const text = `${m.name}（${m.relation}）`;
  return {
    type: termType('member'),
    text,
    offer: { party: [party], text },
    group: m.packages.map((p) => packageTerm(h, a, policy, party, p, health, mask)),
  };
}

export function contractOf(h: FhirHousehold, a: FhirAgreement): Contract {
  const policy = policyOf(a.regionId, a.policyVersion);
  const mask: Masking = { masked: false };
  const terms = a.members.map((m) => memberTerm(h, a, policy, m, mask));
  const signerRef = payerRef(h, a, 'resident');
  const label = AGREEMENT_STATUSES[a.status as AgreementStatus] ?? a.status;
  return {
    resourceType: 'Contract',
    id: contractId(a.id),
    ...(mask.masked ? { meta: { security: [MASKED_LABEL] } } : {}),
    identifier: [{ system: SID.agreement, value: a.id }],
    status: CONTRACT_STATUS[a.status] ?? 'offered',
    legalState: concept(coding(CS.agreementStatus, a.status, label), label),
    issued: a.createdAt,
    applies: { start: a.cycleStart, end: a.cycleEnd },
    ...(a.endReason ? { expirationType: concept(coding(CS.endReason, a.endReason, END_REASONS[a.endReason]), END_REASONS[a.endReason] ?? a.endReason) } : {}),
    subject: a.members.map((m) => ref('Patient', patientId(m.memberId), m.name)),
    authority: [ref('Organization', fhirId(a.institutionId))],
    title: `家庭医生签约服务协议（${policy?.name ?? a.regionId}）`,
    supportingInfo: [ref('CareTeam', fhirId(a.teamId))],
    legallyBindingAttachment: { contentType: 'text/plain', language: 'zh-CN', title: `家庭医生签约服务协议（文本版本 ${a.consent.agreementTextVersion}）`, creation: a.consent.at },
    signer: [
      {
        type: coding(STD.signerType, 'CONSENTER', 'Consenter'),
        party: signerRef,
        signature: [{ type: [coding(STD.signatureType, '1.2.840.10065.1.12.1.7', 'Consent Signature')], when: a.consent.at, who: signerRef }],
      },
    ],
    term: [
      {
        type: termType('total'),
        text: `费用合计${(a.totalFen / 100).toFixed(2)}元`,
        offer: { text: '按支付方列出的协议费用合计' },
        asset: [{ type: [termType('fee')], period: [{ start: a.cycleStart, end: a.cycleEnd }], valuedItem: shares(h, a, a.byPayer, '协议费用') }],
      },
      ...terms,
    ],
  };
}
