/**
 * Step 2 — packages per household member, with eligibility (ineligible packages greyed with
 * the Chinese reason) and the live price breakdown from POST /me/quote, per member and total
 * ("您需支付 ¥50.00，医保基金支付 ¥50.00，公共卫生经费支付 ¥50.00"). Prices are never computed
 * here: the server quotes from the members' stored facts.
 */
import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { EligiblePackagesResponse } from '@jiayi/shared/schemas/agreements';
import type { MemberResponse } from '@jiayi/shared/schemas/residents';
import type { RegionId } from '@jiayi/shared/domain/policy/types';
import { packageCatalogResponseSchema, type PackageCatalogResponse, type QuoteResponse } from '@jiayi/shared/schemas/policy';
import { api } from '../../../api/client';
import { yuanText } from '../../../components/money';
import { errorText, getEligible, getMembers, PAGES, quote, requireIdentity } from '../../api';
import { draftMembers, loadDraft, saveDraft, type SigningDraft } from '../../draft';
import { Banner, Check, payerSentence, SharesLine, StepBar, groupsOf } from '../../components';
import '../../signing.css';

type Catalog = PackageCatalogResponse['packages'][number];
type QuoteMember = QuoteResponse['members'][number];

const SEX = { M: '男', F: '女' } as const;
const KINDS = [
  { value: 'free' as const, label: '不收费签约（基本服务）' },
  { value: 'paid' as const, label: '收费签约' },
];

