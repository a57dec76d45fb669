/**
 * The local CodeSystems and extension StructureDefinitions the export uses, built from the same
 * tables the mapping reads (so a code can never be exported without its definition). Published
 * at GET /fhir/CodeSystem/{id} and GET /fhir/StructureDefinition/{id}; described in docs/fhir.md.
 */
import type { CodeSystem, CodeSystemConcept, StructureDefinition } from '@medplum/fhirtypes';
import { DOCTOR_ROLES } from '../../schemas/teams';
import { SESSION_KINDS } from '../appointments/rota';
import { CONSENT_PURPOSES } from '../identity/consent';
import { allPolicies } from '../policy/registry';
import { PACKAGE_CATEGORIES, PAYERS, type RegionPolicy } from '../policy/types';
import { CONSENT_ROLES } from './consent';
import { AGREEMENT_STATUSES } from '../agreements/statuses';
import { END_REASONS, TERM_TYPES } from './contract';
import { COMMUNICATION_CATEGORIES, PUSH_CHANNELS } from './events';
import { RELATION_CODES } from './patient';
import { CS, EXT, FHIR_BASE } from './systems';

/** Version of the local code systems (bump when a code's meaning changes). */
export const LOCAL_CODES_VERSION = '2026.1';
const PUBLISHER = '家医平台';

function system(url: string, title: string, description: string, concepts: CodeSystemConcept[], version = LOCAL_CODES_VERSION): CodeSystem {
  const id = url.slice(`${FHIR_BASE}/CodeSystem/`.length);
  return {
    resourceType: 'CodeSystem',
    id,
    url,
    version,
    name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, ''),
    title,
    status: 'active',
    experimental: false,
    publisher: PUBLISHER,
    description,
    caseSensitive: true,
    content: 'complete',
    count: concepts.length,
    concept: concepts,
  };
}

const fromRecord = (r: Record<string, string>): CodeSystemConcept[] => Object.entries(r).map(([code, display]) => ({ code, display }));

function packageSystem(p: RegionPolicy): CodeSystem {
  return system(
    CS.packages(p.regionId),
    `${p.name}家庭医生签约服务包`,
    `Service packages of ${p.regionId} as its policy document defines them (${p.documentRef}; seed ${p.seedFile}). Version = the policy version.`,
    p.packages.map((k) => ({ code: k.code, display: k.name, definition: `${PACKAGE_CATEGORIES[k.category]}；适用人群：${k.targetPopulation}` })),
    p.version,
  );
}

function itemSystem(p: RegionPolicy): CodeSystem {
  const seen = new Map<string, CodeSystemConcept>();
  for (const k of p.packages) for (const it of k.items) if (!seen.has(it.code)) seen.set(it.code, { code: it.code, display: it.name, ...(it.frequencyText ? { definition: it.frequencyText } : {}) });
  return system(CS.items(p.regionId), `${p.name}签约服务项目`, `Service items promised by the packages of ${p.regionId} (${p.documentRef}). Version = the policy version.`, [...seen.values()], p.version);
}

/** The latest policy version of each region (older versions: codeSystemsFor(regionId, version)). */
function latestPolicies(): RegionPolicy[] {
  const byRegion = new Map<string, RegionPolicy>();
  for (const p of allPolicies()) {
    const cur = byRegion.get(p.regionId);
    if (!cur || cur.effectiveFrom < p.effectiveFrom) byRegion.set(p.regionId, p);
  }
  return [...byRegion.values()];
}

