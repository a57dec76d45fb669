/**
 * The payment provider of this process (functions/src/adapters/wechatpay: real WeChat Pay v3 or
 * simulated, chosen by PAYMENT_PROVIDER), built at first use from the environment.
 */
import { paymentProviderFromConfig, SimulatedPayProvider, type PaymentProvider } from '../adapters/wechatpay';
import { environment, settings } from '../lib/config';

let provider: PaymentProvider | undefined;

export function paymentProvider(): PaymentProvider {
  provider ??= paymentProviderFromConfig(environment());
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
  return p instanceof SimulatedPayProvider ? new SimulatedPayProvider({ seed: settings().simulatedPaySeed }) : p;
}
