/**
 * Subscribe-message credits (issue 7): the mini-program reports every answer to
 * wx.requestSubscribeMessage — after signing, paying, booking, or the "订阅健康提醒" button —
 * and the server keeps the ledger (one credit per accept, spent one per send).
 *   POST /me/subscriptions {templateId, accepted, source}
 *   GET  /me/subscriptions   the tip template to ask for and the credits held
 */
import { localDateOf } from '@jiayi/shared/domain/dates';
import { subscriptionBody } from '@jiayi/shared/schemas/push';
import { route, router } from '../http/with-http';
import { listSubscribeCredits, recordSubscriptionAnswer } from '../db/subscriptions.repo';
import { listAgreementsForAccount } from '../db/agreements.repo';
import { pushConfigFor } from '../db/push.repo';
import { settings } from '../lib/config';

/** The tip template for the caller: the config of their current agreement's institution/region, else the deployment default. */
async function tipTemplate(accountId: string, now: Date) {
  const today = localDateOf(now);
  const current = (await listAgreementsForAccount(accountId)).filter((a) => a.status === 'active' && a.cycleEnd >= today).pop();
  const cfg = await pushConfigFor(current?.regionId ?? '-', current?.institutionId ?? '-');
  return cfg ?? { templateId: settings().pushTipTemplateId, longTerm: false };
}

export const handler = router({
  'POST /me/subscriptions': route({ auth: 'resident', body: subscriptionBody }, async ({ principal, body, now }) => {
    const c = await recordSubscriptionAnswer(principal.sub, body.templateId, body.accepted, body.source, now);
    return { templateId: c.templateId, credits: c.credits };
  }),

  'GET /me/subscriptions': route({ auth: 'resident' }, async ({ principal, now }) => {
    const [template, credits] = await Promise.all([tipTemplate(principal.sub, now), listSubscribeCredits(principal.sub)]);
    return {
      tipTemplateId: template.templateId,
      subscriptions: credits.map((c) => ({ templateId: c.templateId, credits: c.credits, longTerm: c.templateId === template.templateId && template.longTerm })),
    };
  }),
});
