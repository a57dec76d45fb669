/**
 * Signing (GitHub issue 5): quotes over the caller's own household, eligibility, signing,
 * payment orders, the agreement document, change of team, termination with refund preview,
 * renewal; staff views of a team's agreements and an institution's receivables.
 *
 *   GET  /agreement-text?regionId             the agreement text (template) to read before signing
 *   POST /me/quote                             live price breakdown for own members (stored facts)
 *   GET  /members/{id}/eligible-packages       own member's eligibility per package (?regionId)
 *   POST /agreements                           sign (201; idempotent replay 200)
 *   GET  /agreements                           own agreements
 *   GET  /agreements/{id}                      one agreement (owner, or staff in scope)
 *   GET  /agreements/{id}/document             the agreement as a Chinese document
 *   POST /agreements/{id}/pay                  WeChat Pay prepay order → wx.requestPayment params
 *   POST /agreements/{id}/cancel               cancel an unpaid agreement (places released)
 *   GET  /agreements/{id}/refund-preview       refund if terminated now (?reason)
 *   POST /agreements/{id}/terminate            terminate early (reason code), refund sent
 *   POST /agreements/{id}/change-team          move to another team (reason required)
 *   POST /agreements/{id}/renew                renew within the renewal window
 *   GET  /teams/{id}/agreements                staff: a team's agreements (?status&cursor)
 *   GET  /institutions/{id}/receivables        institution/region admin: fund shares (?month=YYYY-MM)
 *
 * Another household's agreement answers 404 (never 403): ids are not confirmed to strangers.
 */
import { localDateOf } from '@jiayi/shared/domain/dates';
import { eligiblePackages, policyFor, policyVersion } from '@jiayi/shared/domain/policy';
import { agreementNotFound, teamNotFound } from '@jiayi/shared/domain/agreements/refusals';
import { NotFoundError } from '@jiayi/shared/domain/errors';
import {
  agreementParams,
  agreementTextQuery,
  changeTeamBody,
  eligibleQuery,
  institutionParams,
  meQuoteBody,
  memberIdParams,
  receivablesQuery,
  refundPreviewQuery,
  renewBody,
  signBody,
  teamAgreementsQuery,
  terminateBody,
  type AgreementView,
} from '@jiayi/shared/schemas/agreements';
import { reply, route, router } from '../http/with-http';
import type { Principal } from '../http/auth';
import { assertStaffCovers } from '../http/scope';
import { listAgreementsForTeam, listReceivables, loadAgreementPartition, type AgreementRecord } from '../db/agreements.repo';
import { loadHouseholdMember } from '../db/household.repo';
import { getInstitution, getTeam } from '../db/teams.repo';
import { log } from '../lib/log';
import {
  agreementsOf,
  cancelUnpaid,
  changeTeam,
  ownedAgreement,
  payAgreement,
  quoteForHousehold,
  readAgreement,
  refundPreview,
  renewAgreement,
  signAgreement,
  terminateAgreement,
  type Actor,
} from './service';
import { agreementDocumentView, agreementTextView, agreementView, receivablesView } from './views';

function actorOf(p: Principal): Actor {
  return { kind: p.kind, id: p.sub };
}

/** The owner (resident) or staff whose scope covers the agreement's team. */
async function accessible(p: Principal, id: string, now: Date): Promise<AgreementRecord> {
  const a = await readAgreement(id, now);
  if (!a) throw agreementNotFound();
  if (p.kind === 'resident') {
    if (a.accountId !== p.sub) throw agreementNotFound();
  } else {
    assertStaffCovers(p, { teamId: a.teamId, institutionId: a.institutionId, regionId: a.regionId });
  }
  return a;
}

async function fullView(id: string, now: Date): Promise<AgreementView> {
  const part = await loadAgreementPartition(id);
  if (!part) throw agreementNotFound();
  return agreementView(part, localDateOf(now));
}

