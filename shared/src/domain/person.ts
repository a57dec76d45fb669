/**
 * The facts about a person that drive eligibility and prices (../shared/DOMAIN.md "Populations").
 * Birth date and sex are derived from the ID number (GB 11643), never typed by the user.
 * Conditions and statuses are declared by the resident and confirmed by the team; they are
 * sensitive personal information (PIPL) and only processed under separate consent.
 */
import type { LocalDate } from './dates';

export const CONDITIONS = {
  hypertension: '原发性高血压',
  diabetes_t2: '2型糖尿病',
  pregnant: '孕产妇（孕期或产后）',
  copd: '慢阻肺',
  tuberculosis: '肺结核',
  severe_mental_disorder: '严重精神障碍',
  disability: '残疾',
  leukemia: '白血病',
  // jilin-2017 §二(二): personalized chronic packages name 脑血管疾病 and 冠心病 beside hypertension and diabetes.
  cerebrovascular_disease: '脑血管疾病',
  coronary_heart_disease: '冠心病',
} as const;
export type Condition = keyof typeof CONDITIONS;

export const STATUSES = {
  sanwu: '三无人员',
  wubao: '五保户',
  dibao: '低保对象',
  dibao_edge: '低保边缘人员',
  tekun: '特困人员',
  youfu: '重点优抚对象',
  family_planning_special: '计划生育特殊家庭',
  severe_disability_no_income: '无固定收入重度残疾人',
  poverty_registered: '农村建档立卡贫困人口',
  poverty_alleviated: '脱贫享受政策人口',
  return_poverty_monitor: '防止返贫监测对象',
  retired_cadre: '离休干部',
  left_behind_child: '农村留守儿童',
  // zhangjiagang-2017 §四2 and 附件3: 大病困难群众 get the free "四个一" household signing.
  major_illness_hardship: '大病困难群众',
} as const;
export type Status = keyof typeof STATUSES;

export type Sex = 'M' | 'F';

export interface PersonFacts {
  birthDate: LocalDate;
  sex: Sex;
  conditions: Condition[];
  statuses: Status[];
  /** Insured in the region's basic medical insurance (参加本地基本医疗保险). */
  insuredLocally: boolean;
  /** Local household registration (本地户籍); otherwise a local residence permit (居住证). */
  localHukou: boolean;
}
