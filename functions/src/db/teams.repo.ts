/**
 * Institutions and family-doctor teams. A team item carries its capacity and the counter of
 * active + pending members; the signing transaction moves the counter with a condition, so the
 * capacity can never be exceeded (see agreements.repo.ts).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Doctor, Institution } from '@jiayi/shared/schemas/teams';
import { db, tableName } from './client';
import { keys } from './keys';
import { queryAll } from './query';

export interface TeamRecord {
  id: string;
  institutionId: string;
  regionId: string;
  name: string;
  doctors: Doctor[];
  clinicHours: string[];
  capacity: number;
  memberCount: number;
}

export async function putInstitution(inst: Institution): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.institution(inst.id), ...keys.institutionByRegion(inst.regionId, inst.id), type: 'institution', ...inst },
    }),
  );
}

export async function getInstitution(id: string): Promise<Institution | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.institution(id) }));
  return r.Item ? stripInstitution(r.Item) : undefined;
}

export async function listInstitutions(regionId: string): Promise<Institution[]> {
  const items = await queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.institutionByRegion(regionId, '').gsi1pk } });
  return items.map(stripInstitution);
}

/**
 * Creates or updates a team's descriptive fields. The member counter is only ever moved by the
 * signing transactions: an existing counter is kept.
 */
export async function putTeam(team: Omit<TeamRecord, 'memberCount'> & { memberCount?: number }): Promise<void> {
  const existing = await getTeam(team.id);
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.team(team.id),
        ...keys.teamByInstitution(team.institutionId, team.id),
        type: 'team',
        ...team,
        memberCount: existing?.memberCount ?? team.memberCount ?? 0,
      },
    }),
  );
}

export async function getTeam(id: string, consistent = false): Promise<TeamRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.team(id), ConsistentRead: consistent }));
  return r.Item ? stripTeam(r.Item) : undefined;
}

export async function listTeams(institutionId: string): Promise<TeamRecord[]> {
  const items = await queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.teamByInstitution(institutionId, '').gsi1pk } });
  return items.map(stripTeam).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

function stripInstitution(i: Record<string, unknown>): Institution {
  return { id: i.id, regionId: i.regionId, name: i.name, kind: i.kind, address: i.address, phone: i.phone } as Institution;
}

function stripTeam(i: Record<string, unknown>): TeamRecord {
  return {
    id: i.id as string,
    institutionId: i.institutionId as string,
    regionId: i.regionId as string,
    name: i.name as string,
    doctors: (i.doctors as Doctor[]) ?? [],
    clinicHours: (i.clinicHours as string[]) ?? [],
    capacity: i.capacity as number,
    memberCount: (i.memberCount as number) ?? 0,
  };
}
