import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { CONSENT_PURPOSES } from '@jiayi/shared/domain/identity/consent';
import { identityBody, identityIssuesOn, type MeResponse } from '@jiayi/shared/schemas/residents';
import { ApiError } from '../../../api/client';
import { decideConsent, getMe, PAGES, saveIdentity } from '../../api';
import { Agree, Chips, Field } from '../../components';
import { apiErrors, derivedText, schemaErrors, today, toErrors, type FieldErrors } from '../../form';
import '../../identity.css';

type BasisKind = 'local_hukou' | 'residence_permit';
const BASIS = [
  { value: 'local_hukou' as const, label: '本地户籍' },
  { value: 'residence_permit' as const, label: '本地居住证' },
];

export default function RealName() {
  const [me, setMe] = useState<MeResponse | null>(null);
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [mobile, setMobile] = useState('');
  const [basis, setBasis] = useState<BasisKind>('local_hukou');
  const [permitNumber, setPermitNumber] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getMe()
      .then((m) => {
        setMe(m);
        if (m.identity) setName(m.identity.name);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) void Taro.redirectTo({ url: PAGES.login });
        else setErrors(apiErrors(e));
      });
  }, []);

  const idConsent = me?.consents.find((c) => c.purpose === 'id_number');
  const consentNeeded = !(idConsent?.status === 'granted' && idConsent.current);

  const body = () => ({
    name,
    idNumber,
    mobile,
    basis: basis === 'local_hukou' ? { kind: basis } : { kind: basis, permitNumber, expiresOn },
  });

  const validate = (): FieldErrors => {
    const e = schemaErrors(identityBody, body());
    const parsed = identityBody.safeParse(body());
    const more = parsed.success ? toErrors(identityIssuesOn(parsed.data, today())) : {};
    return { ...e, ...more };
  };

  /** Show only the errors of fields the user has touched (or all after submit). */
  const check = (field: string) => {
    const all = validate();
    setErrors((prev) => {
      const next = { ...prev };
      delete next[field];
      delete next[''];
      if (all[field]) next[field] = all[field];
      return next;
    });
  };

  const onIdInput = (v: string) => {
    setIdNumber(v);
    // Check as soon as 18 characters are in (a wrong check character shows at once).
    if (v.trim().length >= 18) {
      const all = schemaErrors(identityBody, { ...body(), idNumber: v });
      const parsed = identityBody.shape.idNumber.safeParse(v);
      const dated = parsed.success ? toErrors(identityIssuesOn({ idNumber: parsed.data, basis: { kind: 'local_hukou' } }, today())) : {};
      setErrors((prev) => {
        const next = { ...prev };
        delete next.idNumber;
        const msg = all.idNumber ?? dated.idNumber;
        if (msg) next.idNumber = msg;
        return next;
      });
    } else {
      setErrors((prev) => {
        const next = { ...prev };
        delete next.idNumber;
        return next;
      });
    }
  };

  const submit = async () => {
    const all = validate();
    if (consentNeeded && !agreed) all.consent = '请先勾选同意处理您的身份证号码';
    setErrors(all);
    if (Object.keys(all).length) return;
    setBusy(true);
    try {
      if (consentNeeded) await decideConsent({ purpose: 'id_number', version: CONSENT_PURPOSES.id_number.version, action: 'grant' });
      await saveIdentity(body());
      await Taro.redirectTo({ url: PAGES.members });
    } catch (e) {
      setErrors(apiErrors(e));
    } finally {
      setBusy(false);
    }
  };

  const derived = errors.idNumber ? null : derivedText(idNumber);

  return (
    <View className='id-page'>
      <View className='card'>
        <View className='card-title'>实名认证</View>
        <Text className='muted'>请填写与身份证一致的信息。出生日期、性别和年龄由身份证号码自动识别，无需填写。</Text>
      </View>
      <View className='card'>
        <Field label='姓名' name='name' value={name} onInput={setName} onBlur={() => check('name')} error={errors.name} placeholder='与身份证一致' />
        <Field
          label='身份证号码'
          name='idNumber'
          type='idcard'
          maxlength={18}
          value={idNumber}
          onInput={onIdInput}
          onBlur={() => check('idNumber')}
          error={errors.idNumber}
          hint={derived}
          placeholder='18位身份证号码'
        />
        <Field label='手机号码' name='mobile' type='number' maxlength={11} value={mobile} onInput={setMobile} onBlur={() => check('mobile')} error={errors.mobile} placeholder='11位手机号码' />
        <View className='field'>
          <Text className='label'>户籍类型</Text>
          <Chips options={BASIS} selected={[basis]} onToggle={setBasis} testid='basis' />
          {errors.basis && <Text className='field-error'>{errors.basis}</Text>}
        </View>
        {basis === 'residence_permit' && (
          <>
            <Field label='居住证号码' name='permitNumber' value={permitNumber} onInput={setPermitNumber} onBlur={() => check('basis.permitNumber')} error={errors['basis.permitNumber']} />
            <Field
              label='居住证有效期至'
              name='expiresOn'
              value={expiresOn}
              onInput={setExpiresOn}
              onBlur={() => check('basis.expiresOn')}
              error={errors['basis.expiresOn']}
              placeholder='YYYY-MM-DD'
            />
          </>
        )}
      </View>
      {consentNeeded && (
        <View className='card'>
          <View className='consent-box'>
            <View className='consent-title'>单独同意：{CONSENT_PURPOSES.id_number.title}</View>
            <Text className='consent-text'>{CONSENT_PURPOSES.id_number.text}</Text>
            <Agree
              checked={agreed}
              onChange={(v) => {
                setAgreed(v);
                setErrors(({ consent: _c, ...rest }) => rest);
              }}
              testid='consent-id'
            >
              我同意处理我的身份证号码
            </Agree>
          </View>
          {errors.consent && <Text className='field-error'>{errors.consent}</Text>}
        </View>
      )}
      <View className='card'>
        {errors[''] && <Text className='form-error'>{errors['']}</Text>}
        <Button className='btn-primary' loading={busy} onClick={() => void submit()}>
          提交实名信息
        </Button>
      </View>
    </View>
  );
}
