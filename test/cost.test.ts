/**
 * Cost estimates: the figures against the price data's own prices (read from the package here,
 * not copied), deployment names mapped and not, unknown models, the COST column, Usage, sort and stats.
 */
import {readFileSync} from 'node:fs';
import {calcPrice, findProvider} from '@pydantic/genai-prices';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {estimateCost, NO_MODEL_MAP, parseModelMap, PRICE_DATA, runCost, type PricedCost} from '../src/model/cost.js';
import type {Run} from '../src/model/run.js';
import {buildPane} from '../src/panes/paneIds.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {cliRun} from './helpers/cliRun.js';

const RUNS = 'test/fixtures/cost/runs.json';
const UNKNOWN_ONLY = 'test/fixtures/cost/unknown-only.json';

/** The package's own per-million prices of an OpenAI model (no date constraints for these models). */
function pricesOf(model: string): Record<string, number> {
  const info = findProvider({providerId: 'openai'})!.models.find((entry) => entry.id === model)!;
  expect(Array.isArray(info.prices)).toBe(false);
  return info.prices as Record<string, number>;
}

async function runs(): Promise<Map<string, Run>> {
  const loaded = await loadRunsFromSources([RUNS]);
  return new Map(loaded.runs.map((run) => [run.id, run]));
}

function priced(estimate: ReturnType<typeof estimateCost>): PricedCost {
  expect(estimate.kind).toBe('priced');
  return estimate as PricedCost;
}

describe('estimateCost', () => {
  it('prices gpt-4o usage at the data price, as of created_at, and says what is missing', async () => {
    const run = (await runs()).get('run_cost4o000000000000001')!;
    const price = pricesOf('gpt-4o');
    const estimate = priced(runCost(run, NO_MODEL_MAP));
    expect(estimate.input).toBeCloseTo((12000 * price['input_mtok']!) / 1e6, 10);
    expect(estimate.output).toBeCloseTo((800 * price['output_mtok']!) / 1e6, 10);
    expect(estimate.total).toBeCloseTo(estimate.input + estimate.output, 12);
    expect(estimate.priceDate).toBe('2024-06-01');
    expect(estimate.pricedAs).toBe('gpt-4o');
    expect(estimate.gaps.noCachedSplit).toBe(true);
  });

  it('prices cached prompt tokens at the cache price where usage splits them', async () => {
    const run = (await runs()).get('run_cost4omini00000000002')!;
    expect(run.usage?.cachedTokens).toBe(20000);
    expect(run.usage?.reasoningTokens).toBe(0);
    const price = pricesOf('gpt-4o-mini');
    const estimate = priced(runCost(run, NO_MODEL_MAP));
    expect(estimate.input).toBeCloseTo((30000 * price['input_mtok']! + 20000 * price['cache_read_mtok']!) / 1e6, 10);
    expect(estimate.output).toBeCloseTo((2000 * price['output_mtok']!) / 1e6, 10);
    expect(estimate.gaps).toEqual({noCachedSplit: false, feeTools: ['code interpreter sessions', 'file search calls'], tiers: []});
  });

  it('an Azure deployment name has no price until mapped, then the model’s, with the tier named', async () => {
    const run = (await runs()).get('run_costazure00000000003')!;
    const unmapped = runCost(run, NO_MODEL_MAP);
    expect(unmapped).toMatchObject({kind: 'none', model: 'prod-4o-eastus'});
    expect(unmapped.kind === 'none' && unmapped.reason).toContain('--model-map');
    const mapped = priced(runCost(run, parseModelMap(['prod-4o-eastus=gpt-4o']).map));
    const price = pricesOf('gpt-4o');
    expect(mapped.total).toBeCloseTo((3000 * price['input_mtok']! + 500 * price['output_mtok']!) / 1e6, 10);
    expect(mapped).toMatchObject({pricedAs: 'gpt-4o', deployment: 'prod-4o-eastus'});
    expect(mapped.gaps.tiers).toEqual(['flex']);
  });

  it('an unknown model is "no price", never zero; no usage is no price too', async () => {
    const all = await runs();
    expect(runCost(all.get('run_costunknown000000004')!, NO_MODEL_MAP)).toMatchObject({kind: 'none', model: 'acme-llm-7'});
    expect(runCost(all.get('run_costnousage000000005')!, NO_MODEL_MAP)).toMatchObject({kind: 'none', reason: 'no usage'});
  });

  it('impossible usage (more cached than prompt tokens) is no price, not an exception', () => {
    const estimate = estimateCost({model: 'gpt-4o', createdAt: 1717236000, usage: {promptTokens: 10, completionTokens: 1, totalTokens: 11, cachedTokens: 50}});
    expect(estimate.kind).toBe('none');
  });

  it('estimates equal calcPrice for every OpenAI model, any usage and date, also once its price is kept', () => {
    const models = findProvider({providerId: 'openai'})!.models.map((model) => model.id);
    const DAY = 86_400;
    fc.assert(
      fc.property(
        fc.constantFrom(...models),
        fc.integer({min: 0, max: 2_000_000}),
        fc.integer({min: 0, max: 200_000}),
        fc.option(fc.integer({min: 0, max: 2_000_000}), {nil: undefined}),
        // 2023-01-01 … 2026-12-31, at any second: prices that change by date or hour are asked each time.
        fc.integer({min: 1_672_531_200, max: 1_672_531_200 + 4 * 365 * DAY}),
        (model, prompt, completion, cachedOrNone, createdAt) => {
          const cached = cachedOrNone === undefined ? undefined : Math.min(cachedOrNone, prompt);
          const usage = {promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion, ...(cached === undefined ? {} : {cachedTokens: cached})};
          const tokens = {input_tokens: prompt, output_tokens: completion, ...(cached === undefined ? {} : {cache_read_tokens: cached})};
          const expected = calcPrice(tokens, model, {providerId: 'openai', timestamp: new Date(createdAt * 1000)});
          // Twice: the first looks the model up, the second may use what was kept.
          for (const estimate of [estimateCost({model, createdAt, usage}), estimateCost({model, createdAt, usage})]) {
            if (!expected) {
              expect(estimate.kind).toBe('none');
              continue;
            }
            const got = priced(estimate);
            expect(got.pricedAs).toBe(expected.model.id);
            for (const [mine, theirs] of [[got.total, expected.total_price], [got.input, expected.input_price], [got.output, expected.output_price]] as const) {
              expect(Math.abs(mine - theirs)).toBeLessThanOrEqual(Math.abs(theirs) * 1e-12 + 1e-15);
            }
          }
        },
      ),
      {numRuns: 3000},
    );
  });

  it('model maps: pairs comma-separated or repeated, malformed pairs named', () => {
    const {map, errors} = parseModelMap(['a=gpt-4o,b=gpt-4o-mini', 'c', '=x']);
    expect([...map]).toEqual([['a', 'gpt-4o'], ['b', 'gpt-4o-mini']]);
    expect(errors).toEqual(["'c' is not DEPLOYMENT=MODEL", "'=x' is not DEPLOYMENT=MODEL"]);
  });

  it('names the pinned price data version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {dependencies: Record<string, string>};
    expect(PRICE_DATA).toBe(`@pydantic/genai-prices ${pkg.dependencies['@pydantic/genai-prices']}`);
  });
});

