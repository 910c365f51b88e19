/**
 * What a run (or a response) cost, estimated from its usage with the price data bundled in
 * `@pydantic/genai-prices`: the prices in force on the day it was created, cached prompt tokens at
 * the cache price where the usage splits them out. Pure: no clock, no I/O (the price data ships in
 * the package; runlens never asks it to fetch newer data).
 *
 * It is only ever an estimate, and says what it leaves out: Assistants usage has no cached-token
 * split (so all prompt tokens are priced as uncached), tool fees (code interpreter sessions, file
 * search calls) are not in usage at all, and the price data knows one tier (standard).
 */
import {createRequire} from 'node:module';
import type {calcPrice as CalcPrice, ModelInfo, ModelPrice, Provider} from '@pydantic/genai-prices';
import type {Run, ToolDefinition, Usage} from './run.js';
import {isDetached, type DetachedRun} from './detachedRun.js';

let loadedCalcPrice: typeof CalcPrice | undefined;

/**
 * The package's calcPrice, loaded with its price data on the first estimate. `require`, not
 * `import()`: an estimate is synchronous. In the bundle it reads `lazy/genai-prices.cjs`, the
 * package bundled on its own (build.mjs), so that a command that prices nothing (`list --json`,
 * `--version`) does not compile and read its 500 KB of data at start; run from source it is Node's.
 */
function calcPrice(...args: Parameters<typeof CalcPrice>): ReturnType<typeof CalcPrice> {
  loadedCalcPrice ??= ((typeof require === 'function' ? require('@pydantic/genai-prices') : createRequire(import.meta.url)('@pydantic/genai-prices')) as {calcPrice: typeof CalcPrice}).calcPrice;
  return loadedCalcPrice(...args);
}

/**
 * The price data's name and version, as the Usage pane and `stats` cite it. package.json pins the
 * same version (a test holds the two together), so a figure can be traced to the table it came from.
 */
export const PRICE_DATA = '@pydantic/genai-prices 0.1.8';

/** Deployment name → model name (`--model-map`, a profile's `modelMap`): Azure and Foundry runs name their deployment. */
export type ModelMap = ReadonlyMap<string, string>;

/** What the estimate reads: any object with a model, a creation time and a Usage (runs today, responses soon). */
export interface CostSubject {
  model: string | null;
  /** Unix seconds; the prices of that day are used. */
  createdAt: number | null;
  usage: Usage | null;
  /** `service_tier` where the object has one (`default`, `flex`, `priority`, …). */
  serviceTier?: string | null;
  /** Tool types the object could call: code interpreter and file search bill outside usage. */
  toolTypes?: readonly string[];
}

/** A priced estimate, in US dollars. */
export interface PricedCost {
  kind: 'priced';
  /** input + output. */
  total: number;
  input: number;
  output: number;
  /** The model the price data matched (`gpt-4o` for `gpt-4o-2024-08-06`). */
  pricedAs: string;
  /** The model name as the run wrote it, when a model map turned it into `pricedAs`'s input. */
  deployment: string | null;
  provider: string;
  /** The day whose prices were used (YYYY-MM-DD, UTC), or null when the run has no creation time (current prices). */
  priceDate: string | null;
  /** Dollars per million tokens used: uncached input, cached input (null when the model has no cache price), output. */
  rates: {input: number; cached: number | null; output: number};
  /** What the figure leaves out (describeGaps words it). */
  gaps: CostGaps;
}

/** Why there is no price: an unknown model, no usage, no model. Never a zero. */
export interface NoCost {
  kind: 'none';
  reason: string;
  /** The model name as written, when there was one. */
  model: string | null;
}

export type CostEstimate = PricedCost | NoCost;

/** Tiers priced at the standard rates the data holds; any other tier is named as missing. */
const STANDARD_TIERS: ReadonlySet<string> = new Set(['default', 'auto', 'standard']);

/** Tool types whose fees are billed apart from tokens. */
const FEE_TOOLS: ReadonlyMap<string, string> = new Map([
  ['code_interpreter', 'code interpreter sessions'],
  ['file_search', 'file search calls'],
  ['retrieval', 'retrieval'],
]);

function dayOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

