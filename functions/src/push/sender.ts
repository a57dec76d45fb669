/**
 * The push sender (issue 7): one job = one tip for one signed resident in one quarter.
 *
 *   1. load: the tip, the account (openid, mobile, SMS consent), the channel config, the credit;
 *   2. decide the external channel (pure chooseChannel);
 *   3. ONE transaction: the delivery record `PUSH#<quarter>#<memberKey>` (attribute_not_exists),
 *      the inbox message, the resident's history, the team counters and — for a one-time
 *      template — the credit spend (`credits > 0`). Either all of it happens or none of it;
 *   4. the external message, at most once: the record moves pending → sending before the call
 *      and sending → sent | failed after it (with the counters). A redelivered job finding
 *      `sending` does not call again (the outcome is unknown, recorded as `unknown_outcome`).
 *
 * A redelivered or duplicate job finds the record and sends nothing; a job of a later planner
 * run that finds it counts the resident as covered for that run (once, by a condition on the
 * record's `runIds`).
 */
import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hasConsent } from '@jiayi/shared/domain/identity/consent';
import { localDateOf, parts, quarterRange } from '@jiayi/shared/domain/dates';
import { chooseChannel, type ChannelChoice } from '@jiayi/shared/domain/push/channel';
import { TIP_CATEGORIES } from '@jiayi/shared/domain/push/targeting';
import type { NotifySenders } from '../adapters/notify';
import { db, tableName } from '../db/client';
import { keys } from '../db/keys';
import { queryAll } from '../db/query';
import { transact, TransactionFailed, type TxItem } from '../db/transact';
import { accountFromItem, type AccountItem } from '../db/accounts.repo';
import { consentFromItem, CONSENT_SK_PREFIX } from '../db/consents.repo';
import { messagePut } from '../db/messages.repo';
import { getTip, type TipRecord } from '../db/tips.repo';
import { clearSubscribeCredits, getSubscribeCredit, refundSubscribeCredit, spendCreditTx } from '../db/subscriptions.repo';
import {
  deliveryPut,
  getDelivery,
  historyAppend,
  pushConfigFor,
  runStatAdd,
  teamStatAdd,
  type DeliveryRecord,
  type PushConfig,
} from '../db/push.repo';
import { open, places } from '../lib/pii';
import { environment } from '../lib/config';
import { log } from '../lib/log';
import type { PushJob } from './jobs';

export interface SenderDeps {
  senders: NotifySenders;
  now: () => Date;
  env?: NodeJS.ProcessEnv;
}

export type DeliveryOutcome =
  | { kind: 'delivered'; channel: DeliveryRecord['channel']; external: 'sent' | 'failed' | 'none'; reason?: string }
  | { kind: 'duplicate' }
  | { kind: 'tip_withdrawn' }
  | { kind: 'quarter_over' };

/** The inbox message id of a resident's quarter tip (deterministic: a replay cannot make a second one). */
export function tipMessageId(quarter: string, memberKey: string): string {
  return `tip-${quarter}-${createHash('sha256').update(memberKey).digest('hex').slice(0, 24)}`;
}

interface AccountFacts {
  account: AccountItem | undefined;
  smsConsent: boolean;
}

/** The account item and its consent records (no member decryption): one Query of the partition. */
async function loadAccountFacts(accountId: string): Promise<AccountFacts> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :z',
    // 'ACCOUNT' < 'CONSENT#…' (< 'MEMBER#'): the account and its consent records only.
    ExpressionAttributeValues: { ':p': keys.account(accountId).pk, ':a': 'ACCOUNT', ':z': `${CONSENT_SK_PREFIX}~` },
    ConsistentRead: true,
  });
  const acct = items.find((i) => i.sk === 'ACCOUNT');
  const consents = items.filter((i) => String(i.sk).startsWith(CONSENT_SK_PREFIX)).map(consentFromItem);
  return { account: acct ? accountFromItem(acct) : undefined, smsConsent: hasConsent(consents, 'sms') };
}

const tipCache = new Map<string, { at: number; tip: TipRecord | undefined }>();
async function cachedTip(id: string, nowMs: number): Promise<TipRecord | undefined> {
  const hit = tipCache.get(id);
  if (hit && nowMs - hit.at < 60_000) return hit.tip;
  const tip = await getTip(id);
  tipCache.set(id, { at: nowMs, tip });
  return tip;
}

function scopeOf(job: PushJob) {
  return { regionId: job.regionId, quarter: job.quarter, shard: job.shard, teamId: job.teamId, institutionId: job.institutionId };
}

