/**
 * Demo data for the local stack, drawn from the policy documents. Idempotent: seeding twice
 * writes the same items. Each feature area has its own seeder file (`*.seed.ts`); they run in
 * the order listed here, through the same repo functions the handlers use.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { setDb } from '../../../functions/src/db/client';
import { localClient } from '../local/tables';
import { seedInstitutions } from './institutions.seed';
import { seedStaff } from './staff.seed';
import { seedResidents } from './residents.seed';
import { seedAgreements } from './agreements.seed';
import { seedTips } from './tips.seed';
import { seedAppointments } from './appointments.seed';
import { seedConsole } from './console.seed';

export interface SeedContext {
  tableName: string;
  now: Date;
}

export interface SeedStep {
  summary: string;
  logins?: string[];
}

export interface SeedResult {
  summary: string;
  logins: string[];
}

/** The seeders, in order (later ones may rely on earlier ones' ids). */
const SEEDERS: { name: string; run: (ctx: SeedContext) => Promise<SeedStep> }[] = [
  { name: 'institutions', run: seedInstitutions },
  { name: 'staff', run: seedStaff },
  { name: 'residents', run: seedResidents },
  { name: 'agreements', run: seedAgreements },
  { name: 'tips', run: seedTips },
  { name: 'appointments', run: seedAppointments },
  { name: 'console', run: seedConsole },
];

export async function seedDemo(opts: { endpoint: string; tableName: string; now: Date }): Promise<SeedResult> {
  // The repos read TABLE_NAME from the environment, as on Lambda.
  process.env.TABLE_NAME = opts.tableName;
  setDb(DynamoDBDocumentClient.from(localClient(opts.endpoint), { marshallOptions: { removeUndefinedValues: true } }));
  const parts: string[] = [];
  const logins: string[] = [];
  for (const s of SEEDERS) {
    const r = await s.run({ tableName: opts.tableName, now: opts.now });
    parts.push(`${s.name}: ${r.summary}`);
    logins.push(...(r.logins ?? []));
  }
  return { summary: parts.join('; '), logins };
}
