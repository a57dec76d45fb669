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
  // Agreements, payments, receivables (docs/table-design.md "Agreements") -------------------
  /** The agreement; its partition also holds payments (PAY#), refunds (REFUND#), audit (AUDIT#) and fulfilment (SVC#). */
  agreement: (agreementId: string) => ({ pk: `AGR#${agreementId}`, sk: 'AGR' }),
  /** gsi1: agreements of a household account, newest last. */
  agreementByAccount: (accountId: string, createdAt: string, agreementId: string) => ({ gsi1pk: `ACCT#${accountId}#AGRS`, gsi1sk: `${createdAt}#${agreementId}` }),
  /** gsi2: agreements of a team by status (the sort key moves with every transition). */
  agreementByTeam: (teamId: string, status: string, createdAt: string, agreementId: string) => ({
    gsi2pk: `TEAM#${teamId}#AGRS`,
    gsi2sk: `${status}#${createdAt}#${agreementId}`,
  }),
  /** gsi3 (sparse, only while active): active agreements per region in 16 shards, by cycle end. */
  agreementActive: (regionId: string, shard: number, cycleEnd: string, agreementId: string) => ({
    gsi3pk: `AGR#ACTIVE#${regionId}#${shard}`,
    gsi3sk: `${cycleEnd}#${agreementId}`,
  }),
  /** gsi3 (sparse, only while pending_payment): unpaid agreements in 16 shards, by expiry instant. */
  agreementPending: (shard: number, pendingExpiresAt: string, agreementId: string) => ({
    gsi3pk: `AGR#PENDING#${shard}`,
    gsi3sk: `${pendingExpiresAt}#${agreementId}`,
  }),
  /** gsi3 (sparse, only while scheduled): confirmed renewals in 16 shards, by cycle start. */
  agreementScheduled: (shard: number, cycleStart: string, agreementId: string) => ({
    gsi3pk: `AGR#SCHEDULED#${shard}`,
    gsi3sk: `${cycleStart}#${agreementId}`,
  }),
  /** One person ↔ at most one current (active or pending) agreement: keyed by the member's idHash. */
  signLock: (idHash: string) => ({ pk: `SIGNLOCK#${idHash}`, sk: 'SIGNLOCK' }),
  /** Idempotency of POST /agreements (and renewals): one agreement per (account, key). */
  signIdempotency: (accountId: string, key: string) => ({ pk: `IDEM#AGR#${accountId}#${key}`, sk: 'IDEM' }),
  /** A WeChat Pay order of an agreement. */
  payment: (agreementId: string, outTradeNo: string) => ({ pk: `AGR#${agreementId}`, sk: `PAY#${outTradeNo}` }),
  /** A refund sent through the payment provider. */
  refund: (agreementId: string, outRefundNo: string) => ({ pk: `AGR#${agreementId}`, sk: `REFUND#${outRefundNo}` }),
  /** Append-only audit of every transition (who, when, why). */
  agreementAudit: (agreementId: string, at: string, id: string) => ({ pk: `AGR#${agreementId}`, sk: `AUDIT#${at}#${id}` }),
  /** Fulfilment ledger entry (written by the staff console; `voided: true` entries do not count). */
  fulfilment: (agreementId: string, at: string, entryId: string) => ({ pk: `AGR#${agreementId}`, sk: `SVC#${at}#${entryId}` }),
  /** Fund shares of an agreement, per institution per month of activation (reconciliation). */
  receivable: (institutionId: string, month: string, agreementId: string) => ({ pk: `INST#${institutionId}#RECV#${month}`, sk: `AGR#${agreementId}` }),
} as const;

export type Keys = typeof keys;
