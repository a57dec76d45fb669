/**
 * The mapping's rules, table by table: what appears only with consent, the standard codes, the
 * statuses, the masking of health-revealing content (PIPL art. 28–29).
 */
import { describe, expect, it } from 'vitest';
import type { Appointment, Communication, Consent, Contract, Patient, Procedure, RelatedPerson, Resource } from '@medplum/fhirtypes';
import { CONSENT_PURPOSES } from '../identity/consent';
import type { StoredConsentRecord } from '../identity/household';
import { policyFor } from '../policy/registry';
import { fhirSchemaErrors } from '../../testing/fhir-validator';
import { demoInstitution, regionHouseholds } from './fixtures';
import { householdBundle, householdResources } from './household';
import { fhirId } from './ids';
import type { FhirHousehold, FhirMember, MappingOptions } from './input';
import { CS, STD } from './systems';

const LY = policyFor('liyang-2019', '2026-03-01');
const TODAY = '2026-03-02';
const AT = `${TODAY}T01:00:00.000Z`;
const { team } = demoInstitution(LY);
const teams = new Map([[team.id, team]]);
const ALL: MappingOptions = { includeIdentifier: true, includeBirthDate: true };

/** 赵大爷 (72, hypertension + diabetes) with every liyang package he can hold. */
function base(): FhirHousehold {
  return structuredClone(regionHouseholds(LY, TODAY).households[0]!);
}

const grant = (purpose: 'id_number' | 'health_conditions' | 'sms', at: string, over: Partial<StoredConsentRecord> = {}): StoredConsentRecord => ({
  purpose,
  version: CONSENT_PURPOSES[purpose].version,
  decision: 'granted',
  at,
  by: 'acct',
  role: 'self',
  ...over,
});

const ofType = <T extends Resource>(rs: Resource[], t: T['resourceType']) => rs.filter((r) => r.resourceType === t) as T[];
const map = (h: FhirHousehold, o: MappingOptions = ALL) => householdResources(h, o, teams);

describe('Patient.identifier: the ID number only when asked for, with the consent in force, when held', () => {
  const cases: [name: string, include: boolean, consents: 'granted' | 'withdrawn' | 'outdated', held: boolean, shown: boolean][] = [
    ['asked, consent in force', true, 'granted', true, true],
    ['not asked', false, 'granted', true, false],
    ['asked, consent withdrawn', true, 'withdrawn', true, false],
    ['asked, consent for an outdated text', true, 'outdated', true, false],
    ['asked, number not held', true, 'granted', false, false],
  ];
  it.each(cases)('%s', (_n, include, state, held, shown) => {
    const h = base();
    h.consents = [grant('id_number', AT, state === 'outdated' ? { version: '2000-01-01' } : {}), ...(state === 'withdrawn' ? [grant('id_number', `${TODAY}T02:00:00.000Z`, { decision: 'withdrawn' })] : [])];
    if (!held) h.members[0]!.idNumber = null;
    const p = ofType<Patient>(map(h, { ...ALL, includeIdentifier: include }), 'Patient')[0]!;
    const ni = p.identifier!.find((i) => i.type?.coding?.[0]?.code === 'NI');
    expect(ni?.value).toBe(shown ? h.members[0]!.idNumber : undefined);
    expect(JSON.stringify(map(h, { ...ALL, includeIdentifier: include })).includes(base().members[0]!.idNumber!)).toBe(shown);
  });

  it('birth date only when the scope allows it; gender from administrative-gender', () => {
    const h = base();
    expect(ofType<Patient>(map(h), 'Patient')[0]).toMatchObject({ gender: 'male', birthDate: h.members[0]!.birthDate });
    expect(ofType<Patient>(map(h, { ...ALL, includeBirthDate: false }), 'Patient')[0]!.birthDate).toBeUndefined();
  });
});

