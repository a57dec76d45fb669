/**
 * Signing and payment settings from the environment (read once), and the payment provider
 * (functions/src/adapters/wechatpay: real WeChat Pay v3 or simulated, chosen by PAYMENT_PROVIDER).
 */
import { DEFAULT_UNPAID_HOLD_MINUTES } from '@jiayi/shared/domain/agreements/lifecycle';
import { paymentProviderFromConfig, SimulatedPayProvider, type PaymentProvider } from '../adapters/wechatpay';
import { config } from '../lib/config';

export interface SigningSettings {
  /** How long an unpaid agreement holds its places (UNPAID_HOLD_MINUTES, default 30). */
  unpaidHoldMinutes: number;
  /** https URL WeChat Pay posts notifications to (PAYMENT_NOTIFY_URL). */
  notifyUrl: string;
}

const LOCAL_NOTIFY_URL = 'https://localhost.jiayi.test/payments/wechat/notify';

export function loadSigningSettings(env: NodeJS.ProcessEnv = process.env): SigningSettings {
  const minutes = Number(env.UNPAID_HOLD_MINUTES ?? DEFAULT_UNPAID_HOLD_MINUTES);
  const notifyUrl = env.PAYMENT_NOTIFY_URL?.trim() || LOCAL_NOTIFY_URL;
  if (config().stage === 'prod' && notifyUrl === LOCAL_NOTIFY_URL) throw new Error('PAYMENT_NOTIFY_URL must be set on prod');
  return {
    unpaidHoldMinutes: Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_UNPAID_HOLD_MINUTES,
    notifyUrl,
  };
}

let settings: SigningSettings | undefined;
export function signingSettings(): SigningSettings {
  settings ??= loadSigningSettings();
  return settings;
}

let provider: PaymentProvider | undefined;

/** The payment provider of this process (built at first use from the environment). */
export function paymentProvider(): PaymentProvider {
  provider ??= paymentProviderFromConfig(process.env);
  return provider;
}

/**
 * The provider to send refunds with. The simulated provider remembers orders per process, so in
 * another Lambda process than the one that verified the payment it still believes the order
 * unpaid and refuses the refund; refunds are only ever sent for payments our own records hold
 * as paid, so a simulator with a fresh memory (same seed: same refund ids) stands in for WeChat's
 * global state. The real provider is used as it is.
 */
export function refundProvider(): PaymentProvider {
  const p = paymentProvider();
  return p instanceof SimulatedPayProvider ? new SimulatedPayProvider({ seed: process.env.SIMULATED_PAY_SEED || undefined }) : p;
}

/** Tests and tools may supply their own provider or settings. */
export function setPaymentProvider(p: PaymentProvider | undefined): void {
  provider = p;
}

export function setSigningSettings(s: SigningSettings | undefined): void {
  settings = s;
}
