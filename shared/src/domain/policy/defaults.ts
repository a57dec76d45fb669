/**
 * Platform defaults that no seed fixes. Kept in one place so a region version can override them
 * and docs/decisions.md ("Policy engine") can name them.
 */
import type { BookingPolicy, PopulationMatcher } from './types';

/**
 * Booking limits. No seed gives numbers; these are the platform defaults the lead set for the
 * appointment feature (3 future bookings, cancel up to 2 hours before). The no-show figures are
 * ours (see docs/decisions.md) — a resident is warned before the limit and can always call the team.
 */
export const BOOKING_DEFAULTS: BookingPolicy = {
  maxFutureAppointments: 3,
  cancelDeadlineMinutes: 120,
  noShowLimit: 3,
  noShowWindowDays: 90,
  noShowSuspensionDays: 30,
  source: 'platform default (no seed sets booking limits)',
};

/** 0-6岁儿童: up to the 7th birthday (age 6 inclusive). */
export const CHILD_0_6: PopulationMatcher = { maxAge: 6 };
/** 65岁及以上老年人 (liyang-2019 §二(一); the annex's "65岁以上" is read the same way). */
export const ELDERLY_65: PopulationMatcher = { minAge: 65 };
export const PREGNANT: PopulationMatcher = { sex: 'F', anyConditions: ['pregnant'] };
