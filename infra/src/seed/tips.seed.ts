/**
 * The starter library of health tips (issue 7): approved, region-neutral (`regionId: 'all'`),
 * written for the populations in ../shared/DOMAIN.md — everyone, elderly 65+, children 0–6,
 * pregnant and post-partum women, hypertension, type-2 diabetes, COPD — in the four categories
 * the yongkang basic package names (日常健康知识、疾病预防知识、养生保健知识) plus 中医药.
 * Figures follow the national guidance they cite (中国居民膳食指南2022, 国家基本公共卫生服务
 * 规范第三版, 国家基层高血压/糖尿病防治管理指南); every tip sends the reader to their family
 * doctor for their own case. Idempotent: fixed ids, written with overwrite.
 * Also the demo region's push channel configuration (one-time subscribe template).
 */
import { sanitizeTipHtml } from '@jiayi/shared/domain/push/rich-text';
import type { PlanningTip } from '@jiayi/shared/domain/push/targeting';
import { ALL_REGIONS, putTip, type TipRecord } from '../../../functions/src/db/tips.repo';
import { putPushConfig } from '../../../functions/src/db/push.repo';
import { DEMO } from './institutions.seed';
import type { SeedContext, SeedStep } from './demo';

type StarterTip = Pick<TipRecord, 'title' | 'category'> & Partial<Pick<PlanningTip, 'ageGroups' | 'conditions'>> & { id: string; body: string };

