/**
 * The pure policy engine (GitHub issue 4): region policies as data, eligibility, household
 * quotes, service cycles, renewal, termination and refunds. No clock, no env, no I/O.
 */
export {
  PAYERS,
  PAYER_CODES,
  PAYER_GROUPS,
  PACKAGE_CATEGORIES,
  TIERS,
  TERMINATION_REASONS,
  REGION_IDS,
  regionPolicySchema,
  packageSchema,
  itemSchema,
  pricingRuleSchema,
  populationMatcherSchema,
  type Payer,
  type RegionId,
  type RegionPolicy,
  type ServicePackage,
  type PackageItem,
  type PricingRule,
  type PopulationMatcher,
  type InstitutionValues,
  type TerminationReason,
  type BookingPolicy,
  type CoverageTarget,
} from './types';
export { HEALTH_PUSH_ITEM_CODE, CLINIC_APPOINTMENT_ITEM_CODE, yearlyQuantity, promisedUnits } from './items';
export { BOOKING_DEFAULTS } from './defaults';
export { allPolicies, policyFor, policyVersion, findPackage, isRegionId, needsInstitutionValues, validatePolicy } from './registry';
export { ageOf, matches, eligiblePackages, promisedItems, type PackageEligibility } from './eligibility';
export { priceLine, formatYuan, zeroAmounts } from './pricing';
export {
  quote,
  assertQuoteOk,
  type Quote,
  type QuoteLine,
  type QuoteIssue,
  type QuoteIssueCode,
  type QuoteSelection,
  type QuoteOptions,
  type MemberSelection,
  type MemberQuote,
  type PayerAmounts,
  type PayerGroup,
  type PayerShare,
  type SigningKind,
} from './quote';
export {
  serviceCycle,
  renewalWindow,
  renewalDecision,
  canTerminateEarly,
  anniversary,
  TERMINATION_REASON_CODES,
  type Cycle,
  type CycleInput,
  type AgreementState,
  type RenewalAction,
  type RenewalDecision,
  type TerminationCheck,
} from './cycle';
export { refund, refundPackageOf, type RefundInput, type RefundItem, type RefundPackage, type RefundResult, type PackageRefund } from './refund';
export { catalogView, regionSummary, priceText, cycleText, type CatalogPackageView, type CatalogItemView, type RegionSummary } from './views';
export { LIYANG_KEY_POPULATION, LIYANG_SPECIAL_SEVEN } from './regions/liyang-2019';
export { YONGKANG_HARDSHIP } from './regions/yongkang';
export { WEIHAI_CHARITY_GROUPS } from './regions/weihai-2023';
