/**
 * The "load" step of the FHIR export: one household's records, in the scope asked for — the whole
 * household (its own export) or the residents an institution serves (only that institution's
 * agreements, visits, services and tips). Reads go through the entity repos; nothing is decided
 * here beyond the scope (the mapping is shared/src/domain/fhir).
 */
import { addDays, quarterOf, quarterRange, type LocalDate } from '@jiayi/shared/domain/dates';
import type { FhirHousehold, FhirInstitution, FhirMember, FhirTeam, FhirTip, FhirTipDelivery } from '@jiayi/shared/domain/fhir/input';
import { listAgreementsForAccount, type AgreementRecord } from '../db/agreements.repo';
import { listAppointments } from '../db/appointments.repo';
import { listFulfilment, type ServiceRecord } from '../db/fulfilment.repo';
import { loadAccountPartition } from '../db/household.repo';
import { getDeliveries } from '../db/push.repo';
import { getInstitution, getTeam } from '../db/teams.repo';
import { getTip } from '../db/tips.repo';

/** Agreements an institution exports: those in force or confirmed for the next cycle. */
export const BULK_STATUSES = ['active', 'scheduled'] as const;

export type Scope = { kind: 'household' } | { kind: 'institution'; institutionId: string };

/** Look-ups shared by the households of one export (bounded: teams, institutions and tips are few). */
export class ExportCache {
  private readonly teams = new Map<string, Promise<FhirTeam | undefined>>();
  private readonly institutions = new Map<string, Promise<FhirInstitution | undefined>>();
  private readonly tips = new Map<string, Promise<FhirTip | undefined>>();
  private static readonly MAX = 1000;

  private cached<T>(m: Map<string, Promise<T>>, id: string, load: () => Promise<T>): Promise<T> {
    let p = m.get(id);
    if (!p) {
      if (m.size >= ExportCache.MAX) m.delete(m.keys().next().value!);
      p = load();
      m.set(id, p);
    }
    return p;
  }

  team(id: string) {
    return this.cached(this.teams, id, () => getTeam(id));
  }

  institution(id: string) {
    return this.cached(this.institutions, id, () => getInstitution(id));
  }

  tip(id: string) {
    return this.cached(this.tips, id, async () => {
      const t = await getTip(id);
      return t && { id: t.id, title: t.title, bodyHtml: t.bodyHtml, category: t.category, conditions: t.conditions, packageCodes: t.packageCodes };
    });
  }
}

/** The quarters of a cycle up to today (the push deliveries that can exist for it). */
function quartersOf(a: Pick<AgreementRecord, 'cycleStart' | 'cycleEnd'>, today: LocalDate): string[] {
  const out: string[] = [];
  const end = a.cycleEnd < today ? a.cycleEnd : today;
  for (let d = a.cycleStart; d <= end; d = addDays(quarterRange(quarterOf(d)).end, 1)) out.push(quarterOf(d));
  return out;
}

async function deliveriesFor(agreements: AgreementRecord[], today: LocalDate, cache: ExportCache): Promise<FhirTipDelivery[]> {
  const pairs = agreements.flatMap((a) => a.members.flatMap((m) => quartersOf(a, today).map((quarter) => ({ quarter, memberKey: m.idHash }))));
  const ids = new Set(agreements.map((a) => a.id));
  const found = (await getDeliveries(pairs)).filter((d) => ids.has(d.agreementId));
  return Promise.all(found.map(async (d) => ({ ...d, tip: await cache.tip(d.tipId) })));
}

/**
 * One household in scope, or undefined when the scope holds nothing of it (an institution export
 * of an account with no agreement there any more). `today` bounds the tip quarters looked up.
 */
export async function loadHousehold(accountId: string, scope: Scope, today: LocalDate, cache: ExportCache): Promise<{ household: FhirHousehold; agreements: AgreementRecord[] } | undefined> {
  const [partition, allAgreements, allAppointments] = await Promise.all([loadAccountPartition(accountId), listAgreementsForAccount(accountId), listAppointments(accountId)]);
  const agreements =
    scope.kind === 'household'
      ? allAgreements
      : allAgreements.filter((a) => a.institutionId === scope.institutionId && (BULK_STATUSES as readonly string[]).includes(a.status));
  if (scope.kind === 'institution' && agreements.length === 0) return undefined;
  if (scope.kind === 'household' && !partition) return undefined;

  const stored = new Map((partition?.members ?? []).map((m) => [m.memberId, m]));
  const inAgreements = new Map(agreements.flatMap((a) => a.members.map((m) => [m.memberId, m] as const)));
  const ids = scope.kind === 'household' ? [...new Set([...stored.keys(), ...inAgreements.keys()])] : [...inAgreements.keys()];
  const self = partition?.members.find((m) => m.self);
  const members: FhirMember[] = ids.map((id) => {
    const m = stored.get(id);
    if (m) return { memberId: id, relation: m.relation, self: m.self, name: m.name, idNumber: m.idNumber, birthDate: m.birthDate, sex: m.sex, insuredLocally: m.insuredLocally };
    // Left the household after signing: what the agreement recorded.
    const a = inAgreements.get(id)!;
    return { memberId: id, relation: a.relation, self: false, name: a.name, idNumber: null, birthDate: null, sex: a.sex, insuredLocally: null };
  });

  const memberIds = new Set(ids);
  const agreementIds = new Set(agreements.map((a) => a.id));
  const appointments = allAppointments.filter((x) => memberIds.has(x.memberId) && (scope.kind === 'household' || agreementIds.has(x.agreementId)));
  const [ledgers, deliveries] = await Promise.all([Promise.all(agreements.map((a) => listFulfilment(a.id))), deliveriesFor(agreements, today, cache)]);
  const household: FhirHousehold = {
    accountId,
    representative: { memberId: self?.memberId, name: self?.name ?? agreements[0]?.representativeName ?? '家庭代表', sex: self?.sex ?? null },
    members,
    consents: partition?.consents ?? [],
    agreements,
    appointments,
    services: ledgers.flat() as ServiceRecord[],
    deliveries,
  };
  return { household, agreements };
}

/** The teams and institutions a household's records refer to (for its own Bundle). */
export async function providersOf(h: FhirHousehold, cache: ExportCache): Promise<{ institutions: FhirInstitution[]; teams: FhirTeam[] }> {
  const teamIds = [...new Set([...h.agreements.map((a) => a.teamId), ...h.appointments.map((x) => x.teamId)])];
  const teams = (await Promise.all(teamIds.map((id) => cache.team(id)))).filter((t): t is FhirTeam => !!t);
  const instIds = [...new Set([...h.agreements.map((a) => a.institutionId), ...teams.map((t) => t.institutionId)])];
  const institutions = (await Promise.all(instIds.map((id) => cache.institution(id)))).filter((i): i is FhirInstitution => !!i);
  return { institutions, teams };
}
