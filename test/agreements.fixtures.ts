/**
 * Helpers for the Signing integration tests: a fresh institution + team arranged directly in the
 * store (fresh uuids), households brought to "identity saved + members added" through the
 * residents API, sign requests, simulated WeChat Pay notifications, and an in-process handle on
 * the same store for the scheduled jobs.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { AGREEMENT_TEXT_VERSION } from '@jiayi/shared/domain/agreements/document';
import { outTradeNoOf } from '@jiayi/shared/domain/agreements/lifecycle';
import { SimulatedPayProvider } from '../functions/src/adapters/wechatpay';
import { rfc3339Shanghai } from '../functions/src/adapters/wechatpay/signing';
import { http, storeClient, tableName } from './stack';
import { addMember, freshId, memberBody, resident, type Resident } from './residents.fixtures';
import { keys } from '../functions/src/db/keys';

export const REGION = 'liyang-2019';
/** liyang-2019 附件: 基本服务包 (8 元, public-health fund, resident 0) and the 65+ package (150 元). */
export const BASIC = 'LY-BASIC';
export const ELDERLY = '160000002-c';

export interface Team {
  teamId: string;
  institutionId: string;
}

/** A fresh institution with one team of the given capacity (counter preset to `memberCount`). */
export async function arrangeTeam(capacity: number, memberCount = 0, opts: { institutionId?: string; regionId?: string } = {}): Promise<Team> {
  const institutionId = opts.institutionId ?? randomUUID();
  const regionId = opts.regionId ?? REGION;
  const teamId = randomUUID();
  await storeClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.institution(institutionId), type: 'institution', id: institutionId, regionId, name: '测试卫生院', kind: '乡镇卫生院', address: '测试路1号', phone: '0519-80000001' },
    }),
  );
  await storeClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.team(teamId),
        ...keys.teamByInstitution(institutionId, teamId),
        type: 'team',
        id: teamId,
        institutionId,
        regionId,
        name: `测试团队${teamId.slice(0, 4)}`,
        doctors: [{ name: '王医生', title: '主治医师', role: 'gp', lead: true }],
        clinicHours: ['周一至周五 08:00-11:30'],
        capacity,
        memberCount,
      },
    }),
  );
  return { teamId, institutionId };
}

export async function teamCount(teamId: string): Promise<number> {
  const r = await storeClient().send(new GetCommand({ TableName: tableName(), Key: keys.team(teamId), ConsistentRead: true }));
  return r.Item?.memberCount as number;
}

export interface Household extends Resident {
  /** The holder first, then the added members. */
  memberIds: string[];
}

/**
 * A household of `size` people: the holder (identity saved) plus size-1 members, added one after
 * another through the residents API. `age` applies to everybody (65+ → the elderly package).
 */
export async function household(size = 1, opts: { age?: number; insured?: boolean } = {}): Promise<Household> {
  const r = await resident({ idNumber: freshId(opts.age !== undefined ? { age: opts.age } : {}) });
  const memberIds = [r.selfMemberId];
  for (let i = 1; i < size; i++) {
    const m = await addMember(r, memberBody(freshId(opts.age !== undefined ? { age: opts.age } : {}), { relation: '其他', name: `成员${'甲乙丙丁戊己庚辛壬癸'[i % 10]}`, insuredLocally: opts.insured ?? true }));
    memberIds.push(m.memberId);
  }
  return { ...r, memberIds };
}

export function signRequest(teamId: string, memberIds: string[], packageCodes: string[] = [], extra: Record<string, unknown> = {}) {
  return {
    teamId,
    members: memberIds.map((memberId) => ({ memberId, packageCodes })),
    agreementTextVersion: AGREEMENT_TEXT_VERSION,
    idempotencyKey: `k-${randomUUID()}`,
    ...extra,
  };
}

export async function sign(token: string, body: unknown, expectStatus = 201): Promise<any> {
  const r = await http('POST', '/agreements', { token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(expectStatus);
  return r.body;
}

export const payProvider = new SimulatedPayProvider();

/** The notification WeChat Pay would send for an agreement's order (signed + encrypted with the local simulated keys). */
export function notificationFor(agreementId: string, amountFen: number, opts: { tradeState?: 'SUCCESS' | 'CLOSED' | 'NOTPAY'; transactionId?: string; at?: Date } = {}) {
  const at = opts.at ?? new Date();
  return payProvider.buildNotification({
    outTradeNo: outTradeNoOf(agreementId),
    transactionId: opts.transactionId ?? `4200${Date.now()}${Math.floor(Math.random() * 1e9)}`.slice(0, 28),
    amountFen,
    tradeState: opts.tradeState ?? 'SUCCESS',
    ...((opts.tradeState ?? 'SUCCESS') === 'SUCCESS' && { successTime: rfc3339Shanghai(at) }),
    payerOpenid: 'o-test-payer',
    attach: agreementId,
    now: at,
  });
}

export async function deliver(n: { headers: Record<string, string>; rawBody: string }) {
  // http() sets content-type itself; a second Content-Type would be joined into an invalid one.
  const { 'Content-Type': _ct, ...headers } = n.headers;
  return http('POST', '/payments/wechat/notify', { body: n.rawBody, headers });
}

export async function storedItems(agreementId: string): Promise<Record<string, any>[]> {
  const r = await storeClient().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': keys.agreement(agreementId).pk }, ConsistentRead: true }));
  return r.Items ?? [];
}

export async function lockOf(idHash: string): Promise<Record<string, any> | undefined> {
  const r = await storeClient().send(new GetCommand({ TableName: tableName(), Key: keys.signLock(idHash), ConsistentRead: true }));
  return r.Item;
}

/** Make an unpaid agreement's hold end in the past (the clock is not ours to move). */
export async function backdateHold(agreementId: string, minutesAgo = 1): Promise<void> {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const item = (await storedItems(agreementId)).find((i) => i.sk === 'AGR')!;
  await storeClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.agreement(agreementId),
      UpdateExpression: 'SET pendingExpiresAt = :e, gsi3sk = :s',
      ConditionExpression: '#st = :p',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':e': at, ':s': keys.agreementPending(0, at, agreementId).gsi3sk, ':p': 'pending_payment' },
    }),
  );
  expect(item.status).toBe('pending_payment');
}

let inProcess = false;
/** Point this test process's repos at the stack's store (for the scheduled jobs, called in-process). */
export async function useStoreInProcess(): Promise<void> {
  if (inProcess) return;
  const { inject } = await import('vitest');
  process.env.TABLE_NAME = tableName();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('storeEndpoint');
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_REGION ??= 'cn-northwest-1';
  const { setDb } = await import('../functions/src/db/client');
  setDb(storeClient());
  inProcess = true;
}
