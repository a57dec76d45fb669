/**
 * The policy engine through the HTTP API (issue 4). The rules themselves are table-tested in
 * shared/src/domain/policy; here: the routes, their contracts and bad input.
 */
import { describe, expect, it } from 'vitest';
import { quoteResponseSchema, packageCatalogResponseSchema, regionSummaryListSchema } from '../shared/src/schemas/policy';
import { http } from './stack';

const elderly = { birthDate: '1950-03-01', sex: 'M', conditions: ['hypertension'], statuses: [], insuredLocally: true, localHukou: true };
const child = { birthDate: '2023-06-01', sex: 'F', conditions: [], statuses: [], insuredLocally: false, localHukou: true };

describe('policy API', () => {
  it('GET /regions lists the five seed regions', async () => {
    const r = await http('GET', '/regions');
    expect(r.status).toBe(200);
    const body = regionSummaryListSchema.parse(r.body);
    expect(body.regions.map((x) => x.regionId).sort()).toEqual(['jilin-2017', 'liyang-2019', 'weihai-2023', 'yongkang', 'zhangjiagang-2017']);
  });

  it('GET /regions/liyang-2019/packages is the complete liyang annex (a–j) plus the basic package', async () => {
    const r = await http('GET', '/regions/liyang-2019/packages');
    expect(r.status).toBe(200);
    const body = packageCatalogResponseSchema.parse(r.body);
    const codes = body.packages.map((p) => p.code);
    for (const s of 'abcdefghij') expect(codes).toContain(`160000002-${s}`);
    const d = body.packages.find((p) => p.code === '160000002-d')!;
    expect(d.priceFen).toBe(15000); // liyang-2019 附件: 高血压 150 元
    expect(d.items.length).toBeGreaterThan(3);
  });

  it('POST /quotes splits liyang 150 元 as 50/50/50 and the basic 8 元 to public health (liyang-2019 §三(一))', async () => {
    const r = await http('POST', '/quotes', {
      body: { regionId: 'liyang-2019', onDate: '2026-11-25', members: [{ memberId: 'm1', person: elderly, packageCodes: ['160000002-d'] }] },
    });
    expect(r.status).toBe(200);
    const q = quoteResponseSchema.parse(r.body);
    expect(q.ok).toBe(true);
    const line = q.members[0]!.lines.find((l) => l.packageCode === '160000002-d')!;
    expect(line.byPayer.resident).toBe(5000);
    expect(line.byPayer.insurance_fund).toBe(5000);
    expect(line.byPayer.public_health).toBe(5000);
    const sum = Object.values(q.byPayer).reduce((a, b) => a + b, 0);
    expect(sum).toBe(q.totalFen);
  });

  it('reports eligibility errors per member instead of failing the whole quote', async () => {
    const r = await http('POST', '/quotes', {
      body: { regionId: 'liyang-2019', onDate: '2026-11-25', members: [{ memberId: 'kid', person: child, packageCodes: ['160000002-c'] }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(r.body.members[0].errors[0]).toMatchObject({ packageCode: '160000002-c', code: 'NOT_ELIGIBLE' });
    expect(r.body.members[0].errors[0].message).toMatch(/65/);
  });

  it.each([
    ['unknown region', { regionId: 'atlantis', members: [{ memberId: 'm', person: elderly, packageCodes: [] }] }, 'regionId'],
    ['wrong type', { regionId: 'liyang-2019', members: 'me' }, 'members'],
    ['bad date', { regionId: 'liyang-2019', onDate: '2026-02-30', members: [{ memberId: 'm', person: elderly, packageCodes: [] }] }, 'onDate'],
    ['missing person facts', { regionId: 'liyang-2019', members: [{ memberId: 'm', packageCodes: [] }] }, 'members.0.person'],
  ])('POST /quotes with %s → 400 with the field path and a Chinese message', async (_n, body, path) => {
    const r = await http('POST', '/quotes', { body });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f: any) => f.path)).toContain(path);
    for (const f of r.body.error.fields) expect(f.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('GET /regions/{id} with an unknown region → 400; an unknown version → 404', async () => {
    expect((await http('GET', '/regions/atlantis')).status).toBe(400);
    const r = await http('GET', '/regions/liyang-2019?version=1999');
    expect(r.status).toBe(404);
  });
});
