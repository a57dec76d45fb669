import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { http, staffLogin } from './stack';

describe('staff login', () => {
  it('logs a seeded staff member in and answers who they are, with role and scope', async () => {
    const id = `doc-${randomUUID()}`;
    const token = await staffLogin({ id, role: 'team_doctor', regionId: 'liyang-2019', institutionId: 'i1', teamId: 't1', name: '王医生' });
    const me = await http('GET', '/staff/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.staff).toMatchObject({ id, role: 'team_doctor', roleName: '团队医生', teamId: 't1', institutionId: 'i1' });
  });

  it.each([
    ['wrong password', (id: string) => ({ username: id, password: 'nope' })],
    ['unknown user', () => ({ username: `ghost-${randomUUID()}`, password: 'test-password' })],
  ])('rejects a %s with one message that reveals nothing', async (_n, body) => {
    const id = `doc-${randomUUID()}`;
    await staffLogin({ id, role: 'team_doctor', regionId: 'r', teamId: 't' });
    const r = await http('POST', '/auth/staff', { body: body(id) });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toBe('用户名或密码错误');
  });

  it('answers bad input with 400, field paths and Chinese messages', async () => {
    const r = await http('POST', '/auth/staff', { body: { username: 42 } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f: any) => f.path).sort()).toEqual(['password', 'username']);
    for (const f of r.body.error.fields) expect(f.message).toMatch(/[\u4e00-\u9fa5]/);
    const bad = await http('POST', '/auth/staff', { body: '{"username":' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_JSON');
  });

  it('requires a staff token on staff routes', async () => {
    expect((await http('GET', '/staff/me')).status).toBe(401);
    expect((await http('GET', '/staff/me', { token: 'garbage' })).status).toBe(401);
  });
});
