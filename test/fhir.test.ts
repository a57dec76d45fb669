/**
 * FHIR R4 export through the HTTP API (issue 21): the household's Bundle (the ID number only on
 * request with consent), the institution's NDJSON pages (admin only, scoped, followed by Link
 * rel="next" to the end, every resident once, every read in the resident's access log), the
 * published code systems. Every resource returned is validated against the official R4 schema.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { fhirSchemaErrors } from '../shared/src/testing/fhir-validator';
import { arrangeTeam, household, sign, signRequest } from './agreements.fixtures';
import { adminOf, doctorOf, record, REGION, service, signedHousehold } from './console.fixtures';
import { grant } from './residents.fixtures';
import { http, staffLogin } from './stack';

// Compile the schema (a few seconds of CPU) before any request: a long synchronous pause between
// requests lets the server close the kept-alive socket under the client.
beforeAll(() => {
  expect(fhirSchemaErrors({ resourceType: 'Patient', id: 'warm-up' })).toEqual([]);
});

const valid = (resources: any[]) => {
  for (const r of resources) expect(fhirSchemaErrors(r), `${r.resourceType}/${r.id}`).toEqual([]);
};

/** Every page of an institution export, following Link rel="next". */
async function exportAll(token: string, institutionId: string, query = '_count=1'): Promise<{ pages: number; resources: any[]; households: number }> {
  let url: string | undefined = `/institutions/${institutionId}/export/fhir?${query}`;
  const resources: any[] = [];
  let pages = 0;
  let households = 0;
  while (url) {
    const r: Awaited<ReturnType<typeof http>> = await http('GET', url, { token });
    expect(r.status, String(r.body)).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/fhir+ndjson');
    const text = typeof r.body === 'string' ? r.body : r.body === undefined ? '' : JSON.stringify(r.body);
    const lines: string[] = text.split('\n').filter(Boolean);
    resources.push(...lines.map((l) => JSON.parse(l)));
    expect(Number(r.headers.get('x-fhir-resources'))).toBe(lines.length);
    households += Number(r.headers.get('x-fhir-households'));
    pages++;
    url = /<([^>]+)>;\s*rel="next"/.exec(r.headers.get('link') ?? '')?.[1];
    expect(pages).toBeLessThan(50);
  }
  return { pages, resources, households };
}

