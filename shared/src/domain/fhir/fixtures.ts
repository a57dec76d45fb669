/**
 * FHIR fixtures built through the domain itself (quote → draftAgreement → mapping input), for
 * the tests and the bench: for a region policy, households whose agreements hold every package
 * of that policy that a synthetic person can sign, with consents, a visit, a delivered tip and a
 * recorded service per promised item. Pure and deterministic.
 */
import { draftAgreement, type SigningPerson } from '../agreements/lifecycle';
import { addDays, addYears } from '../dates';
import { CONSENT_PURPOSES } from '../identity/consent';
import type { StoredConsentRecord } from '../identity/household';
import { makeIdNumber } from '../identity/id-number';
import type { Condition, PersonFacts, Sex, Status } from '../person';
import { quote, type MemberSelection } from '../policy/quote';
import type { InstitutionValues, RegionPolicy } from '../policy/types';
import type { FhirAgreement, FhirHousehold, FhirInstitution, FhirMember, FhirTeam } from './input';

interface Persona {
  name: string;
  age: number;
  sex: Sex;
  conditions: Condition[];
  statuses: Status[];
  insuredLocally: boolean;
}

/** People covering the populations of the five policies (DOMAIN.md "Populations"). */
export const PERSONAS: Persona[] = [
  { name: '赵大爷', age: 72, sex: 'M', conditions: ['hypertension', 'diabetes_t2'], statuses: [], insuredLocally: true },
  { name: '钱阿姨', age: 68, sex: 'F', conditions: ['copd', 'cerebrovascular_disease', 'coronary_heart_disease'], statuses: ['dibao'], insuredLocally: true },
  { name: '孙女士', age: 29, sex: 'F', conditions: ['pregnant'], statuses: [], insuredLocally: true },
  { name: '李小宝', age: 3, sex: 'M', conditions: [], statuses: [], insuredLocally: true },
  { name: '周同学', age: 12, sex: 'F', conditions: [], statuses: ['left_behind_child'], insuredLocally: true },
  { name: '吴先生', age: 45, sex: 'M', conditions: ['disability', 'severe_mental_disorder'], statuses: ['tekun', 'severe_disability_no_income'], insuredLocally: true },
  { name: '郑先生', age: 50, sex: 'M', conditions: ['tuberculosis', 'leukemia'], statuses: ['wubao', 'poverty_registered', 'major_illness_hardship'], insuredLocally: true },
  { name: '冯女士', age: 40, sex: 'F', conditions: [], statuses: ['sanwu'], insuredLocally: false },
  { name: '王老师', age: 88, sex: 'F', conditions: [], statuses: ['retired_cadre', 'family_planning_special', 'youfu'], insuredLocally: true },
];

/** Values an institution would set where a policy leaves the price local. */
const LOCAL_VALUES: InstitutionValues = { priceFen: 30000, residentShareBp: 4500, insuranceFen: 4000, subsidyFen: 2000 };

function facts(p: Persona, today: string, seq: number): PersonFacts & { idNumber: string } {
  const birthDate = addDays(addYears(today, -p.age), -30);
  return { birthDate, sex: p.sex, conditions: p.conditions, statuses: p.statuses, insuredLocally: p.insuredLocally, localHukou: true, idNumber: makeIdNumber({ region: '320481', birthDate, seq, sex: p.sex }) };
}

export function demoInstitution(policy: RegionPolicy): { institution: FhirInstitution; team: FhirTeam } {
  const id = `fx-${policy.regionId}`;
  return {
    institution: { id, regionId: policy.regionId, name: `${policy.name}示例卫生院`, kind: '乡镇卫生院', address: '示例路1号', phone: '0000-80000000' },
    team: {
      id: `${id}-t1`,
      institutionId: id,
      regionId: policy.regionId,
      name: '示例家庭医生团队',
      doctors: [
        { name: '王医生', title: '主治医师', role: 'gp', lead: true },
        { name: '刘护士', title: '护师', role: 'nurse' },
      ],
      clinicHours: ['周一至周五 08:00-11:30'],
    },
  };
}

const selection = (policy: RegionPolicy, memberId: string, person: PersonFacts, codes: string[]): MemberSelection => ({
  memberId,
  person,
  packageCodes: codes,
  ...(policy.defaultSigningKind ? { signingKind: 'paid' as const } : {}),
  institutionValues: Object.fromEntries(codes.map((c) => [c, LOCAL_VALUES])),
});

/**
 * One household per persona: the persona signs every package of the policy they can sign (each
 * package tried on its own, kept when the quote accepts it). Returns the households and the
 * package codes no persona could sign (with the quote's reason).
 */
