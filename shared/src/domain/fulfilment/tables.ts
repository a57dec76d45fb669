/**
 * The report as tables (issue 8): zhangjiagang-2017 附件4 and 附件5 filled from the counters, the
 * monthly report as the console's "汇总" table, and CSV. Pure.
 */
import type { RegionPolicy } from '../policy/types';
import type { RegisterTotals } from './register';
import { monthEnd, sum, type CounterRow, type Counters, type CoverageLine, type Month, type MonthlyReport, type Rate } from './report';

export interface ReportTable {
  title: string;
  /** Lines above the table (institution, month, filing note). */
  caption: string[];
  header: string[][];
  rows: (string | number | null)[][];
  notes: string[];
}

/** zhangjiagang-2017 附件4: the indicators the ledger can fill, with the hardship package's item codes. */
export const ZJG_FORM4_FIELDS: { label: string; unit: string; source: { items: string[] } | { metric: 'hardship_h' } | null }[] = [
  { label: '签订服务协议', unit: '份', source: { metric: 'hardship_h' } },
  { label: '社区医生开展家庭访视', unit: '户次', source: { items: ['ZJG-HARDSHIP/1-6'] } },
  { label: '提供健康咨询服务', unit: '人次', source: { items: ['ZJG-HARDSHIP/1-4'] } },
  { label: '提供常见病多发病诊断指导', unit: '人次', source: { items: ['ZJG-HARDSHIP/1-2'] } },
  { label: '发放健康科普读物', unit: '份', source: { items: ['ZJG-HARDSHIP/1-3'] } },
  { label: '提供常规检查', unit: '项次', source: { items: ['ZJG-HARDSHIP/1-5'] } },
  { label: '提供转诊服务', unit: '人次', source: { items: ['ZJG-HARDSHIP/1-7'] } },
  { label: '二级以上医院专科医生提供面对面服务', unit: '人次', source: { items: ['ZJG-HARDSHIP/1-8'] } },
  { label: '开具个性化健康处方', unit: '张', source: { items: ['ZJG-HARDSHIP/3'] } },
  { label: '医院组织家庭护理培训（参加人次）', unit: '人次', source: { items: ['ZJG-HARDSHIP/4'] } },
  { label: '发放健康服务卡', unit: '张', source: { items: ['ZJG-HARDSHIP/2'] } },
  { label: '市级专家参与会诊、健康指导', unit: '人次', source: { items: ['ZJG-HARDSHIP/1-9'] } },
  { label: '提供优先预约就诊、检查、住院', unit: '人次', source: null },
  { label: '健康服务卡刷卡次数及费用', unit: '次/元', source: null },
];

export function zhangjiagangForm4(input: { month: Month; rows: CounterRow[]; institutionName: string }): ReportTable {
  const { month, rows } = input;
  const inMonth = sum(rows, (r) => r.month === month);
  const upTo = sum(rows, (r) => r.month <= month);
  const value = (c: Counters, s: (typeof ZJG_FORM4_FIELDS)[number]['source'], kind: 'month' | 'cum') => {
    if (!s) return null;
    if ('metric' in s) return kind === 'month' ? (c[`a:${s.metric}`] ?? 0) : (c[`a:${s.metric}`] ?? 0) - (c[`e:${s.metric}`] ?? 0);
    return s.items.reduce((a, code) => a + (c[`q:${code}`] ?? 0), 0);
  };
  return {
    title: '大病困难群众、计生特殊困难家庭家庭医生签约服务情况月报表',
    caption: [`社区：${input.institutionName}`, `统计月份：${month}（截至${monthEnd(month)}）`],
    header: [['项目主要工作指标', '单位', '本月', '累计']],
    rows: ZJG_FORM4_FIELDS.map((f) => [f.label, f.unit, value(inMonth, f.source, 'month'), value(upTo, f.source, 'cum')]),
    notes: [
      '依据：现农政发〔2017〕13号 附件4；“签订服务协议”累计为月末仍在服务期内的协议份数。',
      '空白项系统未采集（院外就诊、刷卡费用由医院登记），请按实际填写。',
      '说明：园区社区卫生服务中心于每月26日前将此表报送市卫生计生委社区卫生科。',
    ],
  };
}

