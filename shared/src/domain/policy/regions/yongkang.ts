/**
 * 永康市 — 《永康市家庭医生签约服务内容项目清单》 and the 市卫计局 Q&A printed with it.
 * Seed: ../shared/seeds/yongkang-package-list.txt.
 *
 * The seed is a text extraction of a table whose empty 服务频次 cells were dropped: 63 items, 37
 * frequencies. The alignment used here is documented in docs/decisions.md ("Policy engine"); an
 * item whose cell we read as empty has frequencyText null.
 */
import { BOOKING_DEFAULTS, CHILD_0_6, ELDERLY_65, PREGNANT } from '../defaults';
import { clinicAppointmentItem, countItem, healthPushItem, openItem } from '../items';
import type { PopulationMatcher, RegionPolicy, ServicePackage } from '../types';

const SRC = 'yongkang 服务包清单';
const BASIC_CODE = 'YK-BASIC';

/**
 * 困难人群: the seed names "五保、低保对象、残疾人等困难群体" for the fee rule and has a 困难人群服务包
 * without a definition. 特困人员 is the statutory successor of 五保/三无 (社会救助暂行办法), so those are
 * read as the same group.
 */
export const YONGKANG_HARDSHIP: PopulationMatcher = { anyStatuses: ['wubao', 'sanwu', 'tekun', 'dibao'] };

const ON_DEMAND = '按需服务';
const src = (pkg: string, n: number) => `${SRC} ${pkg} 第${n}项`;

const basic: ServicePackage = {
  code: BASIC_CODE,
  name: '基本服务包',
  category: 'basic',
  tier: 'basic',
  targetPopulation: '所有签约人群',
  eligibility: [],
  includes: [],
  items: [
    openItem('YK-BASIC/1', '建立电子健康档案', 'ongoing', { description: '建立完善电子健康档案，并及时更新服务内容', source: src('基本服务包', 1) }),
    openItem('YK-BASIC/2', '个体化健康指导咨询', 'on_demand', {
      frequencyText: ON_DEMAND,
      description: '通过门诊、电话、微信、APP等接受健康咨询服务并提供健康指导',
      source: src('基本服务包', 2),
    }),
    openItem('YK-BASIC/3', '健康教育服务', 'unspecified', {
      description: '通过公众健康咨询活动及健康知识讲座等方式主动开展健康教育活动，提供健康教育折页、处方、手册等',
      source: src('基本服务包', 3),
    }),
    healthPushItem(src('基本服务包', 4)),
    clinicAppointmentItem(src('基本服务包', 5)),
    openItem('YK-BASIC/6', '分级诊疗服务', 'on_demand', {
      frequencyText: ON_DEMAND,
      description: '根据签约居民的病情需要提供或者协调医疗资源，包括为签约居民联系专家门诊、会诊、大型医疗设备检查、住院服务等',
      source: src('基本服务包', 6),
    }),
  ],
  pricing: {
    kind: 'fixed',
    priceFen: 12000,
    // Q06: 医保基金45元，财政补助资金45元（从基本公共卫生服务经费中列支并通过政府购买服务方式支付），签约居民自负30元.
    shares: [
      { payer: 'insurance_fund', amountFen: 4500 },
      { payer: 'public_health', amountFen: 4500 },
      { payer: 'resident', amountFen: 3000 },
    ],
    // Q05: 收费签约以参保人员…刷社会保障卡登记成功的日期开始计算; Q04: 参保居民均可自愿参与签约服务.
    uninsured: { to: 'ineligible', reason: '收费签约仅限参加永康市城乡居民或城镇职工基本医疗保险的居民，未参保居民可选择不收费签约' },
    residentCover: [
      {
        when: { anyOf: [YONGKANG_HARDSHIP, { anyConditions: ['disability'] }] },
        payers: [{ payer: 'civil_affairs', weight: 1 }],
        label: '五保、低保对象、残疾人等困难群体个人承担部分由民政、残联部门支付',
        source: `${SRC} 问答06`,
      },
    ],
    supplements: [],
    oneSharedPerMember: false,
    freeSigningAllowed: true,
  },
  fixedCycleEnd: null,
  conditionalNotes: [],
  notes: [
    '收费签约：签约服务费120元/年，其中医保基金45元，财政补助资金45元（从基本公共卫生服务经费中列支），签约居民自负30元',
    '五保、低保对象、残疾人等困难群体个人承担部分由民政、残联部门支付',
    '不收费签约：不收取签约服务费，享受基本服务包和其它基础服务包中部分项目服务',
  ],
  source: `${SRC} 基本服务包; 问答03、06`,
};

