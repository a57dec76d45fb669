/**
 * Early termination (解约): the resident picks a reason from the contract's list, sees the
 * refund the server computes (prepaid share minus services already delivered, liyang-2019
 * §三(二)) — "预计退还 ¥xx.xx" — and confirms. The figure seen is sent back as
 * `expectedRefundFen`; if it changed meanwhile the server answers 409 and the preview reloads.
 */
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button, Textarea } from '@tarojs/components';
import { TERMINATION_REASONS, type TerminationReason } from '@jiayi/shared/domain/policy/types';
import type { AgreementView, RefundPreviewResponse } from '@jiayi/shared/schemas/agreements';
import { ApiError } from '../../../api/client';
import { yuanText } from '../../../components/money';
import { errorText, getAgreement, PAGES, refundPreview, terminate } from '../../api';
import { Banner } from '../../components';
import '../../signing.css';

/**
 * The reasons a resident gives themself. "连续一年无法取得联系 / 拒绝服务" are the team's grounds
 * (recorded from the clinic console), not something a resident says about themself.
 */
const RESIDENT_REASONS: TerminationReason[] = ['voluntary', 'moved_out', 'death', 'other'];
const REASONS = RESIDENT_REASONS.map((r) => [r, TERMINATION_REASONS[r]] as const);

export default function Terminate() {
  const id = useRouter().params.id ?? '';
  const [a, setA] = useState<AgreementView | null>(null);
  const [reason, setReason] = useState<TerminationReason | null>(null);
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState<RefundPreviewResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getAgreement(id)
      .then(setA)
      .catch((e: unknown) => setError(errorText(e)));
  }, [id]);

  const loadPreview = (r: TerminationReason) => {
    setPreview(null);
    return refundPreview(id, r)
      .then(setPreview)
      .catch((e: unknown) => setError(errorText(e)));
  };

  useEffect(() => {
    if (reason) void loadPreview(reason);
  }, [reason]);

  const submit = async () => {
    if (!reason) return setError('请选择解约原因');
    if (!preview?.allowed) return setError(preview?.message ?? '该原因暂不能解约');
    const ok = await Taro.showModal({
      title: '确认解约',
      content: `解约后团队将不再为${a?.members.map((m) => m.name).join('、') ?? ''}提供签约服务。预计退还 ${yuanText(preview.refundFen)}，确定解约吗？`,
    });
    if (!ok.confirm) return;
    setBusy(true);
    setError(null);
    try {
      await terminate(id, { reason, ...(note.trim() ? { note: note.trim() } : {}), expectedRefundFen: preview.refundFen });
      await Taro.redirectTo({ url: `${PAGES.mine}?terminated=${id}` });
    } catch (e) {
      setError(errorText(e));
      // The refund may have changed (a service was recorded meanwhile): show the current figure.
      if (e instanceof ApiError && e.status === 409) void loadPreview(reason);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='sg-page no-bar'>
      <View className='card'>
        <View className='card-title'>解约</View>
        {a ? (
          <Text className='muted'>
            {a.team.institutionName} {a.team.name} · 签约成员：{a.members.map((m) => m.name).join('、')} · 服务周期 {a.cycle.start} 至 {a.cycle.end}
          </Text>
        ) : (
          <Text className='muted'>正在加载…</Text>
        )}
      </View>
      <View className='card'>
        <View className='card-title'>解约原因</View>
        <View className='chips' data-testid='terminate-reasons'>
          {REASONS.map(([code, label]) => (
            <View key={code} className={`chip${reason === code ? ' on' : ''}`} data-testid={`reason-${code}`} onClick={() => (setReason(code), setError(null))}>
              {label}
            </View>
          ))}
        </View>
        <Textarea className='textarea' data-testid='terminate-note' value={note} maxlength={200} placeholder='补充说明（选填）' onInput={(e) => setNote(e.detail.value)} />
      </View>
      {reason && (
        <View className='card' data-testid='refund-preview'>
          <View className='card-title'>退费预估</View>
          {!preview && <Text className='muted'>正在计算…</Text>}
          {preview && (
            <>
              <View className='refund-big' data-testid='refund-amount'>
                预计退还 {yuanText(preview.refundFen)}
              </View>
              <Text className='muted'>
                您已支付 {yuanText(preview.residentPaidFen)}，扣除已提供服务的费用后退还；退款原路返回。
              </Text>
              {preview.members.map((m) => (
                <View key={m.memberId} className='quote-line'>
                  <Text>{m.name}</Text>
                  <Text>
                    已付 {yuanText(m.residentPaidFen)} · 退 {yuanText(m.refundFen)}
                  </Text>
                </View>
              ))}
              <Text className={preview.allowed ? 'pkg-sub' : 'pkg-reason'}>{preview.message}</Text>
              {preview.requiresVerification && <Text className='pkg-sub'>解约需经签约团队核实。</Text>}
              {preview.notes.map((n) => (
                <Text key={n} className='pkg-sub'>
                  {n}
                </Text>
              ))}
            </>
          )}
        </View>
      )}
      {error && (
        <Banner kind='error' testid='terminate-error'>
          {error}
        </Banner>
      )}
      <View className='card'>
        <Button className={`btn-danger${busy || !preview?.allowed ? ' is-disabled' : ''}`} data-testid='terminate-submit' loading={busy} disabled={busy || !preview?.allowed} onClick={() => void submit()}>
          确认解约
        </Button>
        <Button className='btn-plain' onClick={() => void Taro.navigateBack()}>
          返回
        </Button>
      </View>
    </View>
  );
}
