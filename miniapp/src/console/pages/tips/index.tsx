/** Console: author health tips (drafts), approve and retire them (issue 7). */
import { useCallback, useEffect, useState } from 'react';
import { View, Text, Input, Textarea, Button, Picker } from '@tarojs/components';
import { TIP_CATEGORIES, TIP_CATEGORY_CODES, type TipCategory } from '@jiayi/shared/domain/push/targeting';
import { tipResponse, tipsResponse, type TipView } from '@jiayi/shared/schemas/push';
import type { StaffView } from '@jiayi/shared/schemas/staff';
import { api, ApiError } from '../../../api/client';
import { requireStaff } from '../../session';
import '../../console.css';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export default function ConsoleTips() {
  const [staff, setStaff] = useState<StaffView | undefined>(undefined);
  const [tips, setTips] = useState<TipView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [category, setCategory] = useState<TipCategory>('daily');
  const [publishFrom, setPublishFrom] = useState(today());

  const load = useCallback(() => {
    api('GET', '/tips', { schema: tipsResponse, realm: 'staff' })
      .then((r) => setTips(r.tips))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
  }, []);
  useEffect(() => {
    const s = requireStaff();
    setStaff(s);
    if (s) load();
  }, [load]);

  const create = async () => {
    setError(null);
    setFieldErrors({});
    try {
      await api('POST', '/tips', { body: { title, body, category, publishFrom }, schema: tipResponse, realm: 'staff' });
      setTitle('');
      setBody('');
      load();
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(Object.fromEntries(e.fields.map((f) => [f.path, f.message])));
        setError(e.message);
      } else setError('保存失败，请稍后再试');
    }
  };

  const act = async (t: TipView, action: 'approve' | 'retire') => {
    setError(null);
    try {
      await api('POST', `/tips/${t.id}/${action}`, { body: {}, schema: tipResponse, realm: 'staff' });
      load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '操作失败，请稍后再试');
    }
  };

  if (!staff) return <View className='console muted'>正在验证登录…</View>;
  return (
    <View className='console'>
      <View className='card'>
        <View className='card-title'>编写健康知识（草稿）</View>
        <Text className='muted'>正文支持段落、加粗（&lt;b&gt;）和列表（&lt;ul&gt;/&lt;ol&gt;&lt;li&gt;）；每行一段也可以。其他格式会被自动去除。草稿经机构或区域管理员审核后才会推送。</Text>
        <View className='field'>
          <Text className='label'>标题</Text>
          <Input className='input' data-testid='tip-title-input' value={title} placeholder='2～40个字' onInput={(e) => setTitle(e.detail.value)} />
          {fieldErrors.title && <View className='error-text'>{fieldErrors.title}</View>}
        </View>
        <View className='field'>
          <Text className='label'>分类</Text>
          <Picker mode='selector' range={TIP_CATEGORY_CODES.map((c) => TIP_CATEGORIES[c])} onChange={(e) => setCategory(TIP_CATEGORY_CODES[Number(e.detail.value)]!)}>
            <View className='input' data-testid='tip-category'>{TIP_CATEGORIES[category]}</View>
          </Picker>
        </View>
        <View className='field'>
          <Text className='label'>正文</Text>
          <Textarea className='input' data-testid='tip-body-input' value={body} maxlength={20000} placeholder='例如：&lt;p&gt;每天食盐&lt;b&gt;不超过5克&lt;/b&gt;&lt;/p&gt;' onInput={(e) => setBody(e.detail.value)} />
          {fieldErrors.body && <View className='error-text'>{fieldErrors.body}</View>}
        </View>
        <View className='field'>
          <Text className='label'>发布开始日期</Text>
          <Input className='input' value={publishFrom} onInput={(e) => setPublishFrom(e.detail.value)} />
          {fieldErrors.publishFrom && <View className='error-text'>{fieldErrors.publishFrom}</View>}
        </View>
        <Button className='btn-primary' data-testid='tip-create' onClick={() => void create()}>
          保存草稿
        </Button>
      </View>
      {error && <View className='card error-text'>{error}</View>}
      <View className='card'>
        <View className='card-title'>知识库</View>
        {!tips && <Text className='muted'>正在加载…</Text>}
        {tips?.map((t) => (
          <View key={t.id} className='console-entry' data-testid={`console-tip-${t.id}`}>
            <View>
              <View>{t.title}</View>
              <Text className='tag'>{t.categoryName}</Text>
              <Text className='tag'>{t.statusName}</Text>
              <Text className='muted'>{t.regionId === 'all' ? '全国通用' : t.institutionId ? '本机构' : '本地区'}</Text>
            </View>
            <View>
              {t.canApprove && (
                <Button size='mini' className='btn-primary' onClick={() => void act(t, 'approve')}>
                  审核发布
                </Button>
              )}
              {t.canRetire && (
                <Button size='mini' className='btn-plain' onClick={() => void act(t, 'retire')}>
                  停用
                </Button>
              )}
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}