function population(
  code: string,
  name: string,
  targetPopulation: string,
  eligibility: ServicePackage['eligibility'],
  items: ServicePackage['items'],
): ServicePackage {
  return {
    code,
    name,
    category: 'population',
    tier: 'basic',
    targetPopulation,
    eligibility,
    includes: [BASIC_CODE],
    items,
    pricing: { kind: 'included', inPackage: BASIC_CODE, note: '含在120元/年签约服务费标准内，不另收费' },
    fixedCycleEnd: null,
    conditionalNotes: [],
    // 说明1: 11个服务包均为基础服务包，指120元经费标准下的签约对象所应获得的服务内容.
    notes: ['本服务包为基础服务包，含在120元/年签约服务费标准内', '各签约医疗单位可以增加内容，但不得减少相应的最低服务频次和要求'],
    source: `${SRC} ${name}; 说明1、2`,
  };
}

const child = population('YK-CHILD', '儿童服务包', '签约0-6岁儿童', [{ when: CHILD_0_6, reason: '该服务包仅适用于0-6岁儿童' }], [
  openItem('YK-CHILD/1', '建卡发证', 'unspecified', { description: '建立健全专项（电子）健康档案，建立《母子健康手册》，发放儿童保健册、预防接种证等', source: src('儿童服务包', 1) }),
  countItem('YK-CHILD/2', '新生儿家庭访视', 1, 'year', {
    bound: 'atLeast',
    frequencyText: '1次/年或相应增加',
    description: '新生儿出院后1周内，医务人员到新生儿家中进行，同时进行产后访视；高危儿根据高危因素增加1-2次访视服务',
    source: src('儿童服务包', 2),
  }),
  countItem('YK-CHILD/3', '新生儿满月健康管理', 1, 'year', {
    frequencyText: '1次/年',
    description: '对满月新生儿进行体重、身长、头围测量、体格检查，对家长进行喂养、发育、防病指导',
    source: src('儿童服务包', 3),
  }),
  openItem('YK-CHILD/4', '婴幼儿健康管理', 'schedule', {
    frequencyText: '按年龄段提供相应的服务',
    description:
      '在3、6、8、12、18、24、30、36月龄时，对婴幼儿进行体格检查、生长发育和心理行为发育评估，进行科学喂养（合理膳食）、生长发育、疾病预防、预防伤害、口腔保健等健康指导。在婴幼儿6～8、18、30月龄时分别进行1次血常规（或血红蛋白）检测；在6、12、24、36月龄时使用行为测听法分别进行1次听力筛查',
    source: src('儿童服务包', 4),
  }),
  countItem('YK-CHILD/5', '学龄前儿童健康管理', 1, 'year', {
    frequencyText: '每年一次',
    description: '为4-6岁儿童每年提供一次体格检查和心理行为发育评估，血常规（或血红蛋白）检查和视力筛查，进行合理膳食、生长发育、疾病预防、预防伤害、口腔保健等健康指导',
    source: src('儿童服务包', 5),
  }),
  openItem('YK-CHILD/6', '健康问题处理', 'on_demand', {
    frequencyText: ON_DEMAND,
    description: '对健康管理中发现的营养不良、贫血、单纯性肥胖等儿童建立专项档案，给出指导或转诊的建议；签约高危儿童免费门诊随访直至正常',
    source: src('儿童服务包', 6),
  }),
  openItem('YK-CHILD/7', '预防接种', 'schedule', {
    frequencyText: '视预防接种程序而定',
    description: '根据国家预防接种工作规范，对符合条件的适龄儿童进行规范接种',
    source: src('儿童服务包', 7),
  }),
  openItem('YK-CHILD/8', '中医药健康管理服务', 'schedule', {
    frequencyText: '按年龄段提供相应的服务',
    description: '在儿童6、12、18、24、30、36月龄时，对家长提供中医药健康指导',
    source: src('儿童服务包', 8),
  }),
]);

