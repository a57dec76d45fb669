/**
 * Configuration read once from the environment at cold start. Handlers never branch on
 * "local vs cloud": the local stack only differs by environment values (the SDK reads
 * AWS_ENDPOINT_URL_DYNAMODB by itself).
 */
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
