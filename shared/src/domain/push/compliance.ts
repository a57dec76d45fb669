/**
 * The quarterly health-push compliance figures (yongkang 基本服务包 第4项 健康知识推送,
 * 每季度不少于1条): a signed resident without a tip is only *missed* once the quarter has ended
 * without a delivery; until its last day (Asia/Shanghai) they are *pending* — the catch-up or the
 * next run may still reach them. Pure: `today` is a parameter.
 */
import type { LocalDate, Quarter } from '../dates';
import { quarterRange } from '../dates';

/** upcoming: the quarter has not begun; open: today is in it (its last day included); closed: it has ended. */
export type QuarterPhase = 'upcoming' | 'open' | 'closed';

export function quarterPhase(quarter: Quarter | string, today: LocalDate): QuarterPhase {
  const { start, end } = quarterRange(quarter);
  if (today < start) return 'upcoming';
  return today <= end ? 'open' : 'closed';
}

export interface TipFigures {
  signed: number;
  withTip: number;
  /** Without a tip, the quarter still running. */
  pending: number;
  /** Without a tip, the quarter over. */
  missed: number;
}

/** Splits the residents without a tip into pending and missed by the quarter's phase on `today`. */
export function tipFigures(signed: number, withTip: number, quarter: Quarter | string, today: LocalDate): TipFigures {
  const covered = Math.min(signed, withTip);
  const without = signed - covered;
  const closed = quarterPhase(quarter, today) === 'closed';
  return { signed, withTip: covered, pending: closed ? 0 : without, missed: closed ? without : 0 };
}
