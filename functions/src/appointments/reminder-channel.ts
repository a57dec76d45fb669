/**
 * The external channel of the day-before reminder, on top of the in-app message (which is always
 * written first, in the reminder transaction): a WeChat subscribe message when the household
 * holds a one-time credit for the reminder template (issue 7's ledger, `spendSubscribeCredit`).
 * Template: APPOINTMENT_REMINDER_TEMPLATE_ID (unset = in-app only), fields
 *   name1 就诊人 · time2 就诊时间 · thing3 签约团队 · thing4 温馨提示
 * A send that fails without using WeChat's subscription gives the credit back; 43101 (the user
 * holds none) empties our ledger for the template, as the push sender does.
 */
import { validateTemplateData, type SubscribeMessageSender } from '../adapters/notify';
import { accountOpenid } from '../db/agreements.repo';
import type { AppointmentRecord } from '../db/appointments.repo';
import type { MessageRecord } from '../db/messages.repo';
import { clearSubscribeCredits, refundSubscribeCredit, spendSubscribeCredit } from '../db/subscriptions.repo';
import { log } from '../lib/log';
import { parts } from '@jiayi/shared/domain/dates';
import type { ReminderChannel } from './clinic';

const cut = (s: string, n: number) => ([...s].length <= n ? s : `${[...s].slice(0, n - 1).join('')}…`);

export function reminderTemplateData(a: AppointmentRecord): Record<string, { value: string }> {
  const { year, month, day } = parts(a.date);
  return {
    // WeChat's name field takes Chinese or Latin letters only (≤10 Chinese characters).
    name1: { value: /^[\p{Script=Han}A-Za-z·•. ]{1,10}$/u.test(a.memberName) ? a.memberName : '签约居民' },
    time2: { value: `${year}年${month}月${day}日 ${a.start === '24:00' ? '23:59' : a.start}` },
    thing3: { value: cut(a.teamName, 20) },
    thing4: { value: '请按时就诊，不能前往请提前取消' },
  };
}

export function subscribeReminderChannel(deps: { templateId: string | undefined; sender: () => SubscribeMessageSender }): ReminderChannel {
  return {
    async send(a: AppointmentRecord, _message: MessageRecord) {
      if (!deps.templateId) return 'skipped';
      const data = reminderTemplateData(a);
      if (validateTemplateData(data).length) return 'failed';
      const openid = await accountOpenid(a.accountId);
      if (!openid) return 'skipped';
      if (!(await spendSubscribeCredit(a.accountId, deps.templateId))) return 'skipped';
      const r = await deps.sender().send({ openid, templateId: deps.templateId, page: 'appointments/pages/mine/index', data });
      if (r.ok) return 'sent';
      log.warn('reminder subscribe message failed', { appointmentId: a.id, reason: r.reason, errcode: r.errcode });
      if (r.reason === 'user_refused') await clearSubscribeCredits(a.accountId, deps.templateId);
      else await refundSubscribeCredit(a.accountId, deps.templateId);
      return 'failed';
    },
  };
}
