/**
 * Privacy notice and consent (Personal Information Protection Law of the PRC, PIPL).
 *
 * - The privacy notice (个人信息处理规则) is shown before any processing (PIPL art. 17).
 *   Ordinary processing for signing relies on "necessary to conclude and perform a contract"
 *   (art. 13(1)2); sensitive personal information needs separate consent (单独同意, art. 29).
 * - ID numbers, health conditions, special-population statuses and the data of children under
 *   14 are sensitive (art. 28); SMS notifications are opt-in. Each purpose is consented to on
 *   its own and can be withdrawn on its own (art. 15).
 * - For a child under 14 the guardian consents (art. 31); the record says on whose behalf.
 *
 * Pure: records and `today` come in, decisions come out. Texts are versioned: a grant counts
 * only for the current version of its purpose (a changed purpose needs fresh consent, art. 14).
 */
import * as z from 'zod';
import { ageOn, type LocalDate } from '../dates';

/**
 * Contact details of the operator as they appear in the notice. They are placeholders until the
 * operating organisation is named; replacing them changes the notice, so bump
 * PRIVACY_NOTICE.version when you do (docs/decisions.md "Residents and identity").
 */
export const PRIVACY_OPERATOR = {
  name: '家医平台运营方',
  email: 'privacy@jiayi.example',
  address: '以运营单位在小程序“我的—关于我们”中公布的地址为准',
} as const;

export interface PrivacyNotice {
  version: string;
  title: string;
  body: string;
}

