/**
 * A fair (FIFO) readers–writer lock for the local transaction layer.
 *
 * `shared` holders run concurrently; an `exclusive` holder runs alone. Waiters are granted in
 * arrival order: a shared request that arrives after a queued exclusive request waits behind
 * it, so a stream of single-item operations can never starve a transaction.
 */
export type LockMode = 'shared' | 'exclusive';

interface Waiter {
  mode: LockMode;
  grant: () => void;
}

export class RwLock {
  private sharedHolders = 0;
  private exclusiveHeld = false;
  private readonly queue: Waiter[] = [];

  /** Runs `fn` while holding the lock in `mode`; the lock is released even if `fn` throws. */
  async run<T>(mode: LockMode, fn: () => Promise<T>): Promise<T> {
    await this.acquire(mode);
    try {
      return await fn();
    } finally {
      this.release(mode);
    }
  }

  /** Numbers for tests and diagnostics. */
  get state(): { shared: number; exclusive: boolean; waiting: number } {
    return { shared: this.sharedHolders, exclusive: this.exclusiveHeld, waiting: this.queue.length };
  }

  private acquire(mode: LockMode): Promise<void> {
    if (this.queue.length === 0 && this.canGrant(mode)) {
      this.take(mode);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.queue.push({ mode, grant: resolve });
    });
  }

  private canGrant(mode: LockMode): boolean {
    if (this.exclusiveHeld) return false;
    return mode === 'shared' || this.sharedHolders === 0;
  }

  private take(mode: LockMode): void {
    if (mode === 'exclusive') this.exclusiveHeld = true;
    else this.sharedHolders += 1;
  }

  private release(mode: LockMode): void {
    if (mode === 'exclusive') this.exclusiveHeld = false;
    else this.sharedHolders -= 1;
    // Grant from the head of the queue while compatible: either one exclusive waiter, or a run
    // of consecutive shared waiters.
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (!this.canGrant(head.mode)) break;
      this.queue.shift();
      this.take(head.mode);
      head.grant();
      if (head.mode === 'exclusive') break;
    }
  }
}
