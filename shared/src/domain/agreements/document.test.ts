import { describe, expect, it } from 'vitest';
import { policyFor } from '../policy';
import { agreementDocument, AGREEMENT_TEXT_VERSION, rightsAndDuties } from './document';

const liyang = policyFor('liyang-2019', '2025-03-01');
const zhangjiagang = policyFor('zhangjiagang-2017', '2017-06-01');

const input = {
  agreementId: 'a-1',
  status: 'active' as const,
  representativeName: '王芳',
  members: [
    {
      name: '王芳',
      relation: '本人',
      sex: 'F' as const,
      ageGroup: 'adult_18_64' as const,
      idNumberMasked: '320481********102X',
      packages: [{ code: 'LY-BASIC', name: '基本服务包', priceFen: 800, byPayer: { public_health: 800 }, items: [{ name: '健康知识推送服务', quantity: 1, per: 'quarter', unit: '条', frequencyText: '每季度不少于1条', bound: 'atLeast' }] }],
    },
  ],
  team: { name: '王建国家庭医生团队', institutionName: '埭头镇卫生院', institutionPhone: '0519-80000000', doctors: [{ name: '王建国', title: '主治医师', lead: true }] },
  cycle: { start: '2025-03-01', end: '2025-12-31' },
  price: { totalFen: 800, byPayer: { public_health: 800 }, residentDueFen: 0 },
  consent: { agreementTextVersion: AGREEMENT_TEXT_VERSION, at: '2025-03-01T02:00:00.000Z' },
};

describe('agreementDocument (zhangjiagang 附件2/3 form)', () => {
  const d = agreementDocument(input, liyang);
  it('has the parties, content, fees, rights and duties, term, termination', () => {
    expect(d.sections.map((s) => s.heading)).toEqual(['甲方', '乙方', '前言', '一、协议服务内容', '二、服务费用', '三、权利与义务', '四、协议期限', '五、变更与解约', '六、其他约定', '签署']);
    expect(d.text).toContain('甲方代表：王芳');
    expect(d.text).toContain('责任医生（第一责任人）：王建国（主治医师）');
    expect(d.text).toContain('每季度不少于1条');
    expect(d.text).toContain('本协议从2025年3月1日起生效，2025年12月31日终止。');
    expect(d.text).toContain('甲方个人无需缴费。');
    expect(d.text).toContain('基本公共卫生服务经费8元');
  });
  it('never shows a birth date next to the masked number', () => {
    expect(d.sections[0]!.table!.columns).not.toContain('出生年月');
    expect(d.text).not.toMatch(/\d{17}[\dX]/);
  });
  it('promises no early termination only where the region restricts it (zhangjiagang: 原则上不得解约)', () => {
    expect(rightsAndDuties(liyang).paragraphs.join('')).not.toContain('不得解约');
    expect(rightsAndDuties(zhangjiagang).paragraphs.join('')).toContain('原则上签约期内不得解约');
  });
  it('the template (before signing) has no parties filled in and names the text version', () => {
    const t = agreementDocument({ agreementId: null, representativeName: '（签约居民）', members: [], team: { name: '（团队）', institutionName: '（机构）', doctors: [] }, cycle: null, price: null, consent: null }, liyang);
    expect(t.agreementTextVersion).toBe(AGREEMENT_TEXT_VERSION);
    expect(t.text).toContain(`协议文本版本：${AGREEMENT_TEXT_VERSION}`);
  });
});
