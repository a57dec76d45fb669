/**
 * The loads of the signing flows: the team as a decision needs it (capacity and counter read
 * consistently), the household's chosen members with their stored facts, and an agreement read
 * with lazy expiry of an unpaid hold that ran out.
 */
import { ConflictError, NotFoundError, ValidationError } from '@jiayi/shared/domain/errors';
import type { MemberSelection } from '@jiayi/shared/domain/policy';
import type { SigningPerson } from '@jiayi/shared/domain/agreements/lifecycle';
import { agreementNotFound, idempotencyKeyReused, teamNotFound } from '@jiayi/shared/domain/agreements/refusals';
import type { HouseholdSelection, TeamState } from '@jiayi/shared/domain/agreements/signing';
import type { AgreementRecord } from '@jiayi/shared/domain/agreements/record';
import type { MemberSelectionBody } from '@jiayi/shared/schemas/agreements';
import { getAgreement } from '../db/agreements.repo';
import { loadHouseholdMembers } from '../db/household.repo';
import { getInstitution, getTeam } from '../db/teams.repo';

/** The team with its counter and capacity as they are now (consistent read) and its institution's name. */
export async function loadTeam(teamId: string, path = 'teamId'): Promise<TeamState> {
  const team = await getTeam(teamId, true);
  if (!team) throw teamNotFound();
  const inst = await getInstitution(team.institutionId);
  if (!inst) throw new ValidationError({ path, message: '该团队所属医疗机构信息缺失' });
  return { id: team.id, name: team.name, institutionId: team.institutionId, institutionName: inst.name, regionId: team.regionId, capacity: team.capacity, memberCount: team.memberCount };
}

/** The caller's own members in the order chosen, with their stored facts (the quote's input). */
export async function loadHousehold(accountId: string, members: MemberSelectionBody[]): Promise<HouseholdSelection & { openidKnown: boolean }> {
  const h = await loadHouseholdMembers(
    accountId,
    members.map((m) => m.memberId),
  ).catch((e: unknown) => {
    // Point the error at the member in the request.
    if (e instanceof NotFoundError) throw new NotFoundError(e.message, e.code);
    throw e;
  });
  if (!h.account) throw new NotFoundError('账号不存在，请重新登录', 'ACCOUNT_NOT_FOUND');
  if (!h.representativeName) throw new ConflictError('IDENTITY_REQUIRED', '请先完成本人实名认证，再办理签约');
  const people = h.members.map(
    (m): SigningPerson => ({
      memberId: m.memberId,
      name: m.name,
      relation: m.relation,
      idNumberMasked: m.idNumberMasked,
      idHash: m.idHash,
      sex: m.sex,
      facts: { birthDate: m.birthDate, sex: m.sex, conditions: m.conditions, statuses: m.statuses, insuredLocally: m.insuredLocally, localHukou: m.localHukou },
    }),
  );
  const selections = members.map(
    (sel, i): MemberSelection => ({
      memberId: sel.memberId,
      person: people[i]!.facts,
      packageCodes: sel.packageCodes,
      ...(sel.signingKind && { signingKind: sel.signingKind }),
    }),
  );
  return { openidKnown: !!h.account.openid, representativeName: h.representativeName, people, selections };
}

/** The agreement an idempotency key created, for a replay (another request under the same key is refused). */
export async function replayed(accountId: string, agreementId: string, storedHash: string, hash: string): Promise<{ created: false; agreement: AgreementRecord }> {
  if (storedHash && storedHash !== hash) throw idempotencyKeyReused();
  const a = await getAgreement(agreementId);
  if (!a || a.accountId !== accountId) throw agreementNotFound();
  return { created: false, agreement: a };
}
