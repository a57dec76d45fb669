export declare class LocalClock {
    readonly file: string;
    private constructor();
    /** A clock file at `file` reading `start` now. */
    static create(file: string, start: Date): LocalClock;
    /** An existing clock file (another process's stack, e.g. a test's). */
    static open(file: string): LocalClock;
    now(): Date;
    nowMs(): number;
    /** The stack's time becomes `at` (and keeps advancing from there). */
    set(at: Date): void;
    /** Moves the stack's time forward (or back, with a negative amount) by `ms`. */
    advance(ms: number): Date;
    remove(): void;
}
/**
 * The instant `--date` names: `YYYY-MM-DD` keeps the current Asia/Shanghai time of day on that
 * date (what changing a phone's date does); `YYYY-MM-DDTHH:mm` is that Asia/Shanghai instant.
 * Returns a message instead of throwing so the CLI can print it.
 */
export declare function parseStartDate(value: string, systemNow?: Date): Date | {
    error: string;
};
