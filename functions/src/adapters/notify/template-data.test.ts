import { describe, expect, it } from 'vitest';
import { validateTemplateData } from './template-data';

const one = (key: string, value: string) => validateTemplateData({ [key]: { value } });

describe('validateTemplateData — WeChat subscribe-message field limits', () => {
  it.each([
    // thing: ≤ 20 characters of anything
    ['thing1', '高血压患者季度随访提醒'],
    ['thing1', '一二三四五六七八九十一二三四五六七八九十'], // exactly 20
    ['thing2', 'Dr. Wang 王医生 (团队A)'],
    ['thing3', '𠀀𠀁𠀂'], // code points outside the BMP count once
    ['short_thing1', '待签约'],
    // number / letter / symbol / character_string
    ['number1', '12'],
    ['number1', '36.5'],
    ['letter1', 'ABC'],
    ['symbol1', '%'],
    ['character_string1', 'JY-20250310-0001'],
    // time: 24-hour time, optionally with a date, optionally a range
    ['time1', '15:01'],
    ['time1', '2019年10月1日 15:01'],
    ['time2', '2025-03-10 09:30:00'],
    ['time3', '09:00~11:30'],
    ['time4', '2025年3月10日 09:00 ~ 2025年3月10日 11:30'],
    // date: a date, optionally with a time, optionally a range
    ['date1', '2019年10月1日'],
    ['date1', '2019年10月1日 15:01'],
    ['date2', '2025-03-10'],
    ['date3', '2024年2月29日'],
    ['date4', '2025年3月1日~2025年3月31日'],
    // amount
    ['amount1', '¥120.00'],
    ['amount1', '120元'],
    ['amount1', '￥1200'],
    // phone / car / name / phrase
    ['phone_number1', '+86-0766-66888866'],
    ['phone_number1', '12345'],
    ['car_number1', '粤A8Z888挂'],
    ['name1', '张三'],
    ['name1', '欧阳娜娜·迪丽热巴'],
    ['name1', 'John Smith'],
    ['phrase1', '配送中'],
    ['phrase1', '已签约'],
  ])('accepts %s = %j', (key, value) => {
    expect(one(key, value)).toEqual([]);
  });

  it.each([
    ['thing1', '一二三四五六七八九十一二三四五六七八九十一', '最多20个字符'],
    ['short_thing1', '六个字的东西', '最多5个字符'],
    ['number1', '12a', '数字'],
    ['number1', '-3', '数字'],
    ['number1', '1'.repeat(33), '数字'],
    ['letter1', 'AB1', '字母'],
    ['symbol1', '%%%%%%', '符号'],
    ['symbol1', 'a', '符号'],
    ['character_string1', '订单123', '数字、字母或符号'],
    ['character_string1', 'x'.repeat(33), '数字、字母或符号'],
    ['time1', '下午3点', '24小时制'],
    ['time1', '25:00', '24小时制'],
    ['time1', '2019年10月1日', '24小时制'], // a date alone is not a time
    ['time1', '10:00~11:00~12:00', '24小时制'],
    ['date1', '15:01', '日期'], // a time alone is not a date
    ['date1', '2025年2月29日', '日期'], // not a leap year
    ['date1', '2025-13-01', '日期'],
    ['amount1', '一百元', '金额'],
    ['amount1', '¥12345678901', '金额'],
    ['amount1', '¥1.234', '金额'],
    ['phone_number1', '+86-0766-668888661234', '电话号码'],
    ['phone_number1', 'call me', '电话号码'],
    ['car_number1', '粤A8Z888挂12', '车牌号码'],
    ['name1', '一二三四五六七八九十一', '10个字'],
    ['name1', 'Abcdefghijklmnopqrstu', '20个字母'],
    ['name1', '张3', '10个字'],
    ['phrase1', '已经完成了签约', '5个以内汉字'],
    ['phrase1', 'done', '5个以内汉字'],
  ])('refuses %s = %j', (key, value, fragment) => {
    const issues = one(key, value);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(`data.${key}.value`);
    expect(issues[0]!.message).toContain(fragment);
    expect(issues[0]!.message.startsWith(key)).toBe(true);
  });

  it('refuses empty values, line breaks, unknown field types and empty data', () => {
    expect(one('thing1', '  ')).toEqual([{ path: 'data.thing1.value', message: 'thing1 不能为空' }]);
    expect(one('thing1', '第一行\n第二行')[0]!.message).toContain('换行');
    expect(validateTemplateData({ keyword1: { value: 'x' } })).toEqual([{ path: 'data.keyword1', message: '不支持的模板字段“keyword1”' }]);
    expect(validateTemplateData({ thing: { value: 'x' } })[0]!.path).toBe('data.thing');
    expect(validateTemplateData({})).toEqual([{ path: 'data', message: '模板内容不能为空' }]);
    expect(validateTemplateData({ thing1: { value: 3 } })[0]!.message).toBe('thing1 不能为空');
    expect(validateTemplateData({ thing1: 'x' })[0]!.path).toBe('data.thing1.value');
  });

  it('reports every bad field at once', () => {
    const issues = validateTemplateData({
      thing1: { value: '家庭医生随访' },
      time2: { value: '明天' },
      phrase3: { value: 'ok' },
    });
    expect(issues.map((i) => i.path)).toEqual(['data.time2.value', 'data.phrase3.value']);
  });
});