export const handler = router({
  'GET /agreement-text': route({ auth: 'none', query: agreementTextQuery }, async ({ query, now }) => agreementTextView(policyFor(query.regionId, localDateOf(now)))),

  'POST /me/quote': route({ auth: 'resident', body: meQuoteBody }, async ({ principal, body, now }) =>
    quoteForHousehold(principal.sub, body.regionId, body.members, localDateOf(now)),
  ),

  'GET /members/{id}/eligible-packages': route({ auth: 'resident', params: memberIdParams, query: eligibleQuery }, async ({ principal, params, query, now }) => {
    const today = localDateOf(now);
    const policy = policyFor(query.regionId, today);
    const m = await loadHouseholdMember(principal.sub, params.id);
    return {
      memberId: m.memberId,
      regionId: policy.regionId,
      policyVersion: policy.version,
      healthConsent: m.healthConsent,
      packages: eligiblePackages(m, policy, today, query.signingKind ? { signingKind: query.signingKind } : {}),
    };
  }),

  'POST /agreements': route({ auth: 'resident', body: signBody }, async ({ principal, body, now, requestId }) => {
    const r = await signAgreement(principal.sub, body, now);
    if (r.created) log.info('agreement signed', { requestId, agreementId: r.agreement.id, status: r.agreement.status, members: r.agreement.members.length });
    return reply(r.created ? 201 : 200, agreementView({ agreement: r.agreement }, localDateOf(now)));
  }),

  'GET /agreements': route({ auth: 'resident' }, async ({ principal, now }) => ({
    agreements: (await agreementsOf(principal.sub, now)).map((a) => agreementView({ agreement: a }, localDateOf(now))),
  })),

  'GET /agreements/{id}': route({ auth: 'any', params: agreementParams }, async ({ principal, params, now }) => {
    await accessible(principal, params.id, now);
    return fullView(params.id, now);
  }),

  'GET /agreements/{id}/document': route({ auth: 'any', params: agreementParams }, async ({ principal, params, now }) => {
    const a = await accessible(principal, params.id, now);
    const [team, inst] = await Promise.all([getTeam(a.teamId), getInstitution(a.institutionId)]);
    return agreementDocumentView(a, team, inst, policyVersion(a.regionId, a.policyVersion));
  }),

  'POST /agreements/{id}/pay': route({ auth: 'resident', params: agreementParams }, async ({ principal, params, now, requestId }) => {
    const r = await payAgreement(principal.sub, params.id, now);
    log.info('payment order created', { requestId, agreementId: r.agreementId, amountFen: r.amountFen });
    return r;
  }),

  'POST /agreements/{id}/cancel': route({ auth: 'resident', params: agreementParams }, async ({ principal, params, now }) => {
    const a = await cancelUnpaid(principal.sub, params.id, now, actorOf(principal));
    return fullView(a.id, now);
  }),

  'GET /agreements/{id}/refund-preview': route({ auth: 'any', params: agreementParams, query: refundPreviewQuery }, async ({ principal, params, query, now }) => {
    const a = await accessible(principal, params.id, now);
    const r = await refundPreview(a, query.reason, localDateOf(now));
    return {
      agreementId: a.id,
      reason: query.reason ?? null,
      allowed: r.allowed,
      requiresVerification: r.requiresVerification,
      message: r.message,
      residentPaidFen: r.residentPaidFen,
      refundFen: r.refundFen,
      members: r.members,
      notes: r.notes,
    };
  }),

  'POST /agreements/{id}/terminate': route({ auth: 'any', params: agreementParams, body: terminateBody }, async ({ principal, params, body, now }) => {
    const a = await accessible(principal, params.id, now);
    await terminateAgreement(a, body, now, actorOf(principal));
    return fullView(a.id, now);
  }),

  'POST /agreements/{id}/change-team': route({ auth: 'any', params: agreementParams, body: changeTeamBody }, async ({ principal, params, body, now }) => {
    const a = await accessible(principal, params.id, now);
    const created = await changeTeam(a, body, now, actorOf(principal));
    return fullView(created.id, now);
  }),

  'POST /agreements/{id}/renew': route({ auth: 'resident', params: agreementParams, body: renewBody }, async ({ principal, params, body, now }) => {
    const a = await ownedAgreement(principal.sub, params.id, now);
    const r = await renewAgreement(a, body, now, actorOf(principal));
    return reply(r.created ? 201 : 200, agreementView({ agreement: r.agreement }, localDateOf(now)));
  }),

  'GET /teams/{id}/agreements': route({ auth: 'staff', params: agreementParams, query: teamAgreementsQuery }, async ({ principal, params, query, now }) => {
    const team = await getTeam(params.id);
    if (!team) throw teamNotFound();
    assertStaffCovers(principal, { teamId: team.id, institutionId: team.institutionId, regionId: team.regionId });
    const page = await listAgreementsForTeam(team.id, { ...(query.status && { status: query.status }), ...(query.cursor && { cursor: query.cursor }), limit: query.limit });
    return { agreements: page.items.map((a) => agreementView({ agreement: a }, localDateOf(now))), cursor: page.cursor ?? null };
  }),

  'GET /institutions/{id}/receivables': route(
    { auth: 'staff', roles: ['institution_admin', 'region_admin'], params: institutionParams, query: receivablesQuery },
    async ({ principal, params, query }) => {
      const inst = await getInstitution(params.id);
      if (!inst) throw new NotFoundError('未找到该医疗机构', 'INSTITUTION_NOT_FOUND');
      assertStaffCovers(principal, { institutionId: inst.id, regionId: inst.regionId });
      return receivablesView(inst.id, query.month, await listReceivables(inst.id, query.month));
    },
  ),
});
