/**
 * Sign-and-pay on the local stack: its own store (dynalite + transaction layer) and HTTP API
 * (serverless-offline, the same handlers and routes as serverless.yml). 50 concurrent clients each
 * loop POST /agreements (a paid 65+ package, liyang-2019) → POST /agreements/{id}/pay →
 * POST /payments/simulate/{id} (signed + encrypted notification through the real notify path).
 * Reported: throughput (sign-and-pay per second), p50/p99 of one sign-and-pay, and the same
 * percentiles of a single plain PutItem on the same store, with the ratio.
 *
 *   npx tsx bench/sign.bench.ts           (prints a table)
 *   run() from bench/run.ts               (returns the figures)
 *
 * Bounded: ~8 s of measurement after the stack is up (starting serverless-offline bundles the
 * functions first). Residents are prepared in-process through the repo functions (fast), then
 * logged in through POST /auth/wechat with dev codes.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/src/db/keys';
import { makeIdNumber } from '@jiayi/shared/domain/identity/id-number';
import { CONSENT_PURPOSES, PRIVACY_NOTICE } from '@jiayi/shared/domain/identity/consent';
import { consentsForSave } from '@jiayi/shared/domain/identity/household';
import { addDays, addYears, localDateOf } from '@jiayi/shared/domain/dates';
import { AGREEMENT_TEXT_VERSION } from '@jiayi/shared/domain/agreements/document';
import { startStore } from '../infra/src/local/store';
import { ensureTable, localClient } from '../infra/src/local/tables';
import { freePort, startApi } from '../infra/src/local/offline';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// serverless.yml names the table jiayi-<stage>: the local stage's API always uses jiayi-local.
const TABLE = 'jiayi-local';
const CLIENTS = 50;
const MEMBERS_PER_HOUSEHOLD = 20;
const HOUSEHOLDS = 40; // 800 persons: one per sign
const WARMUP_OPS = CLIENTS;
const MEASURE_MS = 6000;
const PUT_MS = 1500;

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function call(api: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    // Bounded: a request the local stack does not answer in 30 s counts as a failure.
    signal: AbortSignal.timeout(30_000),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

interface Person {
  token: string;
  memberId: string;
}

/** Households of 65+ members: logged in over HTTP, identity and members written in-process. */
async function preparePersons(api: string): Promise<Person[]> {
  const { acceptPrivacy } = await import('../functions/src/db/accounts.repo');
  const { loadAccountPartition } = await import('../functions/src/db/household.repo');
  const { addMember, saveIdentity } = await import('../functions/src/db/members.repo');
  const now = new Date();
  const today = localDateOf(now);
  const at = now.toISOString();
  let seq = 0;
  const idNumber = () => {
    seq += 1;
    const birthDate = addDays(addYears(today, -70), -(seq % 300) - 1);
    return makeIdNumber({ region: ['320481', '110105', '330784', '220102'][seq % 4]!, birthDate, seq: Math.floor(seq / 300) % 500, sex: seq % 2 ? 'M' : 'F' });
  };
  const persons: Person[] = [];
  await Promise.all(
    Array.from({ length: HOUSEHOLDS }, async (_, h) => {
      const login = await call(api, 'POST', '/auth/wechat', undefined, { code: `dev:bench${h}${randomUUID().slice(0, 6)}` });
      const accountId = login.body.accountId as string;
      await acceptPrivacy(accountId, PRIVACY_NOTICE.version, now);
      let p = (await loadAccountPartition(accountId))!;
      const grants = [{ purpose: 'id_number' as const, version: CONSENT_PURPOSES.id_number.version }];
      const selfId = await saveIdentity({
        account: p.account,
        self: undefined,
        name: '张伟',
        idNumber: idNumber(),
        mobile: '13905190001',
        basis: { kind: 'local_hukou' },
        consents: consentsForSave({ records: p.consents, subject: {}, grants, needs: ['id_number'], accountId, today, at }),
        now,
      });
      persons.push({ token: login.body.token, memberId: selfId });
      for (let i = 1; i < MEMBERS_PER_HOUSEHOLD; i++) {
        p = (await loadAccountPartition(accountId))!;
        const memberId = randomUUID();
        const id = idNumber();
        await addMember({
          accountId,
          memberId,
          draft: { relation: '其他', name: '李四', idNumber: id, conditions: [], statuses: [], insuredLocally: true, localHukou: true },
          consents: consentsForSave({ records: p.consents, subject: { memberId, birthDate: '1950-01-01' }, grants, needs: ['id_number'], accountId, today, at }),
          now,
        });
        persons.push({ token: login.body.token, memberId });
      }
    }),
  );
  return persons;
}

