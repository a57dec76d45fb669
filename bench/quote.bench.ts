/**
 * Quotes per second for a household of 5 members with 3 packages each (liyang-2019: every
 * member gets the basic package automatically, so 4 priced lines per member, and the
 * two-or-more-personalized-packages rule runs for each). `quote` is pure, so this measures only
 * the policy engine: warm up, then run for about 2 s.
 */
import { policyFor, quote, type QuoteSelection } from '@jiayi/shared/domain/policy/index';
import type { PersonFacts } from '@jiayi/shared/domain/person';

const TODAY = '2024-03-01';

function member(i: number, facts: Partial<PersonFacts>, packageCodes: string[]): QuoteSelection['members'][number] {
  return {
    memberId: `member-${i}`,
    person: { birthDate: '1950-05-01', sex: 'M', conditions: [], statuses: [], insuredLocally: true, localHukou: true, ...facts },
    packageCodes,
  };
}

export const HOUSEHOLD: QuoteSelection = {
  members: [
    member(0, { conditions: ['hypertension', 'diabetes_t2'] }, ['160000002-c', '160000002-d', '160000002-f']),
    member(1, { sex: 'F', conditions: ['hypertension', 'diabetes_t2'], statuses: ['dibao'] }, ['160000002-c', '160000002-e', '160000002-f']),
    member(2, { birthDate: '1985-02-01', conditions: ['hypertension', 'diabetes_t2', 'copd'], insuredLocally: false }, ['160000002-d', '160000002-g', '160000002-e']),
    member(3, { birthDate: '1988-07-01', sex: 'F', conditions: ['pregnant', 'hypertension', 'diabetes_t2'] }, ['160000002-a', '160000002-d', '160000002-e']),
    member(4, { birthDate: '2020-09-01', conditions: ['leukemia'] }, ['160000002-b', '160000002-j', 'LY-BASIC']),
  ],
};

export async function run(): Promise<Record<string, string | number>> {
  const policy = policyFor('liyang-2019', TODAY);
  const check = quote(HOUSEHOLD, policy, TODAY);
  if (!check.ok) throw new Error(`bench household does not quote cleanly: ${JSON.stringify(check.members.flatMap((m) => m.errors))}`);

  let sink = 0;
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) sink += quote(HOUSEHOLD, policy, TODAY).totalFen;

  const duration = 2000;
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < duration) {
    for (let i = 0; i < 100; i++) sink += quote(HOUSEHOLD, policy, TODAY).totalFen;
    n += 100;
    now = performance.now();
  }
  const seconds = (now - start) / 1000;
  return {
    region: 'liyang-2019',
    household: '5 members × 3 packages (+ basic)',
    quotes: n,
    seconds: Number(seconds.toFixed(2)),
    'quotes/s': Math.round(n / seconds),
    'µs/quote': Number(((seconds * 1e6) / n).toFixed(1)),
    totalFen: check.totalFen,
    checksum: sink % 1000,
  };
}

// `npx tsx bench/quote.bench.ts` prints the figures on its own.
if (process.argv[1] && /quote\.bench\.ts$/.test(process.argv[1])) {
  run().then((r) => console.table(r));
}
