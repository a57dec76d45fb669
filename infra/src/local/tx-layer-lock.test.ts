import { describe, expect, it } from 'vitest';
import { RwLock } from './tx-layer-lock';

/** A promise with its resolver, so a test decides when each critical section ends. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets every already-queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RwLock', () => {
  it('lets shared holders run together', async () => {
    const lock = new RwLock();
    const g = gate();
    const a = lock.run('shared', () => g.promise);
    const b = lock.run('shared', () => g.promise);
    await settle();
    expect(lock.state).toEqual({ shared: 2, exclusive: false, waiting: 0 });
    g.open();
    await Promise.all([a, b]);
    expect(lock.state).toEqual({ shared: 0, exclusive: false, waiting: 0 });
  });

  it('runs an exclusive holder alone and grants waiters in arrival order', async () => {
    const lock = new RwLock();
    const events: string[] = [];
    const g1 = gate();
    const r1 = lock.run('shared', async () => {
      events.push('r1 start');
      await g1.promise;
      events.push('r1 end');
    });
    const w = lock.run('exclusive', async () => {
      events.push('w start');
      await settle();
      events.push('w end');
    });
    // Arrives after the writer: must wait behind it even though a reader holds the lock.
    const r2 = lock.run('shared', async () => {
      events.push('r2');
    });
    await settle();
    expect(events).toEqual(['r1 start']);
    expect(lock.state.waiting).toBe(2);
    g1.open();
    await Promise.all([r1, w, r2]);
    expect(events).toEqual(['r1 start', 'r1 end', 'w start', 'w end', 'r2']);
  });

  it('releases the lock when the critical section throws', async () => {
    const lock = new RwLock();
    await expect(lock.run('exclusive', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(lock.state).toEqual({ shared: 0, exclusive: false, waiting: 0 });
    await expect(lock.run('exclusive', () => Promise.resolve(42))).resolves.toBe(42);
  });

  it('never has two exclusive holders at once', async () => {
    const lock = new RwLock();
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        lock.run(i % 3 === 0 ? 'shared' : 'exclusive', async () => {
          if (i % 3 !== 0) {
            inside += 1;
            maxInside = Math.max(maxInside, inside);
            await settle();
            inside -= 1;
          } else {
            expect(inside).toBe(0);
            await settle();
          }
        }),
      ),
    );
    expect(maxInside).toBe(1);
  });
});