export function regionHouseholds(policy: RegionPolicy, today: string): { households: FhirHousehold[]; unsigned: Record<string, string> } {
  const { institution, team } = demoInstitution(policy);
  const signed = new Set<string>();
  const reasons: Record<string, string> = {};
  const signable = (i: number, codes: string[]) => quote({ members: [selection(policy, `m${i}`, facts(PERSONAS[i]!, today, 100 + i), codes)] }, policy, today);
  // Each persona takes the packages it can hold together (tried in a rotated order, so personas
  // differ); a package still left over gets a household of its own with a persona who can sign it.
  const assignments: { persona: number; codes: string[] }[] = PERSONAS.map((_p, i) => {
    const codes: string[] = [];
    for (let n = 0; n < policy.packages.length; n++) {
      const code = policy.packages[(n + i) % policy.packages.length]!.code;
      const q = signable(i, [...codes, code]);
      if (q.ok) codes.push(code);
      else reasons[code] ??= q.members[0]?.errors.map((e) => e.message).join('；') || 'not signable';
    }
    codes.forEach((c) => signed.add(c));
    return { persona: i, codes };
  });
  for (const k of policy.packages) {
    if (signed.has(k.code)) continue;
    const persona = PERSONAS.findIndex((_p, i) => signable(i, [k.code]).ok);
    if (persona >= 0) {
      assignments.push({ persona, codes: [k.code] });
      signed.add(k.code);
    }
  }
  const households = assignments.map(({ persona, codes }, i): FhirHousehold => {
    const p = PERSONAS[persona]!;
    const accountId = `fx-${policy.regionId}-acct-${i}`;
    const memberId = `fx-${policy.regionId}-m${i}`;
    const f = facts(p, today, 100 + persona);
    const q = quote({ members: [selection(policy, memberId, f, codes)] }, policy, today);
    const person: SigningPerson = { memberId, name: p.name, relation: '本人', idNumberMasked: '320481********0000', idHash: `h${i}`, sex: p.sex, facts: f };
    const draft = draftAgreement({ policy, quote: q, people: [person], today });
    const at = `${today}T02:00:00.000Z`;
    const agreementId = `fx-${policy.regionId}-agr-${i}`;
    const agreement: FhirAgreement = {
      id: agreementId,
      accountId,
      representativeName: p.name,
      teamId: team.id,
      institutionId: institution.id,
      regionId: policy.regionId,
      policyVersion: policy.version,
      status: draft.status === 'active' ? 'active' : i % 2 ? 'pending_payment' : 'active',
      cycleStart: draft.cycle.start,
      cycleEnd: draft.cycle.end,
      members: draft.members,
      totalFen: draft.totalFen,
      byPayer: draft.byPayer,
      residentDueFen: draft.residentDueFen,
      paidFen: i % 2 ? 0 : draft.residentDueFen,
      refundedFen: 0,
      consent: { agreementTextVersion: '2025.1', at },
      createdAt: at,
      ...(i % 2 || draft.residentDueFen === 0 ? {} : { paidAt: at }),
    };
    const member: FhirMember = { memberId, relation: '本人', self: true, name: p.name, idNumber: f.idNumber, birthDate: f.birthDate, sex: p.sex, insuredLocally: p.insuredLocally };
    // Every other persona has withdrawn the health consent: their export is masked.
    const consents: StoredConsentRecord[] = [
      { purpose: 'id_number', version: CONSENT_PURPOSES.id_number.version, decision: 'granted', at, by: accountId, role: 'self' },
      { purpose: 'health_conditions', version: CONSENT_PURPOSES.health_conditions.version, decision: 'granted', at, by: accountId, role: 'self' },
      ...(i % 2 ? [{ purpose: 'health_conditions' as const, version: CONSENT_PURPOSES.health_conditions.version, decision: 'withdrawn' as const, at: `${today}T03:00:00.000Z`, by: accountId, role: 'self' as const }] : []),
    ];
    const items = draft.members.flatMap((m) => m.packages.flatMap((k) => k.items.map((it) => ({ k, it }))));
    return {
      accountId,
      representative: { memberId, name: p.name, sex: p.sex },
      members: [member],
      consents,
      agreements: [agreement],
      appointments: items.slice(0, 1).map(({ k, it }) => ({
        id: `${agreementId}-appt`,
        memberId,
        teamId: team.id,
        institutionId: institution.id,
        agreementId,
        date: today,
        start: '08:00',
        end: '08:30',
        startAt: `${today}T00:00:00.000Z`,
        kind: 'morning',
        doctor: '王医生',
        reason: '复诊',
        service: { packageCode: k.code, itemCode: it.code, itemName: it.name },
        status: 'attended',
        bookedAt: at,
      })),
      services: items.map(({ k, it }, n) => ({
        agreementId,
        entryId: `e${n}`,
        memberId,
        packageCode: k.code,
        itemCode: it.code,
        itemName: it.name,
        quantity: 1 + (n % 3),
        at: today,
        by: 'doctor.fx',
        staffName: '王医生',
        ...(n === 1 ? { voided: true, voidReason: '登记错误' } : {}),
      })),
      deliveries: [
        {
          quarter: '2026Q1',
          memberId,
          agreementId,
          institutionId: institution.id,
          teamId: team.id,
          tipId: 'tip-bp',
          messageId: `tip-2026Q1-${i}`,
          channel: 'wechat',
          externalStatus: 'sent',
          createdAt: at,
          tip: { id: 'tip-bp', title: '高血压患者的家庭自测', bodyHtml: '<p>每天早晚各测一次血压。</p>', category: 'prevention', conditions: ['hypertension'], packageCodes: [] },
        },
      ],
    };
  });
  const unsigned = Object.fromEntries(Object.entries(reasons).filter(([code]) => !signed.has(code)));
  return { households, unsigned };
}
