/**
 * What Foundry Agent Service adds to runs and steps, as the panes show it: the Azure tool types
 * named and summarised in Tools, `tool_resources` in Overview, the Azure step call types and
 * `activities` steps, and Azure's published example bodies (../shared/azure-ai-agents/…/examples)
 * loading as files. Also: an incomplete run cannot be cancelled, in the TUI and from the CLI.
 */
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {paneLines} from '../src/cli/paneText.js';
import {normalizeRun} from '../src/model/normalize.js';
import {normalizeRunStep} from '../src/model/runStep.js';
import type {Run} from '../src/model/run.js';
import {lineText} from '../src/panes/content.js';
import type {PaneContext} from '../src/panes/paneContext.js';
import type {PaneId} from '../src/panes/paneIds.js';
import {buildPane} from '../src/panes/paneIds.js';
import {buildStepsPane} from '../src/panes/stepsPane.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {whyNotCancellable} from '../src/triage/cancel.js';
import {runActionsReducer, type RunActionState} from '../src/store/runActions.js';

const CONTEXT: PaneContext = {nowSeconds: 1_736_870_000, time: {utc: true}};
const EXAMPLES = path.resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/azure-ai-agents/stable/2025-05-01/examples');

function run(raw: Record<string, unknown>): Run {
  return normalizeRun({object: 'thread.run', id: 'run_f', status: 'completed', thread_id: 'thread_f', ...raw}, {file: 'test.json'});
}

function paneText(pane: PaneId, target: Run): string {
  return paneLines(buildPane(pane, target, CONTEXT), 140).map(lineText).join('\n');
}

