/**
 * 溧阳市 — 溧政办发〔2019〕36号《市政府办公室关于深入推进家庭医生签约服务的实施意见(试行)》
 * and its annex 《溧阳市家庭医生签约服务包内容及收费标准》.
 * Seed: ../shared/seeds/liyang-2019-implementation.txt. Every number below is from that file.
 */
import { BOOKING_DEFAULTS, CHILD_0_6, ELDERLY_65, PREGNANT } from '../defaults';
import { countItem, openItem } from '../items';
import type { PopulationMatcher, RegionPolicy, ResidentCover, ServicePackage } from '../types';
import { BASIC_CODE, basic, LIYANG_KEY_POPULATION, paidWhollyBy } from './liyang-2019-basic';

const SRC = 'liyang-2019';
const A = `${SRC} 附件`;

export { LIYANG_KEY_POPULATION };

/** §三(一): the seven special populations whose personal share is paid by city finance. */
export const LIYANG_SPECIAL_SEVEN: PopulationMatcher = {
  anyStatuses: ['sanwu', 'wubao', 'dibao', 'youfu', 'family_planning_special', 'severe_disability_no_income', 'poverty_registered'],
};

const SPECIAL_COVER: ResidentCover = {
  when: LIYANG_SPECIAL_SEVEN,
  payers: [{ payer: 'finance_city', weight: 1 }],
  label: '特殊人群个人付费部分由市财政承担',
  source: `${SRC} §三(一)`,
};

/** §三(一) and the annex 说明: 150 元 = public health 50 + insurance 50 + resident 50. */
function personalizedPricing(): ServicePackage['pricing'] {
  return {
    kind: 'fixed',
    priceFen: 15000,
    shares: [
      { payer: 'public_health', amountFen: 5000 },
      { payer: 'insurance_fund', amountFen: 5000 },
      { payer: 'resident', amountFen: 5000 },
    ],
    // "未参加溧阳市基本医疗保险的居民，医保基金承担的经费由居民个人支付"
    uninsured: { to: 'resident' },
    residentCover: [SPECIAL_COVER],
    supplements: [],
    oneSharedPerMember: true,
    freeSigningAllowed: false,
  };
}

const PERSONAL_NOTES = [
  '由基本公共卫生服务经费、医保基金和个人三方各承担50元/年',
  '未参加溧阳市基本医疗保险的居民，医保基金承担的50元由居民个人支付',
  '个人部分可由个人现金或职工医保个人账户支付',
  '同时签约两个及以上个性化服务包的，其中一个按三方比例分担，其他服务包费用全部由个人承担',
];

function personalized(
  letter: string,
  name: string,
  targetPopulation: string,
  eligibility: ServicePackage['eligibility'],
  items: ServicePackage['items'],
): ServicePackage {
  const code = `160000002-${letter}`;
  return {
    code,
    name,
    category: 'personalized',
    tier: null,
    targetPopulation,
    eligibility,
    includes: [BASIC_CODE],
    items,
    pricing: personalizedPricing(),
    fixedCycleEnd: null,
    conditionalNotes: [],
    notes: PERSONAL_NOTES,
    source: `${SRC} §三(一); ${A} 二、个性化服务包 ${code}`,
  };
}

const p = (code: string, n: string) => `${A} ${code} 第${n}项`;
const referral = (code: string, n: string) =>
  openItem(`${code}/${n}`, '提供预约就诊、转诊服务', 'on_demand', { source: p(code, n) });

const pkgA = personalized('a', '孕产妇健康管理服务包', '孕产妇', [{ when: PREGNANT, reason: '该服务包仅适用于孕产妇' }], [
  countItem('160000002-a/2', '妊娠早期检查1次(血糖测定、阴道分泌物检查、Rh血型检查、心电图、梅毒TPPA测定(金标法)检查)', 1, 'stage', { source: p('160000002-a', '2') }),
  countItem('160000002-a/3', '妊娠中期检查1次(妊娠糖尿病筛查(24-28周糖耐量测试))', 1, 'stage', { source: p('160000002-a', '3') }),
  countItem('160000002-a/4', '产后42天检查1次(血常规、尿常规)', 1, 'stage', { source: p('160000002-a', '4') }),
  referral('160000002-a', '5'),
]);

