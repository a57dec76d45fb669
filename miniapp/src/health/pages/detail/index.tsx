import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import type { MessageView } from '@jiayi/shared/schemas/messages';
import { ApiError } from '../../../api/client';
import { getLibraryTip, listTips, markRead } from '../../api';
import { TipBody } from '../../components';
import '../../health.css';

export default function TipDetail() {
  const { params } = useRouter();
  // A pushed tip (?id=<message id>, with its read state) or one from 为您推荐 (?tip=<tip id>).
  const [tip, setTip] = useState<(Pick<MessageView, 'title' | 'body'> & { read?: boolean; id?: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const fail = (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) void Taro.redirectTo({ url: '/identity/pages/login/index' });
      setError(e instanceof ApiError ? e.message : '服务暂时不可用，请稍后再试');
    };
    if (params.tip) {
      getLibraryTip(decodeURIComponent(params.tip))
        .then((t) => setTip({ title: t.title, body: t.bodyHtml }))
        .catch(fail);
      return;
    }
    const id = params.id ?? '';
    listTips()
      .then(async (r) => {
        const found = r.messages.find((m) => m.id === id);
        if (!found) {
          setError('未找到该条健康知识');
          return;
        }
        setTip(found);
        if (!found.read) setTip(await markRead(found.id));
      })
      .catch(fail);
  }, [params.id, params.tip]);

  if (error) return <View className='card error-text'>{error}</View>;
  if (!tip) return <View className='card muted'>正在加载…</View>;
  return (
    <View className='health'>
      <View className='card'>
        <View className='card-title' data-testid='tip-title'>
          {tip.title}
        </View>
        {tip.read !== undefined && (
          <Text className='read-state' data-testid='tip-read-state'>
            {tip.read ? '已读' : '未读'}
          </Text>
        )}
        <TipBody html={tip.body} />
        <Text className='muted'>以上内容为一般性健康知识，您的具体情况请咨询签约家庭医生。</Text>
      </View>
    </View>
  );
}
