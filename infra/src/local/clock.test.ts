import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instantFromAnchor, parseAnchor, readAnchor } from '../../../functions/src/lib/clock';
import { isLocalStage, loadConfig } from '../../../functions/src/lib/config';
import { LocalClock } from './clock';

describe('the local clock advances from its anchor', () => {
  it('reads the stack time as anchor + real time elapsed', () => {
    const anchor = { v: 1 as const, at: '2027-12-31T15:59:30.000Z', realMs: 1_000_000 };
    expect(instantFromAnchor(anchor, 1_000_000).toISOString()).toBe('2027-12-31T15:59:30.000Z');
    // 30 s later it is 1 Jan 00:00 Asia/Shanghai.
    expect(instantFromAnchor(anchor, 1_030_000).toISOString()).toBe('2027-12-31T16:00:00.000Z');
  });

  it('a file written by LocalClock is what every process reads; moving it is seen at once', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jiayi-clock-')), 'clock.json');
    const c = LocalClock.create(file, new Date('2028-02-28T16:00:00Z'));
    const read = () => instantFromAnchor(readAnchor(file), Date.now()).getTime();
    expect(Math.abs(read() - Date.parse('2028-02-28T16:00:00Z'))).toBeLessThan(5_000);
    c.advance(24 * 3_600_000); // to 29 Feb 2028 (leap day), Asia/Shanghai midnight
    expect(Math.abs(read() - Date.parse('2028-02-29T16:00:00Z'))).toBeLessThan(5_000);
    c.remove();
    expect(() => readAnchor(file)).toThrow();
  });

  it('never falls back to the system clock on a bad file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jiayi-clock-')), 'clock.json');
    writeFileSync(file, '{"v":1,"at":"not a date","realMs":0}');
    expect(() => readAnchor(file)).toThrow(/malformed/);
    expect(() => parseAnchor('nope', file)).toThrow(/not JSON/);
  });
});

describe('the local clock is refused on every deployed stage (config.ts decides local vs deployed)', () => {
  it.each(['dev', 'staging', 'prod', 'production', 'Local'])('stage %s with LOCAL_CLOCK_FILE fails at start-up', (stage) => {
    expect(isLocalStage(stage)).toBe(false);
    expect(() =>
      loadConfig({ STAGE: stage, LOCAL_CLOCK_FILE: '/tmp/clock.json', SESSION_SECRET: 'x'.repeat(40), FIELD_KEY: Buffer.alloc(32, 1).toString('base64'), HASH_KEY: Buffer.alloc(32, 2).toString('base64') }),
    ).toThrow(/LOCAL_CLOCK_FILE .* refused on every deployed stage/);
  });

  it('the local stage may use it; without it every stage reads the system clock', () => {
    expect(loadConfig({ STAGE: 'local', LOCAL_CLOCK_FILE: '/tmp/clock.json' }).localClockFile).toBe('/tmp/clock.json');
    expect(loadConfig({ STAGE: 'dev', LOCAL_CLOCK_FILE: '' }).localClockFile).toBeNull();
  });
});
