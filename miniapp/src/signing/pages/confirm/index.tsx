/**
 * Step 3 — read the agreement, give explicit consent, sign. Informed consent comes before
 * signing (知情同意、自愿选择): the resident sees the team, every member's packages, the price
 * split and the agreement text, and ticks the box themself.
 *
 * POST /agreements carries one idempotency key per attempt (draft.ts attemptKey): a retry after a
 * lost response reuses it and gets the same agreement back. 409 TEAM_FULL sends the resident back
 * to choose another team; 409 ALREADY_SIGNED points to 我的签约.
 */
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { AgreementDocument } from '@jiayi/shared/schemas/agreements';
import type { QuoteResponse } from '@jiayi/shared/schemas/policy';
import type { MemberResponse } from '@jiayi/shared/schemas/residents';
import type { RegionId } from '@jiayi/shared/domain/policy/types';
import { ApiError } from '../../../api/client';
import { yuanText } from '../../../components/money';
import { errorText, getAgreementText, getMembers, PAGES, quote, requireIdentity, sign } from '../../api';
import { attemptKey, clearDraft, draftMembers, loadDraft, saveDraft } from '../../draft';
import { Banner, Check, DocumentView, payerSentence, StepBar } from '../../components';
import '../../signing.css';

type Failure = { kind: 'team_full' | 'already_signed' | 'other'; message: string };

export default function Confirm() {
  const [draft] = useState(() => loadDraft());
  const [doc, setDoc] = useState<AgreementDocument | null>(null);
  const [members, setMembers] = useState<MemberResponse[]>([]);
  const [q, setQ] = useState<QuoteResponse | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    if (!draft.team || !draft.memberIds.length) return void Taro.redirectTo({ url: draft.team ? PAGES.packages : PAGES.team });
    void requireIdentity()
      .then(async (me) => {
        if (!me) return;
        const [text, ms, qt] = await Promise.all([
          getAgreementText(draft.regionId),
          getMembers(),
          quote({ regionId: draft.regionId as RegionId, members: draftMembers(draft) }),
        ]);
        setDoc(text);
        setMembers(ms.members);
        setQ(qt);
      })
      .catch((e: unknown) => setLoadError(errorText(e)));
  }, []);

  const name = (id: string) => members.find((m) => m.memberId === id)?.name ?? '';

  const submit = async () => {
    if (!agreed) return setFailure({ kind: 'other', message: '请先阅读协议并勾选“我已阅读并同意”' });
    if (!doc || !draft.team) return;
    setBusy(true);
    setFailure(null);
    try {
      const a = await sign({
        teamId: draft.team.id,
        members: draftMembers(draft),
        agreementTextVersion: doc.agreementTextVersion,
        idempotencyKey: attemptKey(),
      });
      clearDraft();
      if (a.status === 'pending_payment' && a.price.residentDueFen > 0) await Taro.redirectTo({ url: `${PAGES.pay}?id=${a.id}` });
      else await Taro.redirectTo({ url: `${PAGES.mine}?signed=${a.id}` });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'TEAM_FULL') setFailure({ kind: 'team_full', message: '团队已满，请选择其他团队' });
      else if (e instanceof ApiError && e.code === 'ALREADY_SIGNED') setFailure({ kind: 'already_signed', message: e.message });
      else if (e instanceof ApiError && (e.status === 0 || e.status >= 500))
        // Same attempt, same key: tapping again cannot sign twice.
        setFailure({ kind: 'other', message: `${e.message}。可直接再次点击“确认签约”重试，不会重复签约。` });
      else setFailure({ kind: 'other', message: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const chooseAnotherTeam = () => {
    const d = loadDraft();
    saveDraft({ ...d, team: undefined });
    void Taro.redirectTo({ url: `${PAGES.team}?notice=team_full` });
  };

  return (
    <View className='sg-page'>
      <StepBar current={2} />
      <View className='card' data-testid='sign-summary'>
        <View className='card-title'>签约信息</View>
        <View className='kv'>
          <Text className='kv-k'>签约团队</Text>
          <Text className='kv-v'>
            {draft.team?.institutionName} {draft.team?.name}
          </Text>
        </View>
        {q?.members.map((m) => (
          <View key={m.memberId} className='kv'>
            <Text className='kv-k'>{name(m.memberId)}</Text>
            <Text className='kv-v'>
              {m.lines.map((l) => l.packageName).join('、')} {yuanText(m.totalFen)}
            </Text>
          </View>
        ))}
        {q && (
          <View className='quote-sum' data-testid='confirm-total'>
            合计 {yuanText(q.totalFen)}：{payerSentence(q.byPayerGroup)}
          </View>
        )}
      </View>
      {loadError && <Banner kind='error'>{loadError}</Banner>}
      <View className='card'>
        <View className='card-title'>签约协议</View>
        {doc ? <DocumentView doc={doc} /> : <Text className='muted'>正在加载协议文本…</Text>}
      </View>
      {failure && (
        <Banner kind='error' testid='sign-error'>
          {failure.message}
          {failure.kind === 'team_full' && (
            <Button className='btn-plain' data-testid='choose-other-team' onClick={chooseAnotherTeam}>
              重新选择团队
            </Button>
          )}
          {failure.kind === 'already_signed' && (
            <Button className='btn-plain' data-testid='go-mine' onClick={() => void Taro.redirectTo({ url: PAGES.mine })}>
              查看我的签约
            </Button>
          )}
        </Banner>
      )}
      <View className='bottom-bar'>
        <Check checked={agreed} onChange={(v) => (setAgreed(v), setFailure(null))} testid='sign-consent'>
          我已阅读并同意《家庭医生签约服务协议》
        </Check>
        <Button className={`btn-primary${busy || !doc ? ' is-disabled' : ''}`} data-testid='sign-submit' loading={busy} disabled={busy || !doc} onClick={() => void submit()}>
          {q && q.byPayerGroup.resident ? `确认签约并支付 ${yuanText(q.byPayerGroup.resident)}` : '确认签约'}
        </Button>
      </View>
    </View>
  );
}
