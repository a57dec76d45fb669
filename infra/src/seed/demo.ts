/**
 * Demo data for the local stack, drawn from the policy documents. Idempotent: seeding twice
 * writes the same items.
 */
export interface SeedResult {
  summary: string;
  logins: string[];
}

export async function seedDemo(_opts: { endpoint: string; tableName: string; now: Date }): Promise<SeedResult> {
  return { summary: 'nothing to seed yet', logins: [] };
}
