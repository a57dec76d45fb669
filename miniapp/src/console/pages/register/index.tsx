/**
 * Console (issue 8): upload the institution's population register (CSV) — the denominators of
 * coverage. All-or-nothing: a file with any bad cell imports nothing and lists every error by
 * line and column.
 */
import { useEffect, useState } from 'react';
import { View, Text, Textarea, Button } from '@tarojs/components';
import type * as z from 'zod';
import type { registerResponse } from '@jiayi/shared/schemas/console';
import { REGISTER_COLUMNS } from '@jiayi/shared/domain/fulfilment/register';
import type { StaffView } from '@jiayi/shared/schemas/staff';
import { ApiError, type ApiFieldError } from '../../../api/client';
import { requireStaff } from '../../session';
import { getRegister, localDay, reportableInstitutions, uploadRegister } from '../../fulfilment-api';
import '../../console.css';
import '../../fulfilment.css';

type Register = z.infer<typeof registerResponse>;
const TEMPLATE = `${Object.values(REGISTER_COLUMNS).join(',')}\n一组,120,380,150,6,3\n二组,96,300,118,4,2`;

export default function ConsoleRegister() {
  const [staff, setStaff] = useState<StaffView | undefined>(undefined);
  const [instId, setInstId] = useState<string | undefined>(undefined);
  const [current, setCurrent] = useState<Register | null>(null);
  const [csv, setCsv] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<ApiFieldError[]>([]);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    const s = requireStaff();
    setStaff(s);
    if (!s) return;
    reportableInstitutions(s)
      .then((l) => {
        setInstId(l[0]?.id);
        if (l[0]) getRegister(l[0].id).then(setCurrent).catch(() => setCurrent(null));
      })
      .catch(() => setError('服务暂时不可用'));
  }, []);

  const pickFile = () => {
    if (process.env.TARO_ENV !== 'h5') return;
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.csv,text/csv';
    input.onchange = () => {
      const f = input.files?.[0];
      if (f) void f.text().then(setCsv);
    };
    input.click();
  };

  const submit = async () => {
    setError(null);
    setIssues([]);
    setDone(null);
    try {
      const r = await uploadRegister(instId!, csv);
      setCurrent(r);
      setDone(`已导入${r.totals.groups}个村（居）民小组，常住人口${r.totals.residents}人`);
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.message);
        setIssues(e.fields);
      } else setError('上传失败，请稍后再试');
    }
  };

  if (!staff) return <View className='console muted'>正在验证登录…</View>;
  return (
    <View className='console'>
      <View className='card'>
        <View className='card-title'>当前登记表</View>
        {current ? (
          <View data-testid='register-current'>
            <Text className='muted'>
              {current.uploadedBy} 于 {localDay(current.uploadedAt)} 上传 · {current.totals.groups}个小组
            </Text>
            <View className='ff-kpis' style={{ marginTop: '12px' }}>
              {(
                [
                  ['常住人口', current.totals.residents],
                  ['常住户数', current.totals.households],
                  ['重点人群', current.totals.keyPersons],
                  ['特殊人群', current.totals.specialPersons],
                  ['困难家庭（户）', current.totals.hardshipHouseholds],
                ] as const
              ).map(([l, v]) => (
                <View key={l} className='ff-kpi'>
                  <View className='ff-kpi-value'>{v}</View>
                  <View className='ff-kpi-label'>{l}</View>
                </View>
              ))}
            </View>
          </View>
        ) : (
          <Text className='muted'>尚未上传。覆盖率需要人口登记表作为分母。</Text>
        )}
      </View>
      <View className='card'>
        <View className='card-title'>上传新的登记表</View>
        <Text className='muted'>CSV格式（UTF-8），第一行为表头：{Object.values(REGISTER_COLUMNS).join('、')}。每行一个村（居）民小组；整表校验通过才会导入，并替换原表。</Text>
        <View className='ff-actions'>
          <Button size='mini' onClick={pickFile}>
            选择CSV文件
          </Button>
          <Button size='mini' onClick={() => setCsv(TEMPLATE)}>
            填入示例
          </Button>
        </View>
        <Textarea className='input ff-textarea' data-testid='register-csv' maxlength={200000} value={csv} placeholder={TEMPLATE} onInput={(e) => setCsv(e.detail.value)} />
        {error && <View className='error-text'>{error}</View>}
        {issues.length > 1 && (
          <View data-testid='register-issues'>
            {issues.map((i) => (
              <View key={i.path} className='error-text'>
                {i.message}
              </View>
            ))}
          </View>
        )}
        {done && <View className='ff-ok'>{done}</View>}
        <Button className='btn-primary ff-btn' data-testid='register-submit' onClick={() => void submit()}>
          校验并导入
        </Button>
      </View>
    </View>
  );
}