export async function run(): Promise<Record<string, string | number>> {
  const store = await startStore({ port: await freePort() });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = store.endpoint;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_REGION ??= 'cn-northwest-1';
  process.env.TABLE_NAME = TABLE;
  process.env.LOG_LEVEL ??= 'silent';
  const doc = DynamoDBDocumentClient.from(localClient(store.endpoint), { marshallOptions: { removeUndefinedValues: true } });
  await ensureTable(localClient(store.endpoint), TABLE);
  const api = await startApi({ storeEndpoint: store.endpoint, tableName: TABLE, port: await freePort(), quiet: process.env.BENCH_VERBOSE !== '1' }).catch(async (e: unknown) => {
    await store.close();
    throw e;
  });
  try {
    const { setDb } = await import('../functions/src/db/client');
    setDb(doc);
    const institutionId = `bench-${randomUUID()}`;
    const teamId = `bench-${randomUUID()}`;
    await doc.send(new PutCommand({ TableName: TABLE, Item: { ...keys.institution(institutionId), type: 'institution', id: institutionId, regionId: 'liyang-2019', name: '基准测试卫生院', kind: '乡镇卫生院', address: '-', phone: '-' } }));
    await doc.send(
      new PutCommand({
        TableName: TABLE,
        Item: { ...keys.team(teamId), type: 'team', id: teamId, institutionId, regionId: 'liyang-2019', name: '基准团队', doctors: [], clinicHours: [], capacity: 1_000_000, memberCount: 0 },
      }),
    );
    const persons = await preparePersons(api.url);
    let next = 0;
    let failures = 0;
    const signAndPay = async (): Promise<number | undefined> => {
      const p = persons[next++];
      if (!p) return undefined;
      const t0 = performance.now();
      try {
        return await signAndPayOnce(p, t0);
      } catch {
        failures += 1;
        return performance.now() - t0;
      }
    };
    const signAndPayOnce = async (p: Person, t0: number): Promise<number> => {
      const s = await call(api.url, 'POST', '/agreements', p.token, {
        teamId,
        members: [{ memberId: p.memberId, packageCodes: ['160000002-c'] }],
        agreementTextVersion: AGREEMENT_TEXT_VERSION,
        idempotencyKey: `bench-${randomUUID()}`,
      });
      const pay = s.status === 201 ? await call(api.url, 'POST', `/agreements/${s.body.id}/pay`, p.token) : s;
      const sim = pay.status === 200 ? await call(api.url, 'POST', `/payments/simulate/${s.body.id}`, p.token) : pay;
      if (sim.status !== 200 || sim.body.outcome !== 'activate') failures += 1;
      return performance.now() - t0;
    };

    // Warm-up: one op per client (cold worker threads, connections, JIT).
    await Promise.all(Array.from({ length: WARMUP_OPS }, signAndPay));

    const latencies: number[] = [];
    const started = performance.now();
    const stopAt = started + MEASURE_MS;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < stopAt) {
          const ms = await signAndPay();
          if (ms === undefined) return;
          latencies.push(ms);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    // A single plain PutItem on the same store (through the layer), one at a time.
    const puts: number[] = [];
    for (let end = performance.now() + PUT_MS; performance.now() < end; ) {
      const t0 = performance.now();
      await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: `bench-put-${randomUUID()}`, sk: 'X', payload: 'x'.repeat(200) } }));
      puts.push(performance.now() - t0);
    }
    puts.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    return {
      clients: CLIENTS,
      'sign_and_pay.count': latencies.length,
      'sign_and_pay.failures': failures,
      'sign_and_pay.ops_s': round(latencies.length / elapsed, 1),
      'sign_and_pay.p50_ms': round(p50, 1),
      'sign_and_pay.p99_ms': round(percentile(latencies, 99), 1),
      'put.p50_ms': round(percentile(puts, 50)),
      'put.p99_ms': round(percentile(puts, 99)),
      'ratio.sign_and_pay_p50_vs_put_p50': round(p50 / percentile(puts, 50), 1),
    };
  } finally {
    await api.close();
    await store.close();
  }
}

if (require.main === module) {
  run()
    .then((f) => {
      console.table(f);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
