/** Staff accounts (team doctors, assistants, institution and region admins). */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StaffRole } from '@jiayi/shared/schemas/staff';
import { db, tableName } from './client';
import { keys } from './keys';

export interface StaffRecord {
  id: string;
  name: string;
  role: StaffRole;
  regionId: string;
  institutionId?: string;
  teamId?: string;
  passwordHash: string;
}

export async function putStaff(s: StaffRecord): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.staff(s.id), type: 'staff', ...s } }));
}

export async function getStaff(id: string): Promise<StaffRecord | undefined> {
  const r = await db().send(new GetCommand({ TableName: tableName(), Key: keys.staff(id) }));
  if (!r.Item) return undefined;
  const { id: sid, name, role, regionId, institutionId, teamId, passwordHash } = r.Item as StaffRecord;
  return { id: sid, name, role, regionId, institutionId, teamId, passwordHash };
}
