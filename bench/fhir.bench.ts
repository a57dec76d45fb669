/**
 * Institution FHIR export at scale (issue 21): one institution with 10 teams and 20,000 residents
 * (10,000 households of two, each with an account, members with encrypted ID numbers, consents,
 * an active agreement, a ledger entry and a delivered tip) seeded straight into an in-memory local
 * store in a child process (bench/push-store.child.ts). Then the export runs page after page as
 * the route does it (exportPage → NDJSON text → access-log batch), and the heap is sampled:
 *
 *   - live heap (after a full GC) at each quarter of the export, as a ratio to the live heap after
 *     the first page — flat (≈1.0) means nothing accumulates across pages;
 *   - heap high-water mark above the start (incl. garbage), per page size;
 *   - residents per second, bytes per page.
 *
 *   npx tsx bench/fhir.bench.ts        BENCH_FHIR_RESIDENTS=40000 to change the size
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startChildStore } from './child-store';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';
const TABLE = 'jiayi-bench-fhir';
process.env.TABLE_NAME = TABLE;
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;


const INST = 'bench-inst';
const TEAMS = Array.from({ length: 10 }, (_v, i) => `bench-team-${String(i).padStart(2, '0')}`);
const AT = '2026-01-05T02:00:00.000Z';

async function seed(doc: DynamoDBDocumentClient, households: number): Promise<number> {
  const { keys } = await import('../functions/src/db/keys');
  const { agreementItem } = await import('../functions/src/db/agreements.tx');
  const { fulfilmentItem } = await import('../functions/src/db/fulfilment.repo');
  const { consentPut } = await import('../functions/src/db/consents.repo');
  const { idNumberHash, places, seal } = await import('../functions/src/lib/pii');
  const { makeIdNumber, maskIdNumber } = await import('@jiayi/shared/domain/identity/id-number');
  const { CONSENT_PURPOSES } = await import('@jiayi/shared/domain/identity/consent');
  const { putInstitution, putTeam } = await import('../functions/src/db/teams.repo');
  const { putTip } = await import('../functions/src/db/tips.repo');
  await putInstitution({ id: INST, regionId: 'liyang-2019', name: '基准测试卫生院', kind: '乡镇卫生院', address: '测试路1号', phone: '0519-80000000' });
  for (const t of TEAMS) await putTeam({ id: t, institutionId: INST, regionId: 'liyang-2019', name: `团队${t.slice(-2)}`, capacity: 5000, doctors: [{ name: '王医生', title: '主治医师', role: 'gp', lead: true }], clinicHours: [] });
  await putTip({ id: 'bench-tip', regionId: 'all', institutionId: null, title: '少盐少油', bodyHtml: '<p>每天食盐不超过5克。</p>', category: 'daily', ageGroups: [], conditions: [], packageCodes: [], publishFrom: '2026-01-01', publishTo: null, status: 'approved', createdBy: 'b', createdAt: AT, updatedAt: AT, approvedBy: 'b', approvedAt: AT, retiredBy: null, retiredAt: null, retireReason: null });

  const itemsOf = (n: number): Record<string, unknown>[] => {
    const acct = `bench-acct-${n}`;
    const people = [0, 1].map((k) => {
      const memberId = `bench-m-${n}-${k}`;
      const idNumber = makeIdNumber({ region: '320481', birthDate: `19${50 + (n % 40)}-0${1 + k}-15`, seq: (n * 2 + k) % 500, sex: k ? 'F' : 'M' });
      return { memberId, idNumber, idHash: idNumberHash(`${idNumber}#${n}`), self: k === 0 };
    });
    const members = people.map((p, k) => ({
      ...keys.member(acct, p.memberId),
      type: 'member',
      accountId: acct,
      memberId: p.memberId,
      relation: k ? '配偶' : '本人',
      self: p.self,
      name: k ? '李四' : '张三',
      idNumberEnc: seal(p.idNumber, places.idNumber(acct, p.memberId)),
      idHash: p.idHash,
      idNumberMasked: maskIdNumber(p.idNumber),
      insuredLocally: true,
      localHukou: true,
      createdAt: AT,
      updatedAt: AT,
      version: 1,
    }));
    const consents = people.map((p, k) => consentPut(acct, { purpose: 'id_number', version: CONSENT_PURPOSES.id_number.version, decision: 'granted', at: AT, by: acct, role: p.self ? 'self' : 'representative', ...(p.self ? {} : { onBehalfOf: p.memberId }) }, k).Put!.Item!);
    const agreementId = `bench-agr-${n}`;
    const pkg = { code: 'LY-BASIC', name: '基本服务包', category: 'basic', priceFen: 800, byPayer: { public_health: 800 }, shares: [], autoIncluded: true, notes: [], items: [{ code: 'LY-BASIC/1', name: '健康档案', kind: 'ongoing', quantity: null, per: null, bound: 'exact', unit: '项', promisedUnits: 0, includedFromBasic: null, unitValueFen: null, frequencyText: null }] };
    const agreement = agreementItem({
      id: agreementId, accountId: acct, representativeName: '张三', teamId: TEAMS[n % TEAMS.length]!, teamName: '团队', institutionId: INST, institutionName: '基准测试卫生院',
      regionId: 'liyang-2019', policyVersion: '2019.1', signingKind: 'free', status: 'active', cycleStart: '2026-01-01', cycleEnd: '2026-12-31',
      members: people.map((p, k) => ({ memberId: p.memberId, name: k ? '李四' : '张三', relation: k ? '配偶' : '本人', idNumberMasked: '320481********123X', idHash: p.idHash, sex: k ? 'F' : 'M', ageGroup: 'adult_18_64', signingKind: 'free', packages: [pkg], byPayer: { public_health: 800 }, totalFen: 800 })),
      totalFen: 1600, byPayer: { public_health: 1600 }, byPayerGroup: {}, residentDueFen: 0, consent: { agreementTextVersion: '2025.1', at: AT },
      idempotencyKey: agreementId, createdAt: AT, updatedAt: AT, paidFen: 0, refundedFen: 0, payments: [], history: [], origin: 'signed', shard: n % 16, version: 1,
    } as never);
    const account = { ...keys.account(acct), type: 'account', accountId: acct, openid: `bench-${n}`, createdAt: AT, selfMemberId: people[0]!.memberId, memberCount: 2 };
    const ledger = fulfilmentItem({ agreementId, entryId: `e-${n}`, memberId: people[0]!.memberId, packageCode: 'LY-BASIC', itemCode: 'LY-BASIC/1', quantity: 1, at: '2026-01-05', by: 'bench-doctor' });
    const delivery = {
      ...keys.pushDelivery('2026Q1', people[0]!.idHash), type: 'push-delivery', quarter: '2026Q1', memberKey: people[0]!.idHash, accountId: acct, memberId: people[0]!.memberId, memberName: '张三',
      agreementId, regionId: 'liyang-2019', institutionId: INST, teamId: TEAMS[n % TEAMS.length], shard: n % 16, tipId: 'bench-tip', repeat: false, messageId: `tip-2026Q1-${n}`,
      runId: 'r', runIds: ['r'], channel: 'inbox', creditSpent: false, externalStatus: 'none', createdAt: AT, updatedAt: AT,
    };
    return [account, ...members, ...consents, agreement, ledger, delivery];
  };

  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < households) {
      const n = next;
      next += 3;
      const items = [n, n + 1, n + 2].filter((x) => x < households).flatMap(itemsOf);
      let request: Record<string, unknown[]> | undefined = { [TABLE]: items.map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) {
        const r = await doc.send(new BatchWriteCommand({ RequestItems: request as never }));
        request = r.UnprocessedItems as never;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return performance.now() - started;
}

/** Baseline: the same store answering one account-partition Query per household (16 in flight). */
async function rawPartitionReads(households: number): Promise<number> {
  const { loadAccountPartition } = await import('../functions/src/db/household.repo');
  const n = Math.min(households, 2000);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) await loadAccountPartition(`bench-acct-${next++}`);
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

