/**
 * Console (issue 8): the institution's monthly report — coverage against the region's targets,
 * fulfilment by item, the monthly trend, satisfaction, complaints, referrals — as bar charts
 * drawn with Views; the two zhangjiagang forms (附件4, 附件5) as tables; CSV / XLSX export.
 */
import { useEffect, useState } from 'react';
import { View, Text, Picker, Button } from '@tarojs/components';
import { REPORT_FORMS, type ReportForm, type ReportResponse, type ReportTableView } from '@jiayi/shared/schemas/console';
import type { StaffView } from '@jiayi/shared/schemas/staff';
import { ApiError } from '../../../api/client';
import { requireStaff } from '../../session';
import { downloadExport, report, reportableInstitutions, thisMonth } from '../../fulfilment-api';
import '../../console.css';
import '../../fulfilment.css';

const pctText = (p: number | null) => (p === null ? '—' : `${p}%`);

function Bar(props: { percent: number | null; target?: number | null; testId?: string }) {
  const p = Math.min(100, props.percent ?? 0);
  const low = props.target != null && props.percent !== null && props.percent < props.target;
  return (
    <View className='ff-bar' data-testid={props.testId}>
      <View className={`ff-bar-fill${low ? ' warn' : ''}`} style={{ width: `${p}%` }} />
      {props.target != null && <View className='ff-target' style={{ left: `${Math.min(100, props.target)}%` }} />}
    </View>
  );
}

function Table({ t, testId }: { t: ReportTableView; testId: string }) {
  return (
    <View className='ff-table' data-testid={testId}>
      {t.caption.map((c) => (
        <View key={c} className='muted'>
          {c}
        </View>
      ))}
      {t.header.map((h, i) => (
        <View key={`h${i}`} className='ff-tr head'>
          {h.map((c, j) => (
            <Text key={j} className={`ff-td${j === 0 && t.header[0]!.length <= 4 ? ' wide' : ''}`}>
              {c}
            </Text>
          ))}
        </View>
      ))}
      {t.rows.map((r, i) => (
        <View key={`r${i}`} className='ff-tr'>
          {r.map((c, j) => (
            <Text key={j} className={`ff-td${j === 0 && t.header[0]!.length <= 4 ? ' wide' : ''}`}>
              {c === null ? '' : String(c)}
            </Text>
          ))}
        </View>
      ))}
      {t.notes.map((n) => (
        <View key={n} className='ff-legend'>
          {n}
        </View>
      ))}
    </View>
  );
}

