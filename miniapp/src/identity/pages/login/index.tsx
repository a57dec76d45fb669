import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { ApiError } from '../../../api/client';
import { getMe, IS_H5, login, loginCode, nextPage } from '../../api';
import { Field } from '../../components';
import '../../identity.css';

export default function Login() {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (IS_H5 && !name.trim()) return setError('请输入开发登录用户名');
    setBusy(true);
    setError(null);
    try {
      await login(await loginCode(name));
      const me = await getMe();
      await Taro.redirectTo({ url: nextPage(me) });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='id-page'>
      <View className='card'>
        <View className='card-title'>登录家医</View>
        <Text className='muted'>登录后阅读隐私政策、完成实名认证，即可为自己和家人办理家庭医生签约。</Text>
      </View>
      <View className='card'>
        {IS_H5 && (
          <Field
            label='开发登录'
            name='devLogin'
            value={name}
            onInput={setName}
            placeholder='输入用户名，例如 zhangwei（仅本地环境）'
            hint='本地环境使用开发身份登录，登录凭证为 dev:用户名'
          />
        )}
        {error && <Text className='form-error'>{error}</Text>}
        <Button className='btn-primary' loading={busy} onClick={() => void submit()}>
          {IS_H5 ? '登录' : '微信一键登录'}
        </Button>
      </View>
    </View>
  );
}
