import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { columnName, sheetName, xlsx } from './xlsx';
import { unzip, zip } from './zip';

describe('zip', () => {
  it('round-trips entries through deflate with checked CRCs', () => {
    const entries = [
      { name: 'a.txt', data: Buffer.from('hello '.repeat(1000)) },
      { name: '目录/中文.xml', data: Buffer.from('<x>签约</x>') },
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    const back = unzip(zip(entries));
    expect(back.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    back.forEach((e, i) => expect(e.data.equals(entries[i]!.data)).toBe(true));
  });

  it('is readable by an independent unzip implementation when one is installed', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zip-')), 't.zip');
    writeFileSync(file, zip([{ name: 'x.txt', data: Buffer.from('家医') }]));
    let listing: string;
    try {
      listing = execFileSync('python3', ['-c', 'import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print(z.read("x.txt").decode())', file], { encoding: 'utf8' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // no python: covered by the round-trip above
      throw e;
    }
    expect(listing.trim()).toBe('家医');
  });
});

describe('xlsx', () => {
  it('holds the workbook parts and the cells as written', () => {
    const buf = xlsx([
      { name: '附件5', rows: [['社区医生个性化家庭签约服务情况月报表'], ['初级包', '签约户数', 12, null, '<&>"']], boldRows: [0], widths: [20, 10] },
      { name: '汇总', rows: [['满意度', '90.5%'], ['bell\u0007\ttab']] },
    ]);
    const files = new Map(unzip(buf).map((e) => [e.name, e.data.toString('utf8')]));
    expect([...files.keys()].sort()).toEqual(
      ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml'].sort(),
    );
    const s1 = files.get('xl/worksheets/sheet1.xml')!;
    expect(s1).toContain('<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">社区医生个性化家庭签约服务情况月报表</t></is></c>');
    expect(s1).toContain('<c r="C2"><v>12</v></c>');
    expect(s1).not.toContain('r="D2"');
    expect(s1).toContain('&lt;&amp;&gt;&quot;');
    expect(files.get('xl/workbook.xml')).toContain('<sheet name="附件5" sheetId="1" r:id="rId1"/>');
    expect(files.get('xl/worksheets/sheet2.xml')).toContain('90.5%');
    expect(files.get('xl/worksheets/sheet2.xml')).toContain('bell\ttab');
  });

  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('column %i is %s', (i, name) => expect(columnName(i)).toBe(name));

  it('makes sheet names Excel accepts', () => {
    const used = new Set<string>();
    expect(sheetName('a/b:c', used)).toBe('a b c');
    expect(sheetName('a/b:c', used)).toBe('a b c(2)');
    expect(sheetName('x'.repeat(40), used)).toHaveLength(31);
  });
});
