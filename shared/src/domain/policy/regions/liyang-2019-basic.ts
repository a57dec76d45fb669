/**
 * 溧阳市 (liyang-2019): the basic package 基本服务包 (基本公卫服务包 + 基本医疗服务包), item by item per
 * population group, from the annex 《溧阳市家庭医生签约服务包内容及收费标准》 一、基本服务包.
 * Seed: ../shared/seeds/liyang-2019-implementation.txt. The rest of the policy: ./liyang-2019.ts.
 */
import { CHILD_0_6, ELDERLY_65, PREGNANT } from '../defaults';
import { clinicAppointmentItem, countItem, healthPushItem, openItem } from '../items';
import type { Payer, PopulationMatcher, ServicePackage } from '../types';

const SRC = 'liyang-2019';
const A = `${SRC} 附件`;

/** §二(一) 重点人群: 65+, 孕产妇, 0-6岁儿童, 高血压, 糖尿病, 结核病, 严重精神障碍. */
export const LIYANG_KEY_POPULATION: PopulationMatcher = {
  anyOf: [
    ELDERLY_65,
    PREGNANT,
    CHILD_0_6,
    { anyConditions: ['hypertension', 'diabetes_t2', 'tuberculosis', 'severe_mental_disorder'] },
  ],
};

/** A fixed price that one payer pays in full (the resident pays nothing). */
export function paidWhollyBy(payer: Payer, priceFen: number): ServicePackage['pricing'] {
  return { kind: 'fixed', priceFen, shares: [{ payer, amountFen: priceFen }], uninsured: { to: 'resident' }, residentCover: [], supplements: [], oneSharedPerMember: false, freeSigningAllowed: false };
}

const group = (label: string, when: PopulationMatcher) => ({ label, when });
const G = {
  maternal: group('孕产妇', PREGNANT),
  child: group('0-6岁儿童', CHILD_0_6),
  elderly: group('65岁以上老年人', ELDERLY_65),
  hypertension: group('原发性高血压病患者', { anyConditions: ['hypertension'] }),
  over35: group('辖区内35岁及以上常住居民', { minAge: 35 }),
  diabetes: group('2型糖尿病患者', { anyConditions: ['diabetes_t2'] }),
  smi: group('严重精神障碍患者', { anyConditions: ['severe_mental_disorder'] }),
  tb: group('肺结核患者', { anyConditions: ['tuberculosis'] }),
  // Decision: 普通人群 rows apply to residents outside every key-population row (docs/decisions.md).
  general: group('普通人群', { not: LIYANG_KEY_POPULATION }),
};

export const BASIC_CODE = 'LY-BASIC';
const b = (s: string) => `${A} 一、基本服务包 ${s}`;