describe('RelatedPerson: the representative towards each other member (v3 RoleCode where certain)', () => {
  const cases: [relation: string, code: string | undefined, guardian: boolean][] = [
    ['配偶', 'SPS', false],
    ['子女', 'PRN', true],
    ['父母', 'CHILD', false],
    ['其他', undefined, false],
  ];
  it.each(cases)('member is the representative’s %s → %s', (relation, code, guardian) => {
    const h = base();
    const child: FhirMember = { memberId: 'm-2', relation, self: false, name: '家人', idNumber: null, birthDate: '2020-05-06', sex: 'F', insuredLocally: null };
    h.members.push(child);
    if (guardian) h.consents.push(grant('id_number', AT, { onBehalfOf: 'm-2', role: 'guardian' }));
    const rp = ofType<RelatedPerson>(map(h), 'RelatedPerson');
    expect(rp).toHaveLength(1);
    const codes = rp[0]!.relationship!.flatMap((c) => c.coding!).filter((c) => c.system === STD.roleCode).map((c) => c.code);
    expect(codes).toEqual([...(code ? [code] : []), ...(guardian ? ['GUARD'] : [])]);
    expect(rp[0]!.patient.reference).toBe('Patient/m-2');
    // No Coverage when insurance is not known.
    expect(ofType(map(h), 'Coverage').map((c) => c.id)).toEqual([fhirId(h.members[0]!.memberId, 'insurance')]);
  });
});

describe('Contract.status from the agreement status (the local one in legalState)', () => {
  const cases: [string, string][] = [
    ['pending_payment', 'offered'],
    ['active', 'executed'],
    ['scheduled', 'executed'],
    ['expired', 'terminated'],
    ['terminated', 'terminated'],
    ['cancelled', 'cancelled'],
    ['changed', 'terminated'],
  ];
  it.each(cases)('%s → %s', (status, fhir) => {
    const h = base();
    h.agreements[0]!.status = status;
    const c = ofType<Contract>(map(h), 'Contract')[0]!;
    expect(c.status).toBe(fhir);
    expect(c.legalState!.coding![0]).toMatchObject({ system: CS.agreementStatus, code: status });
  });
});

describe('health-revealing content is masked without the health consent in force', () => {
  const withHealth = (state: 'granted' | 'withdrawn' | 'never') => {
    const h = base();
    h.consents = [
      grant('id_number', AT),
      ...(state !== 'never' ? [grant('health_conditions', AT)] : []),
      ...(state === 'withdrawn' ? [grant('health_conditions', `${TODAY}T02:00:00.000Z`, { decision: 'withdrawn' })] : []),
    ];
    return map(h);
  };
  // liyang 160000002-d (hypertension) is sold only to people who declared hypertension.
  const HYPERTENSION = '160000002-d';

  it.each([['granted', false], ['withdrawn', true], ['never', true]] as const)('health consent %s → masked %s', (state, masked) => {
    const rs = withHealth(state);
    const text = JSON.stringify(rs);
    expect(text.includes(HYPERTENSION)).toBe(!masked);
    expect(text.includes('高血压')).toBe(!masked);
    const c = ofType<Contract>(rs, 'Contract')[0]!;
    expect(!!c.meta?.security?.some((s) => s.code === 'MASKED')).toBe(masked);
    // Fee shares stay: settlement needs them, the masked package still shows its price split.
    const fees = c.term!.slice(1).flatMap((t) => t.group!).map((g) => g.asset!.at(-1)!.valuedItem!.reduce((a, v) => a + Math.round(v.net!.value! * 100), 0));
    expect(fees.reduce((a, b) => a + b, 0)).toBe(base().agreements[0]!.totalFen);
    const tip = ofType<Communication>(rs, 'Communication')[0]!;
    expect(tip.topic === undefined).toBe(masked);
    const procedures = ofType<Procedure>(rs, 'Procedure');
    expect(procedures.some((p) => p.code?.extension?.[0]?.valueCode === 'masked')).toBe(masked);
    // The basic package is never masked.
    expect(text.includes('LY-BASIC')).toBe(true);
    for (const r of rs) expect(fhirSchemaErrors(r)).toEqual([]);
  });
});