async function exportAll(count: number, residents: number) {
  const { exportPage } = await import('../functions/src/fhir/bulk');
  const { recordAccessBatch } = await import('../functions/src/db/access-log.repo');
  const { getInstitution, listTeams } = await import('../functions/src/db/teams.repo');
  const institution = (await getInstitution(INST))!;
  const teams = await listTeams(INST);
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  const live: number[] = [];
  const marks = [0.25, 0.5, 0.75, 1];
  let mark = 0;
  let exported = 0;
  let pages = 0;
  let maxBytes = 0;
  let resources = 0;
  let cursor: Awaited<ReturnType<typeof exportPage>>['next'];
  const now = new Date('2026-03-01T02:00:00Z');
  const started = performance.now();
  do {
    const page = await exportPage({ institution, teams, cursor, count, types: undefined, now });
    const body = page.lines.join('\n'); // what the route sends
    await recordAccessBatch(page.access.map((a) => ({ ...a, staffId: 'bench-admin', role: 'institution_admin', purpose: 'bench', at: now.toISOString() })));
    exported += page.access.length;
    resources += page.lines.length;
    maxBytes = Math.max(maxBytes, Buffer.byteLength(body));
    pages++;
    cursor = page.next;
    // Live heap (after a full GC): once after page 1, then as the export passes each quarter.
    if (pages === 1) {
      gc();
      live.push(process.memoryUsage().heapUsed - base);
    }
    while (mark < marks.length && exported >= marks[mark]! * residents) {
      gc();
      live.push(process.memoryUsage().heapUsed - base);
      mark++;
    }
  } while (cursor);
  const ms = performance.now() - started;
  clearInterval(timer);
  return { ms, exported, pages, resources, maxBytes, live, peakMb: (Math.max(peak, process.memoryUsage().heapUsed) - base) / 2 ** 20 };
}

