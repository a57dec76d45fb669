/**
 * Demo agreements (after the residents seeder), signed through the same service functions the
 * handlers use, so the team counters and sign locks stay true. Idempotent: fixed idempotency keys
 * replay the same agreement; a person already holding an agreement is left as they are.
 *
 *   dev:zhangwei  张伟 → team a (王建国), 65+ package 160000002-c, paid through the simulated
 *                 WeChat Pay notification path → active
 *   dev:wangfang  王芳 + 刘强 → team c (吴志刚试点团队, capacity 3) → basic package, active:
 *                 the team is nearly full (2/3); 刘小宝 and dev:lina are left to sign in the demo
 */
import { isDomainError } from '@jiayi/shared/domain/errors';
import { AGREEMENT_TEXT_VERSION } from '@jiayi/shared/domain/agreements/document';
import { loginWithOpenid } from '../../../functions/src/db/accounts.repo';
import { listHousehold } from '../../../functions/src/db/household.repo';
import { signAgreement, simulatePayment } from '../../../functions/src/agreements/service';
import { DEMO } from './institutions.seed';
import type { SeedContext, SeedStep } from './demo';

interface DemoSigning {
  login: string;
  teamId: string;
  /** Member names to sign (from the residents seeder), with their chosen packages. */
  members: { name: string; packageCodes: string[] }[];
  pay: boolean;
}

const SIGNINGS: DemoSigning[] = [
  { login: 'zhangwei', teamId: DEMO.teams.a, members: [{ name: '张伟', packageCodes: ['160000002-c'] }], pay: true },
  {
    login: 'wangfang',
    teamId: DEMO.teams.c,
    members: [
      { name: '王芳', packageCodes: [] },
      { name: '刘强', packageCodes: [] },
    ],
    pay: false,
  },
];

async function seedSigning(s: DemoSigning, now: Date): Promise<string> {
  const account = await loginWithOpenid({ openid: `dev_${s.login}`, sessionKey: 'ZGVtby1zZWVkLXNlc3Npb24=', now });
  const household = await listHousehold(account.accountId);
  const members = s.members.map((m) => {
    const found = household.find((h) => h.name === m.name);
    if (!found) throw new Error(`demo member ${m.name} of dev:${s.login} is missing (run the residents seeder first)`);
    return { memberId: found.memberId, packageCodes: m.packageCodes };
  });
  try {
    const r = await signAgreement(account.accountId, { teamId: s.teamId, members, agreementTextVersion: AGREEMENT_TEXT_VERSION, idempotencyKey: `seed-${s.login}-v1` }, now);
    if (s.pay && r.agreement.status === 'pending_payment') await simulatePayment(account.accountId, r.agreement.id, now, `seed-${s.login}`);
    return r.created ? 'signed' : 'kept';
  } catch (e) {
    // Already signed elsewhere (e.g. through the demo UI): leave it.
    if (isDomainError(e) && e.code === 'ALREADY_SIGNED') return 'kept';
    throw e;
  }
}

export async function seedAgreements(ctx: SeedContext): Promise<SeedStep> {
  const outcomes: string[] = [];
  for (const s of SIGNINGS) outcomes.push(`dev:${s.login} ${await seedSigning(s, ctx.now)}`);
  return { summary: `demo agreements (${outcomes.join(', ')}); team ${DEMO.teams.c} nearly full` };
}
