/**
 * Payment provider chosen from the environment, once at cold start:
 *
 * | PAYMENT_PROVIDER | provider                                                              |
 * |------------------|-----------------------------------------------------------------------|
 * | 'wechatpay'      | WechatPayV3Provider; needs WECHATPAY_MCHID, WECHATPAY_APPID,            |
 * |                  | WECHATPAY_SERIAL, WECHATPAY_PRIVATE_KEY, WECHATPAY_APIV3_KEY,           |
 * |                  | WECHATPAY_PLATFORM_PUBLIC_KEY, WECHATPAY_PLATFORM_PUBLIC_KEY_ID         |
 * |                  | (optional WECHATPAY_PLATFORM_CERTIFICATES = JSON {serial: PEM},         |
 * |                  | WECHATPAY_BASE_URL)                                                     |
 * | 'simulated'      | SimulatedPayProvider (SIMULATED_PAY_SEED, optional); refused on prod    |
 * | unset            | 'simulated' outside prod; a start-up error on prod                      |
 *
 * PEMs may be given with literal `\n` (as environment variables often carry them).
 */
import { SimulatedPayProvider } from './simulated-pay-provider';
import { WechatPayV3Provider } from './wechatpay-v3-provider';
import type { PaymentProvider } from './payment-provider';
import { now } from '../../lib/clock';

export * from './payment-provider';
export { SimulatedPayProvider, DEFAULT_SIMULATED_PAY_SEED, type BuildNotificationInput, type SimulatedPayConfig } from './simulated-pay-provider';
export { WechatPayV3Provider, WECHATPAY_API_BASE_URL, type WechatPayV3Config } from './wechatpay-v3-provider';
export { wechatPayErrorInfo, type WechatPayErrorInfo, type WechatPayOperation } from './wechatpay-errors';

export interface PaymentEnv {
  STAGE?: string;
  PAYMENT_PROVIDER?: string;
  WECHATPAY_MCHID?: string;
  WECHATPAY_APPID?: string;
  WECHATPAY_SERIAL?: string;
  WECHATPAY_PRIVATE_KEY?: string;
  WECHATPAY_APIV3_KEY?: string;
  WECHATPAY_PLATFORM_PUBLIC_KEY?: string;
  WECHATPAY_PLATFORM_PUBLIC_KEY_ID?: string;
  WECHATPAY_PLATFORM_CERTIFICATES?: string;
  WECHATPAY_BASE_URL?: string;
  SIMULATED_PAY_SEED?: string;
}

const PROD_STAGES = new Set(['prod', 'production']);

const REQUIRED_WECHATPAY = [
  'WECHATPAY_MCHID',
  'WECHATPAY_APPID',
  'WECHATPAY_SERIAL',
  'WECHATPAY_PRIVATE_KEY',
  'WECHATPAY_APIV3_KEY',
  'WECHATPAY_PLATFORM_PUBLIC_KEY',
  'WECHATPAY_PLATFORM_PUBLIC_KEY_ID',
] as const;

export function paymentProviderFromConfig(
  env: PaymentEnv | NodeJS.ProcessEnv,
  deps: { fetch?: typeof fetch; now?: () => Date } = {},
): PaymentProvider {
  const stage = env.STAGE ?? 'local';
  const isProd = PROD_STAGES.has(stage.toLowerCase());
  const kind = env.PAYMENT_PROVIDER?.trim() || (isProd ? '' : 'simulated');

  if (kind === 'simulated') {
    if (isProd) {
      throw new Error(`PAYMENT_PROVIDER=simulated is refused on stage "${stage}": simulated payments are free and their key is public`);
    }
    // The simulator checks order expiry against the stack's clock (a --date run on the local stack).
    return new SimulatedPayProvider({ seed: env.SIMULATED_PAY_SEED || undefined, now: deps.now ?? now });
  }
  if (kind !== 'wechatpay') {
    throw new Error(
      kind === ''
        ? `PAYMENT_PROVIDER must be set on stage "${stage}" (wechatpay)`
        : `PAYMENT_PROVIDER must be "wechatpay" or "simulated" (got "${kind.slice(0, 40)}")`,
    );
  }

  const missing = REQUIRED_WECHATPAY.filter((k) => !env[k]?.trim());
  if (missing.length) throw new Error(`WeChat Pay is not configured: ${missing.join(', ')} missing`);

  let platformCertificates: Record<string, string> | undefined;
  if (env.WECHATPAY_PLATFORM_CERTIFICATES?.trim()) {
    try {
      const parsed: unknown = JSON.parse(env.WECHATPAY_PLATFORM_CERTIFICATES);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
        throw new Error('not an object of strings');
      }
      platformCertificates = parsed as Record<string, string>;
    } catch {
      // Never echo the value: it is key material.
      throw new Error('WECHATPAY_PLATFORM_CERTIFICATES must be a JSON object {serial: PEM}');
    }
  }

  return new WechatPayV3Provider({
    mchid: env.WECHATPAY_MCHID!.trim(),
    appid: env.WECHATPAY_APPID!.trim(),
    merchantSerialNo: env.WECHATPAY_SERIAL!.trim(),
    merchantPrivateKey: env.WECHATPAY_PRIVATE_KEY!,
    apiV3Key: env.WECHATPAY_APIV3_KEY!.trim(),
    platformPublicKey: env.WECHATPAY_PLATFORM_PUBLIC_KEY!,
    platformPublicKeyId: env.WECHATPAY_PLATFORM_PUBLIC_KEY_ID!.trim(),
    platformCertificates,
    baseUrl: env.WECHATPAY_BASE_URL || undefined,
    fetch: deps.fetch,
    now: deps.now,
  });
}
