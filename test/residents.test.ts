/**
 * Residents through the HTTP API on the local stack: login, privacy notice and consent gating,
 * real-name identity, household members, guardian consent, withdrawal and export.
 */
import { describe, expect, it } from 'vitest';
import { issue } from '../functions/src/lib/session-token';
import { LOCAL_DEFAULTS } from '../functions/src/lib/config';
import { http } from './stack';
import {
  acceptPrivacy,
  addMember,
  devCode,
  freshId,
  grant,
  identityOf,
  login,
  memberBody,
  partitionItems,
  resident,
  uniquenessItemsOf,
  V,
} from './residents.fixtures';

const FULL_ID = /\d{17}[\dX]/;

describe('POST /auth/wechat', () => {
  it('logs a new resident in with a dev code and issues a 7-day session token', async () => {
    const code = devCode();
    const r = await http('POST', '/auth/wechat', { body: { code } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ privacyAccepted: false, hasIdentity: false });
    expect(typeof r.body.token).toBe('string');
    const ttlDays = (Date.parse(r.body.expiresAt) - Date.now()) / 86_400_000;
    expect(ttlDays).toBeGreaterThan(6.9);
    expect(ttlDays).toBeLessThanOrEqual(7);
    expect(JSON.stringify(r.body)).not.toMatch(/session_?key/i);
    const again = await http('POST', '/auth/wechat', { body: { code } });
    expect(again.body.accountId).toBe(r.body.accountId);
  });

  it('never stores the WeChat session key in clear', async () => {
    const s = await login();
    const [account] = (await partitionItems(s.accountId)).filter((i) => i.sk === 'ACCOUNT');
    expect(account!.sessionKeyEnc).toMatch(/^v1\./);
    expect(JSON.stringify(account)).not.toContain('sessionKey"');
  });

  it.each([
    ['a code that is not dev:<name>', { code: 'alice' }, 'code'],
    ['an empty code', { code: '' }, 'code'],
    ['no code', {}, 'code'],
    ['a number', { code: 42 }, 'code'],
  ])('%s → 400 with the field', async (_n, body, path) => {
    const r = await http('POST', '/auth/wechat', { body });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe(path);
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('sessions', () => {
  it('no token → 401 请先登录', async () => {
    const r = await http('GET', '/me');
    expect(r.status).toBe(401);
    expect(r.body.error.message).toBe('请先登录');
  });

  it('an expired token → 401 登录已过期，请重新登录; a public route ignores it', async () => {
    const s = await login();
    const expired = issue({ sub: s.accountId, kind: 'resident' }, LOCAL_DEFAULTS.sessionSecret, Date.now() - 8 * 86_400_000, 7 * 86_400);
    const r = await http('GET', '/me', { token: expired });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录' });
    expect((await http('GET', '/health', { token: expired })).status).toBe(200);
  });

  it('a token signed with another secret → 401 登录状态无效', async () => {
    const s = await login();
    const forged = issue({ sub: s.accountId, kind: 'resident' }, 'x'.repeat(40), Date.now(), 3600);
    const r = await http('GET', '/me', { token: forged });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toBe('登录状态无效，请重新登录');
  });
});

describe('privacy notice and consent gating', () => {
  it('identity before the privacy notice → 403 with a clear message; nothing written', async () => {
    const s = await login();
    const r = await http('PUT', '/me/identity', { token: s.token, body: identityOf(freshId()) });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'PRIVACY_NOTICE_REQUIRED', message: '请先阅读并同意隐私政策，再填写个人信息' });
    const g = await http('POST', '/me/consents', { token: s.token, body: { purpose: 'id_number', version: V.id, action: 'grant' } });
    expect(g.status).toBe(403);
    const me = await http('GET', '/me', { token: s.token });
    expect(me.body).toMatchObject({ identity: null, members: [], privacy: { accepted: false, acceptedVersion: null } });
  });

  it('an outdated notice version → 409; the current one is recorded with version and time', async () => {
    const s = await login();
    const old = await http('POST', '/me/privacy', { token: s.token, body: { version: '2020-01-01' } });
    expect(old.status).toBe(409);
    expect(old.body.error.fields).toEqual([{ path: 'version', message: '隐私政策已更新，请重新阅读后同意' }]);
    const ok = await http('POST', '/me/privacy', { token: s.token, body: { version: V.privacy } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ accepted: true, acceptedVersion: V.privacy, currentVersion: V.privacy });
    expect(Date.parse(ok.body.acceptedAt)).not.toBeNaN();
    const data = await http('GET', '/me/data', { token: s.token });
    expect(data.body.privacyHistory).toEqual([{ version: V.privacy, at: ok.body.acceptedAt }]);
  });

  it('identity without the separate ID-number consent → 403 CONSENT_REQUIRED', async () => {
    const s = await login();
    await acceptPrivacy(s);
    const r = await http('PUT', '/me/identity', { token: s.token, body: identityOf(freshId()) });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', message: '请先同意处理您的身份证号码（实名核验与签约）' });
    expect(await uniquenessItemsOf(s.accountId)).toEqual([]);
  });

  it('a consent for an outdated text → 409', async () => {
    const s = await login();
    await acceptPrivacy(s);
    const r = await http('POST', '/me/consents', { token: s.token, body: { purpose: 'id_number', version: '2000-01-01', action: 'grant' } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('CONSENT_VERSION_OUTDATED');
  });
});

describe('PUT /me/identity', () => {
  it('happy path: derived age and sex, masked number, encrypted at rest, uniqueness item by HMAC', async () => {
    const idNumber = freshId({ age: 40, sex: 'F' });
    const s = await login();
    await acceptPrivacy(s);
    await grant(s, 'id_number');
    const r = await http('PUT', '/me/identity', {
      token: s.token,
      body: { name: '王 芳', idNumber: idNumber.toLowerCase(), mobile: '+86 139-0000-1234', basis: { kind: 'residence_permit', permitNumber: 'js3204812020', expiresOn: '2099-01-01' } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.identity).toEqual({
      name: '王 芳',
      idNumberMasked: `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`,
      mobileMasked: '139****1234',
      age: 40,
      sex: 'F',
      documentKind: 'resident_id',
      basis: { kind: 'residence_permit', permitNumberMasked: '********2020', expiresOn: '2099-01-01' },
    });
    expect(r.body.members).toHaveLength(1);
    expect(r.body.members[0]).toMatchObject({ relation: '本人', self: true, localHukou: false, guardianConsent: false });
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(FULL_ID);
    expect(text).not.toContain('birthDate');

    const stored = JSON.stringify(await partitionItems(s.accountId));
    expect(stored).not.toContain(idNumber);
    expect(stored).not.toContain(idNumber.slice(6, 14)); // no birth date at rest beside the mask
    expect(stored).not.toContain('13900001234');
    expect(stored).not.toContain('JS3204812020');
    const unique = await uniquenessItemsOf(s.accountId);
    expect(unique).toHaveLength(1);
    expect(unique[0]!.pk).toMatch(/^PERSON#[0-9a-f]{64}$/);
    expect(unique[0]!.memberId).toBe(r.body.household.representativeMemberId);
  });

  it('login afterwards reports privacy accepted and identity present', async () => {
    const res = await resident();
    const r = await http('POST', '/auth/wechat', { body: { code: res.code } });
    expect(r.body).toMatchObject({ accountId: res.accountId, privacyAccepted: true, hasIdentity: true });
  });

  it('a duplicate ID across two accounts → 409 该证件号码已被其他账号使用; nothing partial written', async () => {
    const a = await resident();
    const b = await login();
    await acceptPrivacy(b);
    await grant(b, 'id_number');
    const r = await http('PUT', '/me/identity', { token: b.token, body: identityOf(a.idNumber, '李雷') });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'ID_NUMBER_TAKEN', message: '该证件号码已被其他账号使用', fields: [{ path: 'idNumber', message: '该证件号码已被其他账号使用' }] });
    const me = await http('GET', '/me', { token: b.token });
    expect(me.body).toMatchObject({ identity: null, members: [], household: { representativeMemberId: null, memberCount: 0 } });
    expect((await partitionItems(b.accountId)).filter((i) => String(i.sk).startsWith('MEMBER#'))).toEqual([]);
  });

  it('changing one\'s own number releases the old uniqueness item in the same transaction', async () => {
    const a = await resident();
    const next = freshId();
    const r = await http('PUT', '/me/identity', { token: a.token, body: identityOf(next) });
    expect(r.status).toBe(200);
    expect(await uniquenessItemsOf(a.accountId)).toHaveLength(1);
    // The old number is free again.
    await resident({ idNumber: a.idNumber });
  });
});

describe('household members', () => {
  it('add, list, edit, remove — the removal releases the uniqueness item', async () => {
    const a = await resident();
    const spouseId = freshId({ age: 38, sex: 'F' });
    const added = await addMember(a, memberBody(spouseId, { name: '李娜' }));
    expect(added).toMatchObject({ relation: '配偶', name: '李娜', self: false, age: 38, sex: 'F', conditions: [], guardianConsent: false });
    expect(added.consents.find((c: any) => c.purpose === 'id_number')).toMatchObject({ status: 'granted', current: true, memberId: added.memberId });

    const list = await http('GET', '/me/members', { token: a.token });
    expect(list.body.members.map((m: any) => m.relation)).toEqual(['本人', '配偶']);

    // Declaring conditions needs the member's health consent.
    const noHealth = await http('PUT', `/me/members/${added.memberId}`, { token: a.token, body: { conditions: ['pregnant'] } });
    expect(noHealth.status).toBe(403);
    expect(noHealth.body.error.message).toBe('请确认该成员已同意处理其健康状况与特殊人群身份信息');
    const edited = await http('PUT', `/me/members/${added.memberId}`, {
      token: a.token,
      body: { name: '李 娜', conditions: ['pregnant'], statuses: ['dibao'], consents: [{ purpose: 'health_conditions', version: V.health }] },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ name: '李 娜', conditions: ['pregnant'], statuses: ['dibao'] });
    const stored = JSON.stringify(await partitionItems(a.accountId));
    expect(stored).not.toContain('pregnant');
    expect(stored).not.toContain('dibao');

    expect(await uniquenessItemsOf(a.accountId)).toHaveLength(2);
    const del = await http('DELETE', `/me/members/${added.memberId}`, { token: a.token });
    expect(del.status).toBe(204);
    expect(await uniquenessItemsOf(a.accountId)).toHaveLength(1);
    expect((await http('GET', '/me', { token: a.token })).body.household.memberCount).toBe(1);
    expect((await http('DELETE', `/me/members/${added.memberId}`, { token: a.token })).status).toBe(404);
    // The released person can join another household.
    const b = await resident();
    await addMember(b, memberBody(spouseId));
  });

  it('a person cannot be in two households; nor twice in one', async () => {
    const a = await resident();
    const b = await resident();
    const childId = freshId({ age: 30 });
    await addMember(a, memberBody(childId, { relation: '子女' }));
    const other = await http('POST', '/me/members', { token: b.token, body: memberBody(childId, { relation: '子女' }) });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toBe('该证件号码已被其他账号使用');
    const twice = await http('POST', '/me/members', { token: a.token, body: memberBody(childId, { relation: '子女' }) });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('ID_NUMBER_IN_HOUSEHOLD');
    // The representative's own number is in the same namespace.
    const rep = await http('POST', '/me/members', { token: b.token, body: memberBody(a.idNumber) });
    expect(rep.status).toBe(409);
    expect((await http('GET', '/me/members', { token: b.token })).body.members).toHaveLength(1);
  });

  it('members need the representative\'s identity first; 本人 is reserved and cannot be removed', async () => {
    const s = await login();
    await acceptPrivacy(s);
    const r = await http('POST', '/me/members', { token: s.token, body: memberBody(freshId()) });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('IDENTITY_REQUIRED');

    const a = await resident();
    const self = await http('POST', '/me/members', { token: a.token, body: memberBody(freshId(), { relation: '本人' }) });
    expect(self.status).toBe(400);
    expect(self.body.error.fields[0].path).toBe('relation');
    expect((await http('DELETE', `/me/members/${a.selfMemberId}`, { token: a.token })).status).toBe(409);
    const rename = await http('PUT', `/me/members/${a.selfMemberId}`, { token: a.token, body: { idNumber: freshId() } });
    expect(rename.status).toBe(400);
    expect(rename.body.error.fields[0].path).toBe('idNumber');
    // The holder's own conditions go through their 本人 record, with their own health consent.
    const noConsent = await http('PUT', `/me/members/${a.selfMemberId}`, { token: a.token, body: { conditions: ['hypertension'] } });
    expect(noConsent.status).toBe(403);
    expect(noConsent.body.error.message).toBe('申报健康状况或特殊人群身份前，请先同意处理健康状况信息');
    await grant(a, 'health_conditions');
    const ok = await http('PUT', `/me/members/${a.selfMemberId}`, { token: a.token, body: { conditions: ['hypertension'], insuredLocally: true } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ self: true, conditions: ['hypertension'], insuredLocally: true });
  });
});

describe('guardian consent for members under 14 (PIPL art. 31)', () => {
  it('a child without the guardian\'s consent → 403; with it → 201, recorded as guardian consent', async () => {
    const a = await resident();
    const childId = freshId({ age: 6 });
    const without = await http('POST', '/me/members', { token: a.token, body: memberBody(childId, { relation: '子女', name: '张小明', consents: [] }) });
    expect(without.status).toBe(403);
    expect(without.body.error.message).toBe('该成员不满14周岁，需由您作为监护人同意处理其身份证号码');
    expect(await uniquenessItemsOf(a.accountId)).toHaveLength(1);

    const child = await addMember(a, memberBody(childId, { relation: '子女', name: '张小明' }));
    expect(child).toMatchObject({ age: 6, guardianConsent: true });
    const adult = await addMember(a, memberBody(freshId({ age: 14 }), { relation: '子女', name: '张大明' }));
    expect(adult.guardianConsent).toBe(false);

    const data = await http('GET', '/me/data', { token: a.token });
    const roles = Object.fromEntries(data.body.consentRecords.map((c: any) => [c.onBehalfOf ?? 'self', c.role]));
    expect(roles).toEqual({ self: 'self', [child.memberId]: 'guardian', [adult.memberId]: 'representative' });
  });

  it('a child\'s health data also needs the guardian\'s consent', async () => {
    const a = await resident();
    const r = await http('POST', '/me/members', { token: a.token, body: memberBody(freshId({ age: 3 }), { relation: '子女', conditions: ['disability'] }) });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe('该成员不满14周岁，需由您作为监护人同意处理其健康状况信息');
  });
});

describe('withdrawal and export', () => {
  it('withdrawing health consent deletes the declared conditions; withdrawing the ID consent erases the number and frees it', async () => {
    const a = await resident();
    const memberId = freshId({ age: 70 });
    const m = await addMember(
      a,
      memberBody(memberId, {
        relation: '父母',
        conditions: ['hypertension'],
        consents: [
          { purpose: 'id_number', version: V.id },
          { purpose: 'health_conditions', version: V.health },
        ],
      }),
    );
    expect(m.conditions).toEqual(['hypertension']);

    const h = await http('POST', '/me/consents', { token: a.token, body: { purpose: 'health_conditions', version: V.health, action: 'withdraw', memberId: m.memberId } });
    expect(h.status).toBe(200);
    const after = h.body.members.find((x: any) => x.memberId === m.memberId);
    expect(after.conditions).toEqual([]);
    expect(after.consents.find((c: any) => c.purpose === 'health_conditions')).toMatchObject({ status: 'withdrawn' });
    const item = (await partitionItems(a.accountId)).find((i) => i.sk === `MEMBER#${m.memberId}`)!;
    expect(item.healthEnc).toBeUndefined();
    // Declaring again needs a fresh consent.
    expect((await http('PUT', `/me/members/${m.memberId}`, { token: a.token, body: { conditions: ['diabetes_t2'] } })).status).toBe(403);

    const w = await http('POST', '/me/consents', { token: a.token, body: { purpose: 'id_number', version: V.id, action: 'withdraw', memberId: m.memberId } });
    expect(w.status).toBe(200);
    expect(w.body.members.find((x: any) => x.memberId === m.memberId)).toMatchObject({ idNumberMasked: null, age: null, sex: null });
    expect(await uniquenessItemsOf(a.accountId)).toHaveLength(1);
    const b = await resident();
    await addMember(b, memberBody(memberId, { relation: '父母' })); // the number is free again

    const data = await http('GET', '/me/data', { token: a.token });
    expect(data.body.consentRecords.map((c: any) => `${c.purpose}:${c.decision}`)).toEqual([
      'id_number:granted',
      'id_number:granted',
      'health_conditions:granted',
      'health_conditions:withdrawn',
      'id_number:withdrawn',
    ]);
  });

  it('the holder withdrawing their own ID consent erases their number; the identity must be redone', async () => {
    const a = await resident();
    const r = await http('POST', '/me/consents', { token: a.token, body: { purpose: 'id_number', version: V.id, action: 'withdraw' } });
    expect(r.status).toBe(200);
    expect(r.body.identity.idNumberMasked).toBeNull();
    expect(r.body.consents.find((c: any) => c.purpose === 'id_number')).toMatchObject({ status: 'withdrawn', current: false });
    expect(await uniquenessItemsOf(a.accountId)).toEqual([]);
    // Members cannot be added until the identity is redone, and redoing it needs a new consent.
    expect((await http('POST', '/me/members', { token: a.token, body: memberBody(freshId()) })).body.error.code).toBe('IDENTITY_REQUIRED');
    expect((await http('PUT', '/me/identity', { token: a.token, body: identityOf(a.idNumber) })).status).toBe(403);
    await grant(a, 'id_number');
    expect((await http('PUT', '/me/identity', { token: a.token, body: identityOf(a.idNumber) })).status).toBe(200);
  });

  it('GET /me/data lists what we hold, masked, with labels', async () => {
    const a = await resident({ name: '张伟' });
    await grant(a, 'health_conditions');
    await http('PUT', `/me/members/${a.selfMemberId}`, { token: a.token, body: { conditions: ['hypertension'] } });
    const r = await http('GET', '/me/data', { token: a.token });
    expect(r.status).toBe(200);
    expect(r.body.account).toMatchObject({ accountId: a.accountId, openid: `dev_${a.code.slice(4)}` });
    expect(r.body.identity.name).toBe('张伟');
    expect(r.body.members[0]).toMatchObject({ conditions: ['hypertension'], conditionLabels: ['原发性高血压'] });
    expect(JSON.stringify(r.body)).not.toMatch(FULL_ID);
    expect(r.body.notes.length).toBeGreaterThan(0);
  });
});
