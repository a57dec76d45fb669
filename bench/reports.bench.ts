/**
 * Monthly report of one institution (issue 8) on the local store (own in-memory dynalite + our
 * transaction layer): 20,000 agreements and 200,000 service records in the measured institution, seeded by
 * BatchWrite with the same item shapes the handlers write (agreement items, ledger entries under
 * `AGR#<id>`) plus the report counters those transactions ADD. The report reads only counters,
 * so the figure to watch is "items read per report": it must not move when the table grows from
 * 1 to 5 institutions (the other four at a quarter of the size each, to keep the run short).
 *
 *   npx tsx bench/reports.bench.ts                 (prints a table)
 *   REPORTS_BENCH_SCALE=0.1 npx tsx bench/reports.bench.ts   (a tenth of the data, quick look)
 *
 * Loopback only; bounded: seeding stops at the time budget and says so.
 */
import { Agent } from 'node:http';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { policyVersion } from '@jiayi/shared/domain/policy';
import { addDays, makeDate } from '@jiayi/shared/domain/dates';
import { signingDelta, type Counters } from '@jiayi/shared/domain/fulfilment/report';
import { setDb } from '../functions/src/db/client';
import { keys } from '../functions/src/db/keys';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

const SCALE = Number(process.env.REPORTS_BENCH_SCALE ?? '1');
const AGREEMENTS = Math.round(20_000 * SCALE);
const SERVICES = Math.round(200_000 * SCALE);
/** The other four institutions are a quarter of that size each, so the whole run stays under ~3 minutes on 2 cores. */
const OTHER_FACTOR = 0.25;
const TEAMS = 10;
const INSTITUTIONS = 5;
const TABLE = 'jiayi-bench-reports';
const MONTH = '2019-12';
const BUDGET_MS = 170_000;
const CONCURRENCY = 16;

/** The store in a child process (bench/push-store.child.ts: in-memory dynalite + our layer + the table), so seeding uses a second core. */
async function startChildStore(): Promise<{ endpoint: string; close: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'push-store.child.ts'), TABLE], { stdio: ['pipe', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (b: Buffer) => {
      buf += b.toString();
      const m = /ENDPOINT (\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (c) => reject(new Error(`store exited ${c}`)));
  });
  return { endpoint, close: () => child.stdin.end() };
}

const policy = policyVersion('liyang-2019', '2019.1');
const basic = policy.packages.find((p) => p.code === policy.basicPackageCode)!;
const elderlyItems = basic.items
  .filter((i) => !i.appliesTo || /65|35/.test(i.appliesTo.label))
  .map((i) => ({ code: i.code, name: i.name, kind: i.kind, quantity: i.quantity, per: i.per, bound: i.bound, unit: i.unit, promisedUnits: 0, includedFromBasic: null, unitValueFen: null, frequencyText: i.frequencyText }));
const countItems = elderlyItems.filter((i) => i.kind === 'count');

function docClient(endpoint: string): DynamoDBDocumentClient {
  const ddb = new DynamoDBClient({
    endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) },
  });
  return DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
}

function agreementItem(inst: string, n: number) {
  const id = `${inst}-a${n}`;
  const teamId = `${inst}-t${n % TEAMS}`;
  const month = 1 + (n % 12);
  const createdAt = `${makeDate(2019, month, 1 + (n % 28))}T02:00:00.000Z`;
  const members = [0, 1].slice(0, 1 + (n % 2)).map((k) => ({
    memberId: `${id}-m${k}`,
    name: '居民',
    relation: k ? '配偶' : '本人',
    idNumberMasked: '320481********123X',
    idHash: `${id}-h${k}`,
    sex: k ? 'F' : 'M',
    ageGroup: 'elderly_65',
    signingKind: 'free',
    packages: [{ code: basic.code, name: basic.name, category: 'basic', priceFen: 800, byPayer: {}, shares: [], autoIncluded: true, notes: [], items: elderlyItems }],
    byPayer: {},
    totalFen: 800,
  }));
  return {
    ...keys.agreement(id),
    ...keys.agreementByTeam(teamId, 'active', createdAt, id),
    type: 'agreement',
    id,
    accountId: `${id}-acct`,
    representativeName: '居民',
    teamId,
    teamName: '团队',
    institutionId: inst,
    institutionName: '卫生院',
    regionId: 'liyang-2019',
    policyVersion: policy.version,
    signingKind: 'free',
    status: 'active',
    origin: 'signed',
    cycleStart: '2019-01-01',
    cycleEnd: '2019-12-31',
    members,
    createdAt,
    activatedAt: createdAt,
    shard: n % 16,
    version: 1,
  };
}

