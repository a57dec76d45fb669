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
  // Staff and their access log -------------------------------------------------------------
  staff: (staffId: string) => ({ pk: `STAFF#${staffId}`, sk: 'STAFF' }),
  /** Sensitive-data reads by staff, kept under the subject's household account. */
  accessLog: (accountId: string, at: string, id: string) => ({ pk: `ACCT#${accountId}#ACCESS`, sk: `ACCESS#${at}#${id}` }),
  /** gsi1: what one staff member read. */
  accessLogByStaff: (staffId: string, at: string, id: string) => ({ gsi1pk: `STAFF#${staffId}#ACCESS`, gsi1sk: `${at}#${id}` }),
} as const;

export type Keys = typeof keys;
