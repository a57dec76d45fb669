/**
 * Building blocks of the signing pages: the step bar, a team card (doctors, 第一责任人, clinic
 * hours, remaining places), the payer breakdown sentence and promised-item lists.
 */
import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { PAYER_GROUPS, type Payer } from '@jiayi/shared/domain/policy/types';
import type { AgreementDocument, PromisedItemView } from '@jiayi/shared/schemas/agreements';
import type { TeamView } from '@jiayi/shared/schemas/teams';
import { PAYER_NAMES, yuanText } from '../components/money';

const STEPS = ['选择团队', '选择服务包', '阅读协议', '支付'] as const;

export function StepBar({ current }: { current: 0 | 1 | 2 | 3 }) {
  return (
    <View className='steps' data-testid='steps'>
      {STEPS.map((s, i) => (
        <View key={s} className={`step${i === current ? ' now' : i < current ? ' done' : ''}`}>
          <View className='step-dot'>{i < current ? '✓' : i + 1}</View>
          <Text className='step-name'>{s}</Text>
        </View>
      ))}
    </View>
  );
}

const GROUP_ORDER = ['resident', 'insurance_fund', 'public_health', 'finance', 'civil_affairs', 'charity', 'institution'] as const;

/** Sum fen per payer code into the coarse groups (resident, insurance_fund, public_health, finance, …). */
export function groupsOf(byPayer: Partial<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [p, fen] of Object.entries(byPayer)) {
    const g = PAYER_GROUPS[p as Payer] ?? p;
    out[g] = (out[g] ?? 0) + (fen ?? 0);
  }
  return out;
}

/** "您需支付 ¥50.00，医保基金支付 ¥50.00，公共卫生经费支付 ¥50.00" (the resident's part always shown). */
export function payerSentence(byGroup: Partial<Record<string, number>>): string {
  const parts = GROUP_ORDER.filter((g) => g === 'resident' || (byGroup[g] ?? 0) > 0).map((g) => `${PAYER_NAMES[g] ?? g} ${yuanText(byGroup[g] ?? 0)}`);
  for (const [g, fen] of Object.entries(byGroup)) if (!(GROUP_ORDER as readonly string[]).includes(g) && (fen ?? 0) > 0) parts.push(`${PAYER_NAMES[g] ?? g} ${yuanText(fen ?? 0)}`);
  return parts.join('，');
}

/** Package-level shares as the quote labels them ("居民个人 ¥50.00 · 医保基金 ¥50.00"). */
export function SharesLine({ shares }: { shares: readonly { payer: string; label: string; amountFen: number }[] }) {
  if (!shares.length) return <Text className='shares-line'>免费</Text>;
  return (
    <View className='shares-line'>
      {shares.map((s) => (
        <Text key={s.payer} className='share-chip'>
          {s.label} {yuanText(s.amountFen)}
        </Text>
      ))}
    </View>
  );
}

export function TeamCard(props: { team: TeamView; selected?: boolean; current?: boolean; onSelect?: () => void }) {
  const { team } = props;
  const disabled = team.full || props.current;
  return (
    <View
      className={`card team${props.selected ? ' selected' : ''}${disabled ? ' disabled' : ''}`}
      data-testid={`team-${team.id}`}
      onClick={() => props.onSelect?.()}
    >
      <View className='team-head'>
        <View className='team-name'>{team.name}</View>
        {props.current ? (
          <Text className='badge muted-badge'>当前团队</Text>
        ) : team.full ? (
          <Text className='badge full' data-testid='team-full'>
            团队已满
          </Text>
        ) : (
          <Text className='badge remaining' data-testid='team-remaining'>
            剩余名额 {team.remaining}
          </Text>
        )}
      </View>
      <View className='doctors'>
        {team.doctors.map((d) => (
          <View key={`${d.name}-${d.title}`} className='doctor'>
            <Text className='doctor-name'>{d.name}</Text>
            <Text className='doctor-title'>{d.title}</Text>
            {d.lead && <Text className='lead'>第一责任人</Text>}
          </View>
        ))}
      </View>
      {team.clinicHours.length > 0 && (
        <View className='hours'>
          <Text className='hours-title'>门诊时间</Text>
          {team.clinicHours.map((h) => (
            <Text key={h} className='hours-line'>
              {h}
            </Text>
          ))}
        </View>
      )}
      {props.selected && <View className='chosen'>✓ 已选择该团队</View>}
    </View>
  );
}