const maternal = population('YK-MATERNAL', '孕产妇服务包', '签约孕产妇', [{ when: PREGNANT, reason: '该服务包仅适用于孕产妇' }], [
  openItem('YK-MATERNAL/1', '早孕建卡管理', 'unspecified', { description: '建立健全专项（电子）健康档案，孕13周前为孕妇建立《母子健康手册》', source: src('孕产妇服务包', 1) }),
  openItem('YK-MATERNAL/2', '产前健康管理', 'schedule', {
    frequencyText: '按孕周提供相应的服务',
    description:
      '分别在孕早期1次、孕中期2次、孕晚期2次（有助产技术服务资质的机构提供）提供健康管理服务，包括测体重、测血压、四步触诊、测宫高、腹围、多普勒胎心监测，健康状况评估；高危孕妇应根据就诊医疗卫生机构的建议督促其酌情增加随访次数',
    source: src('孕产妇服务包', 2),
  }),
  countItem('YK-MATERNAL/3', '产后健康管理', 2, 'year', {
    bound: 'atLeast',
    frequencyText: '2次/年或相应增加',
    description: '产妇出院后1周内到产妇家中进行产后访视；产后42天产妇到医疗机构进行检查。高危孕产妇根据高危因素再增加1-2次访视',
    source: src('孕产妇服务包', 3),
  }),
  countItem('YK-MATERNAL/4', '孕早期健康体检', 1, 'year', {
    frequencyText: '1次/年',
    description: '孕早期开展1次一般体检、妇科检查和血常规、尿常规、血型、肝功能、肾功能、乙型肝炎（表面抗原）检查',
    source: src('孕产妇服务包', 4),
  }),
]);

const PHYSICAL_EXAM = '包括体温、脉搏、呼吸、血压、身高、体重、腰围、皮肤、浅表淋巴结、肺部、心脏、腹部等常规体格检查，并对口腔、视力、听力和运动功能等进行粗测判断';
const yearly = (code: string, name: string, description: string, source: string) =>
  countItem(code, name, 1, 'year', { frequencyText: '1次/年', description, source });

const elderly = population('YK-ELDERLY', '老年人服务包', '签约65岁及以上老人', [{ when: ELDERLY_65, reason: '该服务包仅适用于65岁及以上老年人' }], [
  yearly('YK-ELDERLY/1', '健康评估', '生活方式和健康状况评估', src('老年人服务包', 1)),
  yearly('YK-ELDERLY/2', '生活自理能力评估', '按《老年人生活自理能力评估》标准进行评估', src('老年人服务包', 2)),
  yearly('YK-ELDERLY/3', '体格检查', PHYSICAL_EXAM, src('老年人服务包', 3)),
  yearly(
    'YK-ELDERLY/4',
    '辅助检查',
    '包括血常规、尿常规、肝功能（血清谷草转氨酶、血清谷丙转氨酶和总胆红素）、肾功能（血清肌酐和血尿素）、空腹血糖、血脂（总胆固醇、甘油三酯、低密度脂蛋白胆固醇、高密度脂蛋白胆固醇）、心电图和腹部B超（肝胆胰脾）检查',
    src('老年人服务包', 4),
  ),
  yearly('YK-ELDERLY/5', '中医药健康管理服务', '中医体质辨识和中医药保健指导', src('老年人服务包', 5)),
]);

