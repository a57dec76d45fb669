import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { CONDITIONS, STATUSES } from '@jiayi/shared/domain/person';
import type { MeResponse, MemberResponse } from '@jiayi/shared/schemas/residents';
import { ApiError } from '../../../api/client';
import { getMe, nextPage, PAGES, removeMember, SEX_TEXT } from '../../api';
import '../../identity.css';

function MemberCard({ m, onRemove }: { m: MemberResponse; onRemove: (m: MemberResponse) => void }) {
  const facts = [m.sex ? SEX_TEXT[m.sex] : null, m.age !== null ? `${m.age}岁` : null].filter(Boolean).join(' · ');
  return (
    <View className='member-card' data-testid={`member-${m.name}`}>
      <View className='member-head'>
        <Text className='member-name'>{m.name}</Text>
        <Text className='tag'>{m.self ? '本人（家庭代表）' : m.relation}</Text>
      </View>
      <Text className='member-line'>身份证号码：{m.idNumberMasked ?? '未登记（授权已撤回）'}</Text>
      {facts && <Text className='member-line'>{facts}</Text>}
      <Text className='member-line'>
        {m.localHukou ? '本地户籍' : '非本地户籍'} · {m.insuredLocally ? '参加本地医保' : '未参加本地医保'}
      </Text>
      {(m.conditions.length > 0 || m.statuses.length > 0) && (
        <View className='member-line'>
          {m.conditions.map((c) => (
            <Text key={c} className='tag'>{CONDITIONS[c]}</Text>
          ))}
          {m.statuses.map((s) => (
            <Text key={s} className='tag'>{STATUSES[s]}</Text>
          ))}
        </View>
      )}
      {m.guardianConsent && <Text className='member-line'>不满14周岁：由您作为监护人授权</Text>}
      <View className='actions'>
        <Text className='link' onClick={() => void Taro.navigateTo({ url: `${PAGES.member}?memberId=${m.memberId}` })}>
          编辑
        </Text>
        {m.self ? (
          <Text className='link' onClick={() => void Taro.navigateTo({ url: PAGES.realname })}>
            修改实名信息
          </Text>
        ) : (
          <Text className='link danger' onClick={() => onRemove(m)}>
            移除
          </Text>
        )}
      </View>
    </View>
  );
}

export default function Members() {
  const [me, setMe] = useState<MeResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    getMe()
      .then((m) => {
        const next = nextPage(m);
        if (next !== PAGES.members) return void Taro.redirectTo({ url: next });
        setMe(m);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) void Taro.redirectTo({ url: PAGES.login });
        else setError(e instanceof ApiError ? e.message : '服务暂时不可用');
      });

  useDidShow(() => void load());

  const onRemove = async (m: MemberResponse) => {
    const ok = await Taro.showModal({ title: '移除家庭成员', content: `确定移除${m.name}吗？其身份证号码等信息将被删除。` });
    if (!ok.confirm) return;
    try {
      await removeMember(m.memberId);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '移除失败，请稍后再试');
    }
  };

  return (
    <View className='id-page'>
      <View className='card'>
        <View className='card-title'>我的家庭</View>
        <Text className='muted'>
          {me ? `家庭代表：${me.identity?.name ?? ''} · 共${me.household.memberCount}人` : '正在加载…'}
        </Text>
        {error && <Text className='form-error'>{error}</Text>}
      </View>
      {me?.members.map((m) => <MemberCard key={m.memberId} m={m} onRemove={(x) => void onRemove(x)} />)}
      <View className='card'>
        <Button className='btn-primary' onClick={() => void Taro.navigateTo({ url: PAGES.member })}>
          添加家庭成员
        </Button>
      </View>
    </View>
  );
}
