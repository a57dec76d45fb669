/**
 * 威海市 — 威卫发〔2023〕4号《威海市推进家庭医生签约服务高质量发展实施方案》.
 * Seed: ../shared/seeds/weihai-2023-high-quality.txt.
 */
import { BOOKING_DEFAULTS } from '../defaults';
import { clinicAppointmentItem, healthPushItem, openItem } from '../items';
import type { PopulationMatcher, RegionPolicy, ServicePackage } from '../types';

const SRC = 'weihai-2023';
const BASIC_CODE = 'WH-BASIC';

/** §六(一): groups whose basic-package personal fee comes from charity funds. */
export const WEIHAI_CHARITY_GROUPS: PopulationMatcher = {
  anyOf: [
    { anyConditions: ['severe_mental_disorder'] },
    { anyStatuses: ['poverty_alleviated', 'return_poverty_monitor', 'family_planning_special', 'dibao', 'tekun', 'dibao_edge'] },
  ],
};

const basic: ServicePackage = {
  code: BASIC_CODE,
  name: '基础服务包',
  category: 'basic',
  tier: 'basic',
  targetPopulation: '签约居民',
  eligibility: [],
  includes: [],
  items: [
    openItem('WH-BASIC/1', '基本医疗服务（按《山东省家庭医生签约服务工作指南（试行）》）', 'on_demand', { source: `${SRC} §四(一)` }),
    openItem('WH-BASIC/2', '公共卫生服务（按《山东省家庭医生签约服务工作指南（试行）》）', 'schedule', { source: `${SRC} §四(一)` }),
    openItem('WH-BASIC/3', '健康管理服务（按《山东省家庭医生签约服务工作指南（试行）》）', 'on_demand', { source: `${SRC} §四(一)` }),
    openItem('WH-BASIC/4', '中医保健与治未病指导', 'on_demand', { note: '逐步纳入', source: `${SRC} §四(一)` }),
    openItem('WH-BASIC/5', '家庭药箱指导', 'on_demand', { note: '逐步纳入', source: `${SRC} §四(一)` }),
    openItem('WH-BASIC/6', '体卫融合（运动干预指导）', 'on_demand', { note: '逐步纳入', source: `${SRC} §四(一)` }),
    openItem('WH-BASIC/7', '健康档案和积分查询', 'on_demand', { note: '逐步纳入', source: `${SRC} §四(一)` }),
    openItem('WH-BASIC/8', '为符合条件的签约慢性病患者优先提供长期处方服务，原则上可开具4-12周长期处方', 'on_demand', { source: `${SRC} §四(五)` }),
    openItem('WH-BASIC/9', '经家庭医生转诊优先就诊、检查、住院（县域医共体不低于20%的专家号源、预约设备检查交由家庭医生管理支配）', 'on_demand', {
      source: `${SRC} §四(三)`,
    }),
    healthPushItem(`yongkang 基本服务包 4; ${SRC} §五(二) 健康教育与咨询、健康提醒`),
    clinicAppointmentItem(`yongkang 基本服务包 5; ${SRC} §五(二) 预约就诊`),
  ],
  pricing: {
    kind: 'fixed',
    // §六(一): 签约居民基础服务包每人每年付费 10 元.
    priceFen: 1000,
    shares: [{ payer: 'resident', amountFen: 1000 }],
    uninsured: { to: 'resident' },
    residentCover: [
      {
        when: WEIHAI_CHARITY_GROUPS,
        // 其中市级承担 20%，从市慈善总会卫生分会救助费中解决.
        payers: [
          { payer: 'charity_city', weight: 20 },
          { payer: 'charity_other', weight: 80 },
        ],
        label: '个人缴费部分从慈善募集善款等社会资金中解决，其中市级承担20%',
        source: `${SRC} §六(一)`,
      },
    ],
    supplements: [
      {
        when: { minAge: 60, localHukou: true },
        amountFen: 4000,
        payers: [
          { payer: 'finance_city', weight: 2 },
          { payer: 'finance_county', weight: 8 },
        ],
        label: '60周岁及以上本地户籍老年人基础包额外补贴40元/人/年，市、县两级财政按2:8比例分担',
        source: `${SRC} §六(一)`,
      },
    ],
    oneSharedPerMember: false,
    freeSigningAllowed: false,
  },
  fixedCycleEnd: null,
  conditionalNotes: [
    { when: { anyConditions: ['disability'] }, text: '残疾人签约服务内容和签约服务费按照咸卫函〔2020〕113号文件落实，请以签约机构核定为准' },
  ],
  notes: [
    '签约居民基础服务包每人每年付费10元',
    '基本公共卫生服务经费部分根据签约人群情况精细化测算，从基本公共卫生服务经费中列支（不计入本报价）',
    '基本医疗部分按照威海市医疗服务项目价格政策执行，属于医保基金支付范围的按政策规定报销',
  ],
  source: `${SRC} §四(一); §六(一)`,
};