describe('Tools pane: Foundry tool types named and summarised', () => {
  it('shows a name and what each tool reaches instead of a dash', () => {
    const text = paneText(
      'tools',
      run({
        tools: [
          {type: 'azure_ai_search'},
          {type: 'bing_grounding', bing_grounding: {search_configurations: [{connection_id: '/subscriptions/s/connections/bing-conn'}]}},
          {type: 'bing_custom_search', bing_custom_search: {search_configurations: [{connection_id: 'custom-conn', instance_name: 'docs-only'}]}},
          {type: 'openapi', openapi: {name: 'weather_api', description: 'Weather lookups', spec: {}, auth: {type: 'anonymous'}}},
          {type: 'azure_function', azure_function: {function: {name: 'resize_image', description: 'Resizes'}, input_binding: {type: 'storage_queue', storage_queue: {queue_service_endpoint: 'https://q', queue_name: 'in-q'}}}},
          {type: 'connected_agent', connected_agent: {id: 'asst_child', name: 'billing_agent', description: 'Answers billing'}},
          {type: 'mcp', server_label: 'github', server_url: 'https://mcp.example/sse', allowed_tools: ['search_issues']},
          {type: 'sharepoint_grounding', sharepoint_grounding: {connections: [{connection_id: 'sp-conn'}]}},
          {type: 'fabric_dataagent', fabric_dataagent: {connections: [{connection_id: 'fabric-conn'}]}},
          {type: 'deep_research', deep_research: {deep_research_model: 'o3-deep-research', deep_research_bing_grounding_connections: [{connection_id: 'bing-dr'}]}},
        ],
        tool_resources: {azure_ai_search: {indexes: [{index_connection_id: 'search-conn', index_name: 'products', query_type: 'semantic', top_k: 5}]}},
      }),
    );
    for (const expected of [
      'index products',
      'connection bing-conn',
      'connection custom-conn; instance docs-only',
      'weather_api',
      'Weather lookups; auth anonymous',
      'resize_image',
      'Resizes; queue in-q',
      'billing_agent',
      'agent asst_child; Answers billing',
      'github',
      'https://mcp.example/sse; tools search_issues',
      'connection sp-conn',
      'connection fabric-conn',
      'model o3-deep-research; Bing connection bing-dr',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('escapes what a tool definition says', () => {
    const text = paneText('tools', run({tools: [{type: 'connected_agent', connected_agent: {id: 'a', name: 'evil\u001b[2Jagent'}}]}));
    expect(text).not.toContain('\u001b');
  });
});

describe('Overview: tool_resources', () => {
  it('lists search indexes, vector stores and files', () => {
    const text = paneText(
      'overview',
      run({
        tool_resources: {
          azure_ai_search: {indexes: [{index_connection_id: 'conn_abc123', index_name: 'data_index', query_type: 'semantic', top_k: 5}]},
          file_search: {vector_store_ids: ['vs_abc123']},
          code_interpreter: {file_ids: ['file_1', 'file_2']},
        },
      }),
    );
    expect(text).toContain('Resources     azure_ai_search: index data_index (conn_abc123, semantic, top 5)');
    expect(text).toContain('file_search: vector store vs_abc123');
    expect(text).toContain('code_interpreter: 2 files');
  });
});

describe('Steps pane: Azure tool calls and activities', () => {
  it('summarises each Azure call type and counts activities', () => {
    const steps = [
      {id: 'step_1', object: 'thread.run.step', type: 'tool_calls', status: 'completed', step_details: {type: 'tool_calls', tool_calls: [
        {id: 'call_s', type: 'azure_ai_search', azure_ai_search: {input: 'red shoes', output: '3 documents'}},
        {id: 'call_b', type: 'bing_grounding', bing_grounding: {requesturl: 'https://api.bing.microsoft.com/v7.0/search?q=news'}},
        {id: 'call_m', type: 'mcp', server_label: 'github', name: 'search_issues', arguments: '{"q":"bug"}', output: null},
        {id: 'call_c', type: 'connected_agent', connected_agent: {name: 'billing_agent', arguments: '{}', output: 'done', run_id: 'run_child'}},
      ]}},
      {id: 'step_2', object: 'thread.run.step', type: 'activities', status: 'completed', step_details: {type: 'activities', activities: [{type: 'mcp_list_tools', server_label: 'github', tools: []}]}},
    ].map((raw) => normalizeRunStep(raw));
    const text = paneLines(buildStepsPane({state: 'loaded', runId: 'run_f', steps, warnings: []}, CONTEXT), 140).map(lineText).join('\n');
    expect(text).toContain('input red shoes; output returned');
    expect(text).toContain('input https://api.bing.microsoft.com/v7.0/search?q=news');
    expect(text).toContain('server github; tool search_issues; input {"q":"bug"}; no output yet');
    expect(text).toContain('agent billing_agent; input {}; run run_child; output returned');
    expect(text).toMatch(/activities +1 activity: mcp_list_tools \(server github\)/);
  });
});

describe('incomplete runs cannot be cancelled', () => {
  const incomplete = run({status: 'incomplete', incomplete_details: {reason: 'content_filter'}});

  it('says so in words', () => {
    expect(whyNotCancellable(incomplete)).toBe('run run_f is incomplete (content_filter): it has ended, and an incomplete run cannot be cancelled');
    expect(whyNotCancellable(run({status: 'in_progress'}))).toBeNull();
  });

  it('the TUI refuses c on one, with that line, and asks nothing', () => {
    const state: RunActionState = {canAct: true, actionInFlight: null, confirm: null, flash: null};
    const apiRun = normalizeRun({object: 'thread.run', id: 'run_f', status: 'incomplete', thread_id: 'thread_f', incomplete_details: {reason: 'content_filter'}}, {kind: 'api', file: 'api:thread_f'});
    const {state: after, effects} = runActionsReducer(state, {type: 'askCancel', run: apiRun});
    expect(after.confirm).toBeNull();
    expect(after.flash).toContain('an incomplete run cannot be cancelled');
    expect(effects).toEqual([]);
  });
});

describe.skipIf(!existsSync(EXAMPLES))("Azure's example bodies load as files", () => {
  it('every run, list of runs and thread-and-run example loads, and none is lost', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'runlens-foundry-examples-'));
    const files: string[] = [];
    for (const name of readdirSync(EXAMPLES).filter((entry) => entry.startsWith('Runs_') || entry.startsWith('CreateThreadAndRun'))) {
      const example = JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as {responses: Record<string, {body?: unknown}>};
      const body = example.responses['200']?.body;
      if (body === undefined) continue;
      const file = path.join(dir, name);
      writeFileSync(file, JSON.stringify(body));
      files.push(file);
    }
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const loaded = await loadRunsFromSources([file]);
      expect(loaded.runs.length, path.basename(file)).toBeGreaterThan(0);
    }
    // The list of runs (no "object" on the page in some examples) loads as a list.
    const list = await loadRunsFromSources([path.join(dir, 'Runs_ListRuns_MaximumSet_Gen.json')]);
    expect(list.runs.length).toBeGreaterThanOrEqual(1);
    const [maximum] = (await loadRunsFromSources([path.join(dir, 'Runs_GetRun_MaximumSet_Gen.json')])).runs;
    expect(paneText('overview', maximum!)).toContain('azure_ai_search: index data_index (conn_abc123, semantic, top 5)');
  });
});
