import { describe, expect, it } from 'vitest';
import { quarterPhase, tipFigures } from './compliance';

describe('quarterPhase: a quarter is open through its last day (Asia/Shanghai dates)', () => {
  it.each([
    ['2026Q4', '2026-09-30', 'upcoming'],
    ['2026Q4', '2026-10-01', 'open'],
    ['2026Q4', '2026-12-31', 'open'],
    ['2026Q4', '2027-01-01', 'closed'],
    ['2027Q1', '2026-12-31', 'upcoming'],
    ['2027Q1', '2027-03-31', 'open'],
    ['2027Q1', '2027-04-01', 'closed'],
    // Leap year: Q1 runs through 29 Feb into March.
    ['2028Q1', '2028-02-29', 'open'],
    ['2028Q1', '2028-03-31', 'open'],
    ['2028Q1', '2028-04-01', 'closed'],
    ['2026Q2', '2026-06-30', 'open'],
    ['2026Q2', '2026-07-01', 'closed'],
    ['2026Q3', '2026-09-30', 'open'],
    ['2026Q3', '2026-10-01', 'closed'],
  ])('%s on %s is %s', (quarter, today, phase) => {
    expect(quarterPhase(quarter, today)).toBe(phase);
  });
});

describe('tipFigures: without a tip is pending until the quarter ends, then missed', () => {
  it.each([
    // quarter, today, signed, withTip → pending, missed
    ['2026Q4', '2026-12-31', 10, 7, 3, 0],
    ['2026Q4', '2027-01-01', 10, 7, 0, 3],
    ['2028Q1', '2028-02-29', 4, 4, 0, 0],
    ['2028Q1', '2028-04-01', 4, 1, 0, 3],
    ['2027Q1', '2026-12-20', 2, 0, 2, 0],
  ])('%s on %s: %i signed, %i with a tip', (quarter, today, signed, withTip, pending, missed) => {
    expect(tipFigures(signed, withTip, quarter, today)).toEqual({ signed, withTip, pending, missed });
  });

  it('never counts more residents with a tip than signed ones (a delivery to someone whose agreement ended since)', () => {
    expect(tipFigures(3, 5, '2026Q4', '2027-01-05')).toEqual({ signed: 3, withTip: 3, pending: 0, missed: 0 });
  });
});
