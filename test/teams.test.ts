import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { http, storeClient, tableName } from './stack';
import { keys } from '../functions/src/db/keys';

async function arrangeTeam(institutionId: string, teamId: string, capacity: number, memberCount: number) {
  await storeClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.team(teamId),
        ...keys.teamByInstitution(institutionId, teamId),
        type: 'team',
        id: teamId,
        institutionId,
        regionId: 'liyang-2019',
        name: `团队${teamId.slice(0, 4)}`,
        doctors: [{ name: '王医生', title: '主治医师', role: 'gp', lead: true }],
        clinicHours: ['周一至周五 08:00-11:30'],
        capacity,
        memberCount,
      },
    }),
  );
}

describe('GET /teams', () => {
  it('lists an institution’s teams with doctors, hours and remaining capacity; full teams are marked', async () => {
    const inst = randomUUID();
    const regionId = `region-${randomUUID()}`;
    await storeClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.institution(inst), ...keys.institutionByRegion(regionId, inst), id: inst, regionId, name: '测试卫生院', kind: '乡镇卫生院', address: '测试路1号', phone: '0519-1' },
      }),
    );
    await arrangeTeam(inst, `a-${randomUUID()}`, 2000, 1999);
    await arrangeTeam(inst, `b-${randomUUID()}`, 2000, 2000);
    const r = await http('GET', `/teams?institutionId=${inst}`);
    expect(r.status).toBe(200);
    const byRemaining = [...r.body.teams].sort((x: any, y: any) => x.remaining - y.remaining);
    expect(byRemaining.map((t: any) => [t.remaining, t.full])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(r.body.teams[0].institution.name).toBe('测试卫生院');
    expect(r.body.teams[0].doctors[0]).toMatchObject({ name: '王医生', role: 'gp', lead: true });

    const insts = await http('GET', `/institutions?regionId=${regionId}`);
    expect(insts.body.institutions.map((i: any) => i.id)).toEqual([inst]);
  });

  it('answers a missing institutionId with 400, the field path and a Chinese message', async () => {
    const r = await http('GET', '/teams');
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('query.institutionId');
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('answers an unknown institution with 404', async () => {
    const r = await http('GET', `/teams?institutionId=${randomUUID()}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('INSTITUTION_NOT_FOUND');
  });
});