export default function ChoosePackages() {
  const [draft, setDraft] = useState<SigningDraft>(() => loadDraft());
  const [members, setMembers] = useState<MemberResponse[] | null>(null);
  const [catalog, setCatalog] = useState<Record<string, Catalog>>({});
  const [eligible, setEligible] = useState<Record<string, EligiblePackagesResponse | { error: string }>>({});
  const [q, setQ] = useState<QuoteResponse | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [quoting, setQuoting] = useState(false);
  const [showIneligible, setShowIneligible] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const regionId = draft.regionId;

  const update = (patch: Partial<SigningDraft>) => setDraft((d) => saveDraft({ ...d, ...patch }));

  useDidShow(() => {
    if (!loadDraft().team) return void Taro.redirectTo({ url: PAGES.team });
    void requireIdentity()
      .then((me) => (me ? getMembers() : null))
      .then((r) => {
        if (!r) return;
        // Facts may have changed on the identity pages (health, insurance): re-ask eligibility.
        setEligible({});
        setMembers(r.members);
        const d = loadDraft();
        const signable = r.members.filter((m) => m.idNumberMasked).map((m) => m.memberId);
        // First visit: everyone who can sign is ticked; later visits keep the resident's choice.
        const memberIds = d.memberIds.length ? d.memberIds.filter((id) => signable.includes(id)) : signable;
        setDraft(saveDraft({ ...d, memberIds }));
      })
      .catch((e: unknown) => setError(errorText(e)));
  });

  useEffect(() => {
    api('GET', `/regions/${regionId}/packages`, { schema: packageCatalogResponseSchema })
      .then((c) => setCatalog(Object.fromEntries(c.packages.map((p) => [p.code, p]))))
      .catch(() => undefined);
  }, [regionId]);

  useEffect(() => {
    for (const m of members ?? []) {
      if (!m.idNumberMasked || eligible[m.memberId]) continue;
      getEligible(m.memberId, regionId)
        .then((r) => setEligible((e) => ({ ...e, [m.memberId]: r })))
        .catch((e: unknown) => setEligible((x) => ({ ...x, [m.memberId]: { error: errorText(e) } })));
    }
  }, [members, regionId]);

  // The live quote: re-asked (debounced) whenever the selection changes; stale answers are dropped.
  const body = JSON.stringify(draftMembers(draft));
  useEffect(() => {
    const picked = draftMembers(draft);
    if (!picked.length) {
      setQ(null);
      return;
    }
    const n = ++seq.current;
    setQuoting(true);
    const t = setTimeout(() => {
      quote({ regionId: regionId as RegionId, members: picked })
        .then((r) => n === seq.current && (setQ(r), setQuoteError(null)))
        .catch((e: unknown) => n === seq.current && (setQ(null), setQuoteError(errorText(e, '报价失败，请稍后再试'))))
        .finally(() => n === seq.current && setQuoting(false));
    }, 250);
    return () => clearTimeout(t);
  }, [body, regionId]);

  const toggleMember = (id: string, on: boolean) => {
    const order = (members ?? []).map((m) => m.memberId);
    const ids = on ? [...draft.memberIds, id] : draft.memberIds.filter((x) => x !== id);
    update({ memberIds: order.filter((x) => ids.includes(x)) });
  };
  const togglePackage = (memberId: string, code: string, on: boolean) => {
    const cur = draft.selections[memberId] ?? [];
    update({ selections: { ...draft.selections, [memberId]: on ? [...cur, code] : cur.filter((c) => c !== code) } });
  };

  const quoteOf = (id: string): QuoteMember | undefined => q?.members.find((m) => m.memberId === id);
  const canNext = !!q && q.ok && !quoting && draft.memberIds.length > 0;

  const next = () => {
    if (!draft.memberIds.length) return setError('请至少选择一位签约成员');
    if (!q?.ok) return setError('所选服务包暂不能签约，请按提示调整');
    void Taro.navigateTo({ url: PAGES.confirm });
  };

  const renderPackage = (m: MemberResponse, p: EligiblePackagesResponse['packages'][number]) => {
    const c = catalog[p.packageCode];
    const basic = p.category === 'basic';
    const picked = basic || (draft.selections[m.memberId] ?? []).includes(p.packageCode);
    const cls = basic ? ' on' : !p.eligible ? ' off' : picked ? ' on' : '';
    return (
      <View
        key={p.packageCode}
        className={`pkg${cls}`}
        data-testid={`pkg-${m.name}-${p.packageCode}`}
        onClick={() => {
          if (basic) return;
          if (!p.eligible) return void Taro.showToast({ title: p.reasons[0] ?? '不符合签约条件', icon: 'none' });
          togglePackage(m.memberId, p.packageCode, !picked);
        }}
      >
        <View className='pkg-head'>
          <Check checked={picked} locked={basic} disabled={!p.eligible} />
          <Text className='pkg-name'>{p.packageName}</Text>
          <Text className='pkg-price'>{c?.priceText ?? ''}</Text>
        </View>
        <Text className='pkg-sub'>
          {basic ? '每位签约居民均包含，无需选择' : (c?.targetPopulation ?? '')}
          {c ? ` · ${c.items.length}项服务` : ''}
        </Text>
        {!p.eligible &&
          p.reasons.map((r) => (
            <Text key={r} className='pkg-reason'>
              {r}
            </Text>
          ))}
      </View>
    );
  };

  return (
    <View className='sg-page'>
      <StepBar current={1} />
      <View className='card'>
        <View className='card-title'>为家庭成员选择服务包</View>
        <Text className='muted'>
          签约团队：{draft.team?.institutionName} {draft.team?.name}。每位签约成员都包含基础服务包；个性化服务包按人群和健康状况选择。
        </Text>
      </View>
      {error && <Banner kind='error'>{error}</Banner>}
      {!members && !error && <View className='card muted'>正在加载家庭成员…</View>}
      {members?.map((m) => {
        const on = draft.memberIds.includes(m.memberId);
        const el = eligible[m.memberId];
        const mq = quoteOf(m.memberId);
        return (
          <View key={m.memberId} className='member-block' data-testid={`sign-member-${m.name}`}>
            <View className='member-top'>
              <View>
                <Text className='member-name'>{m.name}</Text> <Text className='tag'>{m.self ? '本人' : m.relation}</Text>
                <Text className='member-sub'>
                  {[m.sex ? SEX[m.sex] : null, m.age !== null ? `${m.age}岁` : null, m.idNumberMasked].filter(Boolean).join(' · ')}
                </Text>
              </View>
              <Check checked={on} disabled={!m.idNumberMasked} onChange={(v) => toggleMember(m.memberId, v)} testid={`include-${m.name}`}>
                为TA签约
              </Check>
            </View>
            {!m.idNumberMasked && (
              <View className='pkg-reason'>
                身份证号码未登记（授权已撤回），暂不能签约。
                <Text className='link' onClick={() => void Taro.navigateTo({ url: `${PAGES.member}?memberId=${m.memberId}` })}>
                  去补充 ›
                </Text>
              </View>
            )}
            {on && regionId === 'yongkang' && (
              <View className='chips' style={{ marginTop: '12px' }}>
                {KINDS.map((k) => (
                  <View key={k.value} className={`chip${(draft.signingKinds[m.memberId] ?? 'paid') === k.value ? ' on' : ''}`} onClick={() => update({ signingKinds: { ...draft.signingKinds, [m.memberId]: k.value } })}>
                    {k.label}
                  </View>
                ))}
              </View>
            )}
            {on && el && 'error' in el && <Text className='quote-error'>{el.error}</Text>}
            {on && !el && <Text className='muted'>正在判断可签约的服务包…</Text>}
            {on && el && !('error' in el) && (
              <View>
                {!el.healthConsent && (
                  <Text className='pkg-sub'>
                    高血压、糖尿病等服务包需先在“我的家庭”中登记健康状况并授权使用。
                    <Text className='link' onClick={() => void Taro.navigateTo({ url: `${PAGES.member}?memberId=${m.memberId}` })}>
                      去登记 ›
                    </Text>
                  </Text>
                )}
                {el.packages.filter((p) => p.category === 'basic' || p.eligible).map((p) => renderPackage(m, p))}
                {el.packages.some((p) => p.category !== 'basic' && !p.eligible) && (
                  <Text className='more-toggle' data-testid={`show-ineligible-${m.name}`} onClick={() => setShowIneligible((s) => ({ ...s, [m.memberId]: !s[m.memberId] }))}>
                    {showIneligible[m.memberId]
                      ? '收起不符合条件的服务包'
                      : `查看不符合条件的服务包（${el.packages.filter((p) => p.category !== 'basic' && !p.eligible).length}个）›`}
                  </Text>
                )}
                {showIneligible[m.memberId] && el.packages.filter((p) => p.category !== 'basic' && !p.eligible).map((p) => renderPackage(m, p))}
              </View>
            )}
            {on && mq && (
              <View className='quote-box' data-testid={`quote-${m.name}`}>
                {mq.lines.map((l) => (
                  <View key={l.packageCode}>
                    <View className='quote-line'>
                      <Text>
                        {l.packageName}
                        {l.autoIncluded ? '（自动包含）' : ''}
                      </Text>
                      <Text>{yuanText(l.priceFen)}</Text>
                    </View>
                    <SharesLine shares={l.shares} />
                    {l.notes.map((n) => (
                      <Text key={n} className='pkg-sub'>
                        {n}
                      </Text>
                    ))}
                  </View>
                ))}
                {mq.errors.map((e) => (
                  <Text key={e.packageCode + e.code} className='quote-error'>
                    {e.message}
                  </Text>
                ))}
                <View className='quote-sum'>
                  小计 {yuanText(mq.totalFen)}：{payerSentence(groupsOf(mq.byPayer))}
                </View>
              </View>
            )}
          </View>
        );
      })}
      {members && (
        <View className='card'>
          <Text className='link' data-testid='add-member' onClick={() => void Taro.navigateTo({ url: PAGES.member })}>
            + 添加家庭成员（按户口簿）
          </Text>
        </View>
      )}
      <View className='bottom-bar'>
        {quoteError && <Text className='quote-error'>{quoteError}</Text>}
        {q ? (
          <View className='bottom-sum' data-testid='quote-total'>
            <Text className='bottom-total'>合计 {yuanText(q.totalFen)}</Text>
            {'　'}
            {payerSentence(q.byPayerGroup)}
          </View>
        ) : (
          <View className='bottom-sum muted'>{draft.memberIds.length ? '正在计算费用…' : '请选择签约成员'}</View>
        )}
        <Button className={`btn-primary${canNext ? '' : ' is-disabled'}`} data-testid='packages-next' disabled={!canNext} onClick={next}>
          下一步：阅读协议
        </Button>
      </View>
    </View>
  );
}
