/**
 * A plan: what a decision writes, as named items, each with what its failed condition means.
 *
 * Decisions (shared/src/domain/<area>) take the loaded state and return a plan; the data layer
 * (functions/src/db/*.tx.ts) only translates each item into one TransactWriteItems entry and,
 * when the transaction is cancelled, hands the FIRST failed item (in plan order, so the order is
 * the precedence) back to its own `onFail` with the item as it was stored. Nothing below the
 * domain decides what a failure means, and no failure is decoded by its position.
 *
 * STYLE.md "Decide returns a plan; the data layer only applies it" (Medplum's $book).
 */
import type { DomainError } from './errors';

/** The item as stored when its condition failed (plain values), or undefined when there was none. */
export type Stored = Readonly<Record<string, unknown>> | undefined;

/** What a failed condition means. */
export type Failure =
  /** What was read is stale (another writer committed first): load again, decide again. */
  | { kind: 'retry' }
  /** A rule says no: the domain error to answer with. */
  | { kind: 'refuse'; error: DomainError }
  /** The request was applied before (idempotency): answer with what that one created. */
  | { kind: 'replay'; id: string; requestHash: string };

export interface PlanItem<W> {
  /** Unique within the plan, e.g. `teamCounter`, `personLock:1`, `agreement`. */
  name: string;
  write: W;
  /** Absent: the item's condition cannot fail for a reason the domain knows (a failure is a fault). */
  onFail?: (stored: Stored) => Failure;
}

export interface Plan<W> {
  items: PlanItem<W>[];
  /**
   * What it means when the store still reports write conflicts after its retries (a hot item);
   * absent: an internal error. One place to change for a typed retryable answer.
   */
  busy?: DomainError;
}

/** The answer of applying a plan: committed, or the failure of the named item that decided it. */
export type Applied = { kind: 'committed' } | (Failure & { item: string });

export const retry = (): Failure => ({ kind: 'retry' });
export const refuse =
  (error: DomainError) =>
  (): Failure => ({ kind: 'refuse', error });

/** An idempotency item that exists already: replay what it points at. */
export function replayOf(stored: Stored, idField: string): Failure {
  return { kind: 'replay', id: String(stored?.[idField] ?? ''), requestHash: String(stored?.requestHash ?? '') };
}
