/**
 * GET /institutions?regionId — the region's primary-care institutions.
 * GET /teams?institutionId — its family-doctor teams with doctors, clinic hours and remaining
 * capacity; a full team is marked full and cannot be chosen (liyang-2019 §二(三)1).
 */
import { NotFoundError } from '@jiayi/shared/domain/errors';
import { institutionsQuery, teamsQuery, type TeamView } from '@jiayi/shared/schemas/teams';
import { route, router } from '../http/with-http';
import { getInstitution, listInstitutions, listTeams } from '../db/teams.repo';

export const handler = router({
  'GET /institutions': route({ auth: 'none', query: institutionsQuery }, async ({ query }) => ({
    institutions: await listInstitutions(query.regionId),
  })),

  'GET /teams': route({ auth: 'none', query: teamsQuery }, async ({ query }) => {
    const institution = await getInstitution(query.institutionId);
    if (!institution) throw new NotFoundError('未找到该医疗机构', 'INSTITUTION_NOT_FOUND');
    const teams = await listTeams(institution.id);
    return {
      teams: teams.map(
        (t): TeamView => ({
          ...t,
          remaining: Math.max(0, t.capacity - t.memberCount),
          full: t.memberCount >= t.capacity,
          institution,
        }),
      ),
    };
  }),
});
