import { useCallback, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { MessageView } from '@jiayi/shared/schemas/messages';
import type { LibraryTipView } from '@jiayi/shared/schemas/push';
import { ApiError, getToken } from '../../../api/client';
import { IS_H5, listLibrary, listTips, subscribeTips } from '../../api';
import '../../health.css';

function dateText(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** Recommendations shown before 查看全部. */
const LIBRARY_FIRST = 5;

export default function HealthTips() {
  const [tips, setTips] = useState<MessageView[] | null>(null);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [library, setLibrary] = useState<LibraryTipView[] | null>(null);
  const [showAll, setShowAll] = useState(false);
  // Names only help when the household has several people.
  const householdSize = new Set(library?.flatMap((t) => t.forMembers.map((m) => m.memberId)) ?? []).size;

  const load = useCallback(() => {
    if (!getToken()) {
      void Taro.redirectTo({ url: '/identity/pages/login/index' });
      return;
    }
    listTips()
      .then((r) => {
        setTips(r.messages);
        setUnread(r.unread);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用，请稍后再试'));
    listLibrary()
      .then(setLibrary)
      .catch(() => setLibrary([]));
  }, []);
  useDidShow(load);

  const subscribe = async () => {
    setNotice(null);
    try {
      const ok = await subscribeTips('button');
      setNotice(ok ? '已订阅：有新的健康知识时将通过微信通知您' : '您未同意订阅，健康知识仍会在本页显示');
    } catch (e) {
      setNotice(e instanceof ApiError ? e.message : '订阅失败，请稍后再试');
    }
  };

  return (
    <View className='health'>
      <View className='card'>
        <View className='card-title'>健康知识</View>
        <Text className='muted'>家庭医生团队每季度至少为每位签约居民推送1条日常健康、疾病预防、养生保健知识。</Text>
      </View>
      <View className='card' data-testid='tip-list'>
        <View className='card-title'>
          我的健康知识{unread > 0 && <Text className='tag' data-testid='unread-count'>{`${unread}条未读`}</Text>}
        </View>
        {error && <Text className='error-text'>{error}</Text>}
        {!tips && !error && <Text className='muted'>正在加载…</Text>}
        {tips?.length === 0 && <Text className='muted'>暂无健康知识。签约后，家庭医生团队会定期为您推送。</Text>}
        {tips?.map((t) => (
          <View
            key={t.id}
            className='tip-row'
            data-testid={`tip-${t.id}`}
            onClick={() => void Taro.navigateTo({ url: `/health/pages/detail/index?id=${t.id}` })}
          >
            <View>
              <View className={`tip-title${t.read ? '' : ' unread'}`}>
                {!t.read && <Text className='dot' />}
                {t.title}
              </View>
              <View className='tip-meta'>
                {dateText(t.at)} · <Text data-testid='read-state'>{t.read ? '已读' : '未读'}</Text>
              </View>
            </View>
            <Text className='muted'>›</Text>
          </View>
        ))}
      </View>
      <View className='card' data-testid='tip-library'>
        <View className='card-title'>为您推荐</View>
        <Text className='muted'>以下健康知识适合您或您的家人，可随时阅读。</Text>
        {!library && <Text className='muted'>正在加载…</Text>}
        {library?.length === 0 && <Text className='muted'>暂无适合的健康知识。</Text>}
        {library?.slice(0, showAll ? undefined : LIBRARY_FIRST).map((t) => (
          <View
            key={t.id}
            className='tip-row'
            data-testid={`library-${t.id}`}
            onClick={() => void Taro.navigateTo({ url: `/health/pages/detail/index?tip=${encodeURIComponent(t.id)}` })}
          >
            <View>
              <View className='tip-title'>{t.title}</View>
              <View className='tip-meta'>
                {t.categoryName} · {t.audience}
                {householdSize > 1 && ` · ${t.forMembers.map((m) => m.name).join('、')}`}
              </View>
            </View>
            <Text className='muted'>›</Text>
          </View>
        ))}
        {library && library.length > LIBRARY_FIRST && (
          <Button className='library-toggle' data-testid='library-toggle' onClick={() => setShowAll(!showAll)}>
            {showAll ? '收起' : `查看全部${library.length}条`}
          </Button>
        )}
      </View>
      {IS_H5 ? (
        // wx.requestSubscribeMessage does not exist on H5: promise nothing, say where it works.
        <View className='card muted' data-testid='subscribe-unavailable'>
          网页版不能订阅微信消息提醒。新的健康知识会显示在本页“我的健康知识”中；如需微信提醒，请在微信小程序“家医”中点击“订阅健康提醒”。
        </View>
      ) : (
        <Button className='btn-primary subscribe' data-testid='subscribe-tips' onClick={() => void subscribe()}>
          订阅健康提醒
        </Button>
      )}
      {notice && (
        <View className='card muted' data-testid='subscribe-notice'>
          {notice}
        </View>
      )}
    </View>
  );
}