function chronic(code: string, name: string, disease: string, followUp: string, exam: string, when: PopulationMatcher, target: string, reason: string) {
  return population(code, name, target, [{ when, reason }], [
    openItem(`${code}/1`, '建立（电子）健康档案', 'ongoing', { description: `建立${disease}患者专项（电子）健康档案`, source: src(name, 1) }),
    countItem(`${code}/2`, '分级随访管理', 4, 'year', { bound: 'atLeast', frequencyText: '不少于4次/年', description: followUp, source: src(name, 2) }),
    openItem(`${code}/3`, '随访评估和分类干预', 'on_demand', {
      frequencyText: ON_DEMAND,
      description: '与患者一起制定生活方式改进目标，进行有针对性的健康教育，调整药物，按需转诊',
      source: src(name, 3),
    }),
    yearly(`${code}/4`, '体格检查', exam, src(name, 4)),
    openItem(`${code}/5`, '慢性病连续处方服务', 'on_demand', {
      frequencyText: ON_DEMAND,
      description: '为符合条件的签约患者提供最长12周的慢性病连续处方服务，并跟踪随访管理',
      source: src(name, 5),
    }),
  ]);
}

const hypertension = chronic(
  'YK-HYPERTENSION',
  '高血压患者服务包',
  '高血压',
  '根据血压分级管理要求，每年提供不少于4次面对面随访，不少于4次免费血压测量',
  PHYSICAL_EXAM,
  { anyConditions: ['hypertension'] },
  '签约高血压患者',
  '该服务包仅适用于高血压患者',
);
const diabetes = chronic(
  'YK-DIABETES',
  '糖尿病患者服务包',
  '糖尿病',
  '根据血糖分级管理要求，每年提供不少于4次面对面随访，不少于4次免费血糖检测',
  '包括体温、脉搏、呼吸、血压、身高、体重、腰围、皮肤、浅表淋巴结、肺部、心脏、腹部等常规体格检查，并对口腔、视力、听力、运动功能粗测判断和足背动脉搏动检查',
  { anyConditions: ['diabetes_t2'] },
  '签约2型糖尿病患者',
  '该服务包仅适用于2型糖尿病患者',
);

const smi = population(
  'YK-SMI',
  '严重精神障碍患者服务包',
  '诊断明确，在家居住的签约严重精神障碍患者',
  [{ when: { anyConditions: ['severe_mental_disorder'] }, reason: '该服务包仅适用于诊断明确、在家居住的严重精神障碍患者' }],
  [
    openItem('YK-SMI/1', '建立（电子）健康档案', 'ongoing', { description: '建立严重精神障碍患者专项（电子）健康档案', source: src('严重精神障碍患者服务包', 1) }),
    countItem('YK-SMI/2', '随访评估', 4, 'year', {
      bound: 'atLeast',
      frequencyText: '不少于4次/年',
      description: '每年不少于4次随访，不少于1次面对面随访，每次随访对患者进行危险性评估',
      source: src('严重精神障碍患者服务包', 2),
    }),
    openItem('YK-SMI/3', '分类干预', 'on_demand', {
      frequencyText: ON_DEMAND,
      description: '按病情需求进行分类干预服务，对患者及家属进行有针对性的健康教育和生活技能方面的康复指导，对家属提供心理支持和帮助',
      source: src('严重精神障碍患者服务包', 3),
    }),
    yearly(
      'YK-SMI/4',
      '健康体检',
      '在患者病情许可的情况下，征得监护人与(或)患者本人同意后，每年进行1次健康检查（包括一般体格检查、血压、体重、血常规、转氨酶、血糖和心电图），可与随访相结合',
      src('严重精神障碍患者服务包', 4),
    ),
  ],
);
smi.notes.push('适用于诊断明确、在家居住的严重精神障碍患者，由家庭医生团队确认');

