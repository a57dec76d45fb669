/**
 * The FHIR export of EVERY region's demo data (issue 21): the demo seed (infra/src/seed, the data
 * `npm start` serves) is written into a table of its own on the test store, then every institution
 * of every region the seed contains is exported page by page, and every resident household of the
 * seed exports its own Bundle — through the real `fhir` handler and repos, in this process (the
 * shared API server is bound to the shared test table). Regions added to the seed later are
 * covered without touching this file. Every resource is validated against the official R4 schema.
 *
 * The policies of regions the seed has no institution for yet are validated through the domain
 * mapping in shared/src/domain/fhir/regions.test.ts.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { REGION_IDS } from '@jiayi/shared/domain/policy/types';
import { fhirSchemaErrors } from '../shared/src/testing/fhir-validator';
import { ensureTable, localClient } from '../infra/src/local/tables';
import { keys } from '../functions/src/db/keys';

const TABLE = `jiayi-fhir-demo-${randomUUID().slice(0, 8)}`;
const now = new Date();

type Handler = (e: APIGatewayProxyEventV2) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
let handler: Handler;
let token: (claims: { sub: string; kind: 'resident' | 'staff'; role?: string; institutionId?: string; regionId?: string }) => string;

function event(routeKey: string, path: string, params: Record<string, string>, query: Record<string, string>, auth: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { authorization: `Bearer ${auth}` },
    pathParameters: params,
    queryStringParameters: query,
    requestContext: { http: { method: 'GET', path }, requestId: randomUUID() },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

beforeAll(async () => {
  expect(fhirSchemaErrors({ resourceType: 'Patient', id: 'warm-up' })).toEqual([]);
  const endpoint = inject('storeEndpoint');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_REGION ??= 'cn-northwest-1';
  await ensureTable(localClient(endpoint), TABLE);
  // seedDemo points the repos (and the handler's config) at TABLE before anything reads config.
  const { seedDemo } = await import('../infra/src/seed/demo');
  await seedDemo({ endpoint, tableName: TABLE, now });
  handler = (await import('../functions/src/fhir/handler')).handler as unknown as Handler;
  const { issue } = await import('../functions/src/lib/session-token');
  const { config } = await import('../functions/src/lib/config');
  expect(config().tableName).toBe(TABLE);
  token = (claims) => issue(claims, config().sessionSecret, now, 3600);
}, 300_000);

async function seededInstitutions() {
  const { listInstitutions } = await import('../functions/src/db/teams.repo');
  return (await Promise.all(REGION_IDS.map((r) => listInstitutions(r)))).flat();
}

describe('FHIR export of the demo data of every seeded region', () => {
  it('every institution of every region in the demo seed exports valid R4 NDJSON, every resident once', async () => {
    const institutions = await seededInstitutions();
    const regions = new Set(institutions.map((i) => i.regionId));
    // Today the seed has liyang-2019 and jilin-2017; more regions join here by being seeded.
    expect(regions.size).toBeGreaterThanOrEqual(2);
    const { listAgreementsForTeam } = await import('../functions/src/db/agreements.repo');
    const { listTeams } = await import('../functions/src/db/teams.repo');
    let contractsSeen = 0;
    for (const inst of institutions) {
      const auth = token({ sub: `fhir-demo-admin-${inst.id}`, kind: 'staff', role: 'institution_admin', institutionId: inst.id, regionId: inst.regionId });
      const resources: any[] = [];
      let query: Record<string, string> = { _count: '1' };
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThan(100);
        const r = await handler(event('GET /institutions/{id}/export/fhir', `/institutions/${inst.id}/export/fhir`, { id: inst.id }, query, auth));
        expect(r.statusCode, r.body).toBe(200);
        resources.push(...r.body.split('\n').filter(Boolean).map((l) => JSON.parse(l)));
        const next = /<([^>]+)>;\s*rel="next"/.exec(r.headers.link ?? '')?.[1];
        if (!next) break;
        query = Object.fromEntries(new URL(next, 'http://x').searchParams);
      }
      for (const res of resources) expect(fhirSchemaErrors(res), `${inst.id}: ${res.resourceType}/${res.id}`).toEqual([]);
      expect(resources.filter((x) => x.resourceType === 'Organization').map((x) => x.identifier[0].value)).toEqual([inst.id]);
      // Every active or scheduled demo agreement of the institution is a Contract, every member a Patient.
      const expected: { id: string; members: string[] }[] = [];
      for (const t of await listTeams(inst.id)) {
        for (const status of ['active', 'scheduled'] as const) {
          let cursor: string | undefined;
          do {
            const p = await listAgreementsForTeam(t.id, { status, cursor });
            expected.push(...p.items.map((a) => ({ id: a.id, members: a.members.map((m) => m.memberId) })));
            cursor = p.cursor;
          } while (cursor);
        }
      }
      const contracts = resources.filter((x) => x.resourceType === 'Contract').map((x) => x.identifier[0].value);
      expect(contracts.sort()).toEqual(expected.map((a) => a.id).sort());
      contractsSeen += contracts.length;
      const patients = resources.filter((x) => x.resourceType === 'Patient').map((x) => x.id);
      expect(new Set(patients).size).toBe(patients.length);
      expect(patients.sort()).toEqual([...new Set(expected.flatMap((a) => a.members))].sort());
    }
    // The demo's signed households (dev:zhangwei, dev:wangfang) are in it.
    expect(contractsSeen).toBeGreaterThanOrEqual(2);
  });

  it('every demo household exports a valid R4 Bundle of its own (with its ID numbers on request)', async () => {
    const { storeClient } = await import('./stack');
    const scan = await storeClient().send(new ScanCommand({ TableName: TABLE, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': keys.accountByOpenid('').pk } }));
    const accounts = (scan.Items ?? []).map((i) => String(i.accountId));
    expect(accounts.length).toBeGreaterThanOrEqual(3);
    for (const accountId of accounts) {
      const r = await handler(event('GET /me/export/fhir', '/me/export/fhir', {}, { include: 'identifier' }, token({ sub: accountId, kind: 'resident' })));
      expect(r.statusCode, r.body).toBe(200);
      const bundle = JSON.parse(r.body);
      expect(fhirSchemaErrors(bundle)).toEqual([]);
      for (const e of bundle.entry) expect(fhirSchemaErrors(e.resource), `${e.resource.resourceType}/${e.resource.id}`).toEqual([]);
      const refs = new Set(bundle.entry.map((e: any) => `${e.resource.resourceType}/${e.resource.id}`));
      const dangling = JSON.stringify(bundle).match(/"reference":"[^"]+"/g)?.map((s) => s.slice(13, -1)).filter((x) => !refs.has(x)) ?? [];
      expect(dangling).toEqual([]);
    }
  });
});
