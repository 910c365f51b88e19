/**
 * The streaming `list` of JSON Lines and the TUI's load agree on which responses wait, whatever
 * order the keys of each object are written in. The streaming list's first read skips a line
 * that starts `{"id":"…"` unparsed (a run's copy); an item answering a call written with its id
 * first (`{"id":"fco_…","type":"function_call_output","call_id":…}`) was skipped with it, so its
 * response showed as waiting in `list` and answered in the TUI.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {parseCli} from '../src/cli/args.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {streamList} from './helpers/streamList.js';

const NOW_SECONDS = Date.parse('2026-11-25T12:00:00Z') / 1000;
const scratch = mkdtempSync(path.join(tmpdir(), 'runlens-responses-streaming-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

type Json = Record<string, unknown>;

/** A completed response that ends with `calls` function calls and, with `approval`, an MCP approval request. */
function response(index: number, calls: number, approval: boolean, previous: string | null, status: 'completed' | 'failed'): Json {
  const output: Json[] = [];
  for (let call = 0; call < calls; call += 1) {
    output.push({type: 'function_call', id: `fc_${index}_${call}`, call_id: `call_${index}_${call}`, name: 'lookup', arguments: '{"id":1}', status: 'completed'});
  }
  if (approval) output.push({type: 'mcp_approval_request', id: `mcpr_${index}`, server_label: 'shop', name: 'refund', arguments: '{}'});
  return {
    id: `resp_${index}`,
    object: 'response',
    created_at: NOW_SECONDS - 600 + index,
    status,
    model: 'gpt-4.1',
    previous_response_id: previous,
    output,
    tools: [{type: 'function', name: 'lookup', parameters: {type: 'object', properties: {id: {type: 'integer'}}}}, {type: 'mcp', server_label: 'shop'}],
  };
}

/** The object with its keys in the order `rank` gives them (ties keep their order). */
function reorder(object: Json, rank: readonly number[]): Json {
  const entries = Object.entries(object).map((entry, index) => ({entry, key: rank[index % rank.length]!}));
  entries.sort((a, b) => a.key - b.key);
  return Object.fromEntries(entries.map(({entry}) => entry));
}

/** One JSON Lines line: compact, as `jq -c` writes, or with Python's `, ` and `: `. */
function line(object: Json, spaced: boolean): string {
  return spaced ? `{${Object.entries(object).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ')}}` : JSON.stringify(object);
}

interface Case {
  responses: Array<{calls: number; approval: boolean; answered: boolean[]; approved: boolean; continued: 'no' | 'completed' | 'failed'}>;
  /** Each item's id: none, or one a server writes. */
  itemIds: 'none' | 'fco' | 'item';
  ranks: number[][];
  spaced: boolean;
  order: number[];
  chunkBytes: number;
}

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  responses: fc.array(
    fc.record({
      calls: fc.integer({min: 0, max: 3}),
      approval: fc.boolean(),
      answered: fc.array(fc.boolean(), {minLength: 3, maxLength: 3}),
      approved: fc.boolean(),
      continued: fc.constantFrom('no' as const, 'completed' as const, 'failed' as const),
    }),
    {minLength: 1, maxLength: 4},
  ),
  itemIds: fc.constantFrom('none' as const, 'fco' as const, 'item' as const),
  ranks: fc.array(fc.array(fc.integer({min: 0, max: 20}), {minLength: 1, maxLength: 12}), {minLength: 1, maxLength: 6}),
  spaced: fc.boolean(),
  order: fc.array(fc.integer({min: 0, max: 1000}), {minLength: 1, maxLength: 30}),
  chunkBytes: fc.constantFrom(16, 97, 4096, 65_536),
});

/** The lines of a case: responses, the responses that continue some, and items answering some calls. */
function linesOf(spec: Case): string[] {
  const objects: Json[] = [];
  spec.responses.forEach((entry, index) => {
    objects.push(response(index, entry.calls, entry.approval, null, 'completed'));
    if (entry.continued !== 'no') objects.push(response(100 + index, 0, false, `resp_${index}`, entry.continued));
    for (let call = 0; call < entry.calls; call += 1) {
      if (!entry.answered[call]) continue;
      const item: Json = {type: 'function_call_output', call_id: `call_${index}_${call}`, output: '{"ok":true}'};
      if (spec.itemIds !== 'none') item['id'] = `${spec.itemIds}_${index}_${call}`;
      objects.push(item);
    }
    if (entry.approval && entry.approved) {
      const item: Json = {type: 'mcp_approval_response', approval_request_id: `mcpr_${index}`, approve: true};
      if (spec.itemIds !== 'none') item['id'] = `${spec.itemIds}_approval_${index}`;
      objects.push(item);
    }
  });
  const lines = objects.map((object, index) => line(reorder(object, spec.ranks[index % spec.ranks.length]!), spec.spaced));
  // Shuffled: an item may come before or after the response it answers.
  return lines.map((text, index) => ({text, key: spec.order[index % spec.order.length]! * 100 + index})).sort((a, b) => a.key - b.key).map(({text}) => text);
}