const tb = population('YK-TB', '肺结核患者服务包', '签约结核病患者', [{ when: { anyConditions: ['tuberculosis'] }, reason: '该服务包仅适用于肺结核患者' }], [
  openItem('YK-TB/1', '建立（电子）健康档案', 'ongoing', { description: '建立肺结核患者管理专项（电子）健康档案', source: src('肺结核患者服务包', 1) }),
  // The frequency cell is empty; "第一次" and "结案" each happen once per course of treatment.
  countItem('YK-TB/2', '第一次入户随访', 1, 'stage', {
    description: '接到上级肺结核患者管理通知单后，72小时内访视，确定督导人员，对居住环境进行评估，对患者及家属进行结核病防治知识宣传教育和防护指导',
    source: src('肺结核患者服务包', 2),
  }),
  openItem('YK-TB/3', '督导服药和随访管理', 'unspecified', { description: '按规范要求提供督导服药和随访服务，进行分类干预', source: src('肺结核患者服务包', 3) }),
  countItem('YK-TB/4', '结案评估', 1, 'stage', { description: '当患者停止抗结核治疗后，要对其进行结案评估', source: src('肺结核患者服务包', 4) }),
  openItem('YK-TB/5', '免费药品', 'unspecified', { description: '肺结核患者免费治疗期间的常规一线抗结核药物（由结核病定点医疗机构提供）', source: src('肺结核患者服务包', 5) }),
  openItem('YK-TB/6', '密切接触者筛查', 'unspecified', { description: '访视时向结核病患者密切接触者提供筛查服务', source: src('肺结核患者服务包', 6) }),
  openItem('YK-TB/7', '双向转诊', 'on_demand', {
    frequencyText: ON_DEMAND,
    description: '详见基本服务包内容；根据签约对象情况与定点医疗机构进行双向转诊',
    source: src('肺结核患者服务包', 7),
  }),
]);

const fps = population(
  'YK-FPS',
  '计划生育特殊家庭服务包',
  '签约计划生育特殊家庭对象',
  [{ when: { anyStatuses: ['family_planning_special'] }, reason: '该服务包仅适用于计划生育特殊家庭对象' }],
  [
    openItem('YK-FPS/1', '建立（电子）健康档案', 'ongoing', { description: '建立计划生育特殊家庭专项（电子）健康档案', source: src('计划生育特殊家庭服务包', 1) }),
    openItem('YK-FPS/2', '健康管理服务', 'schedule', {
      frequencyText: '按相应规范服务',
      description: '计划生育特殊家庭对象按情况对65岁以上老年人、高血压、糖尿病等慢性病人分别进行健康管理',
      source: src('计划生育特殊家庭服务包', 2),
    }),
    openItem('YK-FPS/3', '心理援助', 'on_demand', {
      frequencyText: ON_DEMAND,
      description: '特殊家庭心理援助成员联合街道、社区两级计生协会人员对计划生育特殊家庭成员实施分类援助',
      source: src('计划生育特殊家庭服务包', 3),
    }),
    openItem('YK-FPS/4', '相关事务信息咨询服务', 'on_demand', {
      frequencyText: ON_DEMAND,
      description: '为符合生育条件的育龄妇女提供免费婚检、免费孕前优生检查、免费孕检、一对一专家优生咨询等咨询服务，以及其他的相关政策咨询服务',
      source: src('计划生育特殊家庭服务包', 4),
    }),
  ],
);

const hardship = population(
  'YK-HARDSHIP',
  '困难人群服务包',
  '签约困难人群对象',
  [{ when: YONGKANG_HARDSHIP, reason: '该服务包仅适用于困难人群（五保、低保、特困等）对象' }],
  [
    openItem('YK-HARDSHIP/1', '建立（电子）健康档案', 'ongoing', { description: '建立困难人群专项（电子）健康档案', source: src('困难人群服务包', 1) }),
    openItem('YK-HARDSHIP/2', '健康管理服务', 'schedule', {
      frequencyText: '按相应规范服务',
      description: '困难人群按情况对65岁以上老年人、高血压、糖尿病等慢性病人分别进行健康管理',
      source: src('困难人群服务包', 2),
    }),
    openItem('YK-HARDSHIP/3', '医疗救助服务', 'unspecified', { description: '按当地医疗救助政策为符合条件的签约对象减免相关费用', source: src('困难人群服务包', 3) }),
  ],
);