export const PRIVACY_NOTICE: PrivacyNotice = {
  version: '2026-11-01',
  title: '家医隐私政策（个人信息处理规则）',
  body: `版本：2026-11-01　生效日期：2026年11月1日

“家医”微信小程序（以下简称“本小程序”）是居民在线办理家庭医生签约服务的渠道。我们依照《中华人民共和国个人信息保护法》《中华人民共和国基本医疗卫生与健康促进法》等法律法规处理您的个人信息。请您在使用前仔细阅读本规则。

一、我们是谁
本小程序由${PRIVACY_OPERATOR.name}（以下简称“我们”）运营，我们是您个人信息的处理者。为您提供医疗卫生服务的家庭医生团队及其所属的基层医疗卫生机构（乡镇卫生院、社区卫生服务中心/站）在提供服务过程中依法处理您的个人信息，并承担相应责任。

二、我们收集哪些个人信息
1. 登录信息：您使用微信登录时，我们从微信获取您在本小程序的用户标识（openid，以及可能的 unionid）。我们不获取您的微信头像、昵称和好友关系。
2. 实名信息：姓名、身份证号码（或港澳台居民居住证号码）、手机号码，户籍情况或居住证信息（居住证号码、有效期）。我们根据身份证号码计算出生日期、性别和年龄，用于确定您可以签约的服务包，不需要您另行填写。
3. 家庭成员信息：您作为家庭代表为户口簿上的家庭成员办理签约时，提供的成员姓名、与您的关系、身份证号码、健康状况和特殊人群身份。请您事先征得该成员的同意；成员不满十四周岁的，由您作为监护人同意。
4. 健康状况与特殊人群身份：您申报的原发性高血压、2型糖尿病、孕产期、慢阻肺、残疾等健康状况，低保、特困、五保、计划生育特殊家庭、离休干部等特殊人群身份，以及是否参加本地基本医疗保险。这些信息由您申报，并由签约团队核实。
5. 签约与服务信息：签约团队、服务包、签约周期、费用构成与支付记录、预约记录、家庭医生为您提供服务的记录、满意度评价。
6. 安全日志：访问时间、请求编号、操作记录。日志中的身份证号码只显示前6位和后4位。

身份证号码、健康状况、特殊人群身份以及不满十四周岁未成年人的个人信息属于敏感个人信息。我们只在取得您的单独同意后处理这些信息，并加密存储。

三、我们如何使用您的个人信息
1. 登录和实名核验；
2. 办理签约：判断您符合的人群和可签约的服务包，计算费用中由您个人、医保基金、基本公共卫生服务经费、财政、民政、残联或慈善资金分别承担的部分，生成签约协议；
3. 提供签约服务：签约门诊预约、转诊、随访、健康知识推送、履约记录；
4. 费用结算与考核：服务记录是费用结算、退费和绩效考核的依据；
5. 通知：经您同意，通过短信发送签约、续约、预约、随访和健康知识提醒；
6. 统计：以去标识化、汇总的方式形成签约率、履约率等统计报表，报表不识别到个人。
服务包资格和费用构成由系统按照当地政策规则自动判断。您有权要求我们说明判断的依据，并可以申请签约机构工作人员人工复核。我们不会将您的个人信息用于商业营销。

四、处理的法律依据
1. 为订立和履行家庭医生签约服务协议所必需；
2. 为履行法定职责或者法定义务所必需；
3. 处理敏感个人信息和发送短信通知，取得您的单独同意；您可以在小程序中分别同意或撤回。

五、我们如何共享您的个人信息
1. 您的签约家庭医生团队及其所属医疗卫生机构：用于提供服务，核实您申报的健康状况和特殊人群身份；
2. 费用支付方：医疗保障经办机构（医保基金支付部分）、卫生健康部门（基本公共卫生服务经费）、财政、民政、残联部门和慈善组织（代缴或补助部分），仅提供结算和核定所必需的信息；
3. 受托处理者：云服务提供者、短信服务提供者和微信支付。我们与其约定处理目的、方式和保护措施，并监督其处理活动，其不得将您的信息用于其他目的；
4. 法律、行政法规规定或有权机关依法要求提供的情形。
除上述情形外，我们不会向其他任何组织或个人提供您的个人信息；确需提供的，我们将告知接收方名称、联系方式、处理目的、处理方式和个人信息种类，并取得您的单独同意。

六、存储地点和保存期限
您的个人信息存储在中华人民共和国境内，我们不向境外提供。账号信息在账号存续期间保存；签约协议、费用和服务记录按照卫生健康、医疗保障和财务管理规定的期限保存，作为结算、审计和考核的依据；法律法规没有规定保存期限的，在签约关系终止后保存3年，期满后删除或匿名化处理。您撤回对某项敏感个人信息的同意后，我们停止相应处理，并在法律法规允许时删除。

七、我们如何保护您的个人信息
身份证号码、健康状况等敏感个人信息采用 AES-256 加密存储；页面、接口和日志中的身份证号码只显示前6位和后4位；工作人员按岗位最小权限访问，访问留有记录。发生或可能发生个人信息泄露时，我们将立即采取补救措施，按规定通知您并向主管部门报告。

八、您的权利
1. 查阅、复制您的个人信息；
2. 更正、补充不准确或不完整的个人信息；
3. 在法律规定的情形下要求删除您的个人信息；
4. 撤回同意：撤回不影响撤回前基于同意已进行的处理。撤回身份证号码的同意后，我们无法继续为您办理实名签约；撤回健康状况的同意后，您仍可签约基本服务包，但无法享受与这些信息相关的服务包和费用减免；已签订的协议按协议约定和当地政策处理；
5. 注销账号；
6. 要求我们解释说明本规则；
7. 您去世后，您的近亲属可以为了自身合法、正当的利益，对您的相关个人信息行使上述权利，您生前另有安排的除外。
您可以在小程序“我的—隐私与授权”中办理，或通过下方方式联系我们。我们将在15个工作日内答复；拒绝您的请求的，将说明理由。

九、未成年人的个人信息
不满十四周岁未成年人的个人信息，须经其父母或者其他监护人同意后处理。家庭代表为不满十四周岁的子女办理签约时，以监护人身份作出同意。

十、本规则的更新
本规则更新时，我们将更新版本号和生效日期并在小程序中提示您。处理目的、处理方式或个人信息种类发生变更的，我们将重新取得您的同意。

十一、联系我们
个人信息保护负责人：${PRIVACY_OPERATOR.name}个人信息保护负责人
电子邮箱：${PRIVACY_OPERATOR.email}
通信地址：${PRIVACY_OPERATOR.address}
您也可以在小程序“我的—隐私与授权—联系我们”中留言。对我们的答复不满意的，您可以向网信部门或卫生健康主管部门投诉、举报。`,
};

export const CONSENT_PURPOSE_IDS = ['id_number', 'health_conditions', 'sms'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSE_IDS)[number];

export interface ConsentPurposeText {
  version: string;
  title: string;
  text: string;
  /** Sensitive personal information (PIPL art. 28): separate consent, shown on its own screen. */
  sensitive: boolean;
}

export const CONSENT_PURPOSES: Record<ConsentPurpose, ConsentPurposeText> = {
  id_number: {
    version: '2026-11-01',
    title: '身份证号码：实名核验与签约',
    sensitive: true,
    text:
      '为核验您的真实身份、办理家庭医生签约、生成签约协议并与医保等费用支付方结算，我们需要处理您（以及您代为办理的家庭成员）的身份证号码。' +
      '身份证号码属于敏感个人信息：我们加密存储，页面和日志中只显示前6位和后4位，仅提供给您的签约团队及其所属机构和依法需要的费用支付方。' +
      '不同意将无法完成实名签约，但不影响浏览服务包等其他功能。您可以随时在“我的—隐私与授权”中撤回同意。',
  },
  health_conditions: {
    version: '2026-11-01',
    title: '健康状况与特殊人群身份：服务包资格与费用核定',
    sensitive: true,
    text:
      '为确定您可以签约的服务包（如高血压、2型糖尿病、孕产妇等服务包），以及费用是否由医保基金、财政、民政、残联或慈善资金承担，' +
      '我们需要处理您申报的健康状况（慢性病、孕产期、残疾等）和特殊人群身份（低保、特困、计划生育特殊家庭等）。' +
      '这些信息属于敏感个人信息，仅用于服务包资格与费用核定、签约团队核实和提供服务，以及向相关费用支付方结算。' +
      '不同意时您仍可签约基本服务包，但无法享受与这些信息相关的服务包和费用减免。您可以随时撤回同意。',
  },
  sms: {
    version: '2026-11-01',
    title: '短信通知',
    sensitive: false,
    text:
      '我们将向您的手机号码发送签约、续约、预约、随访和健康知识提醒短信，不发送商业广告。' +
      '您可以随时撤回，撤回后我们不再向您发送短信，小程序内的消息不受影响。',
  },
};

