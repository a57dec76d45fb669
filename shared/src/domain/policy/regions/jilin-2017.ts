/**
 * 吉林省 — 吉卫联发〔2017〕65号《吉林省家庭医生签约服务内容与签约服务费等有关意见（试行）》.
 * Seed: ../shared/seeds/jilin-2017-content-and-fees.txt.
 *
 * The province fixes the basic package and the principles for personalized packages; each
 * institution designs its personalized packages (content, tier, list price) and the 统筹区 sets
 * the insurance amount. Those packages are catalogued as templates that need institution values.
 */
import { BOOKING_DEFAULTS } from '../defaults';
import { clinicAppointmentItem, countItem, healthPushItem, openItem } from '../items';
import type { EligibilityRule, RegionPolicy, ServicePackage } from '../types';

const SRC = 'jilin-2017';
const BASIC_CODE = 'JL-BASIC';

const basic: ServicePackage = {
  code: BASIC_CODE,
  name: '基础性服务包',
  category: 'basic',
  tier: 'basic',
  targetPopulation: '签约居民',
  eligibility: [],
  includes: [],
  items: [
    openItem('JL-BASIC/1-1', '常见病和多发病的中西医诊疗和护理（按《吉林省基层医疗机构诊疗病种参考目录》执行）', 'on_demand', { source: `${SRC} §二(一)1(1)` }),
    openItem('JL-BASIC/1-2', '突发急、危、重病转院前必要的现场应急救护', 'on_demand', { source: `${SRC} §二(一)1(2)` }),
    openItem(
      'JL-BASIC/1-3',
      '需向上级医院转诊的，出具转诊证明并提供就医路径指导和转诊预约；提供上级医院专家号、预约挂号、预留床位、预约大型仪器检查等资源',
      'on_demand',
      { source: `${SRC} §二(一)1(3)` },
    ),
    openItem('JL-BASIC/1-4', '下转回基层的慢性期、恢复期患者，按照上级医院出具的诊断和药物治疗方案实施治疗和系统管理', 'on_demand', { source: `${SRC} §二(一)1(4)` }),
    openItem('JL-BASIC/1-5', '医联体内上级医院专家来基层开展诊疗、远程会诊等活动，优先通知签约居民并安排就诊', 'on_demand', { source: `${SRC} §二(一)1(5)` }),
    openItem('JL-BASIC/2-1', '按照《国家基本公共卫生服务规范（第三版）》，根据服务对象属性提供相应基本公共卫生服务', 'schedule', { source: `${SRC} §二(一)2(1)` }),
    openItem(
      'JL-BASIC/2-2',
      '属于重大公共卫生服务项目对象范畴的，优先提供免费的重大公共卫生服务（如妇女“两癌”免费筛查、孕前优生健康免费检查、贫困地区儿童营养改善、新生儿疾病免费筛查等）',
      'on_demand',
      { source: `${SRC} §二(一)2(2)` },
    ),
    countItem('JL-BASIC/3-1', '居民签约时开展一次体格检查（一般状况检查、生活方式、查体、健康状况及其疾病用药情况等），对健康状况做出评估', 1, 'year', {
      frequencyText: '居民签约时开展一次',
      source: `${SRC} §二(一)3(1)`,
    }),
    openItem('JL-BASIC/3-2', '开展健康咨询与健康指导，解答健康咨询，讲解疾病知识、健康知识、合理用药知识、自我保健技能，在饮食、运动、心理等方面提供健康指导', 'on_demand', {
      source: `${SRC} §二(一)3(2)`,
    }),
    healthPushItem(`yongkang 基本服务包 4; ${SRC} §二(一)3(2) 健康知识, §五(五) 服务互动平台`),
    clinicAppointmentItem(`yongkang 基本服务包 5; ${SRC} §五(三) 预约服务, §五(五) 线上预约`),
  ],
  pricing: {
    kind: 'minimum',
    // §三(一): 每人每年不低于50元，其中基本公共卫生补助经费支付不低于30元；基本医保基金 按人均20元标准.
    minFen: 5000,
    fixedShares: [{ payer: 'insurance_fund', amountFen: 2000 }],
    remainderPayer: 'public_health',
    remainderMinFen: 3000,
    // The fund pays "以签约居民为基数…从城镇职工和城乡居民基本医疗保险统筹基金中支付": nothing for an
    // uninsured signer. 个人部分可暂不承担, so the resident is not charged; the institution bears it.
    uninsured: { to: 'institution' },
  },
  fixedCycleEnd: null,
  conditionalNotes: [
    { when: { insuredLocally: false }, text: '未参加本统筹区基本医疗保险，医保基金不支付20元，该部分由基层医疗卫生机构承担，个人不付费' },
  ],
  notes: [
    '签约服务费每人每年不低于50元，其中基本公共卫生补助经费支付不低于30元，基本医保基金支付20元，个人部分暂不承担',
    '不收取签约居民个人一般诊疗费；药品与相关辅助检查等按政策规定收取医保报销后的个人自付部分',
    '参保人员签约基础服务包后，不再享有普通门诊待遇',
  ],
  source: `${SRC} §二(一); §三(一)`,
};

const PERSONAL_NOTES = [
  '个性化服务包由基层医疗卫生机构设定，可设初级、中级、高级等层次，具体服务内容和标准由各统筹区制定',
  '居民个人付费标准原则上核定在“约定的”服务内容按现行市级公立医院收费标准计算价格的40%—50%之间',
  '医保基金支付限额不超过40元，具体由各统筹区确定',
  '签约个性化服务包后，不再享有慢性病门诊待遇',
  '除个性化服务包费用外，不得再收取基础性和个性化服务包所涵盖的服务项目的费用',
];

