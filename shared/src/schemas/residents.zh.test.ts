import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { identityBody, installZhErrors, memberCreateBody, zodIssuesToFields } from './residents';

// With the global Chinese map installed (as handlers and the mini-program do at start), the
// field-specific messages still win and anything without one falls back to Chinese.
beforeAll(() => installZhErrors());

const fields = (schema: z.ZodType, v: unknown) => {
  const r = schema.safeParse(v);
  if (r.success) throw new Error('expected failure');
  return zodIssuesToFields(r.error);
};

describe('residents schemas with installZhErrors()', () => {
  it('field messages win over the global map', () => {
    expect(fields(identityBody, { name: 7, idNumber: '320481199001011234', mobile: '13812345678', basis: { kind: 'local_hukou' } })).toEqual([
      { path: 'name', message: '姓名格式有误，应为文本' },
    ]);
    expect(fields(memberCreateBody, { relation: '本人', name: '张三', idNumber: '320481199001011234', insuredLocally: 1, localHukou: true })).toEqual([
      { path: 'insuredLocally', message: '是否参加本地基本医疗保险应为是或否（true/false）' },
    ]);
  });

  it('a schema without its own message falls back to Chinese', () => {
    const [f] = fields(z.object({ n: z.number() }), { n: 'x' });
    expect(f!.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
