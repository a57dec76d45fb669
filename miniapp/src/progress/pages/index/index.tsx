/**
 * 履约进度 (issue 8): what the resident's agreement promised and what the team has delivered
 * ("面对面随访 已完成 2/4 次"), the service records with a 1–5 rating each, complaints about the
 * team (to the institution) with their replies, and which staff read the household's data.
 */
import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Textarea, Button } from '@tarojs/components';
import { COMPLAINT_CATEGORIES, type ComplaintCategory, type ComplaintView, type ProgressResponse } from '@jiayi/shared/schemas/console';
import type * as z from 'zod';
import type { accessLogResponse } from '@jiayi/shared/schemas/console';
import { ApiError, getToken } from '../../../api/client';
import { fileComplaint, localDay, myAccessLog, myAgreements, myComplaints, myProgress, rateService } from '../../api';
import './index.css';

const CATEGORIES = Object.keys(COMPLAINT_CATEGORIES) as ComplaintCategory[];
type AccessLog = z.infer<typeof accessLogResponse>['entries'];

export default function Progress() {
  const router = useRouter();
  const [agreements, setAgreements] = useState<{ id: string; label: string }[]>([]);
  const [id, setId] = useState<string | undefined>(router.params.id);
  const [p, setP] = useState<ProgressResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [complaints, setComplaints] = useState<ComplaintView[]>([]);
  const [log, setLog] = useState<AccessLog>([]);
  const [category, setCategory] = useState<ComplaintCategory>('fulfilment');
  const [content, setContent] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (!getToken()) {
      void Taro.redirectTo({ url: '/identity/pages/login/index' });
      return;
    }
    myAgreements()
      .then((r) => {
        const usable = r.agreements.filter((a) => ['active', 'expired', 'terminated'].includes(a.status));
        setAgreements(usable.map((a) => ({ id: a.id, label: `${a.team.name}（${a.statusLabel}）` })));
        setId((cur) => cur ?? usable.find((a) => a.status === 'active')?.id ?? usable[0]?.id);
        if (usable.length === 0) setError('您还没有签约家庭医生，签约后可在这里查看服务进度');
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
    myComplaints()
      .then((r) => setComplaints(r.complaints))
      .catch(() => undefined);
    myAccessLog()
      .then((r) => setLog(r.entries.slice(0, 10)))
      .catch(() => undefined);
  }, []);

  const load = useCallback(() => {
    if (!id) return;
    myProgress(id)
      .then(setP)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '服务暂时不可用'));
  }, [id]);
  useEffect(load, [load]);

  const rate = async (entryId: string, score: number) => {
    try {
      await rateService(p!.agreementId, entryId, score);
      setNotice('感谢您的评价');
      load();
    } catch (e) {
      setNotice(e instanceof ApiError ? e.message : '评价失败，请稍后再试');
    }
  };

  const complain = async () => {
    setFormError(null);
    try {
      await fileComplaint(p!.agreementId, category, content);
      setContent('');
      setNotice('投诉已提交，机构管理员处理后会在这里回复您');
      setComplaints((await myComplaints()).complaints);
    } catch (e) {
      setFormError(e instanceof ApiError ? (e.fieldMessage('content') ?? e.message) : '提交失败，请稍后再试');
    }
  };

  return (
    <View className='pg'>
      {agreements.length > 1 && (
        <View className='card'>
          {agreements.map((a) => (
            <Text key={a.id} className={`pg-chip${a.id === id ? ' on' : ''}`} onClick={() => setId(a.id)}>
              {a.label}
            </Text>
          ))}
        </View>
      )}
      {error && <View className='card error-text'>{error}</View>}
      {notice && <View className='card' data-testid='progress-notice'>{notice}</View>}
      {p && (
        <>
          <View className='card'>
            <View className='card-title'>{p.team.name}</View>
            <Text className='muted'>
              {p.team.institutionName} · 服务周期 {p.cycle.start} 至 {p.cycle.end} · {p.statusLabel}
            </Text>
            {p.members.map((m) => (
              <View key={m.memberId} data-testid={`member-progress-${m.memberId}`}>
                <View className='pg-member'>{m.name}</View>
                {m.packages.flatMap((pk) =>
                  pk.items
                    .filter((i) => i.promised !== null || i.delivered > 0)
                    .map((i) => (
                      <View key={`${pk.code}|${i.itemCode}`} className='pg-item' data-testid={`item-${i.itemCode}`}>
                        <View className='pg-line'>
                          <Text className='pg-label'>{i.label}</Text>
                          <Text className={`pg-status ${i.status}`}>
                            {i.statusLabel}
                            {i.nextDueBy && i.status !== 'done' ? ` · ${i.nextDueBy.slice(5).replace('-', '月')}日前` : ''}
                          </Text>
                        </View>
                        {i.promised !== null && (
                          <View className='pg-bar'>
                            <View className='pg-fill' style={{ width: `${Math.min(100, Math.round((i.delivered / i.promised) * 100))}%` }} />
                          </View>
                        )}
                      </View>
                    )),
                )}
              </View>
            ))}
          </View>

          <View className='card'>
            <View className='card-title'>服务记录</View>
            {p.entries.filter((e) => !e.voided).length === 0 && <Text className='muted'>家庭医生团队为您提供服务后，记录会显示在这里</Text>}
            {p.entries
              .filter((e) => !e.voided)
              .map((e) => (
                <View key={e.entryId} className='pg-row' data-testid={`service-${e.entryId}`}>
                  <View className='pg-line'>
                    <Text>
                      {e.date} {e.memberName} · {e.itemName}
                    </Text>
                    <Text className='muted'>{e.staff.name}</Text>
                  </View>
                  {e.rated ? (
                    <Text className='muted'>已评价</Text>
                  ) : (
                    <View className='pg-stars'>
                      <Text className='muted'>评价：</Text>
                      {[1, 2, 3, 4, 5].map((s) => (
                        <Text key={s} className='pg-star' data-testid={`rate-${e.entryId}-${s}`} onClick={() => void rate(e.entryId, s)}>
                          ★
                        </Text>
                      ))}
                    </View>
                  )}
                </View>
              ))}
          </View>

          <View className='card'>
            <View className='card-title'>投诉与建议</View>
            <Text className='muted'>对家庭医生团队的服务有意见，可向{p.team.institutionName}投诉，机构管理员会处理并回复。</Text>
            <View style={{ marginTop: '12px' }}>
              {CATEGORIES.map((c) => (
                <Text key={c} className={`pg-chip${c === category ? ' on' : ''}`} onClick={() => setCategory(c)}>
                  {COMPLAINT_CATEGORIES[c]}
                </Text>
              ))}
            </View>
            <Textarea className='pg-input' value={content} maxlength={1000} placeholder='请描述具体情况（至少5个字）' onInput={(e) => setContent(e.detail.value)} />
            {formError && <View className='error-text'>{formError}</View>}
            <Button className='btn-primary' style={{ marginTop: '16px' }} onClick={() => void complain()}>
              提交投诉
            </Button>
            {complaints.map((c) => (
              <View key={c.id} className='pg-row'>
                <View className='pg-line'>
                  <Text>
                    {localDay(c.filedAt)} {c.categoryLabel}
                  </Text>
                  <Text className='muted'>{c.statusLabel}</Text>
                </View>
                <Text className='muted'>{c.content}</Text>
                {c.reply && <View>回复：{c.reply}</View>}
              </View>
            ))}
          </View>

          <View className='card'>
            <View className='card-title'>谁查看了我的信息</View>
            {log.length === 0 && <Text className='muted'>暂无医务人员查看记录</Text>}
            {log.map((l, i) => (
              <View key={`${l.at}-${i}`} className='pg-row'>
                <View className='pg-line'>
                  <Text>
                    {l.staffName}（{l.roleName}）
                  </Text>
                  <Text className='muted'>{localDay(l.at)}</Text>
                </View>
                <Text className='muted'>
                  查看了{l.what} · {l.purpose}
                </Text>
              </View>
            ))}
          </View>
        </>
      )}
    </View>
  );
}
