/**
 * The agreement as a Chinese document, modelled on the zhangjiagang household agreement form
 * (zhangjiagang-changyinsha-2017 附件2/附件3: 甲方代表 and the members from the 户口簿, 乙方 the
 * team and its institution, the service content, 权利与义务, 其他约定, term). Pure: structured
 * sections plus the same content as plain text. The rights and duties follow the form; the
 * "原则上一年签约期内不得解约" duty is taken from the region's termination rule instead of the form,
 * so a region that allows early termination does not promise the opposite.
 */
import { parts, type LocalDate } from '../dates';
import { formatYuan, PAYERS, type Payer, type RegionPolicy } from '../policy';
import { AGE_GROUPS, AGREEMENT_STATUSES, type AgreementStatus, type DocumentSection, type AgreementDocument, type AgeGroup } from '../../schemas/agreements';

/** Version of the agreement text below; the resident consents to exactly this version when signing. */
export const AGREEMENT_TEXT_VERSION = '2025.1';

export interface DocumentInput {
  agreementId: string | null;
  status?: AgreementStatus;
  representativeName: string;
  members: {
    name: string;
    relation: string;
    sex: 'M' | 'F';
    ageGroup: AgeGroup;
    idNumberMasked: string;
    packages: {
      code: string;
      name: string;
      priceFen: number;
      byPayer: Partial<Record<Payer, number>>;
      items: { name: string; quantity: number | null; per: string | null; unit: string; frequencyText: string | null; bound: string }[];
    }[];
  }[];
  team: { name: string; institutionName: string; institutionPhone?: string; doctors: { name: string; title: string; lead?: boolean }[] };
  cycle: { start: LocalDate; end: LocalDate } | null;
  price: { totalFen: number; byPayer: Partial<Record<Payer, number>>; residentDueFen: number } | null;
  consent: { agreementTextVersion: string; at: string } | null;
}

function zhDate(d: LocalDate): string {
  const { year, month, day } = parts(d);
  return `${year}年${month}月${day}日`;
}

const PER: Record<string, string> = { year: '每年', quarter: '每季度', month: '每月', stage: '每阶段' };
const BOUND: Record<string, string> = { exact: '', atLeast: '不少于', atMost: '不超过' };

function frequency(it: DocumentInput['members'][number]['packages'][number]['items'][number]): string {
  if (it.quantity !== null && it.per) return `${PER[it.per] ?? ''}${BOUND[it.bound] ?? ''}${it.quantity}${it.unit}`;
  return it.frequencyText ?? '按需服务';
}

function payerText(byPayer: Partial<Record<Payer, number>>): string {
  const parts = (Object.keys(PAYERS) as Payer[]).filter((p) => (byPayer[p] ?? 0) > 0).map((p) => `${PAYERS[p]}${formatYuan(byPayer[p]!)}`);
  return parts.length ? parts.join('，') : '免费';
}

/** Rights and duties (zhangjiagang 附件2 三、权利与义务), with the termination duty from the region's rule. */
export function rightsAndDuties(policy: RegionPolicy): DocumentSection {
  const restricted = policy.termination.early === 'restricted';
  return {
    heading: '三、权利与义务',
    paragraphs: [
      '（一）甲方',
      '1．主要权利：自愿选择服务提供方和服务项目；享有与签约医疗卫生机构约定好的服务内容；监督签约服务内容的规范实施，及时举报乙方在服务过程中的不规范行为。',
      `2．主要义务：接受签约服务的家庭成员应当将身体健康状况和变化情况以及与健康相关的信息及资料及时、准确告知乙方；主动配合并执行好乙方制定的防病治病相关措施；首诊选择在签约的基层医疗卫生机构，接受转诊建议，按病情需要逐级转诊；尊重签约医生和家庭医生团队，配合支持签约医生工作；对签约服务进行客观评价${restricted ? '；协议一经签订原则上签约期内不得解约' : ''}。`,
      '（二）乙方',
      '1．主要权利：得到甲方的尊重和客观评价；在政策范围内，得到合理劳务报酬。',
      '2．主要义务：做好签约家庭成员居民电子健康档案资料收集和动态管理；科学安排服务时间，保证签约家庭健康服务的及时性和便捷性；在保证医疗安全前提下，提供双方约定的各类服务，不得乱收费、多收费；执行医保报销政策，合理控制医药费用；对自身无法提供的服务积极联系上级医疗专家。',
    ],
  };
}

export function termination(policy: RegionPolicy): DocumentSection {
  return {
    heading: '五、变更与解约',
    paragraphs: [
      `1．${policy.termination.text}`,
      '2．特殊情况下甲方可申请变更签约团队，变更后原团队名额同时释放，服务周期和已缴费用不变。',
      policy.termination.refund === 'deduct_delivered'
        ? '3．提前解约的，已缴纳的个人承担费用在扣除已提供服务的费用后退还（溧阳市实施方案 三(二)），退费金额以解约前显示的退费预览为准。'
        : '3．提前解约的退费办法按当地规定执行。',
    ],
  };
}

function others(): DocumentSection {
  return {
    heading: '六、其他约定',
    paragraphs: [
      '1．甲方如对乙方服务不满意，可以向签约医疗卫生机构投诉反映，也可请所在地卫生健康行政部门协调解决。',
      '2．本协议如与国家相关规定有抵触的，以国家相关规定为准。本协议未尽事宜，由双方协商解决。',
      '3．本协议以电子方式签订，甲乙双方均可随时查阅。',
    ],
  };
}