const disabled = population('YK-DISABLED', '残疾人服务包', '签约残疾人', [{ when: { anyConditions: ['disability'] }, reason: '该服务包仅适用于残疾人' }], [
  openItem('YK-DISABLED/1', '建立健全（电子）健康档案', 'ongoing', { description: '建立残疾人专项（电子）健康档案', source: src('残疾人服务包', 1) }),
  openItem('YK-DISABLED/2', '健康管理服务', 'schedule', {
    frequencyText: '按相应规范服务',
    description: '残疾人按情况对65岁以上老年人、高血压、糖尿病等慢性病人分别进行健康管理',
    source: src('残疾人服务包', 2),
  }),
  openItem('YK-DISABLED/3', '基本康复服务', 'on_demand', {
    frequencyText: ON_DEMAND,
    description: '为符合条件的不同类型残疾人签约对象开展基本康复服务，包括提供康复指导、心理疏导、无障碍环境适应、健康教育和咨询服务等',
    source: src('残疾人服务包', 3),
  }),
]);

export const yongkang: RegionPolicy = {
  regionId: 'yongkang',
  name: '永康市家庭医生签约服务',
  version: '2016.1',
  // The list carries no date; Q11 says the programme started in 2016 (docs/decisions.md).
  effectiveFrom: '2016-01-01',
  documentRef: '永康市家庭医生签约服务内容项目清单（市卫计局答记者问）',
  seedFile: 'yongkang-package-list.txt',
  packages: [basic, child, maternal, elderly, hypertension, diabetes, smi, tb, fps, hardship, disabled],
  basicPackageCode: BASIC_CODE,
  maxPersonalizedPerMember: null,
  defaultSigningKind: 'paid',
  cycle: { kind: 'from_signing', firstTermYears: 1, renewalTermYears: [1], paidStartsOnPayment: true },
  renewal: {
    free: 'auto_renew',
    paid: 'fall_back_to_free',
    window: { kind: 'months_before_end', months: 1 },
    text: '不收费签约一年为一期，不解约即自动展期一年；收费签约一年一签，续签可在该周期期满前1个月内交费并刷社会保障卡登记办理；不再续签或停止参加基本医疗保险的，收费签约自动转为不收费签约，只享受基本型服务',
    source: `${SRC} 问答05`,
  },
  termination: {
    early: 'allowed',
    allowedReasons: ['moved_out', 'unreachable_one_year', 'refused_one_year', 'voluntary', 'death', 'other'],
    requiresVerification: false,
    refund: 'not_specified',
    text: '不收费签约不解约即自动展期；签约期间，特殊情况下可变更签约家庭医生',
    source: `${SRC} 问答05`,
  },
  teamCapacity: null,
  // Q12: 今年市卫计局未对签约服务人群覆盖率等提出具体任务目标.
  coverageTargets: [],
  specialistSlotShareMinPercent: null,
  booking: BOOKING_DEFAULTS,
  benefits: [
    '收费签约居民在有效期内到签约的基层医疗机构就诊，年度医保报销限额内门诊一般诊疗费免收',
    '城乡居民基本医疗保险对象普通门诊报销比例提高10%（不含中医药）',
    '经基层医疗机构转诊到市级医院住院的，住院报销比例提高3%',
  ],
  notes: [
    '全市家庭医生签约团队210个，开展签约服务的医生（乡村医生）310人，总签约人数226040，签约率37.55%；十大类重点人群签约人数159770，签约率70.82%',
    '基层医疗机构可自行制定个性化签约服务包，费用由双方约定',
  ],
};
