import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { CONSENT_PURPOSES } from '@jiayi/shared/domain/identity/consent';
import { CONDITIONS, STATUSES, type Condition, type Status } from '@jiayi/shared/domain/person';
import { memberCreateBody, memberIssuesOn, memberUpdateBody, type MemberResponse, type Relation } from '@jiayi/shared/schemas/residents';
import { ApiError } from '../../../api/client';
import { addMember, getMe, PAGES, updateMember } from '../../api';
import { Agree, Chips, Field } from '../../components';
import { ageOf, apiErrors, derivedText, schemaErrors, today, toErrors, type FieldErrors } from '../../form';
import '../../identity.css';

const RELATIONS = (['配偶', '子女', '父母', '其他'] as const).map((r) => ({ value: r, label: r }));
const CONDITION_OPTIONS = (Object.keys(CONDITIONS) as Condition[]).map((c) => ({ value: c, label: CONDITIONS[c] }));
const STATUS_OPTIONS = (Object.keys(STATUSES) as Status[]).map((s) => ({ value: s, label: STATUSES[s] }));
const YES_NO = [
  { value: 'yes' as const, label: '是' },
  { value: 'no' as const, label: '否' },
];

const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
const granted = (m: MemberResponse | undefined, purpose: string) => m?.consents.some((c) => c.purpose === purpose && c.status === 'granted' && c.current) ?? false;

