/**
 * 张家港市 常阴沙现代农业示范园区 — 现农政发〔2017〕13号《“家庭医生签约服务扩面工程”实施方案》
 * with 附件2 (社区医生个性化家庭签约服务协议书) and 附件3 (大病困难群众、计生特殊困难家庭协议书).
 * Seed: ../shared/seeds/zhangjiagang-changyinsha-2017-expansion.txt.
 */
import { BOOKING_DEFAULTS } from '../defaults';
import { clinicAppointmentItem, countItem, healthPushItem, openItem } from '../items';
import type { EligibilityRule, PopulationMatcher, RegionPolicy, ServicePackage } from '../types';

const SRC = 'zhangjiagang-2017';
const F2 = `${SRC} 附件2`;
const F3 = `${SRC} 附件3`;
const BASIC_CODE = 'ZJG-BASIC';

const basic: ServicePackage = {
  code: BASIC_CODE,
  name: '基本服务',
  category: 'basic',
  tier: 'basic',
  targetPopulation: '签约家庭成员（以户口簿为准）',
  eligibility: [],
  includes: [],
  items: [
    openItem('ZJG-BASIC/1', '基本医疗服务：农村常见病、多发病的一般门诊诊疗服务，对诊断明确、病情稳定的慢性病进行规范化治疗指导', 'on_demand', { source: `${F2} 一(一)1` }),
    openItem('ZJG-BASIC/2', '基本公共卫生服务：提供国家基本公共卫生服务项目中涉及签约家庭和个人的服务', 'schedule', { source: `${F2} 一(一)2` }),
    openItem('ZJG-BASIC/3', '健康综合服务：定期巡诊掌握健康状况，开展健康评价、健康咨询、健康指导和危险因素评估等', 'unspecified', { source: `${F2} 一(一)3` }),
    openItem('ZJG-BASIC/4', '根据病情需要将超出社区诊治能力的患者及时转诊到上级医疗机构', 'on_demand', { source: `${F2} 一(一)3` }),
    openItem('ZJG-BASIC/5', '为行动不便的对象提供上门访视和家庭康复指导服务', 'on_demand', { source: `${F2} 一(一)3` }),
    healthPushItem(`yongkang 基本服务包 4; ${SRC} 六、3 宣传健康知识`),
    clinicAppointmentItem(`yongkang 基本服务包 5; ${SRC} 六、2 预约服务`),
  ],
  // The form lists 基本服务 in every household agreement and prices only the 个性化服务包 (另附).
  pricing: { kind: 'included', inPackage: null, note: '协议基本服务，本文件未单独列明收费' },
  fixedCycleEnd: null,
  conditionalNotes: [],
  notes: [
    '签约对象及其家庭成员的居民医保门诊年度结报限额在500元基础上提高20%',
    '在签约社区卫生服务机构就诊的，居民医保单张处方结报比例提高10%（即50元报60%），职工医保地方补充门诊统筹补助标准提高5%',
    '经签约社区医生转诊住院治疗的，首次住院起付线标准下调20%',
  ],
  source: `${F2} 一(一)`,
};

const PERSONAL_NOTE = '服务包内容、收费标准另附（按《张家港市社区医生个性化家庭签约服务实施方案》（张卫行〔2015〕97号）执行），须由签约机构设定价格后方可签约';

function personalized(code: string, name: string, tier: 'primary' | 'intermediate' | 'advanced', targetPopulation: string, eligibility: EligibilityRule[]): ServicePackage {
  return {
    code,
    name,
    category: 'personalized',
    tier,
    targetPopulation,
    eligibility,
    includes: [BASIC_CODE],
    items: [],
    pricing: { kind: 'institution_set', minFen: null, maxFen: null, split: { kind: 'resident_all' }, note: '服务包内容、收费标准另附，本文件未列明' },
    fixedCycleEnd: null,
    conditionalNotes: [],
    notes: [PERSONAL_NOTE, '协议一经签订原则上一年签约期内不得解约'],
    source: `${F2} 一(二); 附件5`,
  };
}

