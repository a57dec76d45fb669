/**
 * WeChat Pay callbacks (issue 5).
 *
 *   POST /payments/wechat/notify            payment notification: verified (signature, key id,
 *                                           freshness), decrypted, applied exactly once; a bad
 *                                           signature is 401 and logged
 *   POST /payments/simulate/{agreementId}   simulated provider only (local stack, never prod):
 *                                           builds a signed + encrypted notification and runs it
 *                                           through the same code path as the real callback
 */
import * as z from 'zod';
import { ForbiddenError } from '@jiayi/shared/domain/errors';
import { route, router, reply } from '../http/with-http';
import { config } from '../lib/config';
import { handlePaymentNotification, simulatePayment } from '../agreements/service';

const simulateParams = z.object({ agreementId: z.string().regex(/^[0-9a-f-]{36}$/, '协议编号格式有误') });

export const handler = router({
  'POST /payments/wechat/notify': route({ auth: 'none' }, async ({ headers, rawBody, now, requestId }) => {
    await handlePaymentNotification({ headers, rawBody, now, requestId });
    // WeChat Pay v3: a 2xx answer without body (or {code: SUCCESS}) acknowledges the event.
    return reply(200, { code: 'SUCCESS', message: '成功' });
  }),

  'POST /payments/simulate/{agreementId}': route({ auth: 'resident', params: simulateParams }, async ({ principal, params, now, requestId }) => {
    if (config().stage === 'prod') throw new ForbiddenError('生产环境不支持模拟支付', 'SIMULATION_REFUSED');
    const r = await simulatePayment(principal.sub, params.agreementId, now, requestId);
    return { agreementId: params.agreementId, outcome: r.outcome };
  }),
});