export default function ConsoleReports() {
  const [staff, setStaff] = useState<StaffView | undefined>(undefined);
  const [insts, setInsts] = useState<{ id: string; name: string }[]>([]);
  const [instId, setInstId] = useState<string | undefined>(undefined);
  const [month, setMonth] = useState(thisMonth());
  const [data, setData] = useState<ReportResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<ReportForm>('zjg5');

  useEffect(() => {
    const s = requireStaff();
    setStaff(s);
    if (!s) return;
    reportableInstitutions(s)
      .then((l) => {
        setInsts(l);
        setInstId(l[0]?.id);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
  }, []);

  useEffect(() => {
    if (!instId) return;
    setData(null);
    report(instId, month)
      .then(setData)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
  }, [instId, month]);

  const exportAs = async (f: ReportForm, format: 'csv' | 'xlsx') => {
    setError(null);
    try {
      await downloadExport(instId!, month, f, format);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '导出失败');
    }
  };

  if (!staff) return <View className='console muted'>正在验证登录…</View>;
  const maxServices = Math.max(1, ...(data?.trend.map((t) => t.services) ?? [1]));
  return (
    <View className='console'>
      <View className='card'>
        {insts.length > 1 &&
          insts.map((i) => (
            <Text key={i.id} className={`ff-chip${i.id === instId ? ' on' : ''}`} onClick={() => setInstId(i.id)}>
              {i.name}
            </Text>
          ))}
        <View className='ff-line'>
          <View className='card-title' data-testid='report-title'>
            {data ? data.institutionName : '统计报表'}
          </View>
          <Picker mode='date' fields='month' value={`${month}-01`} onChange={(e) => setMonth(e.detail.value.slice(0, 7))}>
            <Text className='ff-chip on' data-testid='report-month'>
              {month.replace('-', '年')}月 ▾
            </Text>
          </Picker>
        </View>
        {data && <Text className='muted'>数据截至 {data.asOf}；各项数字随登记实时累计</Text>}
      </View>
      {error && <View className='card error-text'>{error}</View>}
      {!data && !error && <View className='card muted'>正在统计…</View>}
      {data && (
        <>
          <View className='card'>
            <View className='ff-kpis'>
              <View className='ff-kpi' data-testid='kpi-households'>
                <View className='ff-kpi-value'>{data.signed.households}</View>
                <View className='ff-kpi-label'>在约户数</View>
              </View>
              <View className='ff-kpi' data-testid='kpi-persons'>
                <View className='ff-kpi-value'>{data.signed.persons}</View>
                <View className='ff-kpi-label'>在约人数</View>
              </View>
              <View className='ff-kpi' data-testid='kpi-satisfaction'>
                <View className='ff-kpi-value'>{pctText(data.satisfaction.last12.percent)}</View>
                <View className='ff-kpi-label'>满意度（近12月，目标≥{data.satisfaction.target}%）</View>
              </View>
              <View className='ff-kpi'>
                <View className='ff-kpi-value'>{pctText(data.renewal.percent)}</View>
                <View className='ff-kpi-label'>续约率（近12月）</View>
              </View>
              <View className='ff-kpi'>
                <View className='ff-kpi-value'>{data.referrals.month}</View>
                <View className='ff-kpi-label'>本月转诊（近12月 {data.referrals.last12}）</View>
              </View>
              <View className='ff-kpi'>
                <View className='ff-kpi-value'>{data.complaints.month}</View>
                <View className='ff-kpi-label'>本月投诉（已处理 {data.complaints.handled}）</View>
              </View>
            </View>
          </View>

          <View className='card' data-testid='coverage-chart'>
            <View className='card-title'>签约覆盖率与目标</View>
            {!data.registerLoaded && <Text className='error-text'>尚未上传人口登记表，无法计算覆盖率（分母）。</Text>}
            {data.coverage.map((c) => (
              <View key={c.population} className='ff-chart-row'>
                <Text className='ff-chart-label'>{c.label}</Text>
                <View className='ff-chart-bar'>
                  <Bar percent={c.percent} target={c.target?.minPercent} />
                </View>
                <Text className='ff-chart-value'>
                  {pctText(c.percent)}
                  {c.target?.minPercent != null ? ` / ${c.target.minPercent}%` : ''}
                </Text>
              </View>
            ))}
            <View className='ff-legend'>竖线为政策目标；{data.coverage.map((c) => (c.target ? `${c.label}：${c.target.text}` : '')).filter(Boolean).join('；') || '本地区政策未设覆盖率目标'}</View>
          </View>

          <View className='card' data-testid='fulfilment-chart'>
            <View className='card-title'>各服务项目履约率</View>
            {data.fulfilment.length === 0 && <Text className='muted'>暂无数据</Text>}
            {data.fulfilment.map((f) => (
              <View key={f.itemCode} className='ff-chart-row'>
                <Text className='ff-chart-label'>{f.name}</Text>
                <View className='ff-chart-bar'>
                  <Bar percent={f.percent} />
                </View>
                <Text className='ff-chart-value'>{f.denominator > 0 ? `${f.numerator}/${f.denominator}${f.unit}` : `${f.numerator}${f.unit}`}</Text>
              </View>
            ))}
            <View className='ff-legend'>近12个月已提供次数 ÷ 月末在约居民的年度约定次数</View>
          </View>

          <View className='card' data-testid='trend-chart'>
            <View className='card-title'>月度服务量</View>
            <View className='ff-cols'>
              {data.trend.map((t) => (
                <View key={t.month} className='ff-col'>
                  <Text className='ff-col-value'>{t.services || ''}</Text>
                  <View className='ff-col-bar' style={{ height: `${Math.round((t.services / maxServices) * 85)}%` }} />
                </View>
              ))}
            </View>
            <View className='ff-col-labels'>
              {data.trend.map((t) => (
                <Text key={t.month} className='ff-col-label'>
                  {Number(t.month.slice(5))}月
                </Text>
              ))}
            </View>
            <View className='ff-legend'>每月登记的服务记录数（不含已作废）；新签约户数：{data.trend.map((t) => t.newHouseholds).join(' / ')}</View>
          </View>

          <View className='card'>
            <View className='card-title'>张家港月报表</View>
            {(['zjg5', 'zjg4'] as const).map((f) => (
              <Text key={f} className={`ff-chip${form === f ? ' on' : ''}`} onClick={() => setForm(f)}>
                {REPORT_FORMS[f]}
              </Text>
            ))}
            <Table t={form === 'zjg4' ? data.forms.zjg4 : data.forms.zjg5} testId={`form-${form}`} />
          </View>

          <View className='card'>
            <View className='card-title'>导出</View>
            {(Object.keys(REPORT_FORMS) as ReportForm[]).map((f) => (
              <View key={f} className='ff-line ff-row'>
                <Text>{REPORT_FORMS[f]}</Text>
                <View className='ff-actions'>
                  <Button size='mini' data-testid={`export-${f}-csv`} onClick={() => void exportAs(f, 'csv')}>
                    CSV
                  </Button>
                  <Button size='mini' data-testid={`export-${f}-xlsx`} onClick={() => void exportAs(f, 'xlsx')}>
                    Excel
                  </Button>
                </View>
              </View>
            ))}
          </View>
        </>
      )}
    </View>
  );
}