/** Response id → status, as piped `list` prints it. */
function tsvStatuses(stdout: string): Record<string, string> {
  const lines = stdout.split('\n').filter(Boolean).map((text) => text.split('\t'));
  return Object.fromEntries(lines.map((fields) => [fields[0]!, fields[1]!]));
}

describe('streaming list and the TUI load agree on which responses wait', () => {
  it('an item written with its id first answers its call in the streaming list too', async () => {
    const file = path.join(scratch, 'id-first.jsonl');
    const waiting = response(1, 1, false, null, 'completed');
    writeFileSync(file, `${JSON.stringify(waiting)}\n${JSON.stringify({id: 'fco_1', type: 'function_call_output', call_id: 'call_1_0', output: 'ok'})}\n`);
    const {code, stdout} = await streamList([file], parseCli(['list', file]), NOW_SECONDS, 65_536);
    expect(code).toBe(0);
    expect(tsvStatuses(stdout)).toEqual({resp_1: 'completed'});
    // And with --status, whose byte prefilter skips the item line on the second read.
    const filtered = await streamList([file], parseCli(['list', file, '--status', 'requires_action']), NOW_SECONDS, 65_536);
    expect(filtered.stdout).toBe('');
  });

  it('with --status, items are read only when a response may print, also one whose id is no resp_ id, or one read twice', async () => {
    const file = path.join(scratch, 'other-ids.jsonl');
    // A response written id first with an id of another shape: the first read does not parse it.
    const waiting = {...response(1, 1, false, null, 'completed'), id: 'r-0001'};
    const answer = JSON.stringify({id: 'fco_1', type: 'function_call_output', call_id: 'call_1_0', output: 'ok'});
    const thread = (id: string, status: string) => JSON.stringify({id, object: 'thread.run', status, created_at: NOW_SECONDS - 60});
    writeFileSync(file, `${answer}\n${thread('run_1', 'requires_action')}\n${JSON.stringify(waiting)}\n`);
    const waitingOnly = await streamList([file], parseCli(['list', file, '--status', 'requires_action']), NOW_SECONDS, 64);
    expect(Object.keys(tsvStatuses(waitingOnly.stdout))).toEqual(['run_1']);
    const completed = await streamList([file], parseCli(['list', file, '--status', 'completed']), NOW_SECONDS, 64);
    expect(tsvStatuses(completed.stdout)).toEqual({'r-0001': 'completed'});
    // The same response read twice, its later copy a line the prefilter rules out.
    const twice = path.join(scratch, 'other-ids-twice.jsonl');
    const earlier = JSON.stringify({...waiting, status: 'in_progress', output: []});
    writeFileSync(twice, `${earlier}\n${answer}\n${JSON.stringify(waiting)}\n`);
    const loaded = await loadRunsFromSources([twice], {detachRuns: true});
    expect(loaded.runs.map((entry) => [entry.id, entry.status])).toEqual([['r-0001', 'completed']]);
    expect((await streamList([twice], parseCli(['list', twice, '--status', 'requires_action']), NOW_SECONDS, 64)).stdout).toBe('');
    expect(tsvStatuses((await streamList([twice], parseCli(['list', twice, '--status', 'completed']), NOW_SECONDS, 64)).stdout)).toEqual({'r-0001': 'completed'});
  });

  it('for shuffled key orders, item ids, spacing, line orders and read sizes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (spec) => {
        const file = path.join(scratch, `case-${(run += 1)}.jsonl`);
        writeFileSync(file, `${linesOf(spec).join('\n')}\n`);
        const loaded = await loadRunsFromSources([file], {detachRuns: true});
        expect(loaded.warnings).toEqual([]);
        const tui = Object.fromEntries(loaded.runs.map((entry) => [entry.id, entry.status]));
        // Both as the rule says: a response waits while a call or approval is unanswered and no completed response continues it.
        spec.responses.forEach((entry, index) => {
          const open = entry.answered.slice(0, entry.calls).some((answered) => !answered) || (entry.approval && !entry.approved);
          expect(tui[`resp_${index}`], `resp_${index}`).toBe(open && entry.continued !== 'completed' ? 'requires_action' : 'completed');
        });
        const streamed = await streamList([file], parseCli(['list', file]), NOW_SECONDS, spec.chunkBytes);
        expect(streamed.stderr).toBe('');
        expect(tsvStatuses(streamed.stdout)).toEqual(tui);
        // The waiting ones alone, through the status prefilter.
        const waiting = await streamList([file], parseCli(['list', file, '--status', 'requires_action']), NOW_SECONDS, spec.chunkBytes);
        expect(Object.keys(tsvStatuses(waiting.stdout)).sort()).toEqual(Object.keys(tui).filter((id) => tui[id] === 'requires_action').sort());
      }),
      {numRuns: 150},
    );
  });
});