function personalized(code: string, name: string, tier: 'primary' | 'intermediate' | 'advanced', targetPopulation: string): ServicePackage {
  return {
    code,
    name,
    category: 'personalized',
    tier,
    targetPopulation,
    eligibility: [],
    includes: [BASIC_CODE],
    // §四: 初级、中级、高级等个性化服务包以县区为单位分别制定（详见附件）— the annex is not in the seed.
    items: [],
    pricing: {
      kind: 'institution_set',
      minFen: null,
      maxFen: null,
      split: { kind: 'resident_with_subsidy', subsidyPayer: 'finance_county' },
      note: '收费及补助标准由县区级根据实际情况确定',
    },
    fixedCycleEnd: null,
    conditionalNotes: [],
    notes: ['个性化服务包内容、收费及补助标准由县区级制定，收费标准要与签约对象做好沟通和公开'],
    source: `${SRC} §四; §六(一)`,
  };
}

export const weihai2023: RegionPolicy = {
  regionId: 'weihai-2023',
  name: '威海市家庭医生签约服务（2023年高质量发展实施方案）',
  version: '2023.1',
  effectiveFrom: '2023-05-25',
  documentRef: '威卫发〔2023〕4号',
  seedFile: 'weihai-2023-high-quality.txt',
  packages: [
    basic,
    // §二: 一级团队为健康居民、病情稳定的患者提供初级综合服务；二级、三级团队提供中、高级服务.
    personalized('WH-PRIMARY', '初级个性化服务包', 'primary', '网格内健康居民、病情稳定的患者'),
    personalized('WH-INTERMEDIATE', '中级个性化服务包', 'intermediate', '疾病复杂的患者、个性化需求较高的签约居民'),
    personalized('WH-ADVANCED', '高级个性化服务包', 'advanced', '疾病复杂的患者、个性化需求较高的签约居民'),
  ],
  basicPackageCode: BASIC_CODE,
  maxPersonalizedPerMember: null,
  defaultSigningKind: null,
  // §五(一): 首次签约服务期原则为1年，续约可延长至2-3年.
  cycle: { kind: 'from_signing', firstTermYears: 1, renewalTermYears: [1, 2, 3], paidStartsOnPayment: false },
  renewal: {
    free: 'expire',
    paid: 'expire',
    window: null,
    text: '首次签约服务期原则为1年，续约可延长至2-3年',
    source: `${SRC} §五(一)`,
  },
  termination: {
    early: 'allowed',
    allowedReasons: ['moved_out', 'unreachable_one_year', 'refused_one_year', 'voluntary', 'death', 'other'],
    requiresVerification: false,
    refund: 'not_specified',
    text: '服务协议应明确签约双方的责权利；文件未规定提前解约的退费办法',
    source: `${SRC} §五(一)`,
  },
  teamCapacity: null,
  coverageTargets: [
    { year: 2035, population: 'overall', minPercent: 75, text: '到2035年，签约服务覆盖率达到75%以上，基本实现以家庭为单位全覆盖', source: `${SRC} §一` },
    { year: 2035, population: 'key', minPercent: 85, text: '重点人群签约服务覆盖率达到85%以上', source: `${SRC} §一` },
    { year: 2035, population: 'satisfaction', minPercent: 85, text: '满意度达到85%以上', source: `${SRC} §一` },
  ],
  specialistSlotShareMinPercent: 20,
  booking: BOOKING_DEFAULTS,
  benefits: [
    '县域医共体（医联体）将不低于20%的专家号源、预约设备检查等医疗资源交由家庭医生管理支配，经家庭医生转诊的患者优先就诊、检查、住院',
    '符合条件的签约慢性病患者优先提供长期处方服务，原则上可开具4-12周长期处方',
    '在县域医共体内按规定办理双向转诊手续并连续性住院的参保患者只计算首次起付线',
  ],
  notes: [
    '2023年起，全人群和重点人群总体签约率每年提升1-3个百分点',
    '签约由以居民个人为单位逐步过渡到以家庭为单位签定协议；可以功能社区为单位集体签订服务协议',
    '重点疾病以外的其他专病签约，双方可以单独签定补充协议，以疗程为服务期',
    '原则上将不低于70%的签约服务费用于家庭医生团队',
  ],
};