/**
 * zhangjiagang-2017 附件5: households (签约户数) and people (服务人数, counted by the household
 * register) per personalized package, cumulative to the end of the month (说明1: 数据统计至填报时的累计数).
 * Columns are the region's personalized packages (for zhangjiagang exactly 初级 / 中级Ⅰ/Ⅱ/Ⅲ / 高级).
 */
export function zhangjiagangForm5(input: { month: Month; rows: CounterRow[]; policy: RegionPolicy | undefined; institutionName: string; register: RegisterTotals | undefined }): ReportTable {
  const upTo = sum(input.rows, (r) => r.kind === 'SIGN' && r.month <= input.month);
  const stock = (k: string) => (upTo[`a:${k}`] ?? 0) - (upTo[`e:${k}`] ?? 0);
  const pkgs = (input.policy?.packages ?? []).filter((p) => p.category === 'personalized');
  const header1 = ['辖区村民小组总数', '已开展个性化签约村民小组数', ...pkgs.flatMap((p) => [p.name, '']), '合计', ''];
  const header2 = ['', '', ...pkgs.flatMap(() => ['签约户数', '服务人数']), '户数', '人数'];
  const row = [
    input.register?.groups ?? null,
    null,
    ...pkgs.flatMap((p) => [stock(`pkgh:${p.code}`), stock(`pkgp:${p.code}`)]),
    stock('pers_h'),
    stock('pers_p'),
  ];
  return {
    title: '社区医生个性化家庭签约服务情况月报表',
    caption: [`社区：${input.institutionName}`, `统计截至：${monthEnd(input.month)}`],
    header: [header1, header2],
    rows: [row],
    notes: [
      '依据：现农政发〔2017〕13号 附件5。数据统计至填报时的累计数（月末仍在服务期内的签约），服务人数按签约家庭户口薄上的人数统计。',
      '“辖区村民小组总数”取自上传的人口登记表；“已开展个性化签约村民小组数”系统未采集，请按实际填写。',
      '合计按户去重：一户中不同成员选择不同服务包时只计一户。',
      '社区卫生服务中心于每月26日前将此表报送市卫生计生委社区卫生科。',
    ],
  };
}

/** The monthly report as a table (the console's CSV/XLSX "汇总" export). */
export function summaryTable(r: Omit<MonthlyReport, 'coverage'> & { coverage: (Omit<CoverageLine, 'population'> & { population: string })[] }, institutionName: string): ReportTable {
  const pct = (x: Rate) => (x.percent === null ? '—' : `${x.percent}%`);
  const rows: (string | number | null)[][] = [
    ['签约户数', r.signed.households, ''],
    ['签约人数', r.signed.persons, ''],
    ...r.coverage.map((c) => [c.label, pct(c), c.target?.minPercent != null ? `目标≥${c.target.minPercent}%（${c.target.year}年）` : c.target ? c.target.text : '']),
    ['续约率（近12个月）', pct(r.renewal), `${r.renewal.numerator}/${r.renewal.denominator}`],
    ['满意度（本月）', pct(r.satisfaction.month), `${r.satisfaction.month.numerator}/${r.satisfaction.month.denominator}`],
    ['满意度（近12个月）', pct(r.satisfaction.last12), `目标≥${r.satisfaction.target}%`],
    ['投诉（本月）', r.complaints.month, `已处理${r.complaints.handled}`],
    ['转诊（本月）', r.referrals.month, `近12个月${r.referrals.last12}`],
    ...r.fulfilment.map((f) => [`履约率：${f.name}`, pct(f), `${f.numerator}/${f.denominator}${f.unit}`]),
  ];
  return {
    title: '家庭医生签约服务月度报表',
    caption: [`机构：${institutionName}`, `统计月份：${r.month}（截至${r.asOf}）`],
    header: [['指标', '数值', '说明']],
    rows,
    notes: ['覆盖率分母取自机构上传的人口登记表；履约率 = 近12个月已提供次数 ÷ 月末在约居民的年度约定次数。'],
  };
}

/** CSV (UTF-8 with BOM so Excel opens Chinese correctly; RFC 4180 quoting). */
export function tableToCsv(t: ReportTable): string {
  const q = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [[t.title], ...t.caption.map((c) => [c]), ...t.header, ...t.rows, [], ...t.notes.map((n) => [n])];
  return '\ufeff' + lines.map((l) => l.map(q).join(',')).join('\r\n') + '\r\n';
}