/** Delivers one job; throws only for store errors (the queue retries the job, then dead-letters it). */
export async function deliver(job: PushJob, deps: SenderDeps): Promise<DeliveryOutcome> {
  const now = deps.now();
  if (localDateOf(now) > quarterRange(job.quarter).end) {
    // A job still queued when its quarter ended (Asia/Shanghai): a tip now does not keep that
    // quarter's promise, and counting it would hide a miss. The new quarter's run covers them.
    await transact([runStatAdd(scopeOf(job), job.runId, { late: 1 })]);
    return { kind: 'quarter_over' };
  }
  const tip = await cachedTip(job.tipId, now.getTime());
  if (!tip || tip.status !== 'approved') {
    // Retired after planning: nothing is sent; the next catch-up run picks another tip.
    await transact([runStatAdd(scopeOf(job), job.runId, { withdrawn: 1 })]);
    return { kind: 'tip_withdrawn' };
  }
  const facts = await loadAccountFacts(job.accountId);
  const config = await pushConfigFor(job.regionId, job.institutionId, deps.env ?? environment(), now.getTime());
  const credit = config && !config.longTerm && facts.account?.openid ? await getSubscribeCredit(job.accountId, config.templateId) : undefined;
  let choice = chooseChannel({
    template: config ? { templateId: config.templateId, longTerm: config.longTerm } : null,
    hasOpenid: !!facts.account?.openid,
    credits: credit?.credits ?? 0,
    smsConsent: facts.smsConsent,
    hasMobile: !!facts.account?.mobileEnc,
  });
  for (let attempt = 0; ; attempt++) {
    const record = newRecord(job, choice, config, now);
    const items: TxItem[] = [
      deliveryPut(record),
      messagePut({
        id: record.messageId,
        accountId: job.accountId,
        kind: 'tip',
        title: tip.title,
        body: tip.bodyHtml,
        at: now.toISOString(),
        memberId: job.memberId,
        ref: { type: 'tip', id: tip.id },
        link: `/health/pages/detail/index?id=${record.messageId}`,
      }),
      historyAppend(job.memberKey, tip.id, job.quarter),
      teamStatAdd(scopeOf(job), { covered: 1, inbox: 1, ...(job.repeat ? { repeats: 1 } : {}) }),
      runStatAdd(scopeOf(job), job.runId, { delivered: 1 }),
    ];
    if (choice.spendCredit && config) items.push(spendCreditTx(job.accountId, config.templateId));
    try {
      await transact(items);
      return await sendExternal(record, tip, facts, config, deps);
    } catch (e) {
      if (!(e instanceof TransactionFailed)) throw e;
      if (e.failedAt(0)) return onExisting(job, tip, facts, config, deps);
      if (choice.spendCredit && e.failedAt(items.length - 1) && attempt === 0) {
        // The last credit went to another send in the meantime: decide again without it.
        choice = chooseChannel({ template: null, hasOpenid: false, credits: 0, smsConsent: facts.smsConsent, hasMobile: !!facts.account?.mobileEnc });
        continue;
      }
      throw e;
    }
  }
}

function newRecord(job: PushJob, choice: ChannelChoice, config: PushConfig | null, now: Date): DeliveryRecord {
  const at = now.toISOString();
  return {
    quarter: job.quarter,
    memberKey: job.memberKey,
    accountId: job.accountId,
    memberId: job.memberId,
    memberName: job.memberName,
    agreementId: job.agreementId,
    regionId: job.regionId,
    institutionId: job.institutionId,
    teamId: job.teamId,
    shard: job.shard,
    tipId: job.tipId,
    repeat: job.repeat,
    messageId: tipMessageId(job.quarter, job.memberKey),
    runId: job.runId,
    runIds: [job.runId],
    channel: choice.channel,
    ...(choice.channel === 'wechat' && config ? { templateId: config.templateId } : {}),
    creditSpent: choice.spendCredit,
    externalStatus: choice.channel === 'inbox' ? 'none' : 'pending',
    createdAt: at,
    updatedAt: at,
  };
}

async function onExisting(job: PushJob, tip: TipRecord, facts: AccountFacts, config: PushConfig | null, deps: SenderDeps): Promise<DeliveryOutcome> {
  const rec = await getDelivery(job.quarter, job.memberKey);
  if (!rec) throw new Error('delivery record vanished');
  if (rec.runId === job.runId && rec.externalStatus === 'pending') {
    // Our own transaction committed, the external step had not started: resume it.
    return sendExternal(rec, tip, facts, config, deps);
  }
  if (rec.runId === job.runId && rec.externalStatus === 'sending') {
    // Crashed during the call: we cannot know whether it arrived, so it is not sent again.
    await finishExternal(rec, 'failed', 'unknown_outcome', deps.now());
    return { kind: 'delivered', channel: rec.channel, external: 'failed', reason: 'unknown_outcome' };
  }
  if (!rec.runIds.includes(job.runId)) {
    // Another planner run enqueued this resident while the first job was in flight: covered for it too.
    try {
      await transact([
        {
          Update: {
            TableName: tableName(),
            Key: keys.pushDelivery(job.quarter, job.memberKey),
            UpdateExpression: 'ADD runIds :r',
            ConditionExpression: 'NOT contains(runIds, :rid)',
            ExpressionAttributeValues: { ':r': new Set([job.runId]), ':rid': job.runId },
          },
        },
        runStatAdd(scopeOf(job), job.runId, { delivered: 1 }),
      ]);
    } catch (e) {
      if (!(e instanceof TransactionFailed && e.failedAt(0))) throw e;
    }
  }
  return { kind: 'duplicate' };
}

