/**
 * 签约门诊排班 (staff): the team's weekly rota — sessions (上午 / 午间延时 / 下午 / 晚间延时),
 * slot length, places per slot, an optional named doctor — the closed dates (holidays) and the
 * booking horizon. Publishing regenerates the slots; booked slots the new rota drops are
 * cancelled with a notice to the residents (the result says how many).
 */
import { useEffect, useState } from 'react';
import { View, Text, Button, Input } from '@tarojs/components';
import { SESSION_KIND_LABELS, type RotaSessionInput, type RotaView } from '@jiayi/shared/schemas/appointments';
import { ApiError } from '../../../api/client';
import { requireStaff } from '../../session';
import { fieldLabel, getRota, manageableTeams, publishRota } from '../../clinic-api';
import '../../console.css';
import './rota.css';

const WEEK = ['', '一', '二', '三', '四', '五', '六', '日'];
const KINDS = Object.entries(SESSION_KIND_LABELS) as [RotaSessionInput['kind'], string][];
const DEFAULTS: Record<RotaSessionInput['kind'], [string, string]> = { morning: ['08:00', '11:30'], noon: ['11:30', '13:30'], afternoon: ['14:00', '17:00'], evening: ['18:00', '20:00'] };

export default function RotaPage() {
  const [teams, setTeams] = useState<{ id: string; name: string }[]>([]);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [rota, setRota] = useState<RotaView | null>(null);
  const [sessions, setSessions] = useState<RotaSessionInput[]>([]);
  const [closed, setClosed] = useState<string[]>([]);
  const [newClosed, setNewClosed] = useState('');
  const [horizon, setHorizon] = useState('14');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<{ path: string; message: string }[]>([]);
  const [ok, setOk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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

  useEffect(() => {
    if (!teamId) return;
    getRota(teamId)
      .then((r) => {
        setRota(r.rota);
        setSessions(r.rota?.sessions ?? []);
        setClosed(r.rota?.closedDates ?? []);
        setHorizon(String(r.rota?.horizonDays ?? 14));
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '加载失败'));
  }, [teamId]);

  const update = (i: number, patch: Partial<RotaSessionInput>) => setSessions((cur) => cur.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const add = (kind: RotaSessionInput['kind']) =>
    setSessions((cur) => [...cur, { weekday: 1, kind, start: DEFAULTS[kind][0], end: DEFAULTS[kind][1], slotMinutes: 30, placesPerSlot: 2 }]);

  const publish = async () => {
    if (!teamId) return;
    setBusy(true);
    setError(null);
    setFields([]);
    setOk(null);
    try {
      const r = await publishRota(teamId, {
        sessions: sessions.map((s) => ({ ...s, ...(s.doctor?.trim() ? { doctor: s.doctor.trim() } : { doctor: undefined }) })),
        closedDates: closed,
        horizonDays: Number(horizon) || 14,
        ...(rota ? { expectedVersion: rota.version } : {}),
      });
      setRota(r.rota);
      const c = r.changes;
      setOk(`已发布第${r.rota.version}版排班：新增号源${c.created}个，调整${c.updated}个，撤下${c.withdrawn}个` + (c.cancelledAppointments ? `；${c.cancelledAppointments}个预约因调整被取消，已通知居民。` : '。'));
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.message);
        setFields(e.fields);
      } else setError('发布失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  const errorAt = (i: number) => fields.filter((f) => f.path.startsWith(`sessions.${i}.`));

  return (
    <View className='console rota'>
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
        <View className='card-title'>每周门诊时段</View>
        <Text className='muted'>{rota ? `当前第${rota.version}版，发布于${rota.publishedAt.slice(0, 10)}` : '尚未发布排班'}</Text>
        {sessions.length === 0 && <Text className='muted rota-empty'>还没有门诊时段，请在下方添加。</Text>}
        {sessions.map((s, i) => (
          <View key={i} className={`rota-row${errorAt(i).length ? ' bad' : ''}`} data-testid={`session-${i}`}>
            <View className='rota-line'>
              <Text className='rota-no'>{i + 1}</Text>
              {WEEK.slice(1).map((w, d) => (
                <Text key={w} className={`rota-chip small${s.weekday === d + 1 ? ' on' : ''}`} onClick={() => update(i, { weekday: d + 1 })}>
                  {w}
                </Text>
              ))}
            </View>
            <View className='rota-line'>
              {KINDS.map(([k, label]) => (
                <Text key={k} className={`rota-chip small${s.kind === k ? ' on' : ''}`} onClick={() => update(i, { kind: k })}>
                  {label}
                </Text>
              ))}
            </View>
            <View className='rota-line'>
              <Input className='rota-input' value={s.start} onInput={(e) => update(i, { start: e.detail.value })} />
              <Text>至</Text>
              <Input className='rota-input' value={s.end} onInput={(e) => update(i, { end: e.detail.value })} />
              <Input className='rota-input narrow' type='number' value={String(s.slotMinutes)} onInput={(e) => update(i, { slotMinutes: Number(e.detail.value) })} />
              <Text>分钟/号</Text>
              <Input className='rota-input narrow' type='number' value={String(s.placesPerSlot)} onInput={(e) => update(i, { placesPerSlot: Number(e.detail.value) })} />
              <Text>人/号</Text>
            </View>
            <View className='rota-line'>
              <Input className='rota-input wide' value={s.doctor ?? ''} placeholder='坐诊医生（可不填，表示团队门诊）' onInput={(e) => update(i, { doctor: e.detail.value })} />
              <Text className='rota-del' onClick={() => setSessions((cur) => cur.filter((_, j) => j !== i))}>
                删除
              </Text>
            </View>
            {errorAt(i).map((f) => (
              <Text key={f.path} className='error-text rota-err'>
                {fieldLabel(f.path)}：{f.message}
              </Text>
            ))}
          </View>
        ))}
        <View className='rota-line'>
          {KINDS.map(([k, label]) => (
            <Text key={k} className='rota-chip add' data-testid={`add-${k}`} onClick={() => add(k)}>
              ＋{label}
            </Text>
          ))}
        </View>
      </View>
      <View className='card'>
        <View className='card-title'>停诊日期（节假日）</View>
        <View className='rota-line'>
          {closed.map((d) => (
            <Text key={d} className='rota-chip on' onClick={() => setClosed((cur) => cur.filter((x) => x !== d))}>
              {d} ×
            </Text>
          ))}
        </View>
        <View className='rota-line'>
          <Input className='rota-input wide' value={newClosed} placeholder='YYYY-MM-DD' onInput={(e) => setNewClosed(e.detail.value)} />
          <Text
            className='rota-chip add'
            onClick={() => {
              if (newClosed.trim() && !closed.includes(newClosed.trim())) setClosed((cur) => [...cur, newClosed.trim()].sort());
              setNewClosed('');
            }}
          >
            添加
          </Text>
        </View>
        <View className='rota-line'>
          <Text>放号天数</Text>
          <Input className='rota-input narrow' type='number' value={horizon} onInput={(e) => setHorizon(e.detail.value)} />
          <Text className='muted'>天（默认14天）</Text>
        </View>
      </View>
      {ok && <View className='card rota-ok'>{ok}</View>}
      {error && (
        <View className='card'>
          <Text className='error-text'>{error}</Text>
          {fields
            .filter((f) => !f.path.startsWith('sessions.'))
            .map((f) => (
              <Text key={f.path} className='error-text rota-err'>
                {fieldLabel(f.path)}：{f.message}
              </Text>
            ))}
        </View>
      )}
      <Button className='btn-primary' data-testid='publish-rota' loading={busy} onClick={() => void publish()}>
        发布排班
      </Button>
    </View>
  );
}