export default function Member() {
  const memberId = useRouter().params.memberId;
  const [current, setCurrent] = useState<MemberResponse | undefined>();
  const [relation, setRelation] = useState<Relation | null>(null);
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [conditions, setConditions] = useState<Condition[]>([]);
  const [statuses, setStatuses] = useState<Status[]>([]);
  const [insured, setInsured] = useState(true);
  const [hukou, setHukou] = useState(true);
  const [idAgreed, setIdAgreed] = useState(false);
  const [healthAgreed, setHealthAgreed] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!memberId) return;
    getMe()
      .then((me) => {
        const m = me.members.find((x) => x.memberId === memberId);
        if (!m) return setErrors({ '': '未找到该家庭成员' });
        setCurrent(m);
        setRelation(m.relation);
        setName(m.name);
        setConditions(m.conditions);
        setStatuses(m.statuses);
        setInsured(m.insuredLocally);
        setHukou(m.localHukou);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) void Taro.redirectTo({ url: PAGES.login });
        else setErrors(apiErrors(e));
      });
  }, [memberId]);

  const isSelf = current?.self ?? false;
  const age = idNumber ? ageOf(idNumber) : current?.age ?? null;
  const child = age !== null && age < 14;
  const idChanged = idNumber.trim() !== '';
  // The server needs a current consent for every ID number and every declaration it will hold.
  const needIdConsent = !isSelf && !granted(current, 'id_number') && (!current || idChanged || current.idNumberMasked !== null);
  const declares = conditions.length > 0 || statuses.length > 0;
  const needHealthConsent = declares && !granted(current, 'health_conditions');

  const body = () => {
    const consents = [
      ...(needIdConsent && idAgreed ? [{ purpose: 'id_number', version: CONSENT_PURPOSES.id_number.version }] : []),
      ...(needHealthConsent && healthAgreed ? [{ purpose: 'health_conditions', version: CONSENT_PURPOSES.health_conditions.version }] : []),
    ];
    if (!current) return { relation, name, idNumber, conditions, statuses, insuredLocally: insured, localHukou: hukou, consents };
    if (isSelf) return { conditions, statuses, insuredLocally: insured, consents };
    return { relation, name, ...(idChanged ? { idNumber } : {}), conditions, statuses, insuredLocally: insured, localHukou: hukou, consents };
  };

  const validate = (): FieldErrors => {
    const schema = current ? memberUpdateBody : memberCreateBody;
    const e = { ...schemaErrors(schema, body()), ...(idNumber ? toErrors(memberIssuesOn({ idNumber: idNumber.trim().toUpperCase() }, today())) : {}) };
    if (needIdConsent && !idAgreed) e.consentId = child ? '请以监护人身份勾选同意' : '请确认该成员已同意';
    if (needHealthConsent && !healthAgreed) e.consentHealth = child ? '请以监护人身份勾选同意' : '请确认该成员已同意';
    return e;
  };

  const clear = (key: string) =>
    setErrors((prev) => {
      const next = { ...prev };
      delete next[key];
      return next;
    });

  const onIdInput = (v: string) => {
    setIdNumber(v);
    const msg = v.trim().length >= 18 ? validateId(v) : undefined;
    setErrors((prev) => {
      const next = { ...prev };
      delete next.idNumber;
      if (msg) next.idNumber = msg;
      return next;
    });
  };

  const submit = async () => {
    const all = validate();
    setErrors(all);
    if (Object.keys(all).length) return;
    setBusy(true);
    try {
      if (current) await updateMember(current.memberId, body());
      else await addMember(body());
      await Taro.navigateBack().catch(() => Taro.redirectTo({ url: PAGES.members }));
    } catch (e) {
      setErrors(apiErrors(e));
    } finally {
      setBusy(false);
    }
  };

  const derived = errors.idNumber ? null : derivedText(idNumber);
  const who = child ? '我是该成员的监护人，同意' : '该成员已知悉并同意';

  return (
    <View className='id-page'>
      <View className='card'>
        <View className='card-title'>{current ? `编辑：${current.name}` : '添加家庭成员'}</View>
        <Text className='muted'>请按户口簿填写。出生日期、性别和年龄由身份证号码自动识别。</Text>
      </View>
      <View className='card'>
        {!isSelf && (
          <>
            <View className='field'>
              <Text className='label'>与您的关系</Text>
              <Chips options={RELATIONS} selected={relation ? [relation] : []} onToggle={(r) => setRelation(r)} testid='relation' />
              {errors.relation && <Text className='field-error'>{errors.relation}</Text>}
            </View>
            <Field label='姓名' name='name' value={name} onInput={setName} error={errors.name} placeholder='与户口簿一致' />
            <Field
              label='身份证号码'
              name='idNumber'
              type='idcard'
              maxlength={18}
              value={idNumber}
              onInput={onIdInput}
              error={errors.idNumber}
              hint={derived}
              placeholder={current?.idNumberMasked ? `不修改请留空（当前 ${current.idNumberMasked}）` : '18位身份证号码'}
            />
          </>
        )}
        <View className='field'>
          <Text className='label'>健康状况（可多选，可不选）</Text>
          <Chips options={CONDITION_OPTIONS} selected={conditions} onToggle={(c) => setConditions((l) => toggle(l, c))} testid='conditions' />
        </View>
        <View className='field'>
          <Text className='label'>特殊人群身份（可多选，可不选）</Text>
          <Chips options={STATUS_OPTIONS} selected={statuses} onToggle={(s) => setStatuses((l) => toggle(l, s))} testid='statuses' />
        </View>
        <View className='field'>
          <Text className='label'>是否参加本地基本医疗保险</Text>
          <Chips options={YES_NO} selected={[insured ? 'yes' : 'no']} onToggle={(v) => setInsured(v === 'yes')} testid='insured' />
        </View>
        {!isSelf && (
          <View className='field'>
            <Text className='label'>是否本地户籍</Text>
            <Chips options={YES_NO} selected={[hukou ? 'yes' : 'no']} onToggle={(v) => setHukou(v === 'yes')} testid='hukou' />
          </View>
        )}
      </View>
      {(needIdConsent || needHealthConsent) && (
        <View className='card'>
          {child && <Text className='muted'>该成员不满14周岁，以下授权由您作为监护人作出。</Text>}
          {needIdConsent && (
            <View className='consent-box'>
              <View className='consent-title'>单独同意：{CONSENT_PURPOSES.id_number.title}</View>
              <Text className='consent-text'>{CONSENT_PURPOSES.id_number.text}</Text>
              <Agree checked={idAgreed} onChange={(v) => (setIdAgreed(v), clear('consentId'))} testid='consent-member-id'>
                {who}处理其身份证号码
              </Agree>
              {errors.consentId && <Text className='field-error'>{errors.consentId}</Text>}
            </View>
          )}
          {needHealthConsent && (
            <View className='consent-box'>
              <View className='consent-title'>单独同意：{CONSENT_PURPOSES.health_conditions.title}</View>
              <Text className='consent-text'>{CONSENT_PURPOSES.health_conditions.text}</Text>
              <Agree checked={healthAgreed} onChange={(v) => (setHealthAgreed(v), clear('consentHealth'))} testid='consent-member-health'>
                {isSelf ? '我同意' : who}处理{isSelf ? '我' : '其'}的健康状况与特殊人群身份信息
              </Agree>
              {errors.consentHealth && <Text className='field-error'>{errors.consentHealth}</Text>}
            </View>
          )}
        </View>
      )}
      <View className='card'>
        {errors[''] && <Text className='form-error'>{errors['']}</Text>}
        <Button className='btn-primary' loading={busy} onClick={() => void submit()}>
          保存
        </Button>
      </View>
    </View>
  );
}

function validateId(v: string): string | undefined {
  const r = memberCreateBody.shape.idNumber.safeParse(v);
  if (!r.success) return r.error.issues[0]?.message;
  return memberIssuesOn({ idNumber: r.data }, today())[0]?.message;
}
