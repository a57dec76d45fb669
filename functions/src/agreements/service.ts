/**
 * Signing and payments (issue 5): what the HTTP handlers (./handler.ts, ../payments/handler.ts),
 * the scheduled jobs (../agreement-jobs/handler.ts), the seed and the benchmark call. Each flow
 * is load → decide (shared/src/domain/agreements) → apply one plan (../db/agreements.tx.ts):
 * creating agreements ./signing.ts, unpaid holds and reads ./expiry.ts, payments ./payments.ts,
 * termination and cycle ends ./lifecycle.ts.
 */
export type { Actor } from '../db/agreements.repo';
export { changeTeam, quoteForHousehold, renewAgreement, signAgreement, type SignRequest, type SignResult } from './signing';
export { agreementsOf, cancelUnpaid, expireUnpaid, expireUnpaidSweep, ownedAgreement, readAgreement } from './expiry';
export { handlePaymentNotification, payAgreement, sendRefund, simulatedTransactionId, simulatePayment, type NotificationResult, type PayResult } from './payments';
export { endCycle, refundPreview, runDaily, terminateAgreement, type DailyReport } from './lifecycle';
