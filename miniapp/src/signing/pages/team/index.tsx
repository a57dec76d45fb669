/**
 * Step 1 — choose a family-doctor team: region → institution → team (doctors, 第一责任人, clinic
 * hours, remaining places). A full team cannot be chosen (liyang-2019 §二(三)1).
 * With `?mode=change&agreementId=…` the same page changes an active agreement's team
 * (a reason is required; yongkang Q5 "特殊情况可变更").
 */
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button, Picker, Textarea } from '@tarojs/components';
import type { Institution, TeamView } from '@jiayi/shared/schemas/teams';
import type { AgreementView } from '@jiayi/shared/schemas/agreements';
import { changeTeam, DEFAULT_REGION, errorText, getAgreement, getInstitutions, getRegions, getTeams, PAGES, requireIdentity } from '../../api';
import { loadDraft, updateDraft } from '../../draft';
import { Banner, StepBar, TeamCard } from '../../components';
import '../../signing.css';

export default function ChooseTeam() {
  const params = useRouter().params;
  const changing = params.mode === 'change' && !!params.agreementId;
  const [agreement, setAgreement] = useState<AgreementView | null>(null);
  const [regions, setRegions] = useState<{ id: string; name: string }[]>([]);
  const [regionId, setRegionId] = useState<string>(params.regionId ?? (changing ? '' : loadDraft().regionId) ?? DEFAULT_REGION);
  const [institutions, setInstitutions] = useState<Institution[] | null>(null);
  const [institutionId, setInstitutionId] = useState<string | null>(null);
  const [teams, setTeams] = useState<TeamView[] | null>(null);
  const [teamId, setTeamId] = useState<string | null>(changing ? null : loadDraft().team?.id ?? null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(params.notice === 'team_full' ? '团队已满，请选择其他团队' : null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void requireIdentity().catch((e: unknown) => setError(errorText(e)));
    getRegions()
      .then((r) => setRegions(r.regions.map((x) => ({ id: x.regionId, name: x.name }))))
      .catch(() => undefined);
    if (changing)
      getAgreement(params.agreementId!)
        .then((a) => {
          setAgreement(a);
          setRegionId(a.regionId);
          setInstitutionId(a.team.institutionId);
        })
        .catch((e: unknown) => setError(errorText(e)));
  }, []);

  useEffect(() => {
    if (!regionId) return;
    setInstitutions(null);
    getInstitutions(regionId)
      .then((r) => {
        setInstitutions(r.institutions);
        setInstitutionId((cur) => (cur && r.institutions.some((i) => i.id === cur) ? cur : r.institutions.length === 1 ? r.institutions[0]!.id : (loadDraft().team?.institutionId ?? null)));
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [regionId]);

  useEffect(() => {
    if (!institutionId) return setTeams(null);
    setTeams(null);
    getTeams(institutionId)
      .then((r) => setTeams(r.teams))
      .catch((e: unknown) => setError(errorText(e)));
  }, [institutionId]);

  const regionIndex = Math.max(0, regions.findIndex((r) => r.id === regionId));
  const chosen = teams?.find((t) => t.id === teamId && !t.full) ?? null;

  const pick = (t: TeamView) => {
    if (agreement && t.id === agreement.team.id) return void Taro.showToast({ title: '这是当前签约团队', icon: 'none' });
    if (t.full) return void Taro.showToast({ title: '团队已满，请选择其他团队', icon: 'none' });
    setError(null);
    setTeamId(t.id);
  };

  const next = () => {
    if (!chosen) return setError('请选择一个家庭医生团队');
    const inst = institutions?.find((i) => i.id === chosen.institutionId);
    const d = loadDraft();
    updateDraft({
      regionId,
      // A different region's packages do not apply: start the package choice afresh.
      ...(d.regionId !== regionId ? { selections: {}, signingKinds: {} } : {}),
      team: {
        id: chosen.id,
        name: chosen.name,
        institutionId: chosen.institutionId,
        regionId: chosen.regionId,
        doctors: chosen.doctors,
        clinicHours: chosen.clinicHours,
        institutionName: inst?.name ?? chosen.institution.name,
      },
    });
    void Taro.navigateTo({ url: PAGES.packages });
  };

  const submitChange = async () => {
    if (!agreement) return;
    if (!chosen) return setError('请选择新的家庭医生团队');
    if (reason.trim().length < 2) return setError('请填写变更原因（至少2个字）');
    const ok = await Taro.showModal({ title: '确认变更团队', content: `将签约团队由“${agreement.team.name}”变更为“${chosen.name}”，服务包和费用不变。确定变更吗？` });
    if (!ok.confirm) return;
    setBusy(true);
    setError(null);
    try {
      const next = await changeTeam(agreement.id, chosen.id, reason.trim());
      await Taro.redirectTo({ url: `${PAGES.mine}?changed=${next.id}` });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='sg-page'>
      {!changing && <StepBar current={0} />}
      {changing && agreement && (
        <View className='card'>
          <View className='card-title'>变更签约团队</View>
          <Text className='muted'>
            当前团队：{agreement.team.institutionName} {agreement.team.name}。变更后服务包、服务周期和费用不变，原团队名额释放。
          </Text>
        </View>
      )}
      {regions.length > 0 && !changing && (
        <Picker mode='selector' range={regions.map((r) => r.name)} value={regionIndex} onChange={(e) => (setRegionId(regions[Number(e.detail.value)]!.id), setInstitutionId(null), setTeamId(null))}>
          <View className='card' data-testid='region-picker'>
            签约地区：<Text className='strong'>{regions[regionIndex]?.name ?? regionId}</Text> <Text className='muted'>（点击切换）</Text>
          </View>
        </Picker>
      )}
      <View className='card' data-testid='institutions'>
        <View className='card-title'>选择医疗机构</View>
        {!institutions && <Text className='muted'>正在加载…</Text>}
        {institutions?.length === 0 && <Text className='muted'>该地区暂无可签约的医疗机构</Text>}
        {institutions?.map((i) => (
          <View key={i.id} className={`row-pick${i.id === institutionId ? ' on' : ''}`} data-testid={`institution-${i.id}`} onClick={() => (setInstitutionId(i.id), setTeamId(null))}>
            <View>
              <View>{i.name}</View>
              <Text className='muted'>
                {i.kind} · {i.address}
              </Text>
            </View>
            <Text>{i.id === institutionId ? '✓' : '›'}</Text>
          </View>
        ))}
      </View>
      {institutionId && <View className='section-title'>选择家庭医生团队</View>}
      {institutionId && !teams && <View className='card muted'>正在加载团队…</View>}
      {teams?.map((t) => (
        <TeamCard key={t.id} team={t} selected={t.id === chosen?.id} current={agreement?.team.id === t.id} onSelect={() => pick(t)} />
      ))}
      {changing && (
        <View className='card'>
          <View className='card-title'>变更原因</View>
          <Textarea className='textarea' data-testid='change-reason' value={reason} maxlength={200} placeholder='请填写变更原因，例如：搬家后离原团队较远' onInput={(e) => setReason(e.detail.value)} />
        </View>
      )}
      {error && (
        <Banner kind='error' testid='team-error'>
          {error}
        </Banner>
      )}
      <View className='bottom-bar'>
        {chosen ? (
          <View className='bottom-sum'>
            已选：<Text className='strong'>{chosen.name}</Text>（剩余名额 {chosen.remaining}）
          </View>
        ) : (
          <View className='bottom-sum muted'>请选择一个未满的团队</View>
        )}
        {changing ? (
          <Button className={`btn-primary${!chosen || busy ? ' is-disabled' : ''}`} data-testid='confirm-change-team' loading={busy} disabled={!chosen || busy} onClick={() => void submitChange()}>
            确认变更团队
          </Button>
        ) : (
          <Button className={`btn-primary${chosen ? '' : ' is-disabled'}`} data-testid='team-next' disabled={!chosen} onClick={next}>
            下一步：选择服务包
          </Button>
        )}
      </View>
    </View>
  );
}