const PER_TEXT: Record<string, string> = { year: '年', quarter: '季度', month: '月', stage: '阶段' };
const BOUND_TEXT: Record<string, string> = { exact: '', atLeast: '不少于', atMost: '不超过' };

export function frequencyOf(i: Pick<PromisedItemView, 'quantity' | 'per' | 'unit' | 'bound' | 'frequencyText' | 'kind'>): string {
  if (i.quantity && i.per) return `${BOUND_TEXT[i.bound] ?? ''}${i.quantity}${i.unit}/${PER_TEXT[i.per] ?? i.per}`;
  if (i.frequencyText) return i.frequencyText;
  return i.kind === 'on_demand' ? '按需' : i.kind === 'ongoing' ? '持续提供' : '—';
}

export function ItemList({ items }: { items: readonly PromisedItemView[] }) {
  return (
    <View className='items'>
      {items.map((i) => (
        <View key={i.code} className='item' data-testid={`item-${i.code}`}>
          <Text className='item-name'>{i.name}</Text>
          <Text className='item-freq'>{frequencyOf(i)}</Text>
        </View>
      ))}
    </View>
  );
}

export function Check(props: { checked: boolean; disabled?: boolean; locked?: boolean; onChange?: (v: boolean) => void; children?: ReactNode; testid?: string }) {
  return (
    <View
      className={`check${props.locked ? ' locked' : props.disabled ? ' disabled' : ''}`}
      data-testid={props.testid}
      onClick={() => !props.disabled && !props.locked && props.onChange?.(!props.checked)}
    >
      <View className={`box${props.checked ? ' on' : ''}`}>{props.checked ? '✓' : ''}</View>
      {props.children !== undefined && <Text className='check-text'>{props.children}</Text>}
    </View>
  );
}

export function Banner({ kind, children, testid }: { kind: 'error' | 'ok' | 'info'; children: ReactNode; testid?: string }) {
  return (
    <View className={`banner ${kind}`} data-testid={testid}>
      {children}
    </View>
  );
}

/** The agreement document (sections, paragraphs, tables) as the backend renders it. */
export function DocumentView({ doc }: { doc: AgreementDocument }) {
  return (
    <View className='doc' data-testid='agreement-document'>
      <View className='doc-title'>{doc.title}</View>
      {doc.sections.map((s) => (
        <View key={s.heading}>
          <View className='doc-h'>{s.heading}</View>
          {s.paragraphs.map((p, i) => (
            <Text key={i} className='doc-p'>
              {p}
            </Text>
          ))}
          {s.table && s.table.rows.length > 0 && (
            <View className='doc-table'>
              <View className='doc-tr th'>
                {s.table.columns.map((c) => (
                  <Text key={c} className='doc-td'>
                    {c}
                  </Text>
                ))}
              </View>
              {s.table.rows.map((r, i) => (
                <View key={i} className='doc-tr'>
                  {r.map((c, j) => (
                    <Text key={j} className='doc-td'>
                      {c}
                    </Text>
                  ))}
                </View>
              ))}
            </View>
          )}
        </View>
      ))}
      <Text className='doc-p muted'>协议文本版本：{doc.agreementTextVersion}</Text>
    </View>
  );
}

/** "2025-03-01 14:05" in Asia/Shanghai (UTC+8, no daylight saving) for an ISO instant. */
export function shanghaiTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 16);
}
