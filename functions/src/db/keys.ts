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
  // Residents: accounts, household members, consents (docs/table-design.md "Residents") ------
  /** The resident account; its partition also holds members, consent and privacy records. */
  account: (accountId: string) => ({ pk: `ACCT#${accountId}`, sk: 'ACCOUNT' }),
  /** WeChat openid → account (uniqueness item: one account per openid). */
  accountByOpenid: (openid: string) => ({ pk: `OPENID#${openid}`, sk: 'OPENID' }),
  /** A household member (the account holder is the member with relation 本人). */
  member: (accountId: string, memberId: string) => ({ pk: `ACCT#${accountId}`, sk: `MEMBER#${memberId}` }),
  /** Append-only consent decisions, ordered by instant. */
  consentRecord: (accountId: string, at: string, id: string) => ({ pk: `ACCT#${accountId}`, sk: `CONSENT#${at}#${id}` }),
  /** Append-only privacy-notice acceptances, ordered by instant. */
  privacyRecord: (accountId: string, at: string, id: string) => ({ pk: `ACCT#${accountId}`, sk: `PRIVACY#${at}#${id}` }),
  /** One person (ID document) ↔ at most one account/member: keyed by HMAC of the normalised number. */
  personUnique: (idHash: string) => ({ pk: `PERSON#${idHash}`, sk: 'PERSON' }),
} as const;

export type Keys = typeof keys;