export const STARTER_TIPS: StarterTip[] = [
  {
    id: 'starter-salt',
    category: 'daily',
    title: '少盐少油，吃得更健康',
    body: `<p>《中国居民膳食指南（2022）》建议：成年人每天<strong>食盐不超过5克</strong>（约一啤酒瓶盖的量），烹调油25～30克。</p>
<ul><li>用限盐勺、限油壶，逐步减少用量；</li><li>少吃咸菜、腌肉、酱料和加工食品，这些食物中“看不见的盐”很多；</li><li>多用葱、姜、蒜、醋和柠檬调味；</li><li>购买包装食品时看营养成分表中的“钠”含量。</li></ul>
<p>长期高盐饮食会升高血压，增加脑卒中和心脏病风险。</p>`,
  },
  {
    id: 'starter-activity',
    category: 'daily',
    title: '每周运动150分钟',
    body: `<p>成年人每周应进行<strong>累计150分钟以上的中等强度身体活动</strong>，如快走、骑车、游泳、跳广场舞，最好每天主动活动6000步。</p>
<ul><li>运动时微微出汗、能说话但不能唱歌，就是中等强度；</li><li>每周还应做2～3次力量练习，如弹力带、深蹲；</li><li>久坐1小时左右起身活动一下。</li></ul>
<p>有慢性病或关节问题的居民，请先请家庭医生评估后再制定运动计划。</p>`,
  },
  {
    id: 'starter-sleep',
    category: 'wellness',
    title: '睡个好觉，戒烟限酒',
    body: `<p>成年人每天睡眠<strong>7～8小时</strong>为宜，尽量固定时间入睡和起床，睡前1小时少看手机。</p>
<ul><li>吸烟有害健康，任何时候戒烟都不晚，家庭医生可以提供戒烟指导；</li><li>饮酒没有“安全量”，能不喝就不喝；</li><li>长期失眠、情绪低落超过两周，请及时向家庭医生求助。</li></ul>`,
  },
  {
    id: 'starter-flu',
    category: 'prevention',
    title: '秋冬季预防流感',
    body: `<p>接种流感疫苗是预防流感最有效的手段，<strong>每年都需要接种</strong>。老年人、慢性病患者、孕妇和6月龄以上儿童尤其推荐接种，具体请咨询家庭医生或接种门诊。</p>
<ul><li>勤洗手，用流动水和肥皂按“七步洗手法”洗足20秒；</li><li>咳嗽、打喷嚏时用纸巾或肘部遮住口鼻；</li><li>流感高发季节少去人群密集场所，室内常通风；</li><li>出现发热、咳嗽等症状要及时就医，老人和儿童症状加重要尽早就诊。</li></ul>`,
  },
  {
    id: 'starter-stroke',
    category: 'prevention',
    title: '识别脑卒中：记住“中风120”',
    body: `<p>脑卒中（中风）抢救越早越好，发现以下任一症状，<strong>立即拨打120</strong>，不要等待观察：</p>
<ol><li>“1”看一张脸：口角歪斜、两侧不对称；</li><li>“2”查两只胳膊：平举时一侧无力下垂；</li><li>“0”聆（零）听语言：说话含糊、表达困难。</li></ol>
<p>记下发病时间告诉医生。控制血压、血糖、血脂，戒烟限酒，是预防脑卒中的关键。</p>`,
  },
  {
    id: 'starter-tb',
    category: 'prevention',
    title: '咳嗽咳痰两周以上，要查肺结核',
    body: `<p>肺结核主要通过咳嗽、打喷嚏传播。<strong>咳嗽、咳痰2周以上，或痰中带血</strong>，应及时到医疗机构检查。</p>
<ul><li>肺结核可防可治，确诊后按医嘱规律、全程服药，绝大多数可以治愈；</li><li>自行停药或漏服容易产生耐药，治疗更难；</li><li>国家对肺结核检查和治疗有减免政策，可咨询家庭医生。</li></ul>`,
  },
  {
    id: 'starter-bp',
    category: 'prevention',
    conditions: ['hypertension'],
    title: '高血压：坚持服药，在家测血压',
    body: `<p>高血压需要长期管理，<strong>按医嘱规律服药，血压正常了也不要自行停药或减药</strong>。</p>
<ul><li>家庭自测血压：早上起床后（服药、早餐前）和晚上睡前各测一次，每次测2～3遍取平均值，记下来复诊时给医生看；</li><li>一般控制在140/90 mmHg以下，您的具体目标请遵家庭医生意见；</li><li>每天食盐不超过5克，控制体重，戒烟限酒；</li><li>出现剧烈头痛、胸痛、一侧肢体无力或说话不清，立即拨打120。</li></ul>
<p>签约居民每年至少4次血压随访，请按时参加。</p>`,
  },
  {
    id: 'starter-diabetes',
    category: 'prevention',
    conditions: ['diabetes_t2'],
    title: '糖尿病：监测血糖，警惕低血糖',
    body: `<p>2型糖尿病患者空腹血糖一般控制在<strong>4.4～7.0 mmol/L</strong>，非空腹血糖低于10.0 mmol/L，个人目标请遵医嘱。</p>
<ul><li>按时服药或注射胰岛素，定期复查血糖和糖化血红蛋白；</li><li>出现心慌、出汗、手抖、饥饿感，可能是低血糖：立即吃15～20克含糖食物（如3～5块糖或半杯果汁），15分钟后复测；</li><li>每天检查双脚有无破损，穿宽松软底鞋，不用热水袋直接烫脚；</li><li>每年检查眼底、肾功能和足部。</li></ul>`,
  },
  {
    id: 'starter-copd',
    category: 'prevention',
    conditions: ['copd'],
    title: '慢阻肺：戒烟和规范吸药最重要',
    body: `<p><strong>戒烟是延缓慢阻肺加重最有效的办法</strong>，同时避免二手烟和油烟。</p>
<ul><li>按医嘱长期使用吸入药物，请家庭医生检查您的吸入方法是否正确；</li><li>每天练习缩唇呼吸和腹式呼吸；</li><li>建议接种流感疫苗和肺炎球菌疫苗；</li><li>气喘加重、痰量增多或变黄、发热时及时就医。</li></ul>`,
  },
  {
    id: 'starter-falls',
    category: 'wellness',
    ageGroups: ['elderly_65'],
    title: '老年人防跌倒',
    body: `<p>跌倒是老年人受伤的首要原因，大多可以预防：</p>
<ul><li>起床做到“三个半分钟”：醒后躺半分钟，坐起半分钟，双腿下垂坐半分钟，再站起行走；</li><li>室内保持明亮，夜间开小夜灯，卫生间铺防滑垫、装扶手；</li><li>穿合脚、防滑的鞋子，需要时使用拐杖或助行器；</li><li>服用降压药、安眠药后起身要慢。</li></ul>
<p>65岁及以上老年人每年可享受一次免费健康体检，请留意家庭医生团队的通知。</p>`,
  },
  {
    id: 'starter-tcm-elderly',
    category: 'tcm',
    ageGroups: ['elderly_65'],
    title: '中医体质辨识，科学养生',
    body: `<p>65岁及以上老年人每年可享受一次<strong>中医药健康管理服务</strong>：由医生进行中医体质辨识，并给出饮食、起居、运动和穴位保健方面的建议。</p>
<ul><li>养生要因人而异，不同体质调养方法不同；</li><li>不盲目购买和服用“保健品”“偏方”；</li><li>太极拳、八段锦等传统运动适合多数老年人，量力而行。</li></ul>`,
  },
  {
    id: 'starter-tcm-seasons',
    category: 'tcm',
    title: '顺应四时，起居有常',
    body: `<p>中医讲究“顺应四时”：春夏宜适当晚睡早起、多到户外活动；秋冬宜早睡，注意保暖，特别是腰腹和脚部。</p>
<ul><li>饮食有节，清淡多样，不暴饮暴食；</li><li><strong>进补要辨证</strong>，膏方、中药需经中医师诊断后使用，不要自行长期服用；</li><li>中成药也是药，请按说明书或医嘱使用。</li></ul>`,
  },
  {
    id: 'starter-child-checkups',
    category: 'daily',
    ageGroups: ['child_0_6'],
    title: '宝宝按时体检、按时接种',
    body: `<p>0～6岁儿童可享受免费健康管理：<strong>1岁内4次（3、6、8、12月龄），1～3岁每年2次，3～6岁每年1次</strong>健康检查，包括生长发育评估、视力和口腔检查、喂养指导。</p>
<ul><li>按免疫规划程序按时接种疫苗，保管好预防接种证；</li><li>6个月内提倡纯母乳喂养，满6月龄起逐步添加辅食；</li><li>有疑问可以随时咨询签约家庭医生。</li></ul>`,
  },
  {
    id: 'starter-child-safety',
    category: 'prevention',
    ageGroups: ['child_0_6'],
    title: '预防儿童意外伤害',
    body: `<p>意外伤害是儿童健康的重大威胁，家长要做到：</p>
<ul><li><strong>防溺水</strong>：孩子洗澡、玩水时大人不离开视线，家中水桶、水缸加盖；</li><li>防跌落：窗户和阳台装护栏，不把孩子单独留在床上、桌上；</li><li>药品、清洁剂、杀虫剂放在孩子够不到的地方并锁好；</li><li>花生、果冻、纽扣电池等小物件远离3岁以下儿童；</li><li>乘车使用儿童安全座椅。</li></ul>`,
  },
  {
    id: 'starter-pregnancy',
    category: 'daily',
    conditions: ['pregnant'],
    title: '孕产期保健要点',
    body: `<p>孕期请在<strong>孕13周前建立《母子健康手册》</strong>并做第一次产前检查，整个孕期至少接受5次产前检查。</p>
<ul><li>从计划怀孕前3个月到孕早期，每天补充叶酸0.4毫克；</li><li>均衡饮食，适量活动，不吸烟、远离二手烟，不饮酒；</li><li>出现阴道流血、腹痛、头痛眼花、胎动明显减少，立即就医；</li><li>产后1周内家庭医生团队会上门访视，产后42天请到医院做健康检查。</li></ul>`,
  },
];

export async function seedTips(ctx: SeedContext): Promise<SeedStep> {
  const at = ctx.now.toISOString();
  for (const t of STARTER_TIPS) {
    await putTip(
      {
        id: t.id,
        regionId: ALL_REGIONS,
        institutionId: null,
        title: t.title,
        bodyHtml: sanitizeTipHtml(t.body),
        category: t.category,
        ageGroups: t.ageGroups ?? [],
        conditions: t.conditions ?? [],
        packageCodes: [],
        publishFrom: '2025-01-01',
        publishTo: null,
        status: 'approved',
        createdBy: 'platform',
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: at,
        approvedBy: 'platform',
        approvedAt: '2025-01-01T00:00:00.000Z',
        retiredBy: null,
        retiredAt: null,
        retireReason: null,
      },
      { overwrite: true },
    );
  }
  await putPushConfig('REGION', DEMO.regionId, { templateId: 'local-health-tip', longTerm: false, smsTemplateCode: 'HEALTH_TIP' });
  return { summary: `${STARTER_TIPS.length} approved starter tips; push config for ${DEMO.regionId}` };
}