const pkgB = personalized('b', '0-6岁儿童健康管理服务包', '0-6岁儿童', [{ when: CHILD_0_6, reason: '该服务包仅适用于0-6岁儿童' }], [
  countItem('160000002-b/2', '实验室检查1次(新生儿经皮胆红素测定、25羟维生素D测定、视网膜视力测定)', 1, 'year', { source: p('160000002-b', '2') }),
  openItem('160000002-b/3', '转诊服务(帮助需上转的患者预约上级医院)', 'on_demand', { source: p('160000002-b', '3') }),
]);

const pkgC = personalized('c', '老年人健康管理服务包', '65岁以上老年人', [{ when: ELDERLY_65, reason: '该服务包仅适用于65岁及以上老年人' }], [
  countItem('160000002-c/2', '彩超检查1次(双肾、输尿管、膀胱彩超检查)', 1, 'year', { source: p('160000002-c', '2') }),
  countItem('160000002-c/3', '肝癌筛选检查1次(甲胎蛋白测定(AFP))', 1, 'year', { source: p('160000002-c', '3') }),
  countItem('160000002-c/4', '消化道肿瘤筛选检查1次(癌胚抗原测定(CEA))', 1, 'year', { source: p('160000002-c', '4') }),
  referral('160000002-c', '5'),
]);

const HYPERTENSION: PopulationMatcher = { anyConditions: ['hypertension'] };
const DIABETES: PopulationMatcher = { anyConditions: ['diabetes_t2'] };

const pkgD = personalized('d', '高血压患者健康管理服务包', '原发性高血压病患者', [{ when: HYPERTENSION, reason: '该服务包仅适用于原发性高血压病患者' }], [
  countItem('160000002-d/2', '测血压（每年提供12次测血压，包括基本公共卫生服务包中4次测量）', 12, 'year', {
    includedFromBasic: 4,
    frequencyText: '每年提供12次测血压，包括基本公共卫生服务包中4次测量',
    source: p('160000002-d', '2'),
  }),
  countItem('160000002-d/3', '尿常规检查1次', 1, 'year', { source: p('160000002-d', '3') }),
  countItem('160000002-d/4', '血脂检测1次（甘油三酯、低密度脂蛋白胆固醇、高密度脂蛋白胆固醇测定）', 1, 'year', { source: p('160000002-d', '4') }),
  countItem('160000002-d/5', '心电图检查1次（常规心电图检查）', 1, 'year', { source: p('160000002-d', '5') }),
  countItem('160000002-d/6', '全胸片检查1次', 1, 'year', { source: p('160000002-d', '6') }),
  countItem('160000002-d/7', '对检查结果进行一次解读，提供个性化健康指导方案（包括中医药健康服务指导）', 1, 'year', { source: p('160000002-d', '7') }),
  referral('160000002-d', '8'),
]);

const pkgE = personalized('e', '糖尿病患者健康管理服务包', '2型糖尿病患者', [{ when: DIABETES, reason: '该服务包仅适用于2型糖尿病患者' }], [
  countItem('160000002-e/2', '尿常规检查1次', 1, 'year', { source: p('160000002-e', '2') }),
  countItem('160000002-e/3', '糖化血红蛋白检测（每年提供2次糖化血红蛋白（HbA1c）检测）', 2, 'year', { source: p('160000002-e', '3') }),
  countItem('160000002-e/4', '空腹血糖检测（每年提供8次血糖检测，包括基本公共卫生服务包中4次检测）', 8, 'year', {
    includedFromBasic: 4,
    frequencyText: '每年提供8次血糖检测，包括基本公共卫生服务包中4次检测',
    source: p('160000002-e', '4'),
  }),
  countItem('160000002-e/5', '对检查结果进行一次解读，提供个性化健康指导方案（包括中医药健康服务指导）', 1, 'year', { source: p('160000002-e', '5') }),
  referral('160000002-e', '6'),
]);

