/**
 * serverless.yml plugin, local stack only: when JIAYI_OFFLINE_SCHEDULES=off (set by
 * infra/src/local/offline.ts), serverless-offline is not given the `schedule` events, because the
 * local stack's own scheduler (infra/src/local/scheduler.ts) runs them on the local clock
 * (`npm start -- --date …`), in UTC like EventBridge, and logs what ran. serverless-offline's
 * scheduler would run every job a second time, on the real clock and in the machine's time zone.
 * It changes nothing for `osls package` / `osls deploy` (no hook there, and the variable is unset).
 */
'use strict';

class OfflineSchedulesOff {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:offline:start': () => this.strip(),
      'before:offline:start:init': () => this.strip(),
    };
  }

  strip() {
    if (process.env.JIAYI_OFFLINE_SCHEDULES !== 'off') return;
    const functions = this.serverless.service.functions || {};
    for (const fn of Object.values(functions)) {
      if (Array.isArray(fn.events)) fn.events = fn.events.filter((e) => !(e && typeof e === 'object' && 'schedule' in e));
    }
  }
}

module.exports = OfflineSchedulesOff;
