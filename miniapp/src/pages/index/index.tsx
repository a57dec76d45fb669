import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { api, ApiError } from '../../api/client';

interface Health {
  status: string;
  time: string;
}

export default function Index() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Health>('GET', '/health')
      .then(setHealth)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
  }, []);

  return (
    <View className='page-index'>
      <View className='card'>
        <View className='card-title'>家庭医生签约服务</View>
        <Text className='muted'>签约一人、履约一人、做实一人</Text>
      </View>
      <View className='card' data-testid='health'>
        {health && <Text>服务状态：{health.status === 'ok' ? '正常' : health.status}</Text>}
        {error && <Text className='error-text'>{error}</Text>}
        {!health && !error && <Text className='muted'>正在连接服务…</Text>}
      </View>
    </View>
  );
}
