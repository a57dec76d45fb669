/**
 * Helpers for the Residents integration tests: fresh dev logins, fresh valid ID numbers, and a
 * resident brought to a given step (privacy accepted, consent given, identity saved).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { addDays, addYears, localDateOf, type LocalDate } from '@jiayi/shared/domain/dates';
import { CONSENT_PURPOSES, PRIVACY_NOTICE } from '@jiayi/shared/domain/identity/consent';
import { makeIdNumber } from '@jiayi/shared/domain/identity/id-number';
import type { Sex } from '@jiayi/shared/domain/person';
import { expect } from 'vitest';
import { http, storeClient, tableName } from './stack';
import { keys } from '../functions/src/db/keys';

export const V = {
  privacy: PRIVACY_NOTICE.version,
  id: CONSENT_PURPOSES.id_number.version,
  health: CONSENT_PURPOSES.health_conditions.version,
} as const;

export const today = (): LocalDate => localDateOf(new Date());

const REGIONS = ['320481', '110105', '330784', '220102', '371002', '440305', '510104'];

/** A valid ID number nobody else in this test run has (random region, birth date and order code). */
export function freshId(opts: { age?: number; sex?: Sex } = {}): string {
  const age = opts.age ?? randomInt(20, 70);
  // Born between (age+1) years and age years ago (minus a day), so the age is exact today.
  const birthDate = addDays(addYears(today(), -age), -randomInt(1, 360));
  return makeIdNumber({ region: REGIONS[randomInt(REGIONS.length)]!, birthDate, seq: randomInt(500), sex: opts.sex ?? (randomInt(2) ? 'M' : 'F') });
}

/** The same number with a wrong check character. */
export function withWrongCheckChar(id: string): string {
  const last = id[17]!;
  return id.slice(0, 17) + (last === '1' ? '2' : '1');
}

export function devCode(prefix = 'r'): string {
  return `dev:${prefix}${randomBytes(6).toString('hex')}`;
}

export interface Session {
  token: string;
  accountId: string;
  code: string;
}

export async function login(code = devCode()): Promise<Session> {
  const r = await http('POST', '/auth/wechat', { body: { code } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { token: r.body.token, accountId: r.body.accountId, code };
}

export async function acceptPrivacy(s: Session): Promise<void> {
  const r = await http('POST', '/me/privacy', { token: s.token, body: { version: V.privacy } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

export async function grant(s: Session, purpose: 'id_number' | 'health_conditions' | 'sms', memberId?: string): Promise<any> {
  const r = await http('POST', '/me/consents', {
    token: s.token,
    body: { purpose, version: CONSENT_PURPOSES[purpose].version, action: 'grant', ...(memberId ? { memberId } : {}) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

export function identityOf(idNumber: string, name = '张三') {
  return { name, idNumber, mobile: '13812345678', basis: { kind: 'local_hukou' } };
}

export interface Resident extends Session {
  idNumber: string;
  selfMemberId: string;
}

/** Logged in, notice accepted, id_number consent given, identity saved. */
export async function resident(opts: { idNumber?: string; name?: string } = {}): Promise<Resident> {
  const s = await login();
  await acceptPrivacy(s);
  await grant(s, 'id_number');
  const idNumber = opts.idNumber ?? freshId();
  const r = await http('PUT', '/me/identity', { token: s.token, body: identityOf(idNumber, opts.name) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { ...s, idNumber, selfMemberId: r.body.household.representativeMemberId };
}

export function memberBody(idNumber: string, extra: Record<string, unknown> = {}) {
  return {
    relation: '配偶',
    name: '李四',
    idNumber,
    insuredLocally: true,
    localHukou: true,
    consents: [{ purpose: 'id_number', version: V.id }],
    ...extra,
  };
}

export async function addMember(s: Session, body: Record<string, unknown>): Promise<any> {
  const r = await http('POST', '/me/members', { token: s.token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** Every stored item of an account's partition (for checking what is at rest). */
export async function partitionItems(accountId: string): Promise<Record<string, any>[]> {
  const r = await storeClient().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': keys.account(accountId).pk } }));
  return r.Items ?? [];
}

/** The person-uniqueness items that point at an account. */
export async function uniquenessItemsOf(accountId: string): Promise<Record<string, any>[]> {
  // A Scan answers at most 1 MB a page: follow every page (the shared test table grows large).
  const items: Record<string, any>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const r = await storeClient().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: '#t = :t AND accountId = :a',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':t': 'person-unique', ':a': accountId },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return items;
}