function personalized(code: string, name: string, targetPopulation: string, eligibility: EligibilityRule[], extraNotes: string[] = []): ServicePackage {
  return {
    code,
    name,
    category: 'personalized',
    tier: null,
    targetPopulation,
    eligibility,
    includes: [BASIC_CODE],
    // §二(二): 具体服务内容和标准由各统筹区制定 — content is the institution's.
    items: [],
    pricing: {
      kind: 'institution_set',
      minFen: null,
      maxFen: null,
      split: {
        kind: 'resident_share',
        minBp: 4000,
        maxBp: 5000,
        insuranceMaxFen: 4000,
        remainderPayer: 'institution',
        // §二(二): 按属地原则，在参保居民选择基础包的基础上，可…自愿选择个性化服务包.
        uninsured: { to: 'ineligible', reason: '个性化服务包面向本统筹区基本医疗保险参保居民，未参保居民暂不能签约' },
      },
      note: '服务内容、层次和价格由基层医疗卫生机构设定，居民付费40%—50%，医保基金支付不超过40元',
    },
    fixedCycleEnd: null,
    conditionalNotes: [],
    notes: [...PERSONAL_NOTES, ...extraNotes],
    source: `${SRC} §二(二)1; §三(二)`,
  };
}

const ASSESS = '适用对象由家庭医生团队评估确认';

export const jilin2017: RegionPolicy = {
  regionId: 'jilin-2017',
  name: '吉林省家庭医生签约服务（2017年试行）',
  version: '2017.1',
  // 通知二: 8月1日起开始，新签约的居民按照新规定的基础性服务包与个性化服务包内容签约.
  effectiveFrom: '2017-08-01',
  documentRef: '吉卫联发〔2017〕65号',
  seedFile: 'jilin-2017-content-and-fees.txt',
  packages: [
    basic,
    personalized('JL-REHAB', '康复医疗服务包', '心脑血管意外康复期患者', [
      { when: { anyConditions: ['cerebrovascular_disease', 'coronary_heart_disease'] }, reason: '该服务包仅适用于心脑血管意外康复期患者' },
    ], [ASSESS]),
    personalized('JL-HOME-VISIT', '家庭出诊服务包', '行动不便患者', [], [ASSESS]),
    personalized('JL-HOME-BED', '家庭病床服务包', '行动不便患者', [], [ASSESS]),
    personalized('JL-HOME-NURSING', '家庭护理服务包', '特定患者', [], [ASSESS]),
    personalized('JL-CHRONIC', '慢性病医疗服务包', '慢性病患者（高血压、糖尿病、脑血管疾病和冠心病等）', [
      {
        when: { anyConditions: ['hypertension', 'diabetes_t2', 'cerebrovascular_disease', 'coronary_heart_disease'] },
        reason: '该服务包仅适用于高血压、糖尿病、脑血管疾病和冠心病等慢性病患者',
      },
    ], ['应具备承接基本医保门诊慢性病待遇功能']),
    personalized('JL-TCM', '中医药服务包', '有中医药需求的居民', []),
    personalized('JL-TCM-THERAPY', '中医理疗服务包', '有中医药需求的居民', []),
    personalized('JL-REMOTE-MONITORING', '远程健康监测服务包', '有健康管理需求的居民', []),
    personalized('JL-CHECKUP', '健康体检服务包', '有健康管理需求的居民', []),
    personalized('JL-LEFT-BEHIND-CARE', '健康关爱服务包', '农村留守儿童', [
      { when: { anyStatuses: ['left_behind_child'] }, reason: '该服务包仅适用于农村留守儿童' },
    ]),
  ],
  basicPackageCode: BASIC_CODE,
  maxPersonalizedPerMember: null,
  defaultSigningKind: null,
  // §三: 签约服务按年收取服务费 — one year from signing.
  cycle: { kind: 'from_signing', firstTermYears: 1, renewalTermYears: [1], paidStartsOnPayment: false },
  renewal: {
    free: 'expire',
    paid: 'expire',
    window: null,
    text: '约定期满后，在居民自愿的前提下，双方再重新签订合约文书',
    source: `${SRC} 通知二`,
  },
  termination: {
    early: 'allowed',
    allowedReasons: ['moved_out', 'unreachable_one_year', 'refused_one_year', 'voluntary', 'death', 'other'],
    requiresVerification: false,
    refund: 'not_specified',
    text: '签约遵循居民自愿原则，不得搞强迫命令；文件未规定提前解约的退费办法',
    source: `${SRC} §五(一)`,
  },
  teamCapacity: null,
  coverageTargets: [
    { year: 2017, population: 'overall', minPercent: 30, text: '签约服务人群覆盖率达到30%以上', source: `${SRC} §五(一)` },
    { year: 2017, population: 'key', minPercent: 60, text: '重点人群签约服务覆盖率达到60%以上', source: `${SRC} §五(一)` },
    { year: 2017, population: 'poor', minPercent: 100, text: '农村贫困人口和计划生育特殊家庭的家庭医生签约服务率达到100%', source: `${SRC} §五(一)` },
  ],
  specialistSlotShareMinPercent: null,
  booking: BOOKING_DEFAULTS,
  benefits: [
    '经家庭医生转诊的住院患者，向上转诊时可以连续计算起付线，向下转诊时不再另设基层住院起付线',
    '参保患者到基层医疗机构就医可执行高等级医院的药品报销目录',
    '探索一次性开具1-2个月用药量的长处方',
  ],
  notes: [
    '2017年1月-7月期间已签约的居民，补充签订基础性服务包合约文书（原签约日期不变），个性化服务包在原约定的服务期内继续有效',
    '签约居民享受的服务需通过刷社会保障卡、身份证或居民健康卡留下服务记录，作为付费依据',
  ],
};
