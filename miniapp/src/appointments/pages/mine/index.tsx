/**
 * 我的预约 — the household's appointments (upcoming first) with online cancellation up to the
 * deadline, and the in-app reminders and notices about them (站内消息).
 */
import { useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { AppointmentView } from '@jiayi/shared/schemas/appointments';
import type { MessageView } from '@jiayi/shared/schemas/messages';
import { getToken } from '../../../api/client';
import { cancel, dayLabel, errorText, markRead, myAppointments, myMessages, PAGES, shanghaiTime } from '../../api';
import '../../appointments.css';

export default function Mine() {
  const params = useRouter().params;
  const [list, setList] = useState<AppointmentView[] | null>(null);
  const [messages, setMessages] = useState<MessageView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(params.booked ? '预约成功，请按时就诊。就诊前一天会提醒您。' : null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = async () => {
    const [a, m] = await Promise.all([myAppointments(), myMessages().catch(() => ({ messages: [] as MessageView[], unread: 0 }))]);
    const upcoming = a.appointments.filter((x) => x.status === 'booked').sort((x, y) => x.startAt.localeCompare(y.startAt));
    setList([...upcoming, ...a.appointments.filter((x) => x.status !== 'booked')]);
    setMessages(m.messages.filter((x) => x.kind !== 'tip').slice(0, 10));
  };

  useDidShow(() => {
    if (!getToken()) {
      void Taro.redirectTo({ url: PAGES.login });
      return;
    }
    void load().catch((e: unknown) => setError(errorText(e)));
  });

  const doCancel = async (a: AppointmentView) => {
    const r = await Taro.showModal({ title: '取消预约', content: `取消${a.memberName} ${dayLabel(a.date)} ${a.start} 的预约？名额将释放给其他居民。` });
    if (!r.confirm) return;
    setBusy(a.id);
    setError(null);
    setOk(null);
    try {
      await cancel(a.id);
      setOk('预约已取消，名额已释放。');
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const read = async (m: MessageView) => {
    if (m.read) return;
    await markRead(m.id).catch(() => undefined);
    setMessages((cur) => cur.map((x) => (x.id === m.id ? { ...x, read: true } : x)));
  };

  return (
    <View className='ap-page'>
      {ok && (
        <View className='ap-banner ok' data-testid='mine-ok'>
          {ok}
        </View>
      )}
      {error && (
        <View className='ap-banner error' data-testid='mine-error'>
          {error}
        </View>
      )}
      {!list && !error && <View className='card muted'>正在加载…</View>}
      {list?.length === 0 && (
        <View className='card'>
          <View className='card-title'>还没有预约</View>
          <Text className='muted'>签约居民可预约本团队的签约门诊。</Text>
        </View>
      )}
      {list?.map((a) => (
        <View key={a.id} className='card' data-testid={`appointment-${a.id}`}>
          <View className='ap-row'>
            <View className='ap-title'>
              {dayLabel(a.date)} {a.start}-{a.end}
            </View>
            <Text className={`ap-status ${a.status}`} data-testid='appointment-status'>
              {a.statusLabel}
            </Text>
          </View>
          <Text className='ap-line'>
            就诊人：{a.memberName} · {a.kindLabel}
            {a.doctor ? ` · ${a.doctor}` : ''}
          </Text>
          <Text className='ap-sub'>{a.teamName}</Text>
          <Text className='ap-sub'>
            事由：{a.reason}
            {a.service ? `（${a.service.itemName}）` : ''}
          </Text>
          {a.cancelReason && a.status === 'cancelled_by_clinic' && <Text className='ap-sub'>取消原因：{a.cancelReason}</Text>}
          {a.status === 'booked' && !a.canCancel && <Text className='ap-sub'>已过在线取消时间（{shanghaiTime(a.cancelUntil)}），如需取消请联系签约团队。</Text>}
          {a.canCancel && (
            <Button className='ap-btn-cancel' data-testid='cancel' loading={busy === a.id} onClick={() => busy === null && void doCancel(a)}>
              取消预约
            </Button>
          )}
        </View>
      ))}
      {messages.length > 0 && (
        <View className='card' data-testid='messages'>
          <View className='card-title'>消息提醒</View>
          {messages.map((m) => (
            <View key={m.id} className={`ap-msg${m.read ? '' : ' unread'}`} onClick={() => void read(m)}>
              <Text className='ap-msg-title'>{m.title}</Text>
              <Text className='ap-msg-body'>{m.body}</Text>
              <Text className='ap-sub'>{shanghaiTime(m.at)}</Text>
            </View>
          ))}
        </View>
      )}
      <View className='ap-actions'>
        <Button className='btn-primary' data-testid='book-more' onClick={() => void Taro.navigateTo({ url: PAGES.book })}>
          预约签约门诊
        </Button>
      </View>
    </View>
  );
}
