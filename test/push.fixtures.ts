/**
 * Helpers for the health-push integration tests. Each test plans its own fresh region id (so
 * agreements, tips and counters of other tests are never seen), arranges active agreements
 * directly in the agreement item shape (agreements.tx.ts `agreementItem`), and runs the planner
 * and the sender in-process against the stack's store — exactly what `npm run push:plan` does —
 * with recording WeChat/SMS senders it can tell to fail.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { LocalDate } from '@jiayi/shared/domain/dates';
import { sanitizeTipHtml } from '@jiayi/shared/domain/push/rich-text';
import type { AgeGroup } from '@jiayi/shared/schemas/agreements';
import { setDb } from '../functions/src/db/client';
import { agreementItem } from '../functions/src/db/agreements.tx';
import type { AgreementRecord } from '../functions/src/db/agreements.repo';
import { putTip, type TipRecord } from '../functions/src/db/tips.repo';
import { putPushConfig } from '../functions/src/db/push.repo';
import { RecordingSmsSender, RecordingSubscribeSender } from '../functions/src/adapters/notify';
import { planQuarter, type PlanResult } from '../functions/src/push/planner';
import { processJobs, type DeliveryOutcome } from '../functions/src/push/sender';
import { InMemoryPushQueue } from '../functions/src/push/queue';
import type { PushJob } from '../functions/src/push/jobs';
import { localClient } from '../infra/src/local/tables';
import { storeClient, tableName } from './stack';

/** Points the in-process repos at the stack's store (the planner and sender run here). */
export function useStackStore(): void {
  process.env.TABLE_NAME = tableName();
  setDb(DynamoDBDocumentClient.from(localClient(inject('storeEndpoint')), { marshallOptions: { removeUndefinedValues: true } }));
}

export const QUARTER = '2026Q4';

export interface Region {
  regionId: string;
  institutionId: string;
  teamId: string;
  templateId: string;
}

/** A fresh region with one institution/team, a one-time tip template and a general + a hypertension-package tip. */
export async function arrangeRegion(opts: { longTerm?: boolean; tips?: Partial<TipRecord>[] } = {}): Promise<Region> {
  const id = randomBytes(5).toString('hex');
  const r: Region = { regionId: `test-${id}`, institutionId: `inst-${id}`, teamId: `team-${id}`, templateId: `tpl-${id}` };
  await putPushConfig('REGION', r.regionId, { templateId: r.templateId, longTerm: opts.longTerm ?? false, smsTemplateCode: 'HEALTH_TIP' });
  for (const t of opts.tips ?? [{ id: `${id}-general`, title: '少盐少油，吃得更健康' }, { id: `${id}-bp`, title: '高血压：坚持服药', packageCodes: ['BP-PKG'], category: 'prevention' }]) {
    await putTip(tipRecord(r.regionId, t));
  }
  return r;
}

export function tipRecord(regionId: string, t: Partial<TipRecord>): TipRecord {
  return {
    id: randomUUID(),
    regionId,
    institutionId: null,
    title: '健康知识',
    bodyHtml: sanitizeTipHtml('<p>每天食盐<strong>不超过5克</strong>。</p>'),
    category: 'daily',
    ageGroups: [],
    conditions: [],
    packageCodes: [],
    publishFrom: '2026-01-01',
    publishTo: null,
    status: 'approved',
    createdBy: 'test',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    approvedBy: 'test',
    approvedAt: '2026-01-01T00:00:00.000Z',
    retiredBy: null,
    retiredAt: null,
    retireReason: null,
    ...t,
  };
}

export interface MemberSpec {
  memberId?: string;
  name?: string;
  ageGroup?: AgeGroup;
  packages?: string[];
}

/** An active agreement of `accountId` for the given members, written as the signing transaction writes it. */
export async function arrangeAgreement(
  region: Region,
  accountId: string,
  members: MemberSpec[],
  cycle: { cycleStart: LocalDate; cycleEnd: LocalDate } = { cycleStart: '2026-01-01', cycleEnd: '2026-12-31' },
): Promise<AgreementRecord & { memberKeys: string[] }> {
  const id = randomUUID();
  const at = '2026-01-01T00:00:00.000Z';
  const a: AgreementRecord = {
    id,
    accountId,
    representativeName: members[0]?.name ?? '张三',
    teamId: region.teamId,
    teamName: '测试团队',
    institutionId: region.institutionId,
    institutionName: '测试卫生院',
    regionId: region.regionId,
    policyVersion: 'test',
    signingKind: 'free',
    status: 'active',
    ...cycle,
    members: members.map((m) => ({
      memberId: m.memberId ?? randomUUID(),
      name: m.name ?? '张三',
      relation: '本人',
      idNumberMasked: '320481********123X',
      idHash: randomBytes(16).toString('hex'),
      sex: 'M',
      ageGroup: m.ageGroup ?? 'adult_18_64',
      signingKind: 'free',
      packages: (m.packages ?? ['BASIC']).map((code) => ({ code }) as never),
      byPayer: {} as never,
      totalFen: 0,
    })),
    totalFen: 0,
    byPayer: {} as never,
    byPayerGroup: {},
    residentDueFen: 0,
    consent: { agreementTextVersion: 'test', at },
    idempotencyKey: randomUUID(),
    createdAt: at,
    updatedAt: at,
    activatedAt: at,
    paidFen: 0,
    refundedFen: 0,
    payments: [],
    history: [],
    origin: 'signed',
    shard: Number.parseInt(id.slice(0, 2), 16) % 16,
    version: 1,
  };
  await storeClient().send(new PutCommand({ TableName: tableName(), Item: agreementItem(a) }));
  return { ...a, memberKeys: a.members.map((m) => m.idHash) };
}

export interface Harness {
  subscribe: RecordingSubscribeSender;
  sms: RecordingSmsSender;
  /** Every job the planner enqueued, in order (for redelivery tests). */
  enqueued: PushJob[];
  plan(region: Region, today: LocalDate, quarter?: string): Promise<{ plan: PlanResult; outcomes: DeliveryOutcome[]; deadLetters: PushJob[] }>;
  redeliver(jobs: PushJob[]): Promise<DeliveryOutcome[]>;
}

export function harness(): Harness {
  const subscribe = new RecordingSubscribeSender();
  const sms = new RecordingSmsSender();
  const enqueued: PushJob[] = [];
  // The sender's clock: the day of the last plan (a job is delivered the day it is planned).
  let current = new Date('2026-11-20T02:00:00Z');
  const deps = { senders: { subscribe, sms }, now: () => current, env: {} as NodeJS.ProcessEnv };
  return {
    subscribe,
    sms,
    enqueued,
    async plan(region, today, quarter = QUARTER) {
      const queue = new InMemoryPushQueue();
      current = new Date(`${today}T02:00:00Z`);
      const plan = await planQuarter({ quarter, today, now: current, queue, regions: [region.regionId], concurrency: 4 });
      enqueued.push(...queue.jobs);
      const outcomes: DeliveryOutcome[] = [];
      const { deadLetters } = await queue.drain(async (batch) => {
        const r = await processJobs(batch, deps);
        outcomes.push(...r.outcomes);
        return r;
      });
      return { plan, outcomes, deadLetters };
    },
    async redeliver(jobs) {
      return (await processJobs(jobs, deps)).outcomes;
    },
  };
}
