/**
 * Demo residents (dev logins on the local stack), written through the same repo functions as the
 * handlers, with valid generated ID numbers (makeIdNumber) and the consents the handlers would
 * require. Idempotent: an account that already has its identity is left as it is.
 *
 *   dev:zhangwei  张伟, born 1960 (65+), hypertension, local insurance — elderly + chronic packages
 *   dev:wangfang  王芳 with spouse 刘强 and son 刘小宝 (6, guardian consent) — household signing
 *   dev:lina      李娜, 29, pregnant (孕产妇), residence permit — maternal package, non-local
 */
import { CONSENT_PURPOSES, PRIVACY_NOTICE } from '@jiayi/shared/domain/identity/consent';
import { consentsForSave, type ConsentGrant } from '@jiayi/shared/domain/identity/household';
import { makeIdNumber } from '@jiayi/shared/domain/identity/id-number';
import { localDateOf } from '@jiayi/shared/domain/dates';
import type { Condition, Sex } from '@jiayi/shared/domain/person';
import type { IdentityBasis, Relation } from '@jiayi/shared/schemas/residents';
import { acceptPrivacy, loginWithOpenid } from '../../../functions/src/db/accounts.repo';
import { loadAccountPartition } from '../../../functions/src/db/household.repo';
import { addMember, saveIdentity, updateMember } from '../../../functions/src/db/members.repo';
import type { SeedContext, SeedStep } from './demo';

interface DemoPerson {
  name: string;
  birthDate: string;
  sex: Sex;
  seq: number;
  conditions?: Condition[];
  insuredLocally: boolean;
}

interface DemoHousehold {
  login: string;
  label: string;
  holder: DemoPerson & { mobile: string; basis: IdentityBasis };
  members: (DemoPerson & { relation: Relation })[];
}

const REGION = '320481'; // 溧阳市 (liyang-2019)

export const DEMO_HOUSEHOLDS: DemoHousehold[] = [
  {
    login: 'zhangwei',
    label: '65岁以上，高血压',
    holder: { name: '张伟', birthDate: '1960-06-18', sex: 'M', seq: 101, conditions: ['hypertension'], insuredLocally: true, mobile: '13905190001', basis: { kind: 'local_hukou' } },
    members: [],
  },
  {
    login: 'wangfang',
    label: '家庭：配偶 + 6岁儿子',
    holder: { name: '王芳', birthDate: '1991-04-02', sex: 'F', seq: 102, insuredLocally: true, mobile: '13905190002', basis: { kind: 'local_hukou' } },
    members: [
      { relation: '配偶', name: '刘强', birthDate: '1989-09-21', sex: 'M', seq: 103, insuredLocally: true },
      { relation: '子女', name: '刘小宝', birthDate: '2020-05-06', sex: 'M', seq: 104, insuredLocally: true },
    ],
  },
  {
    login: 'lina',
    label: '孕产妇，居住证',
    holder: {
      name: '李娜',
      birthDate: '1997-02-14',
      sex: 'F',
      seq: 105,
      conditions: ['pregnant'],
      insuredLocally: false,
      mobile: '13905190003',
      basis: { kind: 'residence_permit', permitNumber: 'JS320481202400105', expiresOn: '2029-12-31' },
    },
    members: [],
  },
];

const idOf = (p: DemoPerson) => makeIdNumber({ region: REGION, birthDate: p.birthDate, seq: p.seq, sex: p.sex });

const grants = (conditions: Condition[] | undefined): ConsentGrant[] => [
  { purpose: 'id_number', version: CONSENT_PURPOSES.id_number.version },
  ...(conditions?.length ? [{ purpose: 'health_conditions' as const, version: CONSENT_PURPOSES.health_conditions.version }] : []),
];

async function seedHousehold(h: DemoHousehold, now: Date): Promise<boolean> {
  const today = localDateOf(now);
  const at = now.toISOString();
  const account = await loginWithOpenid({ openid: `dev_${h.login}`, sessionKey: 'ZGVtby1zZWVkLXNlc3Npb24=', now });
  if (account.selfMemberId) return false;
  if (account.privacyVersion !== PRIVACY_NOTICE.version) await acceptPrivacy(account.accountId, PRIVACY_NOTICE.version, now);
  const accountId = account.accountId;

  let p = (await loadAccountPartition(accountId))!;
  const selfConsents = consentsForSave({ records: p.consents, subject: {}, grants: grants(h.holder.conditions), needs: ['id_number'], accountId, today, at });
  await saveIdentity({ account: p.account, self: undefined, name: h.holder.name, idNumber: idOf(h.holder), mobile: h.holder.mobile, basis: h.holder.basis, consents: selfConsents, now });

  p = (await loadAccountPartition(accountId))!;
  const self = p.members.find((m) => m.self)!;
  await updateMember({
    accountId,
    current: self,
    draft: { ...self, conditions: h.holder.conditions ?? [], statuses: [], insuredLocally: h.holder.insuredLocally },
    consents: [],
    now,
  });

  for (const m of h.members) {
    p = (await loadAccountPartition(accountId))!;
    const memberId = `demo-${h.login}-${m.seq}`;
    const idNumber = idOf(m);
    const consents = consentsForSave({
      records: p.consents,
      subject: { memberId, birthDate: m.birthDate },
      grants: grants(m.conditions),
      needs: ['id_number'],
      accountId,
      today,
      at,
    });
    await addMember({
      accountId,
      memberId,
      draft: { relation: m.relation, name: m.name, idNumber, conditions: m.conditions ?? [], statuses: [], insuredLocally: m.insuredLocally, localHukou: true },
      consents,
      now,
    });
  }
  return true;
}

export async function seedResidents(ctx: SeedContext): Promise<SeedStep> {
  let created = 0;
  for (const h of DEMO_HOUSEHOLDS) if (await seedHousehold(h, ctx.now)) created++;
  return {
    summary: `${DEMO_HOUSEHOLDS.length} demo households (${created} new)`,
    logins: DEMO_HOUSEHOLDS.map((h) => `居民 dev:${h.login}（${h.holder.name}，${h.label}）`),
  };
}
