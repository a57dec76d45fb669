import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { PRIVACY_NOTICE } from '@jiayi/shared/domain/identity/consent';
import { ApiError } from '../../../api/client';
import { acceptPrivacy, getMe, nextPage, PAGES } from '../../api';
import { Agree } from '../../components';
import '../../identity.css';

export default function Privacy() {
  const [agreed, setAgreed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!agreed) return setError('请先勾选“我已阅读并同意”');
    setBusy(true);
    setError(null);
    try {
      await acceptPrivacy(PRIVACY_NOTICE.version);
      await Taro.redirectTo({ url: nextPage(await getMe()) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return void Taro.redirectTo({ url: PAGES.login });
      setError(e instanceof ApiError ? e.message : '提交失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='id-page'>
      <View className='card'>
        <View className='card-title'>{PRIVACY_NOTICE.title}</View>
        <Text className='muted'>在收集您的任何个人信息之前，请阅读并同意以下规则。</Text>
      </View>
      <View className='card'>
        <View className='notice-body' data-testid='privacy-notice'>{PRIVACY_NOTICE.body}</View>
      </View>
      <View className='card'>
        <Agree checked={agreed} onChange={(v) => (setAgreed(v), setError(null))} testid='privacy-agree'>
          我已阅读并同意《{PRIVACY_NOTICE.title}》（版本 {PRIVACY_NOTICE.version}）
        </Agree>
        {error && <Text className='form-error'>{error}</Text>}
        <Button className='btn-primary' loading={busy} onClick={() => void submit()}>
          同意并继续
        </Button>
        <Button className='btn-plain' onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
          暂不同意
        </Button>
      </View>
    </View>
  );
}