const HARDSHIP: PopulationMatcher = { anyStatuses: ['major_illness_hardship', 'family_planning_special'] };
const h = (n: string) => `${F3} 一、${n}`;

const hardship: ServicePackage = {
  code: 'ZJG-HARDSHIP',
  name: '大病困难群众、计生特殊困难家庭家庭医生签约服务（“四个一”）',
  category: 'population',
  tier: null,
  targetPopulation: '大病困难群众、计生特殊困难家庭',
  eligibility: [{ when: HARDSHIP, reason: '该服务仅适用于大病困难群众、计生特殊困难家庭成员' }],
  includes: [],
  items: [
    openItem('ZJG-HARDSHIP/1-1', '社区医生提供12类45项基本公共卫生服务中涉及家庭和个人的服务内容', 'schedule', { source: h('1') }),
    openItem('ZJG-HARDSHIP/1-2', '提供常见病、多发病的诊断和指导', 'on_demand', { source: h('1') }),
    openItem('ZJG-HARDSHIP/1-3', '发放健康宣教资料', 'on_demand', { source: h('1') }),
    openItem('ZJG-HARDSHIP/1-4', '为家庭成员提供健康咨询服务', 'on_demand', { source: h('1') }),
    countItem('ZJG-HARDSHIP/1-5', '血常规、尿常规、大便常规、胸部透视项目服务（累计不超过4项次）', 4, 'year', {
      bound: 'atMost',
      unit: '项次',
      frequencyText: '累计不超过4项次',
      source: h('1'),
    }),
    countItem('ZJG-HARDSHIP/1-6', '家庭健康访视', 1, 'month', { frequencyText: '每月1次', source: h('1') }),
    openItem('ZJG-HARDSHIP/1-7', '提供转诊服务', 'on_demand', { source: h('1') }),
    countItem('ZJG-HARDSHIP/1-8', '指定二级以上医院医生提供面对面问诊检查、康复保健、家庭护理等服务', 2, 'year', {
      bound: 'atLeast',
      frequencyText: '不少于2次',
      source: h('1'),
    }),
    openItem('ZJG-HARDSHIP/1-9', '市级医疗专家根据需要提供会诊服务和健康指导等服务', 'on_demand', { source: h('1') }),
    countItem('ZJG-HARDSHIP/2', '健康服务卡：在指定医院免费享受1000元的门诊医疗服务，以及优先预约就诊、检查、住院等便捷服务', 1, 'stage', {
      unit: '张',
      unitValueFen: 100000,
      note: '每个家庭1张',
      source: h('2'),
    }),
    countItem('ZJG-HARDSHIP/3', '由指定医院医生开具一张个性化健康处方，指导做好保健、康复等工作', 1, 'stage', { unit: '张', source: h('3') }),
    countItem('ZJG-HARDSHIP/4', '为行动不便或卧床不起的成员组织开展家庭护理技能培训（生活护理、饮食护理和心理护理）', 1, 'stage', {
      unit: '套',
      note: '适用于行动不便或卧床不起的成员',
      source: h('4'),
    }),
  ],
  pricing: { kind: 'free', costBornBy: null, note: '免费提供“四个一”服务' },
  // 附件3: 本协议约定服务期自签约之日起至2018年2月28日止 (方案 五、3: 服务周期从2017年3月至2018年2月).
  fixedCycleEnd: '2018-02-28',
  conditionalNotes: [],
  notes: ['免费签约一个全科服务团队，提供一张1000元的健康服务卡，开具一张个性化的健康教育处方，教学一套家庭护理技能'],
  source: `${SRC} 四、2-3; 附件3`,
};

