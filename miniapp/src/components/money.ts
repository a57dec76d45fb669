/** ¥50.00 — money is integer fen everywhere; this is the only place it becomes text. */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Chinese payer names as the policy documents use them. */
export const PAYER_NAMES: Record<string, string> = {
  resident: '您需支付',
  insurance_fund: '医保基金支付',
  public_health: '公共卫生经费支付',
  finance: '财政支付',
  civil_affairs: '民政/残联支付',
  charity: '慈善资金支付',
  institution: '医疗机构承担',
};
