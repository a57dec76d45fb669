/**
 * A resident can never read or change another household's data: every route, addressed with
 * the other household's member ids, answers 404 (or acts on the caller's own data only), and the
 * other household is unchanged afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { issue } from '../functions/src/lib/session-token';
import { http } from './stack';
import { addMember, freshId, grant, memberBody, resident, V, type Resident } from './residents.fixtures';

let a: Resident;
let b: Resident;
let aChild: any;
let aSnapshot: any;

beforeAll(async () => {
  a = await resident({ name: '张伟' });
  await grant(a, 'health_conditions');
  aChild = await addMember(
    a,
    memberBody(freshId({ age: 8 }), {
      relation: '子女',
      name: '张小明',
      conditions: ['disability'],
      consents: [
        { purpose: 'id_number', version: V.id },
        { purpose: 'health_conditions', version: V.health },
      ],
    }),
  );
  b = await resident({ name: '李雷' });
  await addMember(b, memberBody(freshId()));
  aSnapshot = (await http('GET', '/me/data', { token: a.token })).body;
});

const aIds = () => [a.accountId, a.selfMemberId, aChild.memberId];

function expectNoneOf(body: unknown, ids: string[]) {
  const text = JSON.stringify(body);
  for (const id of ids) expect(text).not.toContain(id);
}

describe('IDOR: B addresses A\'s household', () => {
  it.each([
    ['PUT a member', () => http('PUT', `/me/members/${aChild.memberId}`, { token: b.token, body: { name: '王五' } })],
    ['PUT A\'s own record', () => http('PUT', `/me/members/${a.selfMemberId}`, { token: b.token, body: { insuredLocally: false } })],
    ['DELETE a member', () => http('DELETE', `/me/members/${aChild.memberId}`, { token: b.token })],
    ['DELETE A\'s own record', () => http('DELETE', `/me/members/${a.selfMemberId}`, { token: b.token })],
    ['withdraw a member\'s consent', () => http('POST', '/me/consents', { token: b.token, body: { purpose: 'health_conditions', version: V.health, action: 'withdraw', memberId: aChild.memberId } })],
    ['grant a member\'s consent', () => http('POST', '/me/consents', { token: b.token, body: { purpose: 'id_number', version: V.id, action: 'grant', memberId: aChild.memberId } })],
  ])('%s → 404 without detail', async (_n, call) => {
    const r = await call();
    expect(r.status).toBe(404);
    expect(r.body.error.message).toBe('未找到该家庭成员');
    expectNoneOf(r.body, aIds().filter((id) => id !== aChild.memberId && id !== a.selfMemberId));
  });

  it.each([
    ['GET /me', '/me'],
    ['GET /me/members', '/me/members'],
    ['GET /me/data', '/me/data'],
  ])('%s shows only B\'s household', async (_n, path) => {
    const r = await http('GET', path, { token: b.token });
    expect(r.status).toBe(200);
    expectNoneOf(r.body, aIds());
    expect(JSON.stringify(r.body)).not.toContain('张小明');
  });

  it('PUT /me/identity and POST /me/privacy, /me/members act on B only', async () => {
    expect((await http('POST', '/me/privacy', { token: b.token, body: { version: V.privacy } })).status).toBe(200);
    const id = await http('PUT', '/me/identity', { token: b.token, body: { name: '李雷', idNumber: b.idNumber, mobile: '13700000000', basis: { kind: 'local_hukou' } } });
    expect(id.status).toBe(200);
    expectNoneOf(id.body, aIds());
    const added = await http('POST', '/me/members', { token: b.token, body: memberBody(freshId(), { relation: '父母' }) });
    expect(added.status).toBe(201);
    expectNoneOf(added.body, aIds());
  });

  it('a token naming A but not signed by us → 401', async () => {
    const forged = issue({ sub: a.accountId, kind: 'resident' }, 'attacker-secret-attacker-secret-0123', Date.now(), 3600);
    for (const [m, p] of [['GET', '/me'], ['GET', '/me/members'], ['GET', '/me/data'], ['DELETE', `/me/members/${aChild.memberId}`]] as const) {
      expect((await http(m, p, { token: forged })).status).toBe(401);
    }
  });

  it('a staff token cannot use resident routes', async () => {
    const { LOCAL_DEFAULTS } = await import('../functions/src/lib/config');
    const staff = issue({ sub: a.accountId, kind: 'staff', role: 'doctor' }, LOCAL_DEFAULTS.sessionSecret, Date.now(), 3600);
    const r = await http('GET', '/me', { token: staff });
    expect(r.status).toBe(403);
  });

  it('A\'s household is unchanged after all of it', async () => {
    const now = (await http('GET', '/me/data', { token: a.token })).body;
    const { generatedAt: _g1, ...before } = aSnapshot;
    const { generatedAt: _g2, ...after } = now;
    expect(after).toEqual(before);
  });
});