describe('cost in the views', () => {
  it('Usage shows the split, the estimate, the price source with its date and what is not counted', async () => {
    const run = (await runs()).get('run_cost4omini00000000002')!;
    const text = buildPane('usage', run, {nowSeconds: 1717400000, time: {utc: true}})
      .flatMap((block) => (block.kind === 'lines' ? block.lines.map((line) => line.map((segment) => segment.text).join('')) : []))
      .join('\n');
    const estimate = priced(runCost(run, NO_MODEL_MAP));
    expect(text).toContain('20,000 of the prompt tokens, read from the prompt cache');
    expect(text).toContain(`~$${estimate.total.toFixed(4)} estimated`);
    expect(text).toContain(`${PRICE_DATA}, OpenAI gpt-4o-mini prices of 2024-06-02`);
    expect(text).toContain('tool fees not in usage (code interpreter sessions, file search calls)');
  });

  it('the COST column shows when a run has a price and is left out when none has', async () => {
    const shown = await cliRun(['list', RUNS, '--no-color'], {tty: true, columns: 160});
    expect(shown.code).toBe(0);
    const header = shown.stdout.split('\n')[0]!;
    expect(header).toMatch(/TOKENS +COST/);
    const row = shown.stdout.split('\n').find((line) => line.includes('run_costunknown'))!;
    expect(row).toContain('no price');
    const hidden = await cliRun(['list', UNKNOWN_ONLY, '--no-color'], {tty: true, columns: 160});
    expect(hidden.stdout.split('\n')[0]).not.toContain('COST');
  });

  it('--model-map prices the deployment in the list; --sort cost puts the costliest first, unpriced last', async () => {
    const result = await cliRun(['list', RUNS, '--sort', 'cost', '--model-map', 'prod-4o-eastus=gpt-4o'], {tty: false});
    const ids = result.stdout.trim().split('\n').map((line) => line.split('\t')[0]);
    const all = await runs();
    const map = new Map([['prod-4o-eastus', 'gpt-4o']]);
    const totals = ids.map((id) => {
      const estimate = runCost(all.get(id!)!, map);
      return estimate.kind === 'priced' ? estimate.total : null;
    });
    expect(totals.slice(0, 3).every((total) => total !== null)).toBe(true);
    expect([...totals.slice(0, 3)]).toEqual([...totals.slice(0, 3)].sort((a, b) => b! - a!));
    expect(totals.slice(3)).toEqual([null, null]);
  });

  it('--model-map reaches show, export and diff as it reaches the list: the deployment is priced in each', async () => {
    const run = (await runs()).get('run_costazure00000000003')!;
    const total = priced(runCost(run, new Map([['prod-4o-eastus', 'gpt-4o']]))).total.toFixed(4);
    const flags = ['--model-map', 'prod-4o-eastus=gpt-4o', '--no-color'];
    const show = await cliRun(['show', 'run_costazure00000000003', RUNS, ...flags]);
    expect(show.stdout).toContain(`~$${total} estimated`);
    const exported = await cliRun(['export', 'run_costazure00000000003', RUNS, ...flags]);
    expect(exported.stdout).toContain(`- cost: ~$${total}`);
    const diff = await cliRun(['diff', 'run_costazure00000000003', 'run_cost4o000000000000001', RUNS, ...flags]);
    expect(diff.stdout).toContain(`$${total}`);
    // Without the map, none of them has a price for it.
    const unmapped = await cliRun(['show', 'run_costazure00000000003', RUNS, '--no-color']);
    expect(unmapped.stdout).not.toContain(`~$${total} estimated`);
  });

  it('a malformed --model-map is a usage error', async () => {
    const result = await cliRun(['list', RUNS, '--model-map', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'nope' is not DEPLOYMENT=MODEL");
  });

  it('stats --json: total and per model, thread and day, from the same estimates; unpriced runs apart', async () => {
    const result = await cliRun(['stats', RUNS, '--json']);
    expect(result.code).toBe(0);
    const cost = (JSON.parse(result.stdout) as {cost: Record<string, unknown>}).cost as {
      estimate: boolean; usd: number; priced_runs: number; unpriced_runs: number; unpriced: Array<{reason: string; runs: number}>;
      by_model: Array<{model: string; usd: number; priced_runs: number; unpriced_runs: number}>; by_day: Array<{day: string; usd: number}>; not_counted: string[];
    };
    const all = await runs();
    const of = (id: string) => priced(runCost(all.get(id)!, NO_MODEL_MAP)).total;
    const expected = of('run_cost4o000000000000001') + of('run_cost4omini00000000002');
    expect(cost.estimate).toBe(true);
    expect(cost.usd).toBeCloseTo(expected, 6);
    expect(cost.priced_runs).toBe(2);
    expect(cost.unpriced_runs).toBe(2);
    expect(cost.unpriced.map((entry) => entry.runs)).toEqual([1, 1]);
    const costliest = of('run_cost4o000000000000001') > of('run_cost4omini00000000002') ? 'gpt-4o' : 'gpt-4o-mini';
    expect(cost.by_model[0]).toMatchObject({model: costliest, priced_runs: 1});
    expect(cost.by_model.find((entry) => entry.model === 'acme-llm-7')).toMatchObject({usd: 0, priced_runs: 0, unpriced_runs: 1});
    expect(cost.by_day.map((entry) => entry.day)).toEqual(['2024-06-01', '2024-06-02', '2024-06-03']);
    expect(cost.not_counted[0]).toContain('cached-token split');
  });

  it('stats as text has the cost section, labelled an estimate', async () => {
    const result = await cliRun(['stats', RUNS, '--model-map', 'prod-4o-eastus=gpt-4o']);
    expect(result.stdout).toContain('Cost (estimate)');
    expect(result.stdout).toMatch(/~\$\d+\.\d{4} over 3 priced runs; 1 run with no price, not counted/);
  });
});