export async function run(): Promise<Record<string, string | number>> {
  const residents = Number(process.env.BENCH_FHIR_RESIDENTS ?? 20_000);
  const households = Math.ceil(residents / 2);
  const store = await startChildStore(TABLE);
  const out: Record<string, string | number> = {};
  try {
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: store.endpoint, region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) } }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const { setDb } = await import('../functions/src/db/client');
    setDb(doc);
    out['seed: households / residents'] = `${households} / ${households * 2}`;
    out['seed s (BatchWrite)'] = +((await seed(doc, households)) / 1000).toFixed(1);
    const raw = await rawPartitionReads(households);
    out['baseline: account-partition Queries/s (one per household)'] = Math.round(raw);
    const count = 200;
    const r = await exportAll(count, households * 2);
    const first = r.live[0]!;
    out['export: residents exported'] = r.exported;
    out['export: pages (households per page)'] = `${r.pages} (${count})`;
    out['export: resources (NDJSON lines)'] = r.resources;
    out['export: residents/s'] = Math.round(r.exported / (r.ms / 1000));
    // Each household costs 5 reads (partition, agreements, appointments, ledger, tip deliveries).
    out['export households/s ÷ baseline Queries/s'] = +(r.exported / 2 / (r.ms / 1000) / raw).toFixed(2);
    out['export: largest page KB (soft limit 2,441)'] = +(r.maxBytes / 1024).toFixed(0);
    out['live heap after page 1, MB above start'] = +(first / 2 ** 20).toFixed(1);
    ['25%', '50%', '75%', '100%'].forEach((label, i) => {
      const v = r.live[i + 1];
      if (v !== undefined) out[`live heap at ${label} of residents / after page 1 (flat ≈ 1.0; 100% = the last, partial page)`] = +(v / first).toFixed(2);
    });
    out['heap high-water above start MB (incl. garbage)'] = +r.peakMb.toFixed(1);
  } finally {
    store.close();
  }
  return out;
}

if (require.main === module) {
  const started = Date.now();
  run()
    .then((r) => {
      console.table(r);
      console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