const pkgF = personalized(
  'f',
  '高血压+糖尿病患者健康管理服务包',
  '高血压+糖尿病患者',
  [{ when: { allConditions: ['hypertension', 'diabetes_t2'] }, reason: '该服务包仅适用于同时患有高血压和2型糖尿病的患者' }],
  [
    countItem('160000002-f/2', '测血压（每年提供12次测血压，包括基本公共卫生服务包中4次测量）', 12, 'year', {
      includedFromBasic: 4,
      frequencyText: '每年提供12次测血压，包括基本公共卫生服务包中4次测量',
      source: p('160000002-f', '2'),
    }),
    countItem('160000002-f/3', '血脂检测1次（总胆固醇、甘油三酯、低密度脂蛋白胆固醇、高密度脂蛋白胆固醇测定）', 1, 'year', { source: p('160000002-f', '3') }),
    countItem('160000002-f/4', '空腹血糖检测（每年提供8次血糖检测，包括基本公共卫生服务包中4次检测）', 8, 'year', {
      includedFromBasic: 4,
      frequencyText: '每年提供8次血糖检测，包括基本公共卫生服务包中4次检测',
      source: p('160000002-f', '4'),
    }),
    countItem('160000002-f/5', '尿常规检查2次（半年1次，或者视病情而定）', 2, 'year', { frequencyText: '半年1次，或者视病情而定', source: p('160000002-f', '5') }),
    countItem('160000002-f/6', '糖化血红蛋白检测（每年提供1次糖化血红蛋白（HbA1c）检测）', 1, 'year', { source: p('160000002-f', '6') }),
    // The seed gives no count here (d and e say "一次解读"; f does not).
    openItem('160000002-f/7', '提供个性化健康指导方案', 'on_demand', { source: p('160000002-f', '7') }),
    referral('160000002-f', '8'),
  ],
);

const pkgG = personalized('g', '慢性阻塞性肺病患者健康管理服务包', '慢性阻塞性肺病患者', [{ when: { anyConditions: ['copd'] }, reason: '该服务包仅适用于慢性阻塞性肺病患者' }], [
  countItem(
    '160000002-g/2',
    '1次健康体检，项目包括：一般体格检查、血常规、尿常规、血氧饱和度测定、心电图、全胸片、腹部B超（肝胆胰脾双肾），对签约对象的健康体检报告进行一次全面详细解读，提供及时科学的呼吸功能障碍危险因素及其他相关知识的健康指导',
    1,
    'year',
    { source: p('160000002-g', '2') },
  ),
  countItem('160000002-g/3', '提供氧气包免费充气2次', 2, 'year', { source: p('160000002-g', '3') }),
  referral('160000002-g', '4'),
]);

const pkgH: ServicePackage = {
  code: '160000002-h',
  name: '特殊人群健康管理包',
  category: 'personalized',
  tier: null,
  targetPopulation: '重点人群以外的特殊人群',
  eligibility: [
    { when: LIYANG_SPECIAL_SEVEN, reason: '该服务包仅适用于“三无”“五保”“低保”“重点优抚”“计划生育特殊家庭”“无固定收入重度残疾人”“农村建档立卡贫困人口”等特殊人群' },
    { when: { not: LIYANG_KEY_POPULATION }, reason: '该服务包仅适用于重点人群以外的特殊人群，重点人群请选择对应人群的服务包（个人付费部分由市财政承担）' },
  ],
  // The annex row does not start with "1.基本服务包+"; every signed resident holds the basic package anyway.
  includes: [],
  items: [
    countItem('160000002-h/1', '1次健康体检。包括：血常规（血细胞分析）、尿常规（尿液一般检查）、血糖、心电图（常规心电图检查）、腹部彩超（肝胆胰脾）检查', 1, 'year', {
      source: p('160000002-h', '1'),
    }),
    countItem('160000002-h/2', '血压、血糖异常者定期监测血压或血糖指标（每年4次），并指导调整用药方案，必要时帮助联系上级医院确定治疗方案', 4, 'year', {
      frequencyText: '每年4次',
      note: '适用于血压、血糖异常者',
      source: p('160000002-h', '2'),
    }),
    countItem('160000002-h/3', '上门服务，为行动不便的慢性病患者提供2次上门服务（卫健部门明确规定不允许上门开展的医疗服务项目除外）', 2, 'year', {
      note: '适用于行动不便的慢性病患者',
      source: p('160000002-h', '3'),
    }),
    referral('160000002-h', '4'),
    countItem('160000002-h/5', '每年提供1次健康评估及健康指导方案', 1, 'year', { source: p('160000002-h', '5') }),
  ],
  // §七(一): 财政部门做好特殊人群的家庭医生签约服务经费保障工作.
  pricing: { kind: 'free', costBornBy: 'finance_city', note: '免费，特殊人群签约服务经费由财政部门保障' },
  fixedCycleEnd: null,
  conditionalNotes: [],
  notes: ['免费'],
  source: `${A} 160000002-h; ${SRC} §七(一)`,
};

