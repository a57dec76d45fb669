/**
 * 健康知识 "为您推荐" (issue 11): GET /me/tips offers the approved, published tips that fit someone
 * in the household — by the agreement's region and institution, the member's age group and the
 * packages held — separately from the tips pushed to them (GET /me/messages).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDateOf } from '@jiayi/shared/domain/dates';
import { http } from './stack';
import { freshId, resident } from './residents.fixtures';
import { arrangeAgreement, arrangeRegion, useStackStore } from './push.fixtures';

beforeAll(() => useStackStore());

const today = localDateOf(new Date());
const cycle = { cycleStart: addDays(today, -30), cycleEnd: addDays(today, 300) };

describe('GET /me/tips', () => {
  it('lists the tips that fit the signed member — package, age group, general — and none that do not', async () => {
    const id = randomUUID().slice(0, 8);
    const region = await arrangeRegion({
      tips: [
        { id: `${id}-general`, title: '少盐少油', category: 'daily' },
        { id: `${id}-bp`, title: '高血压：坚持服药', packageCodes: ['BP-PKG'], category: 'prevention' },
        { id: `${id}-elder`, title: '老年人防跌倒', ageGroups: ['elderly_65'], category: 'wellness' },
        { id: `${id}-child`, title: '儿童接种', ageGroups: ['child_0_6'] },
        { id: `${id}-other-inst`, title: '别的卫生院', institutionId: 'elsewhere' },
        { id: `${id}-draft`, title: '草稿', status: 'draft' },
        { id: `${id}-later`, title: '以后发布', publishFrom: addDays(today, 1) },
        { id: `${id}-over`, title: '已过期', publishFrom: '2020-01-01', publishTo: addDays(today, -1) },
      ],
    });
    const r = await resident({ idNumber: freshId({ age: 70 }), name: '张伟' });
    await arrangeAgreement(region, r.accountId, [{ memberId: r.selfMemberId, name: '张伟', ageGroup: 'elderly_65', packages: ['BASIC', 'BP-PKG'] }], cycle);

    const res = await http('GET', '/me/tips', { token: r.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const mine = (res.body.tips as any[]).filter((t) => t.id.startsWith(id));
    // Best fit first: the package tip (score 4), the age-group tip (2), then the general one.
    expect(mine.map((t) => t.id)).toEqual([`${id}-bp`, `${id}-elder`, `${id}-general`]);
    expect(mine[1]).toMatchObject({ title: '老年人防跌倒', categoryName: '养生保健', audience: '适合65岁及以上老年人', forMembers: [{ memberId: r.selfMemberId, name: '张伟' }] });
    expect(mine[2].audience).toBe('适合所有居民');
    expect(mine[0].bodyHtml).toContain('<p>');

    const one = await http('GET', `/me/tips/${id}-elder`, { token: r.token });
    expect(one.status).toBe(200);
    expect(one.body.tip.id).toBe(`${id}-elder`);
    const notForThem = await http('GET', `/me/tips/${id}-child`, { token: r.token });
    expect(notForThem.status).toBe(404);
    expect(notForThem.body.error.code).toBe('TIP_NOT_FOUND');
  });

  it('is not the pushed list: a resident with recommendations can have no pushed tip yet', async () => {
    const region = await arrangeRegion();
    const r = await resident({ idNumber: freshId({ age: 40 }) });
    await arrangeAgreement(region, r.accountId, [{ memberId: r.selfMemberId }], cycle);
    expect((await http('GET', '/me/tips', { token: r.token })).body.tips.length).toBeGreaterThan(0);
    expect((await http('GET', '/me/messages?kind=tip', { token: r.token })).body.messages).toEqual([]);
  });

  it('answers 401 without a session and 400 with the field for a malformed id', async () => {
    expect((await http('GET', '/me/tips')).status).toBe(401);
    const r = await resident();
    const bad = await http('GET', `/me/tips/${encodeURIComponent('a b')}`, { token: r.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ path: 'params.id', message: '知识编号格式有误' }]);
  });
});