function dateText(d: Date): string {
  const p = parts(localDateOf(d));
  return `${p.year}年${p.month}月${p.day}日`;
}

const cut = (s: string, n: number) => ([...s].length <= n ? s : [...s].slice(0, n - 1).join('') + '…');

async function sendExternal(rec: DeliveryRecord, tip: TipRecord, facts: AccountFacts, config: PushConfig | null, deps: SenderDeps): Promise<DeliveryOutcome> {
  if (rec.channel === 'inbox') return { kind: 'delivered', channel: 'inbox', external: 'none' };
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.pushDelivery(rec.quarter, rec.memberKey),
        UpdateExpression: 'SET externalStatus = :sending, updatedAt = :now',
        ConditionExpression: 'externalStatus = :pending',
        ExpressionAttributeValues: { ':sending': 'sending', ':pending': 'pending', ':now': deps.now().toISOString() },
      }),
    );
  } catch (e) {
    if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return { kind: 'duplicate' };
    throw e;
  }
  let ok = false;
  let reason: string | undefined;
  try {
    if (rec.channel === 'wechat') {
      const r = await deps.senders.subscribe.send({
        openid: facts.account?.openid ?? '',
        templateId: rec.templateId ?? config?.templateId ?? '',
        page: `health/pages/detail/index?id=${rec.messageId}`,
        data: {
          thing1: { value: cut(tip.title, 20) },
          thing2: { value: cut(`${TIP_CATEGORIES[tip.category]}·${rec.memberName}`, 20) },
          date3: { value: dateText(deps.now()) },
        },
      });
      ok = r.ok;
      if (!r.ok) {
        reason = r.reason;
        if (rec.creditSpent) {
          // 43101: WeChat holds no subscription for this user, our ledger was ahead: empty it.
          // Any other failure did not use WeChat's subscription: give the credit back.
          if (r.reason === 'user_refused') await clearSubscribeCredits(rec.accountId, rec.templateId!);
          else await refundSubscribeCredit(rec.accountId, rec.templateId!);
        }
      }
    } else {
      const mobile = facts.account?.mobileEnc ? open(facts.account.mobileEnc, places.mobile(rec.accountId)) : '';
      const r = await deps.senders.sms.send({
        mobile,
        templateCode: config?.smsTemplateCode ?? 'HEALTH_TIP',
        params: { name: rec.memberName, title: cut(tip.title, 40) },
        requestId: rec.messageId,
      });
      ok = r.ok;
      if (!r.ok) reason = r.reason;
    }
  } catch (e) {
    // An adapter that throws (it should not) counts as an upstream failure; the inbox has the tip.
    log.warn('push external channel threw', { channel: rec.channel, error: e instanceof Error ? e.message : String(e) });
    reason = 'upstream';
  }
  await finishExternal(rec, ok ? 'sent' : 'failed', reason, deps.now());
  return { kind: 'delivered', channel: rec.channel, external: ok ? 'sent' : 'failed', ...(reason ? { reason } : {}) };
}

async function finishExternal(rec: DeliveryRecord, status: 'sent' | 'failed', reason: string | undefined, now: Date): Promise<void> {
  const ch = rec.channel;
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: keys.pushDelivery(rec.quarter, rec.memberKey),
          UpdateExpression: `SET externalStatus = :st, updatedAt = :now${reason ? ', failureReason = :reason' : ''}`,
          ConditionExpression: 'externalStatus = :sending',
          ExpressionAttributeValues: { ':st': status, ':now': now.toISOString(), ':sending': 'sending', ...(reason ? { ':reason': reason } : {}) },
        },
      },
      teamStatAdd(
        { regionId: rec.regionId, quarter: rec.quarter, shard: rec.shard, teamId: rec.teamId, institutionId: rec.institutionId },
        status === 'sent' ? { [`sent_${ch}`]: 1 } : { [`failed_${ch}`]: 1, [`fail:${ch}:${reason ?? 'unknown'}`]: 1 },
      ),
    ]);
  } catch (e) {
    if (!(e instanceof TransactionFailed && e.failedAt(0))) throw e;
  }
}

/** One SQS batch: every job on its own; the ids of those that threw are reported for retry. */
export async function processJobs(jobs: PushJob[], deps: SenderDeps): Promise<{ failedJobIds: string[]; outcomes: DeliveryOutcome[] }> {
  const settled = await Promise.allSettled(jobs.map((j) => deliver(j, deps)));
  const failedJobIds: string[] = [];
  const outcomes: DeliveryOutcome[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') outcomes.push(s.value);
    else {
      failedJobIds.push(jobs[i]!.jobId);
      log.error('push job failed', { jobId: jobs[i]!.jobId, error: s.reason instanceof Error ? s.reason.message : String(s.reason) });
    }
  });
  return { failedJobIds, outcomes };
}
