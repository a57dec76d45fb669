/**
 * 当日预约 (staff): a day of the team's signing clinic — each appointment with the member, the
 * reason and the promised item it serves; mark 已就诊 / 未到诊 (repeated no-shows suspend the
 * resident's online booking). Viewing the list is written to the access log.
 */
import { useEffect, useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { addDays, localDateOf } from '@jiayi/shared/domain/dates';
import type { DayResponse } from '@jiayi/shared/schemas/appointments';
import { ApiError } from '../../../api/client';
import { requireStaff } from '../../session';
import { getDay, manageableTeams, mark } from '../../clinic-api';
import '../../console.css';
import '../rota/rota.css';

export default function ClinicDay() {
  const [teams, setTeams] = useState<{ id: string; name: string }[]>([]);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [date, setDate] = useState(localDateOf(new Date()));
  const [day, setDay] = useState<DayResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    const staff = requireStaff();
    if (!staff) return;
    manageableTeams(staff)
      .then((t) => {
        setTeams(t);
        setTeamId(t[0]?.id ?? null);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '加载失败'));
  }, []);

  const load = async () => {
    if (!teamId) return;
    setError(null);
    try {
      setDay(await getDay(teamId, date));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败');
    }
  };
  useEffect(() => void load(), [teamId, date]);

  const doMark = async (id: string, outcome: 'attended' | 'no_show') => {
    setBusy(id);
    try {
      await mark(id, outcome);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登记失败');
    } finally {
      setBusy(null);
    }
  };

  const booked = day?.appointments.filter((a) => a.status !== 'cancelled' && a.status !== 'cancelled_by_clinic') ?? [];
  const places = day?.slots.reduce((n, s) => n + s.places, 0) ?? 0;

  return (
    <View className='console'>
      {teams.length > 1 && (
        <View className='card'>
          {teams.map((t) => (
            <Text key={t.id} className={`rota-chip${t.id === teamId ? ' on' : ''}`} onClick={() => setTeamId(t.id)}>
              {t.name}
            </Text>
          ))}
        </View>
      )}
      <View className='card'>
        <View className='rota-line'>
          <Text className='rota-chip' onClick={() => setDate(addDays(date, -1))}>
            ‹ 前一天
          </Text>
          <Text className='card-title' data-testid='clinic-date'>
            {date}
          </Text>
          <Text className='rota-chip' onClick={() => setDate(addDays(date, 1))}>
            后一天 ›
          </Text>
        </View>
        <Text className='muted'>{day ? `号源${day.slots.length}个，共${places}个名额；有效预约${booked.length}个` : '正在加载…'}</Text>
      </View>
      {error && (
        <View className='card'>
          <Text className='error-text'>{error}</Text>
        </View>
      )}
      {day?.appointments.length === 0 && <View className='card muted'>当天没有预约</View>}
      {day?.appointments.map((a) => (
        <View key={a.id} className='card' data-testid={`staff-appointment-${a.id}`}>
          <View className='rota-line'>
            <Text className='card-title'>
              {a.start}-{a.end} {a.memberName}
            </Text>
            <Text className='tag'>{a.statusLabel}</Text>
          </View>
          <Text className='muted'>
            {a.kindLabel}
            {a.doctor ? ` · ${a.doctor}` : ''} · 事由：{a.reason}
            {a.service ? `（${a.service.itemName}）` : ''}
          </Text>
          {a.status === 'booked' && (
            <View className='rota-line'>
              <Button className='btn-primary day-btn' size='mini' loading={busy === a.id} onClick={() => busy === null && void doMark(a.id, 'attended')}>
                已就诊
              </Button>
              <Button className='btn-plain day-btn' size='mini' onClick={() => busy === null && void doMark(a.id, 'no_show')}>
                未到诊
              </Button>
            </View>
          )}
        </View>
      ))}
    </View>
  );
}
