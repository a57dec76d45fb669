/**
 * Scheduled appointment jobs (serverless.yml schedules; the local stack's scheduler runs them,
 * infra/src/local/scheduler.ts):
 *   slots      daily: roll every published rota's horizon (default 14 days) forward
 *   reminders  hourly: the day-before reminder (APPOINTMENT_REMINDER_TIME, default 18:00
 *              Asia/Shanghai), once per appointment (marker + in-app message in one transaction),
 *              then a subscribe message when the household holds a credit for
 *              APPOINTMENT_REMINDER_TEMPLATE_ID (unset: in-app message only)
 */
import { notifySendersFromConfig, type SubscribeMessageSender } from '../adapters/notify';
import { runDailySlots, runReminders } from '../appointments/service';
import { subscribeReminderChannel } from '../appointments/reminder-channel';
import { environment, settings } from '../lib/config';
import { log } from '../lib/log';
import { now } from '../lib/clock';

let sender: SubscribeMessageSender | undefined;
const channel = subscribeReminderChannel({
  templateId: settings().appointmentReminderTemplateId,
  sender: () => (sender ??= notifySendersFromConfig(environment()).subscribe),
});

export async function slots(): Promise<Awaited<ReturnType<typeof runDailySlots>>> {
  const report = await runDailySlots(now());
  log.info('appointment slots job', { ...report });
  return report;
}

export async function reminders(): Promise<Awaited<ReturnType<typeof runReminders>>> {
  const report = await runReminders(now(), channel);
  log.info('appointment reminders job', { sent: report.sent, skipped: report.skipped, ...report.external });
  return report;
}
