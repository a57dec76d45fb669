/**
 * Console (issue 8): the team's signed residents with what is due ("签约一人、履约一人、做实一人"),
 * one agreement's promised items vs delivered, recording a service with its card-swipe evidence
 * (jilin-2017 §五(四)), and voiding a mistaken entry (corrections never edit in place).
 */
import { useCallback, useEffect, useState } from 'react';
import { View, Text, Input, Picker, Button } from '@tarojs/components';
import { EVIDENCE_KINDS, type EvidenceKind, type ProgressResponse, type TeamDueResponse } from '@jiayi/shared/schemas/console';
import type { StaffView } from '@jiayi/shared/schemas/staff';
import { ApiError } from '../../../api/client';
import { requireStaff } from '../../session';
import { manageableTeams } from '../../clinic-api';
import { agreementServices, recordService, teamDue, todayLocal, voidService } from '../../fulfilment-api';
import '../../console.css';
import '../../fulfilment.css';

const EVIDENCE = Object.keys(EVIDENCE_KINDS) as EvidenceKind[];

function pct(delivered: number, promised: number | null): number {
  return promised ? Math.min(100, Math.round((delivered / promised) * 100)) : 0;
}

export default function ConsoleServices() {
  const [staff, setStaff] = useState<StaffView | undefined>(undefined);
  const [teams, setTeams] = useState<{ id: string; name: string }[]>([]);
  const [teamId, setTeamId] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState<'all' | 'due'>('all');
  const [list, setList] = useState<TeamDueResponse | null>(null);
  const [open, setOpen] = useState<ProgressResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The record form.
  const [memberId, setMemberId] = useState('');
  const [itemKey, setItemKey] = useState('');
  const [date, setDate] = useState(todayLocal());
  const [quantity, setQuantity] = useState('1');
  const [evidenceKind, setEvidenceKind] = useState<EvidenceKind>('ss_card');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');

  useEffect(() => {
    const s = requireStaff();
    setStaff(s);
    if (!s) return;
    manageableTeams(s)
      .then((t) => {
        setTeams(t);
        setTeamId(t[0]?.id);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
  }, []);

  const load = useCallback(() => {
    if (!teamId) return;
    teamDue(teamId, filter)
      .then(setList)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
  }, [teamId, filter]);
  useEffect(load, [load]);

  const openAgreement = async (id: string) => {
    setError(null);
    setNotice(null);
    setFields({});
    try {
      const p = await agreementServices(id);
      setOpen(p);
      setMemberId(p.members[0]?.memberId ?? '');
      setItemKey('');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败');
    }
  };

  const member = open?.members.find((m) => m.memberId === memberId);
  const items = member?.packages.flatMap((p) => p.items.map((i) => ({ key: `${p.code}|${i.itemCode}`, packageCode: p.code, ...i }))) ?? [];
  const chosen = items.find((i) => i.key === itemKey);

  const submit = async () => {
    if (!open) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    setFields({});
    try {
      const r = await recordService(open.agreementId, {
        memberId,
        packageCode: chosen?.packageCode,
        itemCode: chosen?.itemCode ?? '',
        date,
        quantity: Number(quantity),
        evidence: { kind: evidenceKind, reference: reference.trim() },
        note: note.trim() || undefined,
      });
      setOpen(r.progress);
      setNotice(`已登记：${r.entry.memberName} ${r.entry.itemName} ${r.entry.quantity}次`);
      setReference('');
      setNote('');
      load();
    } catch (e) {
      if (e instanceof ApiError) {
        setFields(Object.fromEntries(e.fields.map((f) => [f.path, f.message])));
        setError(e.message);
      } else setError('登记失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  const voidEntry = async (entryId: string) => {
    if (!open) return;
    const reason = typeof window !== 'undefined' && typeof window.prompt === 'function' ? window.prompt('请填写作废原因（至少2个字）', '登记错误') : '登记错误';
    if (!reason) return;
    try {
      setOpen(await voidService(open.agreementId, entryId, reason));
      setNotice('已作废该记录（原记录保留，标记为作废）');
      load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  if (!staff) return <View className='console muted'>正在验证登录…</View>;
  return (
    <View className='console'>
      {teams.length > 1 && (
        <View className='card'>
          {teams.map((t) => (
            <Text key={t.id} className={`ff-chip${t.id === teamId ? ' on' : ''}`} onClick={() => setTeamId(t.id)}>
              {t.name}
            </Text>
          ))}
        </View>
      )}
      {error && (
        <View className='card error-text' data-testid='services-error'>
          {error}
        </View>
      )}
      {notice && (
        <View className='card ff-ok' data-testid='services-notice'>
          {notice}
        </View>
      )}

      {open && (
        <View className='card' data-testid='agreement-panel'>
          <View className='ff-line'>
            <View className='card-title'>{open.members.map((m) => m.name).join('、')}</View>
            <Text className='ff-link' onClick={() => setOpen(null)}>
              返回列表
            </Text>
          </View>
          <Text className='muted'>
            服务周期 {open.cycle.start} 至 {open.cycle.end} · {open.statusLabel}
          </Text>
          {open.members.map((m) => (
            <View key={m.memberId} className='ff-row'>
              <View className='ff-name'>{m.name}</View>
              {m.packages.map((p) =>
                p.items
                  .filter((i) => i.promised !== null || i.delivered > 0)
                  .map((i) => (
                    <View key={`${p.code}|${i.itemCode}`} className='ff-item' data-testid={`progress-${m.memberId}-${i.itemCode}`}>
                      <View className='ff-line'>
                        <Text className='ff-item-label'>{i.label}</Text>
                        <Text className={i.status === 'overdue' ? 'ff-overdue' : i.status === 'due_soon' ? 'ff-due' : 'ff-ok'}>
                          {i.statusLabel}
                          {i.nextDueBy && i.status !== 'done' ? ` · ${i.nextDueBy}前` : ''}
                        </Text>
                      </View>
                      {i.promised !== null && (
                        <View className='ff-bar'>
                          <View className={`ff-bar-fill${i.status === 'overdue' ? ' bad' : i.status === 'due_soon' ? ' warn' : ''}`} style={{ width: `${pct(i.delivered, i.promised)}%` }} />
                        </View>
                      )}
                    </View>
                  )),
              )}
            </View>
          ))}

          <View className='card-title' style={{ marginTop: '24px' }}>
            登记服务
          </View>
          <View className='field'>
            <Text className='label'>服务对象</Text>
            {open.members.map((m) => (
              <Text key={m.memberId} className={`ff-chip${m.memberId === memberId ? ' on' : ''}`} data-testid={`pick-member-${m.memberId}`} onClick={() => setMemberId(m.memberId)}>
                {m.name}
              </Text>
            ))}
          </View>
          <View className='field'>
            <Text className='label'>服务项目</Text>
            <View data-testid='pick-item'>
              {items.map((i) => (
                <Text key={i.key} className={`ff-chip${i.key === itemKey ? ' on' : ''}`} data-testid={`pick-item-${i.itemCode}`} onClick={() => setItemKey(i.key)}>
                  {i.name.length > 24 ? `${i.name.slice(0, 24)}…` : i.name}
                  {i.promised !== null ? `（${i.delivered}/${i.promised}）` : ''}
                </Text>
              ))}
            </View>
            {fields.itemCode && <View className='error-text'>{fields.itemCode}</View>}
          </View>
          <View className='field'>
            <Text className='label'>服务日期</Text>
            <Picker mode='date' value={date} end={todayLocal()} onChange={(e) => setDate(e.detail.value)}>
              <View className='input' data-testid='pick-date'>
                {date}
              </View>
            </Picker>
            {fields.date && <View className='error-text'>{fields.date}</View>}
          </View>
          <View className='field'>
            <Text className='label'>次数</Text>
            <Input className='input' type='number' data-testid='service-quantity' value={quantity} onInput={(e) => setQuantity(e.detail.value)} />
            {fields.quantity && <View className='error-text'>{fields.quantity}</View>}
          </View>
          <View className='field'>
            <Text className='label'>服务凭证（刷卡记录）</Text>
            {EVIDENCE.map((k) => (
              <Text key={k} className={`ff-chip${k === evidenceKind ? ' on' : ''}`} onClick={() => setEvidenceKind(k)}>
                {EVIDENCE_KINDS[k]}
              </Text>
            ))}
            <Input className='input' data-testid='service-evidence' value={reference} placeholder='刷卡流水号或卡号后几位' onInput={(e) => setReference(e.detail.value)} />
            {(fields['evidence.reference'] || fields.evidence) && <View className='error-text'>{fields['evidence.reference'] ?? fields.evidence}</View>}
          </View>
          <View className='field'>
            <Text className='label'>备注（可不填）</Text>
            <Input className='input' value={note} placeholder='例如：血压 132/84 mmHg' onInput={(e) => setNote(e.detail.value)} />
          </View>
          <Button className='btn-primary ff-btn' data-testid='service-submit' loading={busy} disabled={busy} onClick={() => void submit()}>
            登记服务
          </Button>

          <View className='card-title' style={{ marginTop: '24px' }}>
            服务记录
          </View>
          {open.entries.length === 0 && <Text className='muted'>尚无服务记录</Text>}
          {open.entries.map((e) => (
            <View key={e.entryId} className='ff-row' data-testid={`entry-${e.entryId}`}>
              <View className='ff-line'>
                <Text className={e.voided ? 'ff-void' : ''}>
                  {e.date} {e.memberName} · {e.itemName} ×{e.quantity}
                </Text>
                {!e.voided && (
                  <Text className='ff-link' onClick={() => void voidEntry(e.entryId)}>
                    作废
                  </Text>
                )}
              </View>
              <Text className='muted'>
                {e.staff.name} 登记
                {e.evidence ? ` · ${e.evidence.kindLabel} ${e.evidence.reference}` : ''}
                {e.voided ? ` · 已作废：${e.voidReason ?? ''}` : ''}
                {e.voids ? ' · 更正记录' : ''}
              </Text>
            </View>
          ))}
        </View>
      )}

      {!open && (
        <View className='card'>
          <View className='ff-line'>
            <View className='card-title'>签约居民</View>
            <View>
              <Text className={`ff-chip${filter === 'all' ? ' on' : ''}`} onClick={() => setFilter('all')}>
                全部
              </Text>
              <Text className={`ff-chip${filter === 'due' ? ' on' : ''}`} data-testid='filter-due' onClick={() => setFilter('due')}>
                有待办
              </Text>
            </View>
          </View>
          {!list && <Text className='muted'>正在加载…</Text>}
          {list && list.residents.length === 0 && <Text className='muted'>{filter === 'due' ? '近30天没有到期或逾期的服务' : '本团队暂无生效的签约'}</Text>}
          {list?.residents.map((r) => {
            const due = r.members.reduce((a, m) => a + m.dueCount, 0);
            const overdue = r.members.reduce((a, m) => a + m.overdueCount, 0);
            return (
              <View key={r.agreementId} className='ff-row' data-testid={`resident-${r.agreementId}`} onClick={() => void openAgreement(r.agreementId)}>
                <View className='ff-line'>
                  <Text className='ff-name'>{r.members.map((m) => m.name).join('、')}</Text>
                  <Text className={overdue ? 'ff-overdue' : due ? 'ff-due' : 'ff-ok'}>{overdue ? `逾期${overdue}项` : due ? `待办${due}项` : '按计划'} ›</Text>
                </View>
                <Text className='muted'>
                  服务周期 {r.cycle.start} 至 {r.cycle.end}
                </Text>
                {r.members.flatMap((m) =>
                  m.due.slice(0, 3).map((d) => (
                    <View key={`${m.memberId}-${d.itemCode}`} className={d.status === 'overdue' ? 'ff-overdue' : 'ff-due'}>
                      {m.name}：{d.label}
                      {d.nextDueBy ? `（${d.nextDueBy}前）` : ''}
                    </View>
                  )),
                )}
              </View>
            );
          })}
        </View>
      )}
    </View>
  );
}