export const zhangjiagang2017: RegionPolicy = {
  regionId: 'zhangjiagang-2017',
  name: '张家港市常阴沙现代农业示范园区家庭医生签约服务扩面工程（2017年）',
  version: '2017.1',
  // 五、3: 大病困难群众、计生特殊困难家庭签约服务周期从2017年3月至2018年2月.
  effectiveFrom: '2017-03-01',
  documentRef: '现农政发〔2017〕13号',
  seedFile: 'zhangjiagang-changyinsha-2017-expansion.txt',
  packages: [
    basic,
    personalized('ZJG-PRIMARY', '初级包', 'primary', '签约家庭成员', []),
    personalized('ZJG-INTERMEDIATE-1', '中级包Ⅰ型（高血压）', 'intermediate', '高血压患者', [
      { when: { anyConditions: ['hypertension'] }, reason: '中级包Ⅰ型仅适用于高血压患者' },
    ]),
    personalized('ZJG-INTERMEDIATE-2', '中级包Ⅱ型（糖尿病）', 'intermediate', '糖尿病患者', [
      { when: { anyConditions: ['diabetes_t2'] }, reason: '中级包Ⅱ型仅适用于糖尿病患者' },
    ]),
    personalized('ZJG-INTERMEDIATE-3', '中级包Ⅲ型（复合型）', 'intermediate', '高血压合并糖尿病患者', [
      { when: { allConditions: ['hypertension', 'diabetes_t2'] }, reason: '中级包Ⅲ型（复合型）仅适用于同时患有高血压和糖尿病的患者' },
    ]),
    personalized('ZJG-ADVANCED', '高级包（体检型）', 'advanced', '签约家庭成员', []),
    hardship,
  ],
  basicPackageCode: BASIC_CODE,
  // 附件2 二: one "选择的服务包名称" per household member.
  maxPersonalizedPerMember: 1,
  defaultSigningKind: null,
  // 五、3: 个性化家庭签约实行实时签约，服务周期为协议签订之日起一年.
  cycle: { kind: 'from_signing', firstTermYears: 1, renewalTermYears: [1], paidStartsOnPayment: false },
  renewal: {
    free: 'expire',
    paid: 'expire',
    window: null,
    text: '服务周期为协议签订之日起一年，有效期壹年；积极引导群众到期续约',
    source: `${SRC} 五、3; 六、2; ${F2} 四`,
  },
  termination: {
    early: 'restricted',
    // "原则上": death and moving out of the area end an agreement that can no longer be served.
    allowedReasons: ['death', 'moved_out'],
    requiresVerification: true,
    refund: 'not_specified',
    text: '协议一经签订原则上一年签约期内不得解约',
    source: `${F2} 三(一)2`,
  },
  teamCapacity: null,
  coverageTargets: [
    { year: 2017, population: 'key', minPercent: 30, text: '到2017年底，园区高血压、糖尿病等重点人群家庭医生签约服务率达30%以上', source: `${SRC} 三` },
    { year: 2017, population: 'hardship', minPercent: 90, text: '大病困难群众、计生特殊困难家庭家庭医生签约服务率达90%以上', source: `${SRC} 三` },
  ],
  specialistSlotShareMinPercent: null,
  booking: BOOKING_DEFAULTS,
  benefits: [
    '居民医保门诊年度结报限额在500元基础上提高20%',
    '在签约社区卫生服务机构就诊的，居民医保单张处方结报比例提高10%（即50元报60%）',
    '职工医保地方补充门诊统筹补助标准提高5%（在职职工由70%提高到75%、退休人员由80%提高到85%）',
    '经签约社区医生转诊住院治疗的，首次住院起付线标准下调20%；逐级转诊到本市上级医院继续住院的，住院起付线累积计算',
  ],
  notes: [
    '签约对象患急性疾病确需直接到上级医院住院治疗的，须在24小时内按规定程序到签约社区卫生机构补办相关手续，否则不能享受相关转诊优惠政策',
    '接受签约服务的家庭成员以户口簿为准，每位成员选择一个服务包',
  ],
};
