/**
 * Appointments (issue 6): bookings per second and latency of the real booking path — the
 * service's reads (idempotency, agreement, slot, counter) + the 5-item TransactWriteItems through
 * our local transaction layer — under 50 concurrent clients:
 *
 *   spread      50 clients booking over 200 slots (no two bookings of one member, ample places)
 *   contention  50 clients booking the same slot (every transaction moves one slot counter)
 *
 * each next to a plain PutItem round trip at the same concurrency (the ratio is what matters;
 * absolute figures depend on the machine). In-process against a fresh in-memory store on
 * loopback; ~25 s. BENCH_API=1 adds the same spread phase through the HTTP API
 * (serverless-offline, slower to start: ~+40 s).
 *
 *   npx tsx bench/appointments.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { addDays, localDateOf } from '@jiayi/shared/domain/dates';
import { CLINIC_APPOINTMENT_ITEM_CODE } from '@jiayi/shared/domain/policy';
import type { RotaSession } from '@jiayi/shared/domain/appointments/rota';
import { startStore } from '../infra/src/local/store';
import { ensureTable, localClient } from '../infra/src/local/tables';
import { freePort, startApi } from '../infra/src/local/offline';
import { keys } from '../functions/src/db/keys';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

// The API (serverless.yml, stage local) reads the table jiayi-local; the store is a fresh in-memory one.
const TABLE = 'jiayi-local';
const CLIENTS = 50;
const PHASE_MS = 6000;
const WARMUP = 2;
/** 4 households × 6 members per client: indices below 24 name distinct members. */
const WARMUP_INDEX = 23;

const round = (x: number, d = 1) => Number(x.toFixed(d));
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Phase {
  perSec: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

/** `CLIENTS` loops, each calling `op(client, n)` until the phase ends. */
async function phase(op: (client: number, n: number) => Promise<boolean>, ms = PHASE_MS): Promise<Phase> {
  // Warm-up (connections, JIT) with the highest indices, so it never takes a member the phase uses.
  for (let c = 0; c < Math.min(CLIENTS, 4); c++) for (let i = 0; i < WARMUP; i++) await op(c, WARMUP_INDEX - i);
  const lat: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const stopAt = start + ms;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let n = 0; performance.now() < stopAt; n++) {
        const t0 = performance.now();
        const good = await op(c, n);
        lat.push(performance.now() - t0);
        if (good) ok++;
        else failed++;
      }
    }),
  );
  const secs = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { perSec: ok / secs, p50: percentile(lat, 50), p99: percentile(lat, 99), ok, failed };
}