const i = (n: string) => p('160000002-i', n);
const pkgI: ServicePackage = {
  // The annex prints "16000002-i" on its first page and "160000002-i" on the next; the family code is 160000002.
  code: '160000002-i',
  name: '离休干部健康管理包',
  category: 'personalized',
  tier: null,
  targetPopulation: '离休干部',
  eligibility: [{ when: { anyStatuses: ['retired_cadre'] }, reason: '该服务包仅适用于离休干部' }],
  includes: [],
  items: [
    openItem('160000002-i/1', '建立居民健康档案。为签约对象及其配偶每人建立一份居民健康档案。健康档案内容包括：个人基本信息、健康体检、重点人群健康管理记录和其他医疗卫生服务记录', 'ongoing', { source: i('1') }),
    countItem('160000002-i/2', '提供流感疫苗接种服务。每年为签约对象接种一次流感疫苗', 1, 'year', { source: i('2') }),
    countItem('160000002-i/3', '提供健康体检报告解读。对签约对象及其配偶的健康体检报告进行一次全面详细解读', 1, 'year', { source: i('3') }),
    countItem('160000002-i/4', '提供个性化健康指导。对签约对象及其配偶制定一份健康诊断及个性化的健康指导', 1, 'year', { unit: '份', source: i('4') }),
    countItem('160000002-i/5', '提供慢性病规范化管理服务。对患高血压、糖尿病的签约对象及其配偶,每季度进行一次面对面随访,测量血压、血糖,进行个性化的饮食、运动、药物指导', 1, 'quarter', {
      frequencyText: '每季度进行一次面对面随访',
      note: '适用于患高血压、糖尿病的签约对象及其配偶',
      source: i('5'),
    }),
    openItem('160000002-i/6', '提供日常健康疾病诊治咨询服务。为签约对象及其配偶提供电话健康咨询,给予健康、预防、保健、诊疗等方面的指导', 'on_demand', { source: i('6') }),
    openItem('160000002-i/7', '提供优先预约就诊服务。为签约对象提供预约就诊服务,在签约单位就诊享受优先就诊、优先检查、优先住院', 'on_demand', { source: i('7') }),
    openItem('160000002-i/8', '提供预约转诊服务。为病情需要的签约对象提供上级医院的转诊服务,帮助预约市级医院专家号、预约B超、CT、MRI等辅助检查、预约住院', 'on_demand', { source: i('8') }),
    openItem('160000002-i/9', '提供长处方用药服务。为签约对象及其配偶的慢性病用药可一次配备2个月剂量', 'on_demand', { source: i('9') }),
    openItem('160000002-i/10', '提供配药送药服务。为签约对象提供常规用药的配药服务,必要的话可提供送药上门', 'on_demand', { source: i('10') }),
    openItem('160000002-i/11', '提供上门服务。对行动不便且符合上门服务条件的签约对象及其配偶,提供预约上门服务或建立家庭病床等个性化健康管理服务', 'on_demand', {
      note: '静脉输液除外、按物价收费标准另外收取费用',
      source: i('11'),
    }),
    openItem('160000002-i/12', '提供陪诊服务。为签约对象提供在签机构就诊的全程陪诊服务。必要时可提供陪同转诊服务', 'on_demand', { source: i('12') }),
    countItem('160000002-i/13', '提供中医养生的健康指导。安排中医专家为签约对象及其配偶提供中医体质辨识,根据体质制定一份个性化中医养生健康指导方案', 1, 'year', { unit: '份', source: i('13') }),
    openItem('160000002-i/14', '提供中医治未病服务指导。为签约对象及其配偶提供预约联系中医专家进行中医药膏方服务', 'on_demand', {
      note: '专家和中医膏方服务费用另外收取',
      source: i('14'),
    }),
    openItem('160000002-i/15', '提供优先中医治疗。为签约对象及其配偶在签约单位进行中医治疗时提供优先服务', 'on_demand', { source: i('15') }),
  ],
  pricing: paidWhollyBy('finance_city', 100000),
  fixedCycleEnd: null,
  conditionalNotes: [],
  notes: ['离休干部的签约服务费总额为每人每年1000元，所需经费由市财政承担，个人免费'],
  source: `${SRC} §三(一); ${A} 160000002-i`,
};

