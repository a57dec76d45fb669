import { describe, expect, it } from 'vitest';
import { staffCovers } from './scope';
import type { Principal } from './auth';

const target = { teamId: 't1', institutionId: 'i1', regionId: 'r1' };
const staff = (role: string, extra: Partial<Principal>): Principal => ({ kind: 'staff', sub: 's', role, ...extra });

describe('staffCovers', () => {
  it.each([
    ['team doctor, own team', staff('team_doctor', { teamId: 't1', institutionId: 'i1', regionId: 'r1' }), target, true],
    ['team doctor, other team of the same institution', staff('team_doctor', { teamId: 't2', institutionId: 'i1', regionId: 'r1' }), target, false],
    ['team assistant, own team', staff('team_assistant', { teamId: 't1' }), target, true],
    ['institution admin, own institution', staff('institution_admin', { institutionId: 'i1', regionId: 'r1' }), target, true],
    ['institution admin, other institution', staff('institution_admin', { institutionId: 'i2', regionId: 'r1' }), target, false],
    ['region admin, own region', staff('region_admin', { regionId: 'r1' }), target, true],
    ['region admin, other region', staff('region_admin', { regionId: 'r2' }), target, false],
    ['unknown role', staff('janitor', { teamId: 't1', institutionId: 'i1', regionId: 'r1' }), target, false],
    ['a resident token', { kind: 'resident', sub: 'a', teamId: 't1' } as Principal, target, false],
    ['target without a team', staff('team_doctor', { teamId: 't1' }), { institutionId: 'i1' }, false],
  ])('%s', (_n, p, t, ok) => {
    expect(staffCovers(p, t)).toBe(ok);
  });
});
