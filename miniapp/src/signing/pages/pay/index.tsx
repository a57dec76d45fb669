/**
 * Step 4 — pay the resident's share. POST /agreements/{id}/pay returns the WeChat Pay
 * parameters; on WeChat they go to Taro.requestPayment. On H5 (or when the server says the
 * provider is simulated) a "模拟支付（本地演示）" button confirms the payment through
 * POST /payments/simulate/{agreementId}. Either way the agreement is then polled until the
 * payment notification has activated it — the client never decides that it is paid.
 */
import { useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { AgreementView, PayResponse } from '@jiayi/shared/schemas/agreements';
import { yuanText } from '../../../components/money';
import { errorText, getAgreement, IS_H5, PAGES, pay, simulatePayment } from '../../api';
import { Banner, groupsOf, payerSentence, shanghaiTime, StepBar } from '../../components';
import '../../signing.css';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timeText = (iso: string) => shanghaiTime(iso).slice(11);

export default function Pay() {
  const id = useRouter().params.id ?? '';
  const [a, setA] = useState<AgreementView | null>(null);
  const [order, setOrder] = useState<PayResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    getAgreement(id)
      .then(setA)
      .catch((e: unknown) => setError(errorText(e)));
    return () => {
      alive.current = false;
    };
  }, [id]);

  /** Poll until the payment notification has moved the agreement on (about 30 s at most). */
  const waitForActive = async () => {
    setWaiting(true);
    try {
      for (let i = 0; i < 30 && alive.current; i++) {
        const cur = await getAgreement(id);
        setA(cur);
        if (cur.status !== 'pending_payment') return cur;
        await sleep(i < 5 ? 600 : 1500);
      }
      setError('暂未收到支付结果，请稍后在“我的签约”中查看');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setWaiting(false);
    }
    return undefined;
  };

  const startPay = async () => {
    setBusy(true);
    setError(null);
    try {
      const o = await pay(id);
      setOrder(o);
      if (o.requestPayment.simulated || IS_H5) return; // the simulate button takes over
      const { timeStamp, nonceStr, package: pkg, signType, paySign } = o.requestPayment;
      try {
        await Taro.requestPayment({ timeStamp, nonceStr, package: pkg, signType, paySign });
      } catch (e) {
        const msg = (e as { errMsg?: string }).errMsg ?? '';
        setError(msg.includes('cancel') ? '您已取消支付，可在名额保留期内重新支付' : '支付未完成，请重试');
        return;
      }
      await waitForActive();
    } catch (e) {
      setError(errorText(e));
      // The agreement may have moved on (paid elsewhere, expired): show its current state.
      getAgreement(id).then(setA).catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };

  const simulate = async () => {
    setBusy(true);
    setError(null);
    try {
      await simulatePayment(id);
      await waitForActive();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const due = a?.price.residentDueFen ?? 0;
  const done = a && a.status !== 'pending_payment';

  return (
    <View className='sg-page no-bar'>
      <StepBar current={3} />
      {!a && !error && <View className='card muted'>正在加载…</View>}
      {a && (
        <View className='card' data-testid='pay-card'>
          <View className='card-title'>{done ? '签约结果' : '支付签约服务费'}</View>
          <View className='kv'>
            <Text className='kv-k'>签约团队</Text>
            <Text className='kv-v'>
              {a.team.institutionName} {a.team.name}
            </Text>
          </View>
          <View className='kv'>
            <Text className='kv-k'>签约成员</Text>
            <Text className='kv-v'>{a.members.map((m) => m.name).join('、')}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-k'>服务周期</Text>
            <Text className='kv-v'>
              {a.cycle.start} 至 {a.cycle.end}
            </Text>
          </View>
          <View className='quote-sum'>
            合计 {yuanText(a.price.totalFen)}：{payerSentence(groupsOf(a.price.byPayer))}
          </View>
          {!done && (
            <>
              <View className='amount-big' data-testid='pay-amount'>
                {yuanText(due)}
              </View>
              <Text className='muted'>
                您个人需支付 {yuanText(due)}
                {a.pendingExpiresAt ? `，请在 ${timeText(a.pendingExpiresAt)} 前完成支付，逾期名额将释放` : ''}。
              </Text>
            </>
          )}
        </View>
      )}
      {done && a.status === 'active' && (
        <Banner kind='ok' testid='pay-success'>
          支付成功，签约已生效！服务周期 {a.cycle.start} 至 {a.cycle.end}。
        </Banner>
      )}
      {done && a.status !== 'active' && (
        <Banner kind='info' testid='pay-state'>
          协议状态：{a.statusLabel}
        </Banner>
      )}
      {error && (
        <Banner kind='error' testid='pay-error'>
          {error}
        </Banner>
      )}
      {waiting && <Banner kind='info'>正在确认支付结果…</Banner>}
      <View className='card'>
        {a && !done && !order && (
          <Button className='btn-primary' data-testid='pay-button' loading={busy} disabled={busy} onClick={() => void startPay()}>
            微信支付 {yuanText(due)}
          </Button>
        )}
        {a && !done && order && (order.requestPayment.simulated || IS_H5) && (
          <>
            <Text className='muted'>本地演示环境不连接微信支付：点击下方按钮模拟支付成功通知。</Text>
            <Button className='btn-primary' data-testid='simulate-pay' loading={busy || waiting} disabled={busy || waiting} onClick={() => void simulate()}>
              模拟支付（本地演示）
            </Button>
          </>
        )}
        {a && !done && order && !order.requestPayment.simulated && !IS_H5 && (
          <Button className='btn-primary' data-testid='pay-retry' loading={busy || waiting} disabled={busy || waiting} onClick={() => void startPay()}>
            重新支付
          </Button>
        )}
        <Button className='btn-plain' data-testid='go-mine' onClick={() => void Taro.redirectTo({ url: `${PAGES.mine}${done ? `?signed=${id}` : ''}` })}>
          {done ? '查看我的签约' : '稍后支付，查看我的签约'}
        </Button>
      </View>
    </View>
  );
}