const j = (n: string) => p('160000002-j', n);
const pkgJ: ServicePackage = {
  code: '160000002-j',
  name: '白血病患者健康管理包',
  category: 'personalized',
  tier: null,
  targetPopulation: '白血病患者',
  eligibility: [{ when: { anyConditions: ['leukemia'] }, reason: '该服务包仅适用于白血病患者' }],
  includes: [BASIC_CODE],
  items: [
    openItem('160000002-j/2', '为签约患儿建立个人电子健康档案并定期维护更新', 'ongoing', { source: j('2') }),
    openItem('160000002-j/3', '指导白血病患者家长改善居家卫生条件和患儿营养状况,进行生活方式指导', 'on_demand', { source: j('3') }),
    openItem('160000002-j/4', '协助定点医院进行随访和健康教育,为签约患儿提供免费健康咨询,预约检查', 'on_demand', { source: j('4') }),
    openItem('160000002-j/5', '做好指导患儿定期复查、感染防控、应急处置、口腔保健等工作,引导白血病患者分级诊疗,确保白血病患者诊疗服务延续、规范', 'on_demand', { source: j('5') }),
    countItem('160000002-j/6a', '每月定期上门访视一次', 1, 'month', { source: j('6') }),
    countItem('160000002-j/6b', '每季度为患儿进行一次免费血常规检查', 1, 'quarter', { source: j('6') }),
  ],
  pricing: { kind: 'free', costBornBy: 'institution', note: '免费，所需经费由乡镇卫生院自行承担' },
  fixedCycleEnd: null,
  conditionalNotes: [],
  notes: ['为白血病患者免费提供签约服务，所需经费由乡镇卫生院自行承担'],
  source: `${SRC} §三(一); ${A} 160000002-j`,
};

export const liyang2019: RegionPolicy = {
  regionId: 'liyang-2019',
  name: '溧阳市家庭医生签约服务（2019年试行）',
  version: '2019.1',
  // The notice was printed and issued on 2019-08-08 (印发).
  effectiveFrom: '2019-08-08',
  documentRef: '溧政办发〔2019〕36号',
  seedFile: 'liyang-2019-implementation.txt',
  packages: [basic, pkgA, pkgB, pkgC, pkgD, pkgE, pkgF, pkgG, pkgH, pkgI, pkgJ],
  basicPackageCode: BASIC_CODE,
  maxPersonalizedPerMember: null,
  defaultSigningKind: null,
  cycle: {
    kind: 'calendar_year',
    firstCycle: { signedFrom: '2019-01-01', signedTo: '2019-12-31', end: '2020-12-31' },
    advanceSigningFromMonth: 10,
  },
  renewal: {
    free: 'auto_renew',
    paid: 'fall_back_to_free',
    window: { kind: 'quarter_before_end', quarter: 4 },
    text: '期满后可续约或选择其他家庭医生团队签约；无偿协议期满后居民不提出变更或解约要求的，视为自动续约；有偿协议一年一签，每年第四季度集中签订下一年度协议',
    source: `${SRC} §二(三)2`,
  },
  termination: {
    early: 'allowed',
    allowedReasons: ['moved_out', 'unreachable_one_year', 'refused_one_year', 'voluntary', 'death', 'other'],
    requiresVerification: true,
    refund: 'deduct_delivered',
    text: '签约居民对服务不满意或其他原因要求提前终止服务的，经调查核实后，扣除实际服务的费用，双方协商后退还签约居民',
    source: `${SRC} §三(二)`,
  },
  teamCapacity: { residentsPerTeam: 2000, approximate: true, source: `${SRC} §二(三)1 每个家庭医生团队签约人数应控制在2000人左右` },
  coverageTargets: [
    { year: 2019, population: 'overall', minPercent: 35, text: '2019年家庭医生签约服务覆盖率达35%', source: `${SRC} §一(二)` },
    { year: 2019, population: 'key', minPercent: 75, text: '重点人群签约服务覆盖率达75%', source: `${SRC} §一(二)` },
    { year: 2019, population: 'special', minPercent: null, text: '特殊人群应签尽签', source: `${SRC} §一(二)` },
  ],
  specialistSlotShareMinPercent: null,
  booking: BOOKING_DEFAULTS,
  benefits: [
    '转诊对象优先预约、就诊、检查、住院，建立绿色转诊通道',
    '签约的慢性病患者配续药处方时限可延长到1个月',
    '可查阅电子健康档案等医疗卫生信息',
    '除按规定收取签约服务费外，不得另行收取其他费用',
  ],
  notes: ['每个居民只能与一个家庭医生团队签约，可根据自身健康需求选择多种服务包内套餐', '签约服务费按年收取，签约时一次性缴纳'],
};
