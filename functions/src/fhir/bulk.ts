/**
 * The institution's bulk export, one size-bounded NDJSON page per request (docs/fhir.md "Bulk
 * design"): the residents are the members of the institution's active and scheduled agreements,
 * walked team by team (sorted by id), status by status, through the team index (gsi2) with the
 * paginated read `listAgreementsForTeam`. A page holds at most `count` households and about
 * PAGE_BYTES of NDJSON; the continuation cursor names the last agreement exported, so memory per
 * request is one page whatever the institution's size. A household with several agreements at
 * the institution is exported once, at the first of them in walk order.
 */
import * as z from 'zod';
import type { Resource } from '@medplum/fhirtypes';
import { localDateOf } from '@jiayi/shared/domain/dates';
import { ValidationError } from '@jiayi/shared/domain/errors';
import { householdResources, providerResources, type ExportType } from '@jiayi/shared/domain/fhir/household';
import type { FhirInstitution, FhirTeam } from '@jiayi/shared/domain/fhir/input';
import { listAgreementsForTeam, type AgreementRecord } from '../db/agreements.repo';
import { keys } from '../db/keys';
import { encodeCursor } from '../db/query';
import type { AccessEntry } from '../db/access-log.repo';
import { BULK_STATUSES, ExportCache, loadHousehold } from './load';

/** Soft limit of one page's body: far below Lambda's 6 MB response limit even with one large household on top. */
export const PAGE_BYTES = 2_500_000;
/** Households loaded at once within a page. */
const CONCURRENCY = 16;

const cursorSchema = z.object({
  v: z.literal(1),
  /** Export start (transactionTime): every page of one export says the same. */
  at: z.iso.datetime(),
  t: z.string().min(1).max(64),
  s: z.enum(BULK_STATUSES),
  /** Last exported agreement of team `t` with status `s` (createdAt, id); absent = from the start. */
  c: z.string().max(40).optional(),
  i: z.string().max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
});
export type BulkCursor = z.infer<typeof cursorSchema>;

export function encodeBulkCursor(c: BulkCursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export function decodeBulkCursor(s: string): BulkCursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError({ path: 'query.cursor', message: '分页参数有误，请从第一页重新导出' });
  }
}

export interface BulkPage {
  lines: string[];
  bytes: number;
  households: number;
  /** Who was read: one entry per exported member (the caller writes them before answering). */
  access: Omit<AccessEntry, 'staffId' | 'role' | 'at' | 'purpose'>[];
  next?: BulkCursor;
}

const statusIndex = (s: string) => (BULK_STATUSES as readonly string[]).indexOf(s);

/** Walk order of an agreement: team, status, then the index's own order (createdAt, id). */
function orderKey(a: AgreementRecord, teamIndex: Map<string, number>): string {
  return `${String(teamIndex.get(a.teamId)).padStart(6, '0')}#${statusIndex(a.status)}#${a.createdAt}#${a.id}`;
}

/** One page of the export of `institution` (teams sorted by id), from `cursor` (undefined = first page). */
export async function exportPage(input: {
  institution: FhirInstitution;
  teams: FhirTeam[];
  cursor: BulkCursor | undefined;
  count: number;
  types: Set<ExportType> | undefined;
  now: Date;
}): Promise<BulkPage> {
  const { institution, count, types } = input;
  const teams = [...input.teams].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const teamIndex = new Map(teams.map((t, i) => [t.id, i]));
  const byId = new Map(teams.map((t) => [t.id, t]));
  const at = input.cursor?.at ?? input.now.toISOString();
  const today = localDateOf(input.now);
  const cache = new ExportCache();
  const page: BulkPage = { lines: [], bytes: 0, households: 0, access: [] };
  const emit = (rs: Resource[]) => {
    for (const r of rs) {
      if (types && !types.has(r.resourceType as ExportType)) continue;
      const line = JSON.stringify(r);
      page.lines.push(line);
      page.bytes += Buffer.byteLength(line) + 1;
    }
  };
  if (!input.cursor) emit(providerResources([institution], teams));

  let pos: { ti: number; si: number; c?: string; i?: string } = input.cursor
    ? { ti: teamIndex.get(input.cursor.t) ?? -1, si: statusIndex(input.cursor.s), c: input.cursor.c, i: input.cursor.i }
    : { ti: 0, si: 0 };
  if (pos.ti < 0) throw new ValidationError({ path: 'query.cursor', message: '分页参数有误，请从第一页重新导出' });

  while (pos.ti < teams.length) {
    const team = teams[pos.ti]!;
    const status = BULK_STATUSES[pos.si]!;
    const start = pos.i && pos.c ? encodeCursor({ ...keys.agreement(pos.i), ...keys.agreementByTeam(team.id, status, pos.c, pos.i) }) : undefined;
    const limit = Math.min(25, count - page.households);
    const res = await listAgreementsForTeam(team.id, { status, cursor: start, limit });
    for (let k = 0; k < res.items.length; k += CONCURRENCY) {
      const chunk = res.items.slice(k, k + CONCURRENCY);
      const loaded = await Promise.all(chunk.map((a) => loadHousehold(a.accountId, { kind: 'institution', institutionId: institution.id }, today, cache)));
      for (let j = 0; j < chunk.length; j++) {
        const a = chunk[j]!;
        pos = { ti: pos.ti, si: pos.si, c: a.createdAt, i: a.id };
        const got = loaded[j];
        if (!got) continue;
        const walked = got.agreements.filter((x) => teamIndex.has(x.teamId)).sort((x, y) => orderKey(x, teamIndex).localeCompare(orderKey(y, teamIndex)));
        // Exported once: at the first of its agreements in walk order (a renewal or a second team comes later).
        if (walked[0]?.id !== a.id) continue;
        emit(householdResources(got.household, { includeIdentifier: false, includeBirthDate: false }, byId));
        page.households++;
        for (const m of got.household.members) page.access.push({ subjectAccountId: got.household.accountId, memberId: m.memberId, fields: BULK_FIELDS });
        if (page.households >= count || page.bytes >= PAGE_BYTES) {
          return { ...page, next: { v: 1, at, t: team.id, s: status, c: a.createdAt, i: a.id } };
        }
      }
    }
    if (!res.cursor) pos = pos.si + 1 < BULK_STATUSES.length ? { ti: pos.ti, si: pos.si + 1 } : { ti: pos.ti + 1, si: 0 };
  }
  return page;
}

/** What an institution export reads of each resident (labels in functions/src/progress/handler.ts). */
export const BULK_FIELDS = ['agreement.packages', 'fulfilment', 'appointment.reason', 'push.tips', 'member.consents', 'member.insurance'];
