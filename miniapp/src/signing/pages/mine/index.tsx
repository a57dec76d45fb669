/**
 * 我的签约 — every agreement the resident signed as household representative: status, team and
 * doctors, service cycle, members with their packages and promised item quantities, price
 * split, payments and refunds; and the actions the server allows now (pay, renew within the
 * window, change team, terminate, read the agreement).
 */
import { useRef, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { AGE_GROUPS, type AgreementDocument, type AgreementView } from '@jiayi/shared/schemas/agreements';
import type { TeamView } from '@jiayi/shared/schemas/teams';
import { yuanText } from '../../../components/money';
import { errorText, getAgreement, getDocument, getTeams, myAgreements, newIdempotencyKey, PAGES, renew, requireIdentity } from '../../api';
import { Banner, DocumentView, groupsOf, ItemList, payerSentence, shanghaiTime } from '../../components';
import '../../signing.css';

const SEX = { M: '男', F: '女' } as const;
const dateTime = shanghaiTime;

export default function Mine() {
  const params = useRouter().params;
  const [list, setList] = useState<AgreementView[] | null>(null);
  const [teams, setTeams] = useState<Record<string, TeamView>>({});
  const [docs, setDocs] = useState<Record<string, AgreementDocument>>({});
  const [openItems, setOpenItems] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const renewKeys = useRef<Record<string, string>>({});

  const load = async () => {
    const me = await requireIdentity();
    if (!me) return;
    const r = await myAgreements();
    const sorted = [...r.agreements].sort((x, y) => y.createdAt.localeCompare(x.createdAt));
    setList(sorted);
    // GET /agreements answers without the agreement partition (payments, refunds): read each
    // agreement that has or had money moving for the full view.
    const withMoney = sorted.filter((a) => a.price.residentDueFen > 0 || a.status === 'terminated');
    const full = await Promise.all(withMoney.map((a) => getAgreement(a.id).catch(() => a)));
    const byId = new Map(full.map((a) => [a.id, a]));
    setList(sorted.map((a) => byId.get(a.id) ?? a));
    for (const inst of new Set(sorted.map((a) => a.team.institutionId)))
      getTeams(inst)
        .then((t) => setTeams((cur) => ({ ...cur, ...Object.fromEntries(t.teams.map((x) => [x.id, x])) })))
        .catch(() => undefined);
  };

  useDidShow(() => void load().catch((e: unknown) => setError(errorText(e))));

  const toggleDoc = async (a: AgreementView) => {
    if (docs[a.id]) return setDocs(({ [a.id]: _, ...rest }) => rest);
    try {
      const d = await getDocument(a.id);
      setDocs((cur) => ({ ...cur, [a.id]: d }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const doRenew = async (a: AgreementView) => {
    const ok = await Taro.showModal({ title: '续约', content: `为${a.members.map((m) => m.name).join('、')}续签下一个服务周期（团队与服务包不变）？` });
    if (!ok.confirm) return;
    setBusy(a.id);
    setError(null);
    // One key per renewal attempt, reused if the same attempt is retried.
    renewKeys.current[a.id] ??= newIdempotencyKey();
    try {
      const next = await renew(a.id, renewKeys.current[a.id]!);
      delete renewKeys.current[a.id];
      if (next.status === 'pending_payment' && next.price.residentDueFen > 0) await Taro.navigateTo({ url: `${PAGES.pay}?id=${next.id}` });
      else await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const highlight = params.signed ?? params.changed ?? params.terminated;

  return (
    <View className='sg-page no-bar'>
      {params.signed && list?.some((a) => a.id === params.signed && a.status === 'active') && (
        <Banner kind='ok' testid='signed-banner'>
          签约成功，协议已生效。
        </Banner>
      )}
      {params.changed && <Banner kind='ok'>签约团队已变更。</Banner>}
      {params.terminated && <Banner kind='ok'>已解约，退款将原路退回。</Banner>}
      {error && (
        <Banner kind='error' testid='mine-error'>
          {error}
        </Banner>
      )}
      {!list && !error && <View className='card muted'>正在加载…</View>}
      {list?.length === 0 && (
        <View className='card'>
          <View className='card-title'>还没有签约</View>
          <Text className='muted'>选择家庭医生团队和服务包，为自己和家人签约。</Text>
          <Button className='btn-primary' data-testid='start-signing' onClick={() => void Taro.navigateTo({ url: PAGES.team })}>
            签约家庭医生
          </Button>
        </View>
      )}
      {list?.map((a) => {
        const team = teams[a.team.id];
        return (
          <View key={a.id} className={`card${a.id === highlight ? ' team selected' : ''}`} data-testid={`agreement-${a.id}`}>
            <View className='agr-head'>
              <View className='card-title'>{a.team.name}</View>
              <Text className={`status ${a.status}`} data-testid='agreement-status'>
                {a.statusLabel}
              </Text>
            </View>
            <Text className='muted'>{a.team.institutionName}</Text>
            {team && (
              <View className='doctors'>
                {team.doctors.map((d) => (
                  <View key={`${d.name}-${d.title}`} className='doctor'>
                    <Text className='doctor-name'>{d.name}</Text>
                    <Text className='doctor-title'>{d.title}</Text>
                    {d.lead && <Text className='lead'>第一责任人</Text>}
                  </View>
                ))}
              </View>
            )}
            <View className='kv'>
              <Text className='kv-k'>服务周期</Text>
              <Text className='kv-v' data-testid='agreement-cycle'>
                {a.cycle.start} 至 {a.cycle.end}
              </Text>
            </View>
            <View className='kv'>
              <Text className='kv-k'>签约类型</Text>
              <Text className='kv-v'>{a.signingKind === 'paid' ? '收费签约' : '不收费签约'}</Text>
            </View>
            {a.status === 'pending_payment' && a.pendingExpiresAt && (
              <View className='kv'>
                <Text className='kv-k'>名额保留至</Text>
                <Text className='kv-v'>{dateTime(a.pendingExpiresAt)}</Text>
              </View>
            )}

            <View className='sub-title'>签约成员与服务包</View>
            {a.members.map((m) => (
              <View key={m.memberId} className='pkg' data-testid={`agreement-member-${m.name}`}>
                <View className='pkg-head'>
                  <Text className='pkg-name'>
                    {m.name} <Text className='tag'>{m.relation}</Text>
                  </Text>
                  <Text className='pkg-price'>{yuanText(m.totalFen)}</Text>
                </View>
                <Text className='pkg-sub'>
                  {SEX[m.sex]} · {AGE_GROUPS[m.ageGroup]} · {m.idNumberMasked}
                </Text>
                {m.packages.map((p) => {
                  const key = `${a.id}/${m.memberId}/${p.code}`;
                  return (
                    <View key={p.code} style={{ marginTop: '10px' }}>
                      <View className='quote-line'>
                        <Text className='strong'>{p.name}</Text>
                        <Text>{yuanText(p.priceFen)}</Text>
                      </View>
                      {p.shares.length > 0 && (
                        <View className='shares-line'>
                          {p.shares.map((s) => (
                            <Text key={s.payer} className='share-chip'>
                              {s.label} {yuanText(s.amountFen)}
                            </Text>
                          ))}
                        </View>
                      )}
                      <Text className='link' data-testid={`items-toggle-${m.name}-${p.code}`} onClick={() => setOpenItems((o) => ({ ...o, [key]: !o[key] }))}>
                        {openItems[key] ? '收起服务项目' : `查看${p.items.length}项服务项目及次数 ›`}
                      </Text>
                      {openItems[key] && <ItemList items={p.items} />}
                    </View>
                  );
                })}
              </View>
            ))}

            <View className='quote-sum' data-testid='agreement-price'>
              合计 {yuanText(a.price.totalFen)}：{payerSentence(groupsOf(a.price.byPayer))}
            </View>

            {(a.payments.length > 0 || a.refunds.length > 0) && <View className='sub-title'>支付记录</View>}
            {a.payments.map((p) => (
              <View key={p.outTradeNo} className='pay-row' data-testid='payment-row'>
                <View className='quote-line'>
                  <Text>微信支付 {yuanText(p.amountFen)}</Text>
                  <Text>{p.statusLabel}</Text>
                </View>
                <Text className='pkg-sub'>
                  订单号 {p.outTradeNo}
                  {p.paidAt ? ` · ${dateTime(p.paidAt)}` : ''}
                  {p.refundedFen ? ` · 已退 ${yuanText(p.refundedFen)}` : ''}
                </Text>
              </View>
            ))}
            {a.refunds.map((r) => (
              <View key={r.outRefundNo} className='pay-row'>
                <View className='quote-line'>
                  <Text>退款 {yuanText(r.amountFen)}</Text>
                  <Text>{r.status}</Text>
                </View>
                <Text className='pkg-sub'>
                  {r.reason} · {dateTime(r.at)}
                </Text>
              </View>
            ))}

            <View className='agr-actions'>
              {a.actions.pay && (
                <Text className='act primary' data-testid='action-pay' onClick={() => void Taro.navigateTo({ url: `${PAGES.pay}?id=${a.id}` })}>
                  去支付 {yuanText(a.price.residentDueFen)}
                </Text>
              )}
              {a.actions.renew && (
                <Text className='act primary' data-testid='action-renew' onClick={() => busy !== a.id && void doRenew(a)}>
                  {busy === a.id ? '续约中…' : '续约'}
                </Text>
              )}
              {a.actions.changeTeam && (
                <Text
                  className='act'
                  data-testid='action-change-team'
                  onClick={() => void Taro.navigateTo({ url: `${PAGES.team}?mode=change&agreementId=${a.id}&regionId=${a.regionId}` })}
                >
                  变更团队
                </Text>
              )}
              {a.actions.terminate && (
                <Text className='act danger' data-testid='action-terminate' onClick={() => void Taro.navigateTo({ url: `${PAGES.terminate}?id=${a.id}` })}>
                  解约
                </Text>
              )}
              {a.actions.document && (
                <Text className='act' data-testid='action-document' onClick={() => void toggleDoc(a)}>
                  {docs[a.id] ? '收起协议' : '查看协议'}
                </Text>
              )}
            </View>
            {docs[a.id] && (
              <View style={{ marginTop: '12px' }}>
                <DocumentView doc={docs[a.id]!} />
              </View>
            )}
            <Text className='pkg-sub'>
              协议编号 {a.id} · 签约于 {dateTime(a.createdAt)}
            </Text>
          </View>
        );
      })}
      {list && list.length > 0 && (
        <View className='card'>
          <Button className='btn-plain' data-testid='sign-more' onClick={() => void Taro.navigateTo({ url: PAGES.team })}>
            为其他家庭成员签约
          </Button>
        </View>
      )}
    </View>
  );
}