/** The document of a signed agreement, or (agreementId null, no members) the template shown before signing. */
export function agreementDocument(input: DocumentInput, policy: RegionPolicy): AgreementDocument {
  const sections: DocumentSection[] = [];
  const lead = input.team.doctors.find((d) => d.lead) ?? input.team.doctors[0];
  sections.push({
    heading: '甲方',
    paragraphs: [`甲方代表：${input.representativeName}`, '接受签约服务的家庭成员（以户口簿为准）：'],
    table: {
      columns: ['序号', '与签约人关系', '姓名', '性别', '年龄段', '身份证号码'],
      rows: input.members.map((m, i) => [String(i + 1), m.relation, m.name, m.sex === 'M' ? '男' : '女', AGE_GROUPS[m.ageGroup], m.idNumberMasked]),
    },
  });
  sections.push({
    heading: '乙方',
    paragraphs: [
      `乙方代表：${input.team.institutionName} ${input.team.name}`,
      ...(lead ? [`责任医生（第一责任人）：${lead.name}（${lead.title}）`] : []),
      `团队成员：${input.team.doctors.map((d) => `${d.name}（${d.title}）`).join('、') || '—'}`,
      ...(input.team.institutionPhone ? [`联系电话：${input.team.institutionPhone}`] : []),
    ],
  });
  sections.push({
    heading: '前言',
    paragraphs: ['为了更好地为家庭成员提供健康服务，本着平等、自愿、惠民的原则，甲方自愿选择乙方作为本家庭的签约服务团队，成为乙方的签约服务对象。经甲乙双方商定，签订本协议。'],
  });
  sections.push({
    heading: '一、协议服务内容',
    paragraphs: input.members.length
      ? ['协议期内，乙方为甲方家庭成员提供以下服务包及服务项目（数量为服务周期内约定提供的次数）：']
      : ['协议期内，乙方为甲方家庭成员提供所选服务包内的服务项目，服务包内容以签约时展示的服务包目录为准。'],
    ...(input.members.length
      ? {
          table: {
            columns: ['成员', '服务包', '服务项目', '频次'],
            rows: input.members.flatMap((m) => m.packages.flatMap((p) => (p.items.length ? p.items : [{ name: '—', quantity: null, per: null, unit: '', frequencyText: '—', bound: 'exact' }]).map((it) => [m.name, p.name, it.name, frequency(it)]))),
          },
        }
      : {}),
  });
  if (input.price) {
    sections.push({
      heading: '二、服务费用',
      paragraphs: [
        ...input.members.flatMap((m) => m.packages.map((p) => `${m.name}：${p.name}，${formatYuan(p.priceFen)}（${payerText(p.byPayer)}）`)),
        `合计：${formatYuan(input.price.totalFen)}（${payerText(input.price.byPayer)}）。`,
        input.price.residentDueFen > 0 ? `甲方个人应缴：${formatYuan(input.price.residentDueFen)}，签约时一次性缴纳。` : '甲方个人无需缴费。',
        '乙方不得在约定费用之外另行收取签约服务费用。',
      ],
    });
  } else {
    sections.push({ heading: '二、服务费用', paragraphs: ['服务费用按签约时的报价执行，由各支付方按政策分担；乙方不得在约定费用之外另行收取签约服务费用。'] });
  }
  sections.push(rightsAndDuties(policy));
  sections.push({
    heading: '四、协议期限',
    paragraphs: [
      input.cycle ? `本协议从${zhDate(input.cycle.start)}起生效，${zhDate(input.cycle.end)}终止。` : `服务周期：${policy.cycle.kind === 'calendar_year' ? '按自然年度计算' : '自签约（收费签约自缴费）之日起计算'}。`,
      policy.renewal.text,
    ],
  });
  sections.push(termination(policy));
  sections.push(others());
  sections.push({
    heading: '签署',
    paragraphs: [
      input.consent
        ? `甲方代表${input.representativeName}已于${input.consent.at.replace('T', ' ').slice(0, 19)}（UTC）阅读本协议（文本版本${input.consent.agreementTextVersion}）并同意签约。`
        : `协议文本版本：${AGREEMENT_TEXT_VERSION}。甲方确认签约即表示已阅读并同意本协议全部内容。`,
      ...(input.agreementId ? [`协议编号：${input.agreementId}`] : []),
      ...(input.status ? [`协议状态：${AGREEMENT_STATUSES[input.status]}`] : []),
    ],
  });
  const title = '家庭医生签约服务协议书';
  return {
    agreementId: input.agreementId,
    title,
    agreementTextVersion: input.consent?.agreementTextVersion ?? AGREEMENT_TEXT_VERSION,
    sections,
    text: toText(title, sections),
  };
}

export function toText(title: string, sections: DocumentSection[]): string {
  const out: string[] = [title, ''];
  for (const s of sections) {
    out.push(s.heading);
    out.push(...s.paragraphs);
    if (s.table) {
      out.push(s.table.columns.join(' | '));
      for (const r of s.table.rows) out.push(r.join(' | '));
    }
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}