/** PIPL art. 31: personal information of a child under 14 needs the guardian's consent. */
export const GUARDIAN_CONSENT_AGE = 14;

export const consentRecordSchema = z.object({
  purpose: z.enum(CONSENT_PURPOSE_IDS),
  /** Version of the purpose text the person saw. */
  version: z.string().min(1).max(32),
  decision: z.enum(['granted', 'withdrawn']),
  /** ISO instant of the decision. */
  at: z.iso.datetime({ offset: true }),
  /** Account id of whoever decided (the resident, or the guardian for a child). */
  by: z.string().min(1),
  /** Household member the decision is for; absent when the account holder decides for themself. */
  onBehalfOf: z.string().min(1).optional(),
});
export type ConsentRecord = z.infer<typeof consentRecordSchema>;

export type ConsentState =
  | { status: 'none' }
  | { status: 'granted'; version: string; at: string; by: string; /** the grant is for the current text */ current: boolean }
  | { status: 'withdrawn'; version: string; at: string; by: string };

/**
 * The state of one purpose for one subject (the account holder when `memberId` is absent, or
 * the household member `memberId`). The latest decision wins; records with the same instant
 * are ordered as given (the later one wins).
 */
export function consentState(records: readonly ConsentRecord[], purpose: ConsentPurpose, memberId?: string): ConsentState {
  let latest: ConsentRecord | undefined;
  let latestAt = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    if (r.purpose !== purpose || (r.onBehalfOf ?? undefined) !== memberId) continue;
    const t = Date.parse(r.at);
    if (Number.isNaN(t)) continue;
    if (t >= latestAt) {
      latest = r;
      latestAt = t;
    }
  }
  if (!latest) return { status: 'none' };
  if (latest.decision === 'withdrawn') return { status: 'withdrawn', version: latest.version, at: latest.at, by: latest.by };
  return { status: 'granted', version: latest.version, at: latest.at, by: latest.by, current: latest.version === CONSENT_PURPOSES[purpose].version };
}

/** Granted, and for the current version of the purpose text. */
export function hasConsent(records: readonly ConsentRecord[], purpose: ConsentPurpose, memberId?: string): boolean {
  const s = consentState(records, purpose, memberId);
  return s.status === 'granted' && s.current;
}

export function isCurrentConsentVersion(purpose: ConsentPurpose, version: string): boolean {
  return CONSENT_PURPOSES[purpose].version === version;
}

/**
 * What a resident can do that processes consent-bound data:
 * - verify_identity: PUT /me/identity (own ID number);
 * - save_member: create/update a household member (the member's ID number);
 * - declare_health: store conditions/statuses (own or a member's) — a member save with
 *   non-empty conditions or statuses needs both `save_member` and `declare_health`;
 * - sign_agreement: sign packages (the agreement carries the ID number);
 * - send_sms: any SMS to the resident.
 */
export type ConsentAction = 'verify_identity' | 'save_member' | 'declare_health' | 'sign_agreement' | 'send_sms';

const REQUIRED: Record<ConsentAction, readonly ConsentPurpose[]> = {
  verify_identity: ['id_number'],
  save_member: ['id_number'],
  declare_health: ['health_conditions'],
  sign_agreement: ['id_number'],
  send_sms: ['sms'],
};

export function requiredConsents(action: ConsentAction): ConsentPurpose[] {
  return [...REQUIRED[action]];
}

/** Purposes `action` needs that are not currently granted (current version) for the subject. */
export function missingConsents(records: readonly ConsentRecord[], action: ConsentAction, memberId?: string): ConsentPurpose[] {
  return requiredConsents(action).filter((p) => !hasConsent(records, p, memberId));
}

/** Under 14 on `today` → the guardian (the household representative) consents for them. */
export function needsGuardianConsent(birthDate: LocalDate, today: LocalDate): boolean {
  return ageOn(birthDate, today) < GUARDIAN_CONSENT_AGE;
}