function perMillion(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** What estimates leave out, as data: so many runs' gaps can be told once (see describeGaps). */
export interface CostGaps {
  /** The usage has no cached-token split: every prompt token was priced as uncached. */
  noCachedSplit: boolean;
  /** Fee-billed tools the run could call, in words (`code interpreter sessions`). */
  feeTools: string[];
  /** Service tiers other than standard, which the price data has no prices for. */
  tiers: string[];
}

/** The gaps of one subject. */
function gapsOf(subject: CostSubject, usage: Usage): CostGaps {
  const tier = subject.serviceTier;
  return {
    noCachedSplit: usage.cachedTokens === undefined || usage.cachedTokens === null,
    feeTools: [...new Set((subject.toolTypes ?? []).map((type) => FEE_TOOLS.get(type)).filter((fee): fee is string => fee !== undefined))],
    tiers: tier && !STANDARD_TIERS.has(tier) ? [tier] : [],
  };
}

/** Gaps of many estimates as one: any run's gap is the whole's. */
export function mergeGaps(all: readonly CostGaps[]): CostGaps {
  return {
    noCachedSplit: all.some((gaps) => gaps.noCachedSplit),
    feeTools: [...new Set(all.flatMap((gaps) => gaps.feeTools))].sort(),
    tiers: [...new Set(all.flatMap((gaps) => gaps.tiers))].sort(),
  };
}

/** What an estimate leaves out, one short phrase each; tool fees are always named (usage never holds them). */
export function describeGaps(gaps: CostGaps): string[] {
  const out: string[] = [];
  if (gaps.noCachedSplit) out.push('no cached-token split: all prompt tokens priced as uncached');
  out.push(gaps.feeTools.length > 0 ? `tool fees not in usage (${gaps.feeTools.join(', ')})` : 'tool fees, if any, are not in usage');
  for (const tier of gaps.tiers) out.push(`service tier '${tier}' priced at standard rates (the price data has no other tier)`);
  return out;
}

/** What the price data matched a model name to, and its rates when they are one set for every run. */
interface Match {
  provider: Provider;
  model: ModelInfo;
  /** The model's prices when none depends on the date, the hour, a tier or a request: see `flatPrices`. */
  flat: ModelPrice | null;
}

/**
 * Per model name (as calcPrice reads it: lower case, trimmed), what the price data matched it to,
 * or null for a name it does not know. calcPrice searches the data's models and works the price
 * out through its usage-unit tree on every call (20–30 µs, most of a piped list of 100,000
 * runs); the match depends on the name only, so it is searched once.
 */
const matched = new Map<string, Match | null>();

/**
 * A model's prices when the three token counts runlens has (prompt, of them cached, completion)
 * are all that its price depends on: one set of prices (no start dates, no hours of the day), no
 * tiers, no fee per request. Every other unit (audio, images, web searches) is priced on usage
 * runs do not report, so it adds nothing. Anything else goes to calcPrice on every run.
 */
function flatPrices(model: ModelInfo): ModelPrice | null {
  if (Array.isArray(model.prices)) return null;
  for (const [key, value] of Object.entries(model.prices)) {
    if (value !== undefined && (typeof value !== 'number' || key === 'requests_kcount')) return null;
  }
  return model.prices;
}

const isCount = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value) && value >= 0;

/**
 * calcPrice's answer for these tokens, from what was matched before when the model is known. A
 * flat price is worked out here as calcPrice does (cached tokens at the cache price when there is
 * one, the rest of the prompt at the input price); usage it would reject goes to it for its error.
 * A property test holds the two to each other over every OpenAI model.
 */
function priceOf(tokens: {input_tokens: number; output_tokens: number; cache_read_tokens?: number}, model: string, timestamp: Date | undefined): ReturnType<typeof calcPrice> {
  const at = timestamp ? {timestamp} : {};
  const key = model.toLowerCase().trim();
  const known = matched.get(key);
  if (known === null) return null;
  if (known === undefined) {
    // The Assistants API is OpenAI's: its names are looked up there first, then in any provider (a Foundry-hosted model).
    const result = calcPrice(tokens, model, {providerId: 'openai', ...at}) ?? calcPrice(tokens, model, at);
    matched.set(key, result ? {provider: result.provider, model: result.model, flat: flatPrices(result.model)} : null);
    return result;
  }
  const {input_tokens: prompt, output_tokens: completion, cache_read_tokens: cached = 0} = tokens;
  const prices = known.flat;
  if (!prices || !isCount(prompt) || !isCount(completion) || !isCount(cached) || cached > prompt) {
    // One provider holding the one model: calcPrice prices it without searching the data again.
    return calcPrice(tokens, model, {provider: {...known.provider, models: [known.model], fallback_model_providers: []}, ...at});
  }
  const inputRate = (prices['input_mtok'] as number | undefined) ?? 0;
  const cachedRate = prices['cache_read_mtok'] as number | undefined;
  const outputRate = (prices['output_mtok'] as number | undefined) ?? 0;
  const input = cachedRate === undefined ? (prompt * inputRate) / 1e6 : ((prompt - cached) * inputRate) / 1e6 + (cached * cachedRate) / 1e6;
  const output = (completion * outputRate) / 1e6;
  return {input_price: input, output_price: output, total_price: input + output, model: known.model, model_price: prices, provider: known.provider};
}

/**
 * The estimated cost of one run or response, or why there is none. `modelMap` turns a deployment
 * name into the model it serves before the price lookup; an unknown model is "no price", not zero.
 */
