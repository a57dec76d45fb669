import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Input, Button, Text } from '@tarojs/components';
import { ApiError } from '../../../api/client';
import { staffLogin } from '../../session';
import '../../console.css';

export default function ConsoleLogin() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await staffLogin(username.trim(), password);
      await Taro.redirectTo({ url: '/console/pages/home/index' });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='console'>
      <View className='card'>
        <View className='card-title'>家庭医生工作台</View>
        <Text className='muted'>医疗机构工作人员登录（与居民端账号分开）</Text>
        <View className='field'>
          <Text className='label'>用户名</Text>
          <Input className='input' data-testid='staff-username' value={username} placeholder='请输入用户名' onInput={(e) => setUsername(e.detail.value)} />
        </View>
        <View className='field'>
          <Text className='label'>密码</Text>
          <Input className='input' data-testid='staff-password' password value={password} placeholder='请输入密码' onInput={(e) => setPassword(e.detail.value)} />
        </View>
        {error && <View className='error-text'>{error}</View>}
        <Button className='btn-primary' data-testid='staff-login' loading={busy} disabled={busy} onClick={() => void submit()}>
          登录
        </Button>
      </View>
    </View>
  );
}
