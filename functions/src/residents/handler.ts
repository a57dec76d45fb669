/**
 * The resident's own data: account state, privacy notice, consents, real-name identity,
 * household members, data export. Every route acts on the caller's own account partition
 * (`principal.sub`): another household's data cannot be addressed, only not found.
 *
 *   parse (zod + today-dependent checks) → authorise (session) → load (one partition Query)
 *   → decide (shared/src/domain/identity) → save (one transaction) → respond (masked views)
 */
import { localDateOf } from '@jiayi/shared/domain/dates';
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '@jiayi/shared/domain/errors';
import { PRIVACY_NOTICE } from '@jiayi/shared/domain/identity/consent';
import { validateIdNumber } from '@jiayi/shared/domain/identity/id-number';
import {
  assertPrivacyAccepted,
  assertRelation,
  consentDecision,
  consentsForSave,
  MAX_HOUSEHOLD_MEMBERS,
  memberSaveNeeds,
  type ConsentGrant,
} from '@jiayi/shared/domain/identity/household';
import {
  consentBody,
  identityBody,
  identityIssuesOn,
  memberCreateBody,
  memberIssuesOn,
  memberParams,
  memberUpdateBody,
  privacyBody,
} from '@jiayi/shared/schemas/residents';
import type { FieldIssue } from '@jiayi/shared/domain/errors';
import { reply, route, router } from '../http/with-http';
import { log } from '../lib/log';
import { acceptPrivacy } from '../db/accounts.repo';
import { loadAccountPartition, type AccountPartition } from '../db/household.repo';
import { addMember, recordConsentDecision, removeMember, saveIdentity, updateMember, type HouseholdMember, type MemberDraft } from '../db/members.repo';
import { exportView, memberView, meView, privacyView } from './views';
import { randomUUID } from 'node:crypto';

async function load(accountId: string): Promise<AccountPartition> {
  const p = await loadAccountPartition(accountId);
  if (!p) throw new UnauthorizedError('账号不存在，请重新登录', 'ACCOUNT_NOT_FOUND');
  return p;
}

function findMember(p: AccountPartition, memberId: string): HouseholdMember {
  const m = p.members.find((x) => x.memberId === memberId);
  if (!m) throw new NotFoundError('未找到该家庭成员', 'MEMBER_NOT_FOUND');
  return m;
}

function failIf(issues: FieldIssue[]): void {
  if (issues.length) throw new ValidationError(issues);
}

function gatePrivacy(p: AccountPartition): void {
  assertPrivacyAccepted(p.account.privacyVersion, PRIVACY_NOTICE.version);
}

function healthNeeds(d: { conditions: readonly string[]; statuses: readonly string[] }): ConsentGrant['purpose'][] {
  return d.conditions.length || d.statuses.length ? ['health_conditions'] : [];
}