export function estimateCost(subject: CostSubject, modelMap: ModelMap = new Map()): CostEstimate {
  const written = subject.model;
  if (!written) return {kind: 'none', reason: 'no model', model: null};
  const usage = subject.usage;
  if (!usage || (usage.promptTokens === null && usage.completionTokens === null)) return {kind: 'none', reason: 'no usage', model: written};
  const mapped = modelMap.get(written) ?? null;
  const model = mapped ?? written;
  const cached = usage.cachedTokens ?? undefined;
  const tokens = {
    input_tokens: usage.promptTokens ?? 0,
    output_tokens: usage.completionTokens ?? 0,
    ...(cached === undefined ? {} : {cache_read_tokens: cached}),
  };
  const timestamp = subject.createdAt === null ? undefined : new Date(subject.createdAt * 1000);
  let result: ReturnType<typeof calcPrice>;
  try {
    result = priceOf(tokens, model, timestamp);
  } catch (error) {
    // The price data rejects impossible usage (more cached tokens than prompt tokens).
    return {kind: 'none', reason: `usage the price data cannot price: ${error instanceof Error ? error.message : String(error)}`, model: written};
  }
  if (!result) {
    const reason = mapped
      ? `'${mapped}' (mapped from '${written}') is not in the price data`
      : `'${written}' is not in the price data${modelMap.size === 0 ? '; a deployment name? map it with --model-map NAME=MODEL' : ''}`;
    return {kind: 'none', reason, model: written};
  }
  return {
    kind: 'priced',
    total: result.total_price,
    input: result.input_price,
    output: result.output_price,
    pricedAs: result.model.id,
    deployment: mapped ? written : null,
    provider: result.provider.name,
    priceDate: subject.createdAt === null ? null : dayOf(subject.createdAt),
    rates: {
      input: perMillion(result.model_price['input_mtok']) ?? 0,
      cached: perMillion(result.model_price['cache_read_mtok']),
      output: perMillion(result.model_price['output_mtok']) ?? 0,
    },
    gaps: gapsOf(subject, usage),
  };
}

/**
 * The cost subject of a run: its own fields, and `service_tier` as the object wrote it. A run kept
 * small (detachedRun.ts) has both as light fields: the list prices every run without its body.
 */
export function runCostSubject(run: Pick<Run, 'model' | 'createdAt' | 'usage' | 'raw'> & {tools: readonly Pick<ToolDefinition, 'type'>[]}): CostSubject {
  const light = isDetached(run) ? (run as unknown as Pick<DetachedRun, 'serviceTier' | 'toolTypes'>) : null;
  const tier = light ? light.serviceTier : run.raw['service_tier'];
  return {
    model: run.model,
    createdAt: run.createdAt,
    usage: run.usage,
    serviceTier: typeof tier === 'string' ? tier : null,
    toolTypes: light ? [...light.toolTypes] : run.tools.map((tool) => tool.type),
  };
}

/** No deployment name mapped: every model is priced as the run names it. */
export const NO_MODEL_MAP: ModelMap = new Map();

/**
 * Estimates made, per model map and run object (lists sort and redraw often). Keyed by the map the
 * caller's context holds, so two maps never share an estimate and there is no map set for all.
 */
const estimates = new WeakMap<ModelMap, WeakMap<Run, CostEstimate>>();

/**
 * A run's estimate with `modelMap` (the one panes, columns, the list's sort and stats are given in
 * their context, set from `--model-map` and the profile), computed once per run object and map.
 */
export function runCost(run: Run, modelMap: ModelMap): CostEstimate {
  let byRun = estimates.get(modelMap);
  if (!byRun) estimates.set(modelMap, (byRun = new WeakMap()));
  let estimate = byRun.get(run);
  if (!estimate) {
    estimate = estimateCost(runCostSubject(run), modelMap);
    byRun.set(run, estimate);
  }
  return estimate;
}

/**
 * Reads `deploy=model` pairs (`--model-map`, comma-separated or repeated) into a map; a pair
 * without `=` or with an empty side is an error naming it.
 */
export function parseModelMap(pairs: readonly string[]): {map: Map<string, string>; errors: string[]} {
  const map = new Map<string, string>();
  const errors: string[] = [];
  for (const pair of pairs.flatMap((text) => text.split(','))) {
    const trimmed = pair.trim();
    if (trimmed === '') continue;
    const at = trimmed.indexOf('=');
    const from = at < 0 ? '' : trimmed.slice(0, at).trim();
    const to = at < 0 ? '' : trimmed.slice(at + 1).trim();
    if (!from || !to) errors.push(`'${trimmed}' is not DEPLOYMENT=MODEL`);
    else map.set(from, to);
  }
  return {map, errors};
}
