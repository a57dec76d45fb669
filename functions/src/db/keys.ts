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
  // Health-knowledge push (docs/table-design.md "Health-knowledge push") ---------------------
  /** A tip of the library. */
  tip: (tipId: string) => ({ pk: `TIP#${tipId}`, sk: 'TIP' }),
  /** gsi1: tips of a region (or `all`, the platform's starter library) by status. */
  tipByRegion: (regionId: string, status: string, createdAt: string, tipId: string) => ({ gsi1pk: `TIPS#${regionId}`, gsi1sk: `${status}#${createdAt}#${tipId}` }),
  /** One-time subscribe-message credits of an account for one template. */
  subscribeCredit: (accountId: string, templateId: string) => ({ pk: `ACCT#${accountId}#SUBS`, sk: `TPL#${templateId}` }),
  /** Exactly-once delivery of the quarter's tip to one signed resident (memberKey = the member's idHash). */
  pushDelivery: (quarter: string, memberKey: string) => ({ pk: `PUSH#${quarter}#${memberKey}`, sk: 'PUSH' }),
  /** A resident's push history (tips received, quarters covered). */
  pushHistory: (memberKey: string) => ({ pk: `PUSHHIST#${memberKey}`, sk: 'PUSHHIST' }),
  /** Compliance counters of a (region, quarter), spread over the agreement index shards. */
  pushStatTeam: (regionId: string, quarter: string, shard: number, teamId: string) => ({ pk: `PUSHSTAT#${regionId}#${quarter}#${shard}`, sk: `TEAM#${teamId}` }),
  /** What one planner run saw per team (signed, already covered, enqueued). */
  pushStatRun: (regionId: string, quarter: string, shard: number, runId: string, teamId: string) => ({ pk: `PUSHSTAT#${regionId}#${quarter}#${shard}`, sk: `RUN#${runId}#TEAM#${teamId}` }),
  /** The latest completed planner run of a (region, quarter). */
  pushLatestRun: (regionId: string, quarter: string) => ({ pk: `PUSHSTAT#${regionId}#${quarter}`, sk: 'LATEST' }),
  /**
   * A resident's agreement became active (written in the activation's own transaction): the
   * catch-up sweep delivers the quarter's tip within minutes. TTL'd; one per activation.
   */
  pushActivation: (agreementId: string, at: string) => ({ pk: `PUSHACT#${agreementId}`, sk: `AT#${at}` }),
  /** gsi3 (sparse, sharded like the agreement index): activations by instant, for the catch-up sweep. */
  pushActivationByTime: (shard: number, at: string, agreementId: string) => ({ gsi3pk: `PUSH#ACTIVATED#${shard}`, gsi3sk: `${at}#${agreementId}` }),
  /** How far the catch-up sweep has read the activations (its watermark). */
  pushCatchUpWatermark: () => ({ pk: 'PUSHACT#SWEEP', sk: 'WATERMARK' }),
  /** Push channel configuration (tip template, long-term flag, SMS template) of a region or institution. */
  pushConfig: (scope: 'REGION' | 'INST', id: string) => ({ pk: `PUSHCFG#${scope}#${id}`, sk: 'PUSHCFG' }),
  // In-app messages (docs/table-design.md "Messages"): reminders, notices, health tips --------
  /** One in-app message of a household account, newest last by `at`. */
  message: (accountId: string, at: string, id: string) => ({ pk: `ACCT#${accountId}#MSG`, sk: `MSG#${at}#${id}` }),
  // Appointments at the signing clinic (docs/table-design.md "Appointments") ----------------
  /** A team's published weekly rota (sessions, closed dates, horizon); in the team's partition. */
  rota: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: 'ROTA' }),
  /** gsi1: every published rota (the daily slot job walks them). */
  rotaIndex: (teamId: string) => ({ gsi1pk: 'ROTAS', gsi1sk: `TEAM#${teamId}` }),
  /** A bookable slot of a team's clinic; slot ids start with the date, so a date range is one Query. */
  slot: (teamId: string, slotId: string) => ({ pk: `TEAM#${teamId}#SLOTS`, sk: `SLOT#${slotId}` }),
  /** An appointment, in the household's appointment partition (IDOR-safe: keyed by the caller's account). */
  appointment: (accountId: string, appointmentId: string) => ({ pk: `ACCT#${accountId}#APPTS`, sk: `APPT#${appointmentId}` }),
  /** gsi1: an appointment by id (staff routes). */
  appointmentById: (appointmentId: string) => ({ gsi1pk: `APPT#${appointmentId}`, gsi1sk: 'APPT' }),
  /** gsi2: a team's appointments of one day, by start time (console day list, rota changes). */
  appointmentByTeamDay: (teamId: string, date: string, start: string, appointmentId: string) => ({
    gsi2pk: `TEAM#${teamId}#APPTS#${date}`,
    gsi2sk: `${start}#${appointmentId}`,
  }),
  /** gsi3 (sparse, while a reminder is pending): appointments by reminder instant, in 4 shards. */
  appointmentReminder: (shard: number, remindAt: string, appointmentId: string) => ({ gsi3pk: `APPT#REMIND#${shard}`, gsi3sk: `${remindAt}#${appointmentId}` }),
  /** Per member and booking counter: future appointments (id → start) and no-show dates; versioned. */
  bookingCounter: (accountId: string, memberId: string) => ({ pk: `ACCT#${accountId}#APPTS`, sk: `COUNTER#${memberId}` }),
  /** One member cannot hold two appointments starting at the same instant. */
  appointmentTimeLock: (accountId: string, memberId: string, startAt: string) => ({ pk: `APPTLOCK#${accountId}#${memberId}#${startAt}`, sk: 'APPTLOCK' }),
  /** Idempotency of POST /appointments: one appointment per (account, key). */
  bookingIdempotency: (accountId: string, key: string) => ({ pk: `IDEM#APPT#${accountId}#${key}`, sk: 'IDEM' }),
  /** Reminder-sent marker: the day-before reminder of an appointment goes out once. */
  reminderSent: (accountId: string, appointmentId: string) => ({ pk: `ACCT#${accountId}#APPTS`, sk: `REMINDED#${appointmentId}` }),
  // Clinic console: reports, population register, complaints, ratings (docs/reports.md) -------
  /** Report counters of an institution: `<SIGN|SVC|RATE>#<yyyy-mm>#<teamId>` and `CMP#<yyyy-mm>#-`; ADDed in the event's transaction. */
  reportCounter: (institutionId: string, kind: 'SIGN' | 'SVC' | 'RATE' | 'CMP', month: string, teamId: string) => ({ pk: `RPT#INST#${institutionId}`, sk: `${kind}#${month}#${teamId}` }),
  /** The institution's uploaded population register (denominators of coverage); one item, replaced whole. */
  populationRegister: (institutionId: string) => ({ pk: `INST#${institutionId}`, sk: 'POPREG' }),
  /** A resident's complaint about their team, in the institution's inbox (ids sort by filing time). */
  complaint: (institutionId: string, complaintId: string) => ({ pk: `INST#${institutionId}#CMPS`, sk: `CMP#${complaintId}` }),
  /** gsi1: a household's own complaints. */
  complaintByAccount: (accountId: string, complaintId: string) => ({ gsi1pk: `ACCT#${accountId}#CMPS`, gsi1sk: complaintId }),
  /** One rating per rated appointment or service entry (uniqueness + the rating itself). */
  rating: (kind: 'appointment' | 'service', targetId: string) => ({ pk: `RATING#${kind}#${targetId}`, sk: 'RATING' }),
} as const;

export type Keys = typeof keys;
