import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { StaffView } from '@jiayi/shared/schemas/staff';
import { CONSOLE_ENTRIES, requireStaff, staffLogout } from '../../session';
import '../../console.css';

export default function ConsoleHome() {
  const [staff, setStaff] = useState<StaffView | undefined>(undefined);
  useEffect(() => setStaff(requireStaff()), []);
  if (!staff) return <View className='console muted'>正在验证登录…</View>;
  const entries = CONSOLE_ENTRIES.filter((e) => !e.roles || e.roles.includes(staff.role));
  return (
    <View className='console'>
      <View className='card'>
        <View className='card-title' data-testid='console-staff-name'>
          {staff.name}
        </View>
        <Text className='tag'>{staff.roleName}</Text>
      </View>
      <View className='card'>
        {entries.length === 0 && <Text className='muted'>暂无可用功能</Text>}
        {entries.map((e) => (
          <View key={e.url} className='console-entry' data-testid={e.testId} onClick={() => void Taro.navigateTo({ url: e.url })}>
            <Text>{e.label}</Text>
            <Text className='muted'>›</Text>
          </View>
        ))}
      </View>
      <Button
        className='btn-plain'
        onClick={() => {
          staffLogout();
          void Taro.redirectTo({ url: '/console/pages/login/index' });
        }}
      >
        退出登录
      </Button>
    </View>
  );
}
