import { describe, expect, it } from 'vitest';
import { parseCsv, parseRegister } from './register';

const HEADER = '村民小组,常住户数,常住人口,重点人群人数,特殊人群人数,困难家庭户数';

describe('parseCsv', () => {
  it.each([
    ['a,b\r\nc,d\r\n', [['a', 'b'], ['c', 'd']]],
    ['\ufeffa,b\nc,d', [['a', 'b'], ['c', 'd']]],
    ['"x,y","say ""hi"""\n', [['x,y', 'say "hi"']]],
    ['a,b\n\n\n', [['a', 'b']]],
    ['"multi\nline",2', [['multi\nline', '2']]],
  ])('%j', (text, rows) => expect(parseCsv(text)).toEqual(rows));
});

describe('parseRegister', () => {
  it('accepts a valid register in any column order and totals it', () => {
    const r = parseRegister(`困难家庭户数,村民小组,常住户数,常住人口,重点人群人数,特殊人群人数\n3,一组,100,320,90,5\n1,二组,80,250,70,2\n`);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.totals).toEqual({ groups: 2, households: 180, residents: 570, keyPersons: 160, specialPersons: 7, hardshipHouseholds: 4 });
  });

  it.each([
    ['a missing column', '村民小组,常住人口\n一组,1', ['rows.1.常住户数', 'rows.1.重点人群人数', 'rows.1.特殊人群人数', 'rows.1.困难家庭户数']],
    ['a negative number', `${HEADER}\n一组,10,30,-1,0,0`, ['rows.2.重点人群人数']],
    ['a decimal', `${HEADER}\n一组,10,30.5,1,0,0`, ['rows.2.常住人口']],
    ['an empty number', `${HEADER}\n一组,10,,1,0,0`, ['rows.2.常住人口']],
    ['an empty group', `${HEADER}\n,10,30,1,0,0`, ['rows.2.村民小组']],
    ['a duplicate group', `${HEADER}\n一组,10,30,1,0,0\n一组,10,30,1,0,0`, ['rows.3.村民小组']],
    ['more key persons than residents', `${HEADER}\n一组,10,30,31,0,0`, ['rows.2.重点人群人数']],
    ['more hardship than households', `${HEADER}\n一组,10,30,1,0,11`, ['rows.2.困难家庭户数']],
    ['several bad rows, each reported', `${HEADER}\n一组,x,30,1,0,0\n二组,10,30,1,0,0\n三组,10,30,1,y,0`, ['rows.2.常住户数', 'rows.4.特殊人群人数']],
  ])('refuses %s with line and column', (_n, text, paths) => {
    const r = parseRegister(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.path)).toEqual(paths);
      for (const i of r.issues) expect(i.message).toMatch(/^第\d+行/);
    }
  });

  it('names the line and the column in the message', () => {
    const r = parseRegister(`${HEADER}\n一组,10,30,1,0,0\n二组,10,abc,1,0,0`);
    expect(!r.ok && r.issues[0]!.message).toBe('第3行「常住人口」：「abc」不是不小于0的整数');
  });

  it.each([
    ['an empty file', ''],
    ['a header only', HEADER],
  ])('refuses %s', (_n, text) => expect(parseRegister(text).ok).toBe(false));
});