export function localCodeSystems(): CodeSystem[] {
  return [
    system(CS.agreementStatus, '签约协议状态', 'Status of a family-doctor agreement (Contract.legalState); Contract.status carries the FHIR status.', fromRecord(AGREEMENT_STATUSES)),
    system(CS.endReason, '协议终止原因', 'Why an agreement ended early or was cancelled (Contract.expirationType).', fromRecord(END_REASONS)),
    system(CS.termType, '协议条款类型', 'Kinds of Contract.term and Contract.term.asset in the agreement mapping.', fromRecord(TERM_TYPES)),
    system(CS.packageCategory, '服务包类别', 'Category of a service package.', fromRecord(PACKAGE_CATEGORIES)),
    system(CS.payer, '费用支付方', 'Who pays a share of a package fee (Contract valuedItem.entityCodeableConcept; the payer is valuedItem.responsible).', fromRecord(PAYERS)),
    system(CS.consentPurpose, '授权事项', 'Purposes residents consent to separately (Consent.provision.purpose).', Object.entries(CONSENT_PURPOSES).map(([code, p]) => ({ code, display: p.title, definition: p.text }))),
    system(CS.consentRole, '授权方式', 'Who made a consent decision (Consent.provision.actor.role).', fromRecord(CONSENT_ROLES)),
    system(
      CS.householdRelation,
      '与家庭代表的关系',
      "A member's relation to the household representative (本人/配偶/子女/父母/其他), and the representative role itself. Where certain, v3 RoleCode is given beside it.",
      [...Object.entries(RELATION_CODES).map(([zh, code]) => ({ code, display: zh })), { code: 'representative', display: '家庭代表（甲方代表）' }],
    ),
    system(CS.teamRole, '家庭医生团队成员角色', 'Role of a member of a family-doctor team (CareTeam.participant.role, PractitionerRole.code).', fromRecord(DOCTOR_ROLES)),
    system(CS.sessionKind, '签约门诊时段', 'Kind of signing-clinic session (Appointment.appointmentType).', fromRecord(SESSION_KINDS)),
    system(CS.communication, '健康知识推送类别', 'Categories of delivered health tips (Communication.category).', fromRecord(COMMUNICATION_CATEGORIES)),
    system(CS.pushChannel, '推送渠道', 'Channel a health tip was delivered through (Communication.medium); every tip is also in the in-app inbox.', fromRecord(PUSH_CHANNELS)),
    ...latestPolicies().flatMap((p) => [packageSystem(p), itemSystem(p)]),
  ];
}

/** One local CodeSystem by id, optionally a given version (region package/item systems follow the policy versions). */
export function localCodeSystem(id: string, version?: string): CodeSystem | undefined {
  if (version) {
    const p = allPolicies().find((x) => x.version === version && (id === `packages-${x.regionId}` || id === `service-items-${x.regionId}`));
    if (p) return id.startsWith('packages-') ? packageSystem(p) : itemSystem(p);
  }
  const cs = localCodeSystems().find((c) => c.id === id);
  return cs && (!version || cs.version === version) ? cs : undefined;
}

function extension(url: string, title: string, description: string, context: string[], valueType: string, targetProfile?: string): StructureDefinition {
  const id = url.slice(`${FHIR_BASE}/StructureDefinition/`.length);
  const valuePath = `Extension.value[x]`;
  return {
    resourceType: 'StructureDefinition',
    id,
    url,
    version: LOCAL_CODES_VERSION,
    name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
    title,
    status: 'active',
    publisher: PUBLISHER,
    description,
    fhirVersion: '4.0.1',
    kind: 'complex-type',
    abstract: false,
    context: context.map((expression) => ({ type: 'element', expression })),
    type: 'Extension',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: {
      element: [
        { id: 'Extension', path: 'Extension', short: title, definition: description, min: 0, max: '1' },
        { id: 'Extension.extension', path: 'Extension.extension', max: '0' },
        { id: 'Extension.url', path: 'Extension.url', fixedUri: url },
        { id: valuePath, path: valuePath, min: 1, type: [{ code: valueType, ...(targetProfile ? { targetProfile: [targetProfile] } : {}) }] },
      ],
    },
  };
}

export function structureDefinitions(): StructureDefinition[] {
  return [
    extension(
      EXT.agreement,
      '所属签约协议',
      'The family-doctor agreement (Contract) a recorded service or a signing-clinic visit belongs to. R4 Procedure.basedOn and Appointment.basedOn cannot reference a Contract.',
      ['Procedure', 'Appointment'],
      'Reference',
      'http://hl7.org/fhir/StructureDefinition/Contract',
    ),
    extension(
      EXT.serviceUnits,
      '服务次数',
      'Units delivered by one fulfilment ledger entry (one entry may record, e.g., three blood-pressure measurements); R4 Procedure has no quantity.',
      ['Procedure'],
      'positiveInt',
    ),
  ];
}

export function structureDefinition(id: string): StructureDefinition | undefined {
  return structureDefinitions().find((s) => s.id === id);
}
