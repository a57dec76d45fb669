/**
 * FHIR R4 export (GitHub issue 21; docs/fhir.md):
 *
 *   GET /me/export/fhir?include=identifier        the caller's household as one Bundle (collection)
 *   GET /institutions/{id}/export/fhir?_type=&_count=&cursor=
 *                                                 institution admin: one NDJSON page, Link rel="next"
 *   GET /fhir/CodeSystem                          every local CodeSystem and extension definition
 *   GET /fhir/CodeSystem/{id}?version=            one local CodeSystem
 *   GET /fhir/StructureDefinition/{id}            one extension definition
 *
 *   parse (zod) → authorise (session, scope) → load (functions/src/fhir/load.ts) →
 *   map (shared/src/domain/fhir) → log staff reads (access log, batched) → respond
 */
import type { Bundle } from '@medplum/fhirtypes';
import { localDateOf } from '@jiayi/shared/domain/dates';
import { NotFoundError, UnauthorizedError } from '@jiayi/shared/domain/errors';
import { localCodeSystem, localCodeSystems, structureDefinition, structureDefinitions } from '@jiayi/shared/domain/fhir/codesystems';
import { householdBundle } from '@jiayi/shared/domain/fhir/household';
import { FHIR_BASE } from '@jiayi/shared/domain/fhir/systems';
import { bulkExportQuery, codeSystemQuery, definitionParams, householdExportQuery, institutionIdParams } from '@jiayi/shared/schemas/fhir';
import { route, router } from '../http/with-http';
import { assertStaffCovers } from '../http/scope';
import { recordAccessBatch } from '../db/access-log.repo';
import { getInstitution, listTeams } from '../db/teams.repo';
import { log } from '../lib/log';
import { decodeBulkCursor, encodeBulkCursor, exportPage } from './bulk';
import { ExportCache, loadHousehold, providersOf } from './load';

const FHIR_JSON = { 'content-type': 'application/fhir+json; charset=utf-8' };

export const handler = router({
  'GET /me/export/fhir': route({ auth: 'resident', query: householdExportQuery }, async ({ principal, query, now, requestId }) => {
    const cache = new ExportCache();
    const loaded = await loadHousehold(principal.sub, { kind: 'household' }, localDateOf(now), cache);
    if (!loaded) throw new UnauthorizedError('账号不存在，请重新登录', 'ACCOUNT_NOT_FOUND');
    const providers = await providersOf(loaded.household, cache);
    const includeIdentifier = query.include.has('identifier');
    const bundle = householdBundle({ household: loaded.household, ...providers, options: { includeIdentifier, includeBirthDate: true }, at: now.toISOString() });
    log.info('fhir household export', { requestId, accountId: principal.sub, resources: bundle.entry?.length ?? 0, includeIdentifier });
    return { status: 200, body: bundle, headers: { ...FHIR_JSON, 'content-disposition': 'attachment; filename="jiayi-household-fhir.json"' } };
  }),

  'GET /institutions/{id}/export/fhir': route(
    { auth: 'staff', roles: ['institution_admin'], params: institutionIdParams, query: bulkExportQuery },
    async ({ principal, params, query, now, requestId }) => {
      const institution = await getInstitution(params.id);
      if (!institution) throw new NotFoundError('未找到该医疗机构', 'INSTITUTION_NOT_FOUND');
      assertStaffCovers(principal, { institutionId: institution.id, regionId: institution.regionId });
      const cursor = query.cursor ? decodeBulkCursor(query.cursor) : undefined;
      const page = await exportPage({ institution, teams: await listTeams(institution.id), cursor, count: query._count, types: query._type, now });
      // PIPL: every resident read is in that resident's access log, written before anything is sent.
      const at = now.toISOString();
      const purpose = `FHIR 数据导出（机构批量导出，开始于 ${cursor?.at ?? at}）`;
      await recordAccessBatch(page.access.map((a) => ({ ...a, staffId: principal.sub, role: principal.role ?? '', purpose, at })));
      log.info('fhir bulk export page', { requestId, staffId: principal.sub, institutionId: institution.id, households: page.households, resources: page.lines.length, bytes: page.bytes, more: !!page.next });
      const headers: Record<string, string> = {
        'content-type': 'application/fhir+ndjson; charset=utf-8',
        'x-fhir-households': String(page.households),
        'x-fhir-resources': String(page.lines.length),
        'x-fhir-transaction-time': cursor?.at ?? at,
      };
      if (page.next) {
        const q = new URLSearchParams({ ...(query._type ? { _type: [...query._type].join(',') } : {}), _count: String(query._count), cursor: encodeBulkCursor(page.next) });
        headers.link = `</institutions/${encodeURIComponent(institution.id)}/export/fhir?${q.toString()}>; rel="next"`;
      }
      return { status: 200, text: page.lines.length ? `${page.lines.join('\n')}\n` : '', headers };
    },
  ),

  'GET /fhir/CodeSystem': route({ auth: 'none' }, async ({ now }) => {
    const all = [...localCodeSystems(), ...structureDefinitions()];
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      timestamp: now.toISOString(),
      total: all.length,
      entry: all.map((resource) => ({ fullUrl: `${FHIR_BASE}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })),
    };
    return { status: 200, body: bundle, headers: FHIR_JSON };
  }),

  'GET /fhir/CodeSystem/{id}': route({ auth: 'none', params: definitionParams, query: codeSystemQuery }, async ({ params, query }) => {
    const cs = localCodeSystem(params.id, query.version);
    if (!cs) throw new NotFoundError('未找到该代码系统', 'CODESYSTEM_NOT_FOUND');
    return { status: 200, body: cs, headers: FHIR_JSON };
  }),

  'GET /fhir/StructureDefinition/{id}': route({ auth: 'none', params: definitionParams }, async ({ params }) => {
    const sd = structureDefinition(params.id);
    if (!sd) throw new NotFoundError('未找到该扩展定义', 'STRUCTUREDEFINITION_NOT_FOUND');
    return { status: 200, body: sd, headers: FHIR_JSON };
  }),
});
