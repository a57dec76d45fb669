/** Console (issue 8): residents' complaints about their team, for the institution admin — reply and mark handled. */
import { useCallback, useEffect, useState } from 'react';
import { View, Text, Textarea, Button } from '@tarojs/components';
import type { ComplaintView } from '@jiayi/shared/schemas/console';
import type { StaffView } from '@jiayi/shared/schemas/staff';
import { ApiError } from '../../../api/client';
import { requireStaff } from '../../session';
import { complaints, handleComplaint, localDay, reportableInstitutions } from '../../fulfilment-api';
import '../../console.css';
import '../../fulfilment.css';

export default function ConsoleComplaints() {
  const [staff, setStaff] = useState<StaffView | undefined>(undefined);
  const [instId, setInstId] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<'open' | 'handled'>('open');
  const [list, setList] = useState<ComplaintView[] | null>(null);
  const [replies, setReplies] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const s = requireStaff();
    setStaff(s);
    if (s) reportableInstitutions(s).then((l) => setInstId(l[0]?.id)).catch(() => setError('服务暂时不可用'));
  }, []);
  const load = useCallback(() => {
    if (!instId) return;
    complaints(instId, status)
      .then((r) => setList(r.complaints))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
  }, [instId, status]);
  useEffect(load, [load]);

  const handle = async (c: ComplaintView) => {
    setErrors({});
    try {
      await handleComplaint(instId!, c.id, replies[c.id] ?? '');
      load();
    } catch (e) {
      setErrors({ [c.id]: e instanceof ApiError ? (e.fieldMessage('reply') ?? e.message) : '提交失败' });
    }
  };

  if (!staff) return <View className='console muted'>正在验证登录…</View>;
  const canHandle = staff.role === 'institution_admin';
  return (
    <View className='console'>
      <View className='card'>
        <Text className={`ff-chip${status === 'open' ? ' on' : ''}`} onClick={() => setStatus('open')}>
          待处理
        </Text>
        <Text className={`ff-chip${status === 'handled' ? ' on' : ''}`} onClick={() => setStatus('handled')}>
          已处理
        </Text>
      </View>
      {error && <View className='card error-text'>{error}</View>}
      <View className='card'>
        {!list && <Text className='muted'>正在加载…</Text>}
        {list?.length === 0 && <Text className='muted'>{status === 'open' ? '没有待处理的投诉' : '暂无已处理的投诉'}</Text>}
        {list?.map((c) => (
          <View key={c.id} className='ff-row' data-testid={`complaint-${c.id}`}>
            <View className='ff-line'>
              <Text className='ff-name'>
                {c.residentName} · {c.categoryLabel}
              </Text>
              <Text className={c.status === 'open' ? 'ff-due' : 'ff-ok'}>{c.statusLabel}</Text>
            </View>
            <Text className='muted'>
              {c.teamName} · {localDay(c.filedAt)}
            </Text>
            <View style={{ margin: '8px 0' }}>{c.content}</View>
            {c.reply && (
              <View className='ff-ok'>
                回复（{c.handledBy}）：{c.reply}
              </View>
            )}
            {c.status === 'open' && canHandle && (
              <>
                <Textarea className='input ff-textarea' value={replies[c.id] ?? ''} placeholder='处理情况与回复（居民可见）' onInput={(e) => setReplies({ ...replies, [c.id]: e.detail.value })} />
                {errors[c.id] && <View className='error-text'>{errors[c.id]}</View>}
                <Button className='btn-primary ff-btn' onClick={() => void handle(c)}>
                  回复并标记已处理
                </Button>
              </>
            )}
          </View>
        ))}
      </View>
    </View>
  );
}