async function batchWrite(doc: DynamoDBDocumentClient, items: Record<string, unknown>[], deadline: number): Promise<number> {
  let next = 0;
  let written = 0;
  const worker = async () => {
    while (next < items.length && performance.now() < deadline) {
      const chunk = items.slice(next, next + 25);
      next += 25;
      let req: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = { [TABLE]: chunk.map((Item) => ({ PutRequest: { Item } })) };
      while (req && Object.keys(req).length) {
        const r = await doc.send(new BatchWriteCommand({ RequestItems: req }));
        req = r.UnprocessedItems as typeof req;
      }
      written += chunk.length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return written;
}

/** One institution: agreements, ledger entries and the counters their transactions would have ADDed. */
async function seedInstitution(doc: DynamoDBDocumentClient, inst: string, deadline: number, factor = 1): Promise<{ items: number; complete: boolean }> {
  const nAgreements = Math.round(AGREEMENTS * factor);
  const nServices = Math.round(SERVICES * factor);
  await doc.send(new PutCommand({ TableName: TABLE, Item: { ...keys.institution(inst), type: 'institution', id: inst, regionId: 'liyang-2019', name: `${inst}卫生院`, kind: '乡镇卫生院', address: '-', phone: '-' } }));
  const counters = new Map<string, { kind: 'SIGN' | 'SVC'; month: string; teamId: string; values: Counters }>();
  const bump = (kind: 'SIGN' | 'SVC', month: string, teamId: string, d: Counters) => {
    const k = `${kind}#${month}#${teamId}`;
    const c = counters.get(k) ?? { kind, month, teamId, values: {} };
    for (const [name, v] of Object.entries(d)) c.values[name] = (c.values[name] ?? 0) + v;
    counters.set(k, c);
  };
  const agreements = Array.from({ length: nAgreements }, (_, n) => agreementItem(inst, n));
  for (const a of agreements) bump('SIGN', a.createdAt.slice(0, 7), a.teamId, signingDelta(undefined, a as never, policy));
  const services: Record<string, unknown>[] = [];
  for (let s = 0; s < nServices; s++) {
    const a = agreements[s % nAgreements]!;
    const item = countItems[s % countItems.length]!;
    const date = addDays('2019-01-01', s % 365);
    const entryId = `e${String(s).padStart(7, '0')}`;
    services.push({
      ...keys.fulfilment(a.id, date, entryId),
      type: 'fulfilment',
      agreementId: a.id,
      entryId,
      memberId: a.members[0]!.memberId,
      packageCode: basic.code,
      itemCode: item.code,
      quantity: 1,
      at: date,
      by: 'bench',
      institutionId: inst,
      teamId: a.teamId,
      memberName: '居民',
      itemName: item.name,
      evidence: { kind: 'ss_card', reference: `SS${s}` },
      staffName: '医生',
      recordedAt: `${date}T03:00:00.000Z`,
      referral: false,
    });
    bump('SVC', date.slice(0, 7), a.teamId, { n: 1, [`q:${item.code}`]: 1 });
  }
  const counterItems = [...counters.values()].map((c) => ({ ...keys.reportCounter(inst, c.kind, c.month, c.teamId), institutionId: inst, kind: c.kind, month: c.month, teamId: c.teamId, ...c.values }));
  const all = [...counterItems, ...agreements, ...services];
  const written = await batchWrite(doc, all, deadline);
  return { items: written, complete: written === all.length };
}

export async function run(): Promise<Record<string, string | number>> {
  const started = performance.now();
  const deadline = started + BUDGET_MS;
  const store = await startChildStore();
  try {
    process.env.TABLE_NAME = TABLE;
    const doc = docClient(store.endpoint);
    setDb(doc);
    const { buildReport } = await import('../functions/src/console/service');
    const { getInstitution } = await import('../functions/src/db/teams.repo');

    const report = async (inst: string) => {
      const i = (await getInstitution(inst))!;
      await buildReport(i, MONTH); // warm-up (module, connections)
      const t0 = performance.now();
      const r = await buildReport(i, MONTH);
      return { ms: performance.now() - t0, r };
    };

    const out: Record<string, string | number> = { agreementsPerInstitution: AGREEMENTS, servicesPerInstitution: SERVICES, teamsPerInstitution: TEAMS };
    const t0 = performance.now();
    const first = await seedInstitution(doc, 'inst0', deadline);
    out.seedSecondsFirstInstitution = Number(((performance.now() - t0) / 1000).toFixed(1));
    out.itemsSeededFirstInstitution = first.items;
    const one = await report('inst0');
    out.reportSeconds_1inst = Number((one.ms / 1000).toFixed(3));
    out.itemsRead_1inst = one.r.itemsRead;
    out.signedHouseholds = one.r.signed.households;
    out.servicesLast12Months = one.r.trend.reduce((a, t) => a + t.services, 0);

    let total = first.items;
    let complete = first.complete;
    for (let k = 1; k < INSTITUTIONS && performance.now() < deadline; k++) {
      const s = await seedInstitution(doc, `inst${k}`, deadline, OTHER_FACTOR);
      total += s.items;
      complete &&= s.complete;
    }
    const five = await report('inst0');
    out.otherInstitutions = `${INSTITUTIONS - 1} × (${Math.round(AGREEMENTS * OTHER_FACTOR)} agreements, ${Math.round(SERVICES * OTHER_FACTOR)} services)`;
    out.tableItems = total;
    out.seededAllFiveInFull = complete ? 'yes' : 'no (time budget reached; partial)';
    out.reportSeconds_5inst = Number((five.ms / 1000).toFixed(3));
    out.itemsRead_5inst = five.r.itemsRead;
    out.sameNumbers = JSON.stringify(five.r.signed) === JSON.stringify(one.r.signed) ? 'yes' : 'no';
    out.totalSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
    return out;
  } finally {
    store.close();
  }
}

if (require.main === module) {
  run()
    .then((r) => console.table(r))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
