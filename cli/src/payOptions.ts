/** Choices shown in help, kept apart from chain.ts so that help and most commands load fast. */
export const PAY_METHODS = ["allowance", "permit", "authorization"] as const;
export type PayMethod = (typeof PAY_METHODS)[number];
/** Dev accounts funded with tUSDC by ./scripts/dev that play customers (contracts/lib/accounts.ts). */
export const PAYER_ACCOUNTS = ["customer", "customer2"] as const;
export type PayerAccount = (typeof PAYER_ACCOUNTS)[number];
