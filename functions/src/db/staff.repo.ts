/** Staff accounts (team doctors, assistants, institution and region admins). */
import type { StaffRole } from '@jiayi/shared/schemas/staff';
import { getFields, putRecord } from './client';
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

export function putStaff(s: StaffRecord): Promise<void> {
  return putRecord(keys.staff(s.id), 'staff', s);
}

export function getStaff(id: string): Promise<StaffRecord | undefined> {
  return getFields<StaffRecord>(keys.staff(id), ['id', 'name', 'role', 'regionId', 'institutionId', 'teamId', 'passwordHash']);
}