export async function run(): Promise<Record<string, string | number>> {
  const store = await startStore({ port: await freePort() });
  const raw = localClient(store.endpoint);
  await ensureTable(raw, TABLE);
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  process.env.TABLE_NAME = TABLE;
  const { setDb } = await import('../functions/src/db/client');
  setDb(doc);
  const { book, reconcileTeam } = await import('../functions/src/appointments/service');
  const { putRota } = await import('../functions/src/db/appointments.repo');
  const { putTeam } = await import('../functions/src/db/teams.repo');
  const out: Record<string, string | number> = {};
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  try {
    const now = new Date();
    const tomorrow = addDays(localDateOf(now), 1);

    /** A team with a published rota (horizon 2 days) and its slots generated. */
    async function team(sessions: RotaSession[]): Promise<string> {
      const teamId = `bench-${randomUUID().slice(0, 8)}`;
      await putTeam({ id: teamId, institutionId: 'bench-inst', regionId: 'liyang-2019', name: '压测团队', doctors: [], clinicHours: [], capacity: 100000 });
      const rota = { teamId, institutionId: 'bench-inst', regionId: 'liyang-2019', sessions, closedDates: [], horizonDays: 2, version: 1, publishedAt: now.toISOString(), publishedBy: 'bench' };
      await putRota(rota, undefined);
      await reconcileTeam(rota, now);
      return teamId;
    }
    const daily = (places: number, start: string, end: string, slotMinutes: number): RotaSession[] =>
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, kind: 'evening', start, end, slotMinutes, placesPerSlot: places }));

    /**
     * Per client, ACCOUNTS households of MEMBERS signed members (an active agreement arranged
     * directly, as signing writes it) — household-sized agreements, as in real use.
     */
    const ACCOUNTS = 4;
    const MEMBERS = 6;
    type Household = { accountId: string; memberIds: string[] };
    async function households(teamId: string, accountIds?: string[]): Promise<Household[][]> {
      return Promise.all(
        Array.from({ length: CLIENTS }, (_, c) =>
          Promise.all(
            Array.from({ length: ACCOUNTS }, async (_, k) => {
              const accountId = accountIds?.[c * ACCOUNTS + k] ?? randomUUID();
              const id = randomUUID();
              const at = new Date().toISOString();
              const memberIds = Array.from({ length: MEMBERS }, () => randomUUID());
              const pkg = { code: 'LY-BASIC', name: '基本服务包', category: 'basic', items: [{ code: CLINIC_APPOINTMENT_ITEM_CODE, name: '签约门诊预约服务' }] };
              await doc.send(
                new PutCommand({
                  TableName: TABLE,
                  Item: {
                    ...keys.agreement(id), ...keys.agreementByAccount(accountId, at, id), type: 'agreement',
                    id, accountId, teamId, teamName: '压测团队', institutionId: 'bench-inst', regionId: 'liyang-2019', status: 'active',
                    cycleStart: addDays(tomorrow, -30), cycleEnd: addDays(tomorrow, 300), createdAt: at, updatedAt: at,
                    members: memberIds.map((memberId) => ({ memberId, name: '居民', relation: '其他', packages: [pkg] })),
                  },
                }),
              );
              return { accountId, memberIds };
            }),
          ),
        ),
      );
    }
    /** The n-th booking of a client: household n mod ACCOUNTS, member ⌊n / ACCOUNTS⌋ mod MEMBERS (each member books up to 3 times, at different slots). */
    const who = (hh: Household[], n: number) => {
      const i = n;
      const h = hh[i % ACCOUNTS]!;
      return { accountId: h.accountId, memberId: h.memberIds[Math.floor(i / ACCOUNTS) % MEMBERS]! };
    };

    // ---- baseline: a plain PutItem round trip at the same concurrency
    const put = await phase(async (c, n) => {
      await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: `BENCH#${c}`, sk: `PUT#${n}`, v: n } }));
      return true;
    }, 3000);

    // ---- spread: 200 slots, each client's members book slot (n mod 200) one member per booking
    // Every day 07:20-24:00 in 5-minute slots = 200 slots a day, 60 places each.
    const spreadTeam = await team(daily(60, '07:20', '24:00', 5));
    const spreadHh = await households(spreadTeam);
    const slotIds: string[] = [];
    for (let t = 7 * 60 + 20; t + 5 <= 24 * 60; t += 5) slotIds.push(`${tomorrow}_${String(Math.floor(t / 60)).padStart(2, '0')}${String(t % 60).padStart(2, '0')}_t`);
    const bookOp = (teamId: string, hh: Household[][], slotOf: (c: number, n: number) => string) => async (c: number, n: number) => {
      const w = who(hh[c]!, n);
      try {
        await book(w.accountId, { teamId, slotId: slotOf(c, n), memberId: w.memberId, reason: '压测', idempotencyKey: `b-${randomUUID()}` }, new Date());
        return true;
      } catch {
        return false;
      }
    };
    const spread = await phase(bookOp(spreadTeam, spreadHh, (c, n) => slotIds[(c * ACCOUNTS + n + 1000) % slotIds.length]!));

    // ---- contention: one slot with ample places, every booking moves the same counter
    const hotTeam = await team(daily(100000, '23:00', '24:00', 60));
    const hotHh = await households(hotTeam);
    const hot = await phase(bookOp(hotTeam, hotHh, () => `${tomorrow}_2300_t`));

    out['slots (spread)'] = slotIds.length;
    out['PutItem ops/s'] = round(put.perSec);
    out['PutItem p50 ms'] = round(put.p50, 2);
    out['PutItem p99 ms'] = round(put.p99, 2);
    out['spread bookings/s'] = round(spread.perSec);
    out['spread p50 ms'] = round(spread.p50);
    out['spread p99 ms'] = round(spread.p99);
    out['spread refused'] = spread.failed;
    out['spread p50 / PutItem p50'] = round(spread.p50 / put.p50);
    out['PutItem ops/s / spread bookings/s'] = round(put.perSec / spread.perSec);
    out['contention bookings/s'] = round(hot.perSec);
    out['contention p50 ms'] = round(hot.p50);
    out['contention p99 ms'] = round(hot.p99);
    out['contention refused'] = hot.failed;
    out['contention p50 / PutItem p50'] = round(hot.p50 / put.p50);
    out['PutItem ops/s / contention bookings/s'] = round(put.perSec / hot.perSec);

    if (process.env.BENCH_API === '1') {
      api = await startApi({ storeEndpoint: store.endpoint, tableName: TABLE, port: await freePort(), quiet: true });
      const tokens = await Promise.all(
        Array.from({ length: CLIENTS * ACCOUNTS }, async (_, c) => {
          const r = await fetch(`${api!.url}/auth/wechat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: `dev:bench${c}${randomUUID().slice(0, 6)}` }) });
          return (await r.json()) as { token: string; accountId: string };
        }),
      );
      const apiTeam = await team(daily(60, '07:20', '24:00', 5));
      const apiHh = await households(apiTeam, tokens.map((t) => t.accountId));
      const viaApi = await phase(async (c, n) => {
        const w = who(apiHh[c]!, n);
        const token = tokens.find((t) => t.accountId === w.accountId)!.token;
        const r = await fetch(`${api!.url}/appointments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ teamId: apiTeam, slotId: slotIds[(c * ACCOUNTS + n + 1000) % slotIds.length], memberId: w.memberId, reason: '压测', idempotencyKey: `b-${randomUUID()}` }),
        });
        await r.text();
        return r.status === 201;
      });
      out['API spread bookings/s'] = round(viaApi.perSec);
      out['API spread p50 ms'] = round(viaApi.p50);
      out['API spread p99 ms'] = round(viaApi.p99);
      out['API p50 / PutItem p50'] = round(viaApi.p50 / put.p50);
    }
  } finally {
    await api?.close();
    await store.close();
  }
  return out;
}

if (require.main === module) {
  void run().then((r) => console.table(r));
}
