/**
 * Cost estimates as text: the list's COST cell, and the lines the Usage pane and `stats` print.
 * The figures come from model/cost.ts; this only words them.
 */
import type {CostEstimate} from '../model/cost.js';
import {PRICE_DATA} from '../model/cost.js';

/**
 * Dollars, with enough places to tell runs apart: most runs cost fractions of a cent, so four
 * places below a dollar (`$0.0033`), two above (`$12.40`).
 */
export function formatUsd(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

/** The COST cell: `~$0.0033` (always an estimate), or `no price`. */
export function costCellText(estimate: CostEstimate): string {
  return estimate.kind === 'priced' ? `~${formatUsd(estimate.total)}` : 'no price';
}

/** Where the prices came from: `@pydantic/genai-prices 0.1.8, OpenAI gpt-4o prices of 2024-06-01`. */
export function priceSource(estimate: Extract<CostEstimate, {kind: 'priced'}>): string {
  const when = estimate.priceDate === null ? 'current prices (the run has no created_at)' : `prices of ${estimate.priceDate}`;
  return `${PRICE_DATA}, ${estimate.provider} ${estimate.pricedAs} ${when}`;
}

/** Rates per million tokens, as the Usage pane shows them. */
export function rateText(estimate: Extract<CostEstimate, {kind: 'priced'}>): string {
  const {input, cached, output} = estimate.rates;
  return `$${input}/M input${cached === null ? '' : `, $${cached}/M cached`}, $${output}/M output`;
}
