/**
 * Every key of the single table is built here and nowhere else. The access patterns each key
 * serves are listed in docs/table-design.md. Composite parts are joined with '#'.
 */
export const keys = {
  health: () => ({ pk: 'HEALTH', sk: 'HEALTH' }),

  // Institutions and teams --------------------------------------------------------------
  institution: (institutionId: string) => ({ pk: `INST#${institutionId}`, sk: 'INST' }),
  /** gsi1: institutions of a region. */
  institutionByRegion: (regionId: string, institutionId: string) => ({ gsi1pk: `REGION#${regionId}#INSTS`, gsi1sk: `INST#${institutionId}` }),
  team: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: 'TEAM' }),
  /** gsi1: teams of an institution. */
  teamByInstitution: (institutionId: string, teamId: string) => ({ gsi1pk: `INST#${institutionId}#TEAMS`, gsi1sk: `TEAM#${teamId}` }),
} as const;

export type Keys = typeof keys;
