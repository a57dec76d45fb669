/**
 * The uniqueness of an ID number is enforced by the database (a conditional put in the same
 * transaction as the person), not by a read-then-write check: concurrent claims → one winner.
 */
import { describe, expect, it } from 'vitest';
import { http } from './stack';
import { acceptPrivacy, addMember, devCode, freshId, grant, identityOf, login, memberBody, resident, uniquenessItemsOf } from './residents.fixtures';

describe('concurrent claims of one ID number', () => {
  it('two accounts claiming the same number at once → exactly one wins, the other gets 409', async () => {
    const idNumber = freshId();
    const sessions = await Promise.all([login(), login()]);
    for (const s of sessions) {
      await acceptPrivacy(s);
      await grant(s, 'id_number');
    }
    const results = await Promise.all(sessions.map((s) => http('PUT', '/me/identity', { token: s.token, body: identityOf(idNumber) })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = sessions[results.findIndex((r) => r.status === 409)]!;
    const winner = sessions[results.findIndex((r) => r.status === 200)]!;
    expect(results.find((r) => r.status === 409)!.body.error.message).toBe('该证件号码已被其他账号使用');
    expect(await uniquenessItemsOf(winner.accountId)).toHaveLength(1);
    expect(await uniquenessItemsOf(loser.accountId)).toEqual([]);
    expect((await http('GET', '/me', { token: loser.token })).body.members).toEqual([]);
  });

  it('five households adding the same member at once → exactly one wins', async () => {
    const idNumber = freshId();
    const households = await Promise.all(Array.from({ length: 5 }, () => resident()));
    const results = await Promise.all(households.map((h) => http('POST', '/me/members', { token: h.token, body: memberBody(idNumber) })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(4);
    const counts = await Promise.all(households.map(async (h) => (await http('GET', '/me/members', { token: h.token })).body.members.length));
    expect(counts.sort()).toEqual([1, 1, 1, 1, 2]);
  });

  it('two first logins with one code at once → one account', async () => {
    const code = devCode();
    const [x, y] = await Promise.all([http('POST', '/auth/wechat', { body: { code } }), http('POST', '/auth/wechat', { body: { code } })]);
    expect(x.status).toBe(200);
    expect(y.status).toBe(200);
    expect(x.body.accountId).toBe(y.body.accountId);
  });

  it('a member removed while another household adds them: the number ends up in exactly one household', async () => {
    const a = await resident();
    const b = await resident();
    const idNumber = freshId();
    const m = await addMember(a, memberBody(idNumber));
    const [del, add] = await Promise.all([
      http('DELETE', `/me/members/${m.memberId}`, { token: a.token }),
      http('POST', '/me/members', { token: b.token, body: memberBody(idNumber) }),
    ]);
    expect(del.status).toBe(204);
    expect([201, 409]).toContain(add.status);
    const owners = [...(await uniquenessItemsOf(a.accountId)), ...(await uniquenessItemsOf(b.accountId))].filter((u) => u.memberId !== a.selfMemberId && u.memberId !== b.selfMemberId);
    expect(owners).toHaveLength(add.status === 201 ? 1 : 0);
  });
});