describe('Consent: one per grant, ended by the next decision', () => {
  it.each([
    ['granted (current text)', [grant('sms', AT)], [['active', 'permit', false]]],
    ['granted, then withdrawn', [grant('sms', AT), grant('sms', `${TODAY}T05:00:00.000Z`, { decision: 'withdrawn' })], [['inactive', 'permit', true]]],
    ['withdrawn without a grant', [grant('sms', AT, { decision: 'withdrawn' })], [['rejected', 'deny', false]]],
    ['granted for an outdated text', [grant('sms', AT, { version: '2000-01-01' })], [['inactive', 'permit', false]]],
    ['granted twice', [grant('sms', AT, { version: '2000-01-01' }), grant('sms', `${TODAY}T05:00:00.000Z`)], [['inactive', 'permit', true], ['active', 'permit', false]]],
  ] as const)('%s', (_n, records, expected) => {
    const h = base();
    h.consents = [...records];
    const cs = ofType<Consent>(map(h), 'Consent');
    expect(cs.map((c) => [c.status, c.provision!.type, c.provision!.period!.end !== undefined])).toEqual(expected);
    expect(cs[0]!.provision!.purpose![0]).toMatchObject({ system: CS.consentPurpose, code: 'sms' });
    expect(cs[0]!.sourceAttachment!.title).toContain(records[0]!.version);
  });
});

describe('Appointment.status from the appointment status', () => {
  it.each([
    ['booked', 'booked'],
    ['cancelled', 'cancelled'],
    ['cancelled_by_clinic', 'cancelled'],
    ['attended', 'fulfilled'],
    ['no_show', 'noshow'],
  ])('%s → %s', (status, fhir) => {
    const h = base();
    h.appointments[0]!.status = status;
    const a = ofType<Appointment>(map(h), 'Appointment')[0]!;
    expect(a.status).toBe(fhir);
    expect(a.end).toBe(`${TODAY}T08:30:00+08:00`);
    expect(a.participant.map((p) => p.actor!.reference)).toEqual([`Patient/${h.members[0]!.memberId}`, `PractitionerRole/${fhirId(team.id, 'd0')}`]);
  });

  it('a voided service entry is entered-in-error with its reason; units are in the extension', () => {
    const ps = ofType<Procedure>(map(base()), 'Procedure');
    expect(ps[1]).toMatchObject({ status: 'entered-in-error', statusReason: { text: '登记错误' } });
    expect(ps[2]!.extension!.find((e) => e.valuePositiveInt !== undefined)!.valuePositiveInt).toBe(3);
  });
});

describe('ids', () => {
  it.each([
    [['abc-123'], 'abc-123'],
    [['a_b'], 'a.5fb'],
    [['a', 'b'], 'a.b'],
    [['a.b'], 'a.2eb'],
  ])('%j → %s', (parts, id) => expect(fhirId(...parts)).toBe(id));

  it('long ids become a stable hash within 64 characters', () => {
    const long = 'x'.repeat(80);
    expect(fhirId(long)).toHaveLength(59);
    expect(fhirId(long)).toBe(fhirId(long));
    expect(fhirId(long)).not.toBe(fhirId(`${long}y`));
  });
});

it('the household Bundle is a collection whose fullUrls are unique', () => {
  const h = base();
  const b = householdBundle({ household: h, institutions: [demoInstitution(LY).institution], teams: [team], options: ALL, at: AT });
  expect(b.type).toBe('collection');
  const urls = b.entry!.map((e) => e.fullUrl);
  expect(new Set(urls).size).toBe(urls.length);
  expect(fhirSchemaErrors(b)).toEqual([]);
});