export const handler = router({
  'GET /me': route({ auth: 'resident' }, async ({ principal, now }) => meView(await load(principal.sub), localDateOf(now))),

  'POST /me/privacy': route({ auth: 'resident', body: privacyBody }, async ({ principal, body, now, requestId }) => {
    await load(principal.sub);
    if (body.version !== PRIVACY_NOTICE.version) {
      throw new ConflictError('PRIVACY_VERSION_OUTDATED', '隐私政策已更新，请重新阅读后同意', [{ path: 'version', message: '隐私政策已更新，请重新阅读后同意' }]);
    }
    await acceptPrivacy(principal.sub, body.version, now);
    log.info('privacy notice accepted', { requestId, accountId: principal.sub, version: body.version });
    return privacyView(await load(principal.sub));
  }),

  'POST /me/consents': route({ auth: 'resident', body: consentBody }, async ({ principal, body, now, requestId }) => {
    const p = await load(principal.sub);
    // Withdrawing is always possible; agreeing to anything presupposes the notice (PIPL art. 17).
    if (body.action === 'grant') gatePrivacy(p);
    const member = body.memberId ? findMember(p, body.memberId) : p.members.find((m) => m.self);
    const subjectId = member && !member.self ? member.memberId : undefined;
    const record = consentDecision({
      purpose: body.purpose,
      version: body.version,
      action: body.action,
      subject: { memberId: subjectId, birthDate: member?.birthDate ?? undefined },
      accountId: principal.sub,
      today: localDateOf(now),
      at: now.toISOString(),
    });
    await recordConsentDecision({ accountId: principal.sub, record, subject: member, now });
    log.info('consent decision', { requestId, accountId: principal.sub, memberId: subjectId, purpose: record.purpose, decision: record.decision, role: record.role });
    return meView(await load(principal.sub), localDateOf(now));
  }),

  'PUT /me/identity': route({ auth: 'resident', body: identityBody }, async ({ principal, body, now, requestId }) => {
    const today = localDateOf(now);
    failIf(identityIssuesOn(body, today));
    const p = await load(principal.sub);
    gatePrivacy(p);
    const consents = consentsForSave({ records: p.consents, subject: {}, grants: [], needs: ['id_number'], accountId: principal.sub, today, at: now.toISOString() });
    const self = p.members.find((m) => m.self);
    const memberId = await saveIdentity({ account: p.account, self, name: body.name, idNumber: body.idNumber, mobile: body.mobile, basis: body.basis, consents, now });
    log.info('identity saved', { requestId, accountId: principal.sub, memberId });
    return meView(await load(principal.sub), today);
  }),

  'GET /me/members': route({ auth: 'resident' }, async ({ principal, now }) => {
    const p = await load(principal.sub);
    const today = localDateOf(now);
    return { members: p.members.map((m) => memberView(m, p.consents, today)) };
  }),

  'POST /me/members': route({ auth: 'resident', body: memberCreateBody }, async ({ principal, body, now, requestId }) => {
    const today = localDateOf(now);
    failIf(memberIssuesOn(body, today));
    const p = await load(principal.sub);
    gatePrivacy(p);
    const self = p.members.find((m) => m.self);
    if (!self?.idNumber) throw new ConflictError('IDENTITY_REQUIRED', '请先完成本人实名认证，再添加家庭成员');
    if (p.members.length >= MAX_HOUSEHOLD_MEMBERS) throw new ConflictError('HOUSEHOLD_FULL', `每户最多登记${MAX_HOUSEHOLD_MEMBERS}位家庭成员`);
    assertRelation(body.relation, false);
    const id = validateIdNumber(body.idNumber, today);
    if (!id.ok) throw new ValidationError({ path: 'idNumber', message: id.message });
    const memberId = randomUUID();
    const consents = consentsForSave({
      records: p.consents,
      subject: { memberId, birthDate: id.birthDate },
      grants: body.consents,
      needs: memberSaveNeeds(body),
      accountId: principal.sub,
      today,
      at: now.toISOString(),
    });
    const draft: MemberDraft = {
      relation: body.relation,
      name: body.name,
      idNumber: id.normalized,
      conditions: body.conditions,
      statuses: body.statuses,
      insuredLocally: body.insuredLocally,
      localHukou: body.localHukou,
    };
    await addMember({ accountId: principal.sub, memberId, draft, consents, now });
    log.info('member added', { requestId, accountId: principal.sub, memberId });
    const after = await load(principal.sub);
    return reply(201, memberView(findMember(after, memberId), after.consents, today));
  }),

  'PUT /me/members/{memberId}': route(
    { auth: 'resident', params: memberParams, body: memberUpdateBody },
    async ({ principal, params, body, now, requestId }) => {
      const today = localDateOf(now);
      failIf(memberIssuesOn(body, today));
      const p = await load(principal.sub);
      const current = findMember(p, params.memberId);
      gatePrivacy(p);
      if (current.self) {
        const locked = (['name', 'idNumber', 'localHukou'] as const).filter((k) => body[k] !== undefined);
        if (locked.length) {
          throw new ValidationError(locked.map((k) => ({ path: k, message: '本人的姓名、身份证号码和户籍请在“实名信息”中修改' })));
        }
      }
      const draft: MemberDraft = {
        relation: body.relation ?? current.relation,
        name: body.name ?? current.name,
        idNumber: body.idNumber ?? current.idNumber,
        conditions: body.conditions ?? current.conditions,
        statuses: body.statuses ?? current.statuses,
        insuredLocally: body.insuredLocally ?? current.insuredLocally,
        localHukou: body.localHukou ?? current.localHukou,
      };
      assertRelation(draft.relation, current.self);
      const id = draft.idNumber ? validateIdNumber(draft.idNumber, today) : undefined;
      if (id && !id.ok) throw new ValidationError({ path: 'idNumber', message: id.message });
      const subjectId = current.self ? undefined : current.memberId;
      const consents = consentsForSave({
        records: p.consents,
        subject: { memberId: subjectId, birthDate: id?.ok ? id.birthDate : undefined },
        grants: body.consents ?? [],
        needs: [...(draft.idNumber ? (['id_number'] as const) : []), ...healthNeeds(draft)],
        accountId: principal.sub,
        today,
        at: now.toISOString(),
      });
      await updateMember({ accountId: principal.sub, current, draft: { ...draft, idNumber: id?.ok ? id.normalized : null }, consents, now });
      log.info('member updated', { requestId, accountId: principal.sub, memberId: current.memberId });
      const after = await load(principal.sub);
      return memberView(findMember(after, current.memberId), after.consents, today);
    },
  ),

  'DELETE /me/members/{memberId}': route({ auth: 'resident', params: memberParams }, async ({ principal, params, now, requestId }) => {
    const p = await load(principal.sub);
    const current = findMember(p, params.memberId);
    if (current.self) throw new ConflictError('CANNOT_REMOVE_SELF', '不能删除本人（家庭代表）');
    await removeMember({ accountId: principal.sub, current, now });
    log.info('member removed', { requestId, accountId: principal.sub, memberId: current.memberId });
    return reply(204);
  }),

  'GET /me/data': route({ auth: 'resident' }, async ({ principal, now, requestId }) => {
    const p = await load(principal.sub);
    log.info('data export', { requestId, accountId: principal.sub });
    return exportView(p, localDateOf(now), now);
  }),
});
