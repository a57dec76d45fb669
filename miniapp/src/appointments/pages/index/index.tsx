/**
 * 签约门诊预约 — the signed team's clinic over the next 14 days: pick who is coming (any signed
 * household member), the reason and the promised service it is for, a day, then a slot with free
 * places. A slot taken meanwhile is reported ("该时段已约满，请选择其他时段") and the places reload.
 */
import { useMemo, useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import { addDays, localDateOf } from '@jiayi/shared/domain/dates';
import type { Eligibility, SlotView } from '@jiayi/shared/schemas/appointments';
import { getToken, serverNow } from '../../../api/client';
import { askReminderSubscription, book, dayLabel, errorText, getEligibility, getSlots, newIdempotencyKey, PAGES } from '../../api';
import '../../appointments.css';

const REASONS = ['复诊开药', '慢病随访', '健康咨询', '检查报告解读', '预防接种咨询'];
const HORIZON = 14;

export default function Book() {
  const [elig, setElig] = useState<Eligibility | null>(null);
  const [memberId, setMemberId] = useState<string | null>(null);
  const [itemCode, setItemCode] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [slots, setSlots] = useState<SlotView[] | null>(null);
  const [teamName, setTeamName] = useState('');
  const [day, setDay] = useState<string | null>(null);
  const [slotId, setSlotId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);

  const member = elig?.members.find((m) => m.memberId === memberId);
  const today = localDateOf(serverNow());

  const loadSlots = async (teamId: string) => {
    const r = await getSlots(teamId, today, addDays(today, HORIZON - 1));
    setTeamName(r.teamName);
    setSlots(r.slots);
    return r.slots;
  };

  useDidShow(() => {
    if (!getToken()) {
      void Taro.redirectTo({ url: PAGES.login });
      return;
    }
    getEligibility()
      .then(async (e) => {
        setElig(e);
        const first = e.members.find((m) => m.memberId === memberId) ?? e.members[0];
        if (!first) return;
        setMemberId(first.memberId);
        const s = await loadSlots(first.teamId);
        setDay((d) => d ?? s.find((x) => x.free > 0)?.date ?? s[0]?.date ?? null);
      })
      .catch((e: unknown) => setError(errorText(e)));
  });

  const days = useMemo(() => {
    const out: { date: string; free: number; any: boolean }[] = [];
    for (let i = 0; i < HORIZON; i++) {
      const date = addDays(today, i);
      const of = (slots ?? []).filter((s) => s.date === date);
      out.push({ date, free: of.reduce((n, s) => n + s.free, 0), any: of.length > 0 });
    }
    return out;
  }, [slots, today]);

  const daySlots = (slots ?? []).filter((s) => s.date === day);
  const groups = [...new Set(daySlots.map((s) => `${s.kindLabel}${s.doctor ? ` · ${s.doctor}` : ''}`))];
  const chosen = daySlots.find((s) => s.slotId === slotId);

  const pickMember = async (id: string) => {
    const m = elig?.members.find((x) => x.memberId === id);
    setMemberId(id);
    setItemCode(null);
    if (m && m.teamId !== member?.teamId) {
      setSlotId(null);
      await loadSlots(m.teamId).catch((e: unknown) => setError(errorText(e)));
    }
  };

  const submit = async () => {
    if (!member || !chosen) return;
    if (!reason.trim()) return setError('请填写或选择就诊事由');
    setBusy(true);
    setError(null);
    key.current ??= newIdempotencyKey();
    // WeChat only lets the subscribe prompt open from the tap itself: ask first, report after booking.
    const report = await askReminderSubscription(elig?.reminderTemplateId ?? null);
    try {
      const r = await book({ teamId: member.teamId, slotId: chosen.slotId, memberId: member.memberId, reason: reason.trim(), ...(itemCode ? { itemCode } : {}), idempotencyKey: key.current });
      key.current = null;
      await report();
      await Taro.redirectTo({ url: `${PAGES.mine}?booked=${r.appointment.id}` });
    } catch (e) {
      setError(errorText(e));
      key.current = null;
      setSlotId(null);
      await loadSlots(member.teamId).catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };

  if (elig && elig.members.length === 0) {
    return (
      <View className='ap-page'>
        <View className='card'>
          <View className='card-title'>还不能预约签约门诊</View>
          <Text className='muted'>签约门诊预约是家庭医生签约服务的基本服务项目。您的家庭还没有生效中的签约，签约家庭医生团队后即可预约。</Text>
          <Button className='btn-primary' onClick={() => void Taro.navigateTo({ url: PAGES.signing })}>
            签约家庭医生
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className='ap-page'>
      {error && (
        <View className='ap-banner error' data-testid='book-error'>
          {error}
        </View>
      )}
      {!elig && !error && <View className='card muted'>正在加载…</View>}
      {elig && member && (
        <>
          <View className='card'>
            <View className='ap-row'>
              <View className='ap-title'>{teamName || member.teamName}</View>
              <Text className='ap-link' data-testid='to-mine' onClick={() => void Taro.navigateTo({ url: PAGES.mine })}>
                我的预约 ›
              </Text>
            </View>
            <Text className='ap-sub'>签约居民优先预约本团队签约门诊；每位成员最多同时保留{elig.policy.maxFutureAppointments}个预约，就诊前{elig.policy.cancelDeadlineMinutes / 60}小时可在线取消。</Text>
          </View>
          <View className='card'>
            <View className='ap-section'>就诊成员</View>
            <View className='ap-chips'>
              {elig.members.map((m) => (
                <Text key={m.memberId} className={`ap-chip${m.memberId === memberId ? ' on' : ''}`} data-testid={`member-${m.name}`} onClick={() => void pickMember(m.memberId)}>
                  {m.name}（{m.relation}）
                </Text>
              ))}
            </View>
            <View className='ap-section'>就诊事由</View>
            <View className='ap-chips'>
              {REASONS.map((r) => (
                <Text key={r} className={`ap-chip${reason === r ? ' on' : ''}`} onClick={() => setReason(r)}>
                  {r}
                </Text>
              ))}
            </View>
            <Input className='ap-input' data-testid='reason' value={reason} maxlength={200} placeholder='或填写就诊事由，如：血压复查' onInput={(e) => setReason(e.detail.value)} />
            {member.services.length > 1 && (
              <>
                <View className='ap-section' style={{ marginTop: '20px' }}>
                  服务项目（签约服务包）
                </View>
                <View className='ap-chips'>
                  {member.services.map((s, i) => (
                    <Text
                      key={s.itemCode}
                      className={`ap-chip${(itemCode ?? member.services[0]!.itemCode) === s.itemCode ? ' on' : ''}`}
                      onClick={() => setItemCode(i === 0 ? null : s.itemCode)}
                    >
                      {s.itemName}
                    </Text>
                  ))}
                </View>
              </>
            )}
          </View>
          <View className='ap-days' data-testid='days'>
            {days.map((d) => (
              <View
                key={d.date}
                className={`ap-day${d.date === day ? ' on' : ''}${d.any ? '' : ' none'}`}
                data-testid={`day-${d.date}`}
                onClick={() => {
                  setDay(d.date);
                  setSlotId(null);
                }}
              >
                <Text className='ap-day-date'>{dayLabel(d.date).split(' ')[0]}</Text>
                <Text className='ap-day-week'>{d.date === today ? '今天' : dayLabel(d.date).split(' ')[1]}</Text>
                <Text className='ap-day-free'>{d.any ? (d.free > 0 ? `余${d.free}` : '约满') : '停诊'}</Text>
              </View>
            ))}
          </View>
          <View className='card' data-testid='slots'>
            {!slots && <Text className='muted'>正在加载号源…</Text>}
            {slots && day && daySlots.length === 0 && <Text className='muted'>{dayLabel(day)} 无签约门诊（休息或停诊），请选择其他日期。</Text>}
            {groups.map((g) => (
              <View key={g}>
                <View className='ap-kind'>{g}</View>
                <View className='ap-slots'>
                  {daySlots
                    .filter((s) => `${s.kindLabel}${s.doctor ? ` · ${s.doctor}` : ''}` === g)
                    .map((s) => (
                      <View
                        key={s.slotId}
                        className={`ap-slot${s.free === 0 ? ' full' : ''}${s.slotId === slotId ? ' on' : ''}`}
                        data-testid={`slot-${s.start}`}
                        onClick={() => s.free > 0 && setSlotId(s.slotId)}
                      >
                        <Text className='ap-slot-time'>{s.start}</Text>
                        <Text className='ap-slot-free'>{s.free > 0 ? `余${s.free}个` : '已约满'}</Text>
                      </View>
                    ))}
                </View>
              </View>
            ))}
          </View>
          <View className='card'>
            <Text className='ap-line' data-testid='book-summary'>
              {chosen ? `${member.name} · ${dayLabel(chosen.date)} ${chosen.start}-${chosen.end}（${chosen.kindLabel}）` : '请选择就诊时段'}
            </Text>
            <Button className={`btn-primary${chosen ? '' : ' is-disabled'}`} data-testid='book-submit' loading={busy} onClick={() => chosen && !busy && void submit()}>
              确认预约
            </Button>
          </View>
        </>
      )}
    </View>
  );
}
