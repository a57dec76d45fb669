import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { regionSummaryListSchema, type RegionSummaryResponse } from '@jiayi/shared/schemas/policy';
import { api, ApiError, getToken } from '../../api/client';
import './index.css';

export default function Index() {
  const [regions, setRegions] = useState<RegionSummaryResponse[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api('GET', '/regions', { schema: regionSummaryListSchema })
      .then((r) => setRegions(r.regions))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
  }, []);

  return (
    <View className='page-index'>
      <View className='hero'>
        <View className='hero-title'>家庭医生签约服务</View>
        <Text className='hero-sub'>签约一人、履约一人、做实一人</Text>
      </View>
      <View
        className='card'
        data-testid='my-household'
        onClick={() => void Taro.navigateTo({ url: getToken() ? '/identity/pages/members/index' : '/identity/pages/login/index' })}
      >
        <View className='card-title'>我的家庭</View>
        <Text className='muted'>登录、实名认证、管理家庭成员 ›</Text>
      </View>
      <View className='entry-row'>
        <View
          className='entry entry-main'
          data-testid='entry-signing'
          onClick={() => void Taro.navigateTo({ url: getToken() ? '/signing/pages/team/index' : '/identity/pages/login/index' })}
        >
          <View className='entry-title'>签约家庭医生</View>
          <Text className='entry-sub'>选团队 · 选服务包 · 在线签约</Text>
        </View>
        <View
          className='entry'
          data-testid='entry-my-agreements'
          onClick={() => void Taro.navigateTo({ url: getToken() ? '/signing/pages/mine/index' : '/identity/pages/login/index' })}
        >
          <View className='entry-title'>我的签约</View>
          <Text className='entry-sub'>协议、服务包、续约与解约</Text>
        </View>
      </View>
      <View
        className='card'
        data-testid='entry-appointments'
        onClick={() => void Taro.navigateTo({ url: getToken() ? '/appointments/pages/index/index' : '/identity/pages/login/index' })}
      >
        <View className='card-title'>签约门诊预约</View>
        <Text className='muted'>签约居民优先预约本团队门诊 · 我的预约 ›</Text>
      </View>
      <View
        className='card'
        data-testid='entry-progress'
        onClick={() => void Taro.navigateTo({ url: getToken() ? '/progress/pages/index/index' : '/identity/pages/login/index' })}
      >
        <View className='card-title'>履约进度</View>
        <Text className='muted'>约定服务完成情况 · 服务评价与投诉 ›</Text>
      </View>
      <View
        className='card'
        data-testid='entry-health'
        onClick={() => void Taro.navigateTo({ url: getToken() ? '/health/pages/index/index' : '/identity/pages/login/index' })}
      >
        <View className='card-title'>健康知识</View>
        <Text className='muted'>家庭医生推送的健康知识，订阅健康提醒 ›</Text>
      </View>
      <View className='card'>
        <View className='card-title'>签约地区与服务包</View>
        {error && <Text className='error-text'>{error}</Text>}
        {!regions && !error && <Text className='muted'>正在连接服务…</Text>}
        {regions?.map((r) => (
          <View
            key={r.regionId}
            className='region-row'
            data-testid={`region-${r.regionId}`}
            onClick={() => void Taro.navigateTo({ url: `/catalog/pages/index/index?regionId=${r.regionId}` })}
          >
            <View>
              <View className='region-name'>{r.name}</View>
              <Text className='muted'>{r.cycleText}</Text>
            </View>
            <Text className='region-count'>{r.packageCount} 个服务包 ›</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