export const basic: ServicePackage = {
  code: BASIC_CODE,
  name: '基本服务包（基本公卫服务包+基本医疗服务包）',
  category: 'basic',
  tier: 'basic',
  targetPopulation: '辖区常住居民',
  eligibility: [],
  includes: [],
  items: [
    // (一) 基本公卫服务包 — 孕产妇
    openItem('LY-BASIC/maternal-1', '为其建立居民健康档案并定期维护更新', 'ongoing', { appliesTo: G.maternal, source: b('孕产妇 1') }),
    countItem('LY-BASIC/maternal-2', '孕13周前建立《母子健康手册》，并进行第1次产前检查', 1, 'stage', { appliesTo: G.maternal, source: b('孕产妇 2') }),
    countItem('LY-BASIC/maternal-3', '孕中期提供2次健康管理服务', 2, 'stage', { appliesTo: G.maternal, source: b('孕产妇 3') }),
    countItem('LY-BASIC/maternal-4', '孕晚期提供2次健康管理服务', 2, 'stage', { appliesTo: G.maternal, source: b('孕产妇 4') }),
    countItem('LY-BASIC/maternal-5', '产妇出院后1周内到产妇家中进行产后访视服务', 1, 'stage', { appliesTo: G.maternal, source: b('孕产妇 5') }),
    countItem('LY-BASIC/maternal-6', '产后42天为产妇提供1次健康检查服务', 1, 'stage', { appliesTo: G.maternal, source: b('孕产妇 6') }),
    openItem('LY-BASIC/maternal-7', '为其提供健康教育和指导', 'on_demand', { appliesTo: G.maternal, source: b('孕产妇 7') }),
    // 0-6岁儿童
    openItem('LY-BASIC/child-1', '为其建立居民健康档案并定期维护更新', 'ongoing', { appliesTo: G.child, source: b('0-6岁儿童 1') }),
    countItem('LY-BASIC/child-2', '为新生儿提供一次家庭访视服务', 1, 'stage', { appliesTo: G.child, source: b('0-6岁儿童 2') }),
    countItem('LY-BASIC/child-3', '为满月新生儿提供一次健康管理服务', 1, 'stage', { appliesTo: G.child, source: b('0-6岁儿童 3') }),
    countItem('LY-BASIC/child-4', '为婴幼儿提供8次健康管理服务，包括3次血常规（或血红蛋白）检测和4次听力筛查', 8, 'stage', { appliesTo: G.child, source: b('0-6岁儿童 4') }),
    openItem('LY-BASIC/child-5', '为学龄前儿童提供健康管理服务，包括血常规（或血红蛋白）检测和视力筛查等', 'schedule', { appliesTo: G.child, source: b('0-6岁儿童 5') }),
    openItem('LY-BASIC/child-6', '为适龄儿童按规定全程接种一类疫苗', 'schedule', { appliesTo: G.child, source: b('0-6岁儿童 6') }),
    countItem('LY-BASIC/child-7', '为0-36个月常住儿童提供6次中医药健康管理服务，对儿童家长进行儿童中医药健康指导', 6, 'stage', { appliesTo: G.child, source: b('0-6岁儿童 7') }),
    openItem('LY-BASIC/child-8', '进行科学喂养（合理膳食）、生长发育、疾病预防、伤害预防、口腔保健等健康指导', 'on_demand', { appliesTo: G.child, source: b('0-6岁儿童 8') }),
    // 65岁以上老年人 — item 2 names two services; split so each can be recorded.
    openItem('LY-BASIC/elderly-1', '为其建立居民健康档案并定期维护更新', 'ongoing', { appliesTo: G.elderly, source: b('65岁以上老年人 1') }),
    countItem('LY-BASIC/elderly-2a', '每年为65岁以上老年人提供1次健康体检服务', 1, 'year', { appliesTo: G.elderly, source: b('65岁以上老年人 2') }),
    countItem('LY-BASIC/elderly-2b', '每年为65岁以上老年人提供1次中医药健康管理服务', 1, 'year', { appliesTo: G.elderly, source: b('65岁以上老年人 2') }),
    openItem('LY-BASIC/elderly-3', '开展个性化健康教育,进行健康指导', 'on_demand', { appliesTo: G.elderly, source: b('65岁以上老年人 3') }),
    // 原发性高血压病患者
    openItem('LY-BASIC/hypertension-1', '为其建立居民健康档案并定期维护更新', 'ongoing', { appliesTo: G.hypertension, source: b('原发性高血压病患者 1') }),
    countItem('LY-BASIC/hypertension-2', '对辖区内35岁及以上常住居民,每年为其免费测量一次血压(非同日三次测量)', 1, 'year', { appliesTo: G.over35, source: b('原发性高血压病患者 2') }),
    countItem('LY-BASIC/hypertension-3', '每年提供至少4次面对面的随访', 4, 'year', { bound: 'atLeast', appliesTo: G.hypertension, source: b('原发性高血压病患者 3') }),
    openItem('LY-BASIC/hypertension-4', '提供分类干预指导,进行个性化健康教育', 'on_demand', { appliesTo: G.hypertension, source: b('原发性高血压病患者 4') }),
    countItem('LY-BASIC/hypertension-5', '每年进行1次较全面的健康检查', 1, 'year', { appliesTo: G.hypertension, source: b('原发性高血压病患者 5') }),
    // 2型糖尿病患者 — item 2 names two services.
    openItem('LY-BASIC/diabetes-1', '为其建立居民健康档案并定期维护更新', 'ongoing', { appliesTo: G.diabetes, source: b('2型糖尿病患者 1') }),
    countItem('LY-BASIC/diabetes-2a', '每年提供4次免费空腹血糖检测', 4, 'year', { appliesTo: G.diabetes, source: b('2型糖尿病患者 2') }),
    countItem('LY-BASIC/diabetes-2b', '至少进行4次面对面随访', 4, 'year', { bound: 'atLeast', appliesTo: G.diabetes, source: b('2型糖尿病患者 2') }),
    openItem('LY-BASIC/diabetes-3', '提供分类干预指导,开展针对性的健康教育', 'on_demand', { appliesTo: G.diabetes, source: b('2型糖尿病患者 3') }),
    countItem('LY-BASIC/diabetes-4', '每年进行1次较全面的健康体检', 1, 'year', { appliesTo: G.diabetes, source: b('2型糖尿病患者 4') }),
    // 严重精神障碍患者
    countItem('LY-BASIC/smi-1', '为患者进行一次全面评估,为其建立居民健康档案', 1, 'stage', { appliesTo: G.smi, source: b('严重精神障碍患者 1') }),
    countItem('LY-BASIC/smi-2', '协助对应管理的严重精神障碍患者每年至少随访4次', 4, 'year', { bound: 'atLeast', appliesTo: G.smi, source: b('严重精神障碍患者 2') }),
    openItem('LY-BASIC/smi-3', '提供分类干预指导,进行个性化健康教育', 'on_demand', { appliesTo: G.smi, source: b('严重精神障碍患者 3') }),
    countItem('LY-BASIC/smi-4', '在患者病情许可的情况下,征得监护人与(或)患者本人同意后,每年进行1次健康检查', 1, 'year', { appliesTo: G.smi, source: b('严重精神障碍患者 4') }),
    // 肺结核患者
    openItem('LY-BASIC/tb-1', '为其建立居民健康档案并定期维护更新', 'ongoing', { appliesTo: G.tb, source: b('肺结核患者 1') }),
    countItem('LY-BASIC/tb-2', '接到上级专业机构管理肺结核患者的通知单后,在72小时内访视患者', 1, 'stage', { appliesTo: G.tb, source: b('肺结核患者 2') }),
    countItem('LY-BASIC/tb-3', '督促肺结核患者按时按要求服药,至少每月提供1次随访评估', 1, 'month', { bound: 'atLeast', appliesTo: G.tb, source: b('肺结核患者 3') }),
    openItem('LY-BASIC/tb-4', '为其提供健康教育和指导', 'on_demand', { appliesTo: G.tb, source: b('肺结核患者 4') }),
    // 普通人群
    openItem('LY-BASIC/general-1', '为其建立居民健康档案并定期维护更新', 'ongoing', { appliesTo: G.general, source: b('普通人群 1') }),
    countItem(
      'LY-BASIC/general-2',
      '每年为签约居民进行一次健康生活方式和健康状况评估,开展可干预危险因素、重点慢性非传染性疾病和重点传染性疾病的健康教育以及有针对性的个体化健康指导',
      1,
      'year',
      { appliesTo: G.general, source: b('普通人群 2') },
    ),
    // (二) 基本医疗服务包 — 辖区常住居民
    openItem('LY-BASIC/medical-1', '常见病、多发病的诊断和治疗,疾病康复指导', 'on_demand', { source: `${A} 一、(二) 基本医疗服务包 1` }),
    openItem('LY-BASIC/medical-2', '为病情需要的签约对象提供转诊预约服务', 'on_demand', { source: `${A} 一、(二) 基本医疗服务包 2` }),
    // Platform items every basic package carries (docs/decisions.md): liyang §六(一) asks the
    // system for 预约诊疗 and 健康信息; the wording and frequency are yongkang's.
    healthPushItem(`yongkang 基本服务包 4; ${SRC} §六(一) 健康信息查询/健康管理`),
    clinicAppointmentItem(`yongkang 基本服务包 5; ${SRC} §四(一) 优先预约, §六(一) 预约诊疗`),
  ],
  pricing: paidWhollyBy('public_health', 800),
  fixedCycleEnd: null,
  conditionalNotes: [],
  notes: ['基本包为8元/人/年，由基本公共卫生服务项目补助经费支付，居民免费'],
  source: `${SRC} §三(一); ${A} 一、基本服务包`,
};
