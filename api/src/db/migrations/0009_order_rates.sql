-- Each order keeps the rate it was valued at when it was made, so reports value every sale at its own
-- rate (reports/settlementReport.ts): report_currency is the merchant's reporting currency then, and
-- report_rate its units per 1 unit of the settlement token's peg (12 decimals). fx_rate stays what a
-- fiat-priced order's amount was converted at (whole tokens per 1 unit of fiat_currency).
ALTER TABLE orders ADD COLUMN report_currency text, ADD COLUMN report_rate text;
