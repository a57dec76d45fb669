/**
 * Configuration read once from the environment at cold start — the ONE module that reads
 * process.env. Handlers never branch on "local vs cloud": the local stack only differs by
 * environment values (the SDK reads AWS_ENDPOINT_URL_DYNAMODB by itself). Adapter factories
 * (functions/src/adapters/*) take an environment object (`environment()`), so their tests pass
 * their own.
 */
import { DEFAULT_UNPAID_HOLD_MINUTES } from '@jiayi/shared/domain/agreements/time';
import { DEFAULT_REMINDER_TIME } from '@jiayi/shared/domain/appointments/rules';

export interface Config {
  stage: string;
  tableName: string;
  sessionSecret: string;
  /** base64 of 32 bytes, for AES-256-GCM encryption of sensitive fields. */
  fieldKey: string;
  /** base64 key for HMAC look-up hashes of document numbers. */
  hashKey: string;
  devLogin: boolean;
  /**
   * The local stack's clock file (`npm start -- --date …`, infra/src/local/clock.ts), read by
   * lib/clock.ts. Local stage only: set on any deployed stage it is a start-up error.
   */
  localClockFile: string | null;
}

/** The one place that tells the local stack from a deployed stage: only `local` is local. */
export function isLocalStage(stage: string): boolean {
  return stage === 'local';
}

/** Settings of signing, payments, appointments and the push channels (serverless.yml `environment`). */
export interface Settings {
  /** How long an unpaid agreement holds its places (UNPAID_HOLD_MINUTES, default 30). */
  unpaidHoldMinutes: number;
  /** https URL WeChat Pay posts notifications to (PAYMENT_NOTIFY_URL; required on prod). */
  paymentNotifyUrl: string;
  /** Seed of the simulated payment provider's keys (SIMULATED_PAY_SEED; local stack only). */
  simulatedPaySeed: string | undefined;
  /** Day-before appointment reminder time, Asia/Shanghai HH:MM (APPOINTMENT_REMINDER_TIME, default 18:00). */
  appointmentReminderTime: string;
  /** Subscribe-message template of the reminder (APPOINTMENT_REMINDER_TEMPLATE_ID; unset: in-app only). */
  appointmentReminderTemplateId: string | undefined;
  /** The deployment's default tip template (PUSH_TIP_TEMPLATE_ID), when no institution or region has its own. */
  pushTipTemplateId: string;
  /** The push planner's send queue (QUEUE_URL) and its concurrency (PLAN_CONCURRENCY, default 8). */
  queueUrl: string | undefined;
  planConcurrency: number;
}

const LOCAL_NOTIFY_URL = 'https://localhost.jiayi.test/payments/wechat/notify';

export function loadSettings(env: NodeJS.ProcessEnv = process.env, stage = env.STAGE ?? 'local'): Settings {
  const minutes = Number(env.UNPAID_HOLD_MINUTES ?? DEFAULT_UNPAID_HOLD_MINUTES);
  const notifyUrl = env.PAYMENT_NOTIFY_URL?.trim() || LOCAL_NOTIFY_URL;
  if (stage === 'prod' && notifyUrl === LOCAL_NOTIFY_URL) throw new Error('PAYMENT_NOTIFY_URL must be set on prod');
  const time = env.APPOINTMENT_REMINDER_TIME?.trim();
  const concurrency = Number(env.PLAN_CONCURRENCY ?? 8);
  return {
    unpaidHoldMinutes: Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_UNPAID_HOLD_MINUTES,
    paymentNotifyUrl: notifyUrl,
    simulatedPaySeed: env.SIMULATED_PAY_SEED || undefined,
    appointmentReminderTime: time && /^([01]\d|2[0-3]):[0-5]\d$/.test(time) ? time : DEFAULT_REMINDER_TIME,
    appointmentReminderTemplateId: env.APPOINTMENT_REMINDER_TEMPLATE_ID?.trim() || undefined,
    pushTipTemplateId: env.PUSH_TIP_TEMPLATE_ID ?? '',
    queueUrl: env.QUEUE_URL || undefined,
    planConcurrency: Number.isFinite(concurrency) && concurrency > 0 ? concurrency : 8,
  };
}

/** Well-known local-only values. Refused on the prod stage. */
export const LOCAL_DEFAULTS = {
  sessionSecret: 'local-only-session-secret-do-not-use-in-prod',
  fieldKey: Buffer.alloc(32, 7).toString('base64'),
  hashKey: Buffer.alloc(32, 9).toString('base64'),
} as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const stage = env.STAGE ?? 'local';
  const config: Config = {
    stage,
    tableName: env.TABLE_NAME ?? 'jiayi-local',
    sessionSecret: env.SESSION_SECRET || LOCAL_DEFAULTS.sessionSecret,
    fieldKey: env.FIELD_KEY || LOCAL_DEFAULTS.fieldKey,
    hashKey: env.HASH_KEY || LOCAL_DEFAULTS.hashKey,
    devLogin: env.AUTH_DEV_LOGIN === 'true',
    localClockFile: env.LOCAL_CLOCK_FILE?.trim() || null,
  };
  assertSafeForStage(config);
  return config;
}

/**
 * Start-up check: no deployed stage runs on the local clock; the prod stage can never run with
 * local keys or the dev identity provider.
 */
export function assertSafeForStage(config: Config): void {
  if (config.localClockFile && !isLocalStage(config.stage)) {
    throw new Error(`unsafe configuration for stage ${config.stage}: LOCAL_CLOCK_FILE (the local stack's --date clock) is refused on every deployed stage`);
  }
  if (config.stage !== 'prod') return;
  const problems: string[] = [];
  if (config.devLogin) problems.push('AUTH_DEV_LOGIN must not be enabled on prod');
  if (config.sessionSecret === LOCAL_DEFAULTS.sessionSecret) problems.push('SESSION_SECRET is the local default');
  if (config.fieldKey === LOCAL_DEFAULTS.fieldKey) problems.push('FIELD_KEY is the local default');
  if (config.hashKey === LOCAL_DEFAULTS.hashKey) problems.push('HASH_KEY is the local default');
  if (problems.length) throw new Error(`unsafe configuration for stage prod: ${problems.join('; ')}`);
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

let cachedSettings: Settings | undefined;
export function settings(): Settings {
  cachedSettings ??= loadSettings();
  return cachedSettings;
}

/** The process environment, for adapter factories that choose a provider from it. */
export function environment(): NodeJS.ProcessEnv {
  return process.env;
}

/** LOG_LEVEL, read at each log line (benchmarks and tests silence logs after start-up). */
export function logLevel(): string {
  return process.env.LOG_LEVEL ?? 'info';
}