describe('GET /me/export/fhir', () => {
  it('the household as a FHIR R4 Bundle; the ID number only with ?include=identifier and the consent in force', async () => {
    const { h, agreement } = await signedHousehold(undefined, 2);
    const r = await http('GET', '/me/export/fhir', { token: h.token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/fhir+json');
    const bundle = r.body;
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const resources = bundle.entry.map((e: any) => e.resource);
    valid(resources);
    const types = resources.map((x: any) => x.resourceType);
    for (const t of ['Organization', 'CareTeam', 'Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson', 'Contract', 'Consent', 'Coverage']) expect(types).toContain(t);
    expect(resources.filter((x: any) => x.resourceType === 'Patient')).toHaveLength(2);
    expect(resources.find((x: any) => x.resourceType === 'Contract').identifier[0].value).toBe(agreement.id);
    expect(JSON.stringify(bundle)).not.toContain(h.idNumber);

    const withId = await http('GET', '/me/export/fhir?include=identifier', { token: h.token });
    expect(withId.status).toBe(200);
    const self = withId.body.entry.find((e: any) => e.resource.resourceType === 'Patient' && e.resource.id === h.selfMemberId).resource;
    expect(self.identifier.find((i: any) => i.type?.coding?.[0]?.code === 'NI').value).toBe(h.idNumber);

    // Withdrawn id_number consent: the number is erased and never exported.
    const w = await http('POST', '/me/consents', { token: h.token, body: { purpose: 'id_number', version: (await import('@jiayi/shared/domain/identity/consent')).CONSENT_PURPOSES.id_number.version, action: 'withdraw' } });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    const after = await http('GET', '/me/export/fhir?include=identifier', { token: h.token });
    expect(JSON.stringify(after.body)).not.toContain(h.idNumber);
    valid(after.body.entry.map((e: any) => e.resource));
  });

  it('bad input is a 400 with the field path; no login 401; staff 403', async () => {
    const { h } = await signedHousehold();
    const bad = await http('GET', '/me/export/fhir?include=everything', { token: h.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('query.include');
    expect(bad.body.error.fields[0].message).toMatch(/identifier/);
    expect((await http('GET', '/me/export/fhir')).status).toBe(401);
    const staff = await staffLogin({ id: `s-${randomUUID()}`, role: 'institution_admin', regionId: REGION, institutionId: 'x' });
    expect((await http('GET', '/me/export/fhir', { token: staff })).status).toBe(403);
  });
});

describe('GET /institutions/{id}/export/fhir', () => {
  it('pages through every resident once (NDJSON, Link rel="next"), each read in the resident access log', async () => {
    const first = await signedHousehold(undefined, 2);
    const team = first.team;
    const second = await signedHousehold(team, 1);
    // A household with members at two teams of the same institution is exported once.
    const team2 = await arrangeTeam(50, 0, { regionId: REGION, institutionId: team.institutionId });
    const split = await household(2, { age: 70 });
    await sign(split.token, signRequest(team.teamId, [split.memberIds[0]!]));
    await sign(split.token, signRequest(team2.teamId, [split.memberIds[1]!]));
    const doctor = await doctorOf(team);
    await record(doctor, first.agreement.id, service(first.h.selfMemberId), 201);
    // Another institution's resident is not in this export.
    const other = await signedHousehold(undefined, 1);

    const admin = await adminOf(team.institutionId);
    const all = await exportAll(admin, team.institutionId);
    expect(all.households).toBe(3);
    expect(all.pages).toBeGreaterThanOrEqual(3);
    valid(all.resources);
    const patients = all.resources.filter((r) => r.resourceType === 'Patient').map((r) => r.id).sort();
    expect(patients).toEqual([...first.h.memberIds, ...second.h.memberIds, ...split.memberIds].sort());
    expect(patients).not.toContain(other.h.selfMemberId);
    expect(all.resources.filter((r) => r.resourceType === 'Organization')).toHaveLength(1);
    expect(all.resources.filter((r) => r.resourceType === 'CareTeam')).toHaveLength(2);
    expect(all.resources.filter((r) => r.resourceType === 'Contract')).toHaveLength(4);
    expect(all.resources.filter((r) => r.resourceType === 'Procedure')).toHaveLength(1);
    // No ID numbers, no birth dates in an institution export.
    for (const hh of [first.h, second.h, split]) expect(JSON.stringify(all.resources)).not.toContain(hh.idNumber);
    expect(all.resources.filter((r) => r.resourceType === 'Patient').every((p) => p.birthDate === undefined)).toBe(true);

    const log = await http('GET', '/me/access-log', { token: split.token });
    const entries = log.body.entries.filter((e: any) => e.purpose.startsWith('FHIR'));
    expect(entries.map((e: any) => e.memberId).sort()).toEqual([...split.memberIds].sort());
    expect(entries[0].what).toContain('健康知识推送记录');
  });

  it('_type filters the resource types; bad parameters are 400 with their path', async () => {
    const { team, h } = await signedHousehold(undefined, 1);
    const admin = await adminOf(team.institutionId);
    const only = await exportAll(admin, team.institutionId, '_type=Patient,Contract&_count=100');
    expect(new Set(only.resources.map((r) => r.resourceType))).toEqual(new Set(['Patient', 'Contract']));
    expect(only.resources.find((r) => r.resourceType === 'Patient').id).toBe(h.selfMemberId);
    for (const [q, path] of [
      ['_type=Observation', 'query._type'],
      ['_count=0', 'query._count'],
      ['_count=abc', 'query._count'],
      ['cursor=not-a-cursor', 'query.cursor'],
      // A well-formed cursor naming a team of another institution.
      [`cursor=${Buffer.from(JSON.stringify({ v: 1, at: new Date().toISOString(), t: randomUUID(), s: 'active' })).toString('base64url')}`, 'query.cursor'],
    ]) {
      const r = await http('GET', `/institutions/${team.institutionId}/export/fhir?${q}`, { token: admin });
      expect(r.status, q).toBe(400);
      expect(r.body.error.fields[0].path).toBe(path);
    }
  });

  it('institution admins of that institution only', async () => {
    const { team, h } = await signedHousehold(undefined, 1);
    const url = `/institutions/${team.institutionId}/export/fhir`;
    expect((await http('GET', url, { token: await doctorOf(team) })).status).toBe(403);
    expect((await http('GET', url, { token: await adminOf(randomUUID()) })).status).toBe(403);
    const regionAdmin = await staffLogin({ id: `ra-${randomUUID()}`, role: 'region_admin', regionId: REGION });
    expect((await http('GET', url, { token: regionAdmin })).status).toBe(403);
    expect((await http('GET', url, { token: h.token })).status).toBe(403);
    expect((await http('GET', `/institutions/${randomUUID()}/export/fhir`, { token: await adminOf(team.institutionId) })).status).toBe(404);
  });
});

describe('published definitions', () => {
  it('GET /fhir/CodeSystem lists every local CodeSystem and extension, each valid R4', async () => {
    const r = await http('GET', '/fhir/CodeSystem');
    expect(r.status).toBe(200);
    expect(fhirSchemaErrors(r.body)).toEqual([]);
    const ids = r.body.entry.map((e: any) => e.resource.id);
    expect(ids).toEqual(expect.arrayContaining(['agreement-status', 'payer', 'consent-purpose', 'packages-liyang-2019', 'service-items-jilin-2017', 'agreement', 'service-units']));
    const one = await http('GET', '/fhir/CodeSystem/payer');
    expect(one.body).toMatchObject({ resourceType: 'CodeSystem', url: 'https://jiayi.example/fhir/CodeSystem/payer', content: 'complete' });
    expect((await http('GET', '/fhir/StructureDefinition/agreement')).body.type).toBe('Extension');
    expect((await http('GET', '/fhir/CodeSystem/nope')).status).toBe(404);
    expect((await http('GET', '/fhir/CodeSystem/packages-liyang-2019?version=1900')).status).toBe(404);
  });

  it('consents granted later appear as Consent resources with their version', async () => {
    const { h } = await signedHousehold();
    await grant(h, 'sms');
    const r = await http('GET', '/me/export/fhir', { token: h.token });
    const sms = r.body.entry.map((e: any) => e.resource).filter((x: any) => x.resourceType === 'Consent' && x.provision.purpose[0].code === 'sms');
    expect(sms).toHaveLength(1);
    expect(sms[0].status).toBe('active');
  });
});
