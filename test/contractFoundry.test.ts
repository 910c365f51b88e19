/**
 * Contract test: runlens against a Prism mock of Azure's published Foundry Agent Service (classic)
 * spec (../shared/azure-ai-agents/stable/2025-05-01/azure-ai-agents.json beside the repository).
 * As its SOURCES.md says, the `x-ms-examples` references are stripped (Prism would stop on the
 * example files that are not there) and the paths are prefixed with `/api/projects/<project>`, the
 * project endpoint's path. Prism refuses a request without a bearer (401) or `api-version` (422)
 * and any request that breaks the spec (422), so every request runlens makes is checked.
 *
 * The stable spec knows no MCP approvals: the 2025-05-15-preview one adds `tool_approvals` beside
 * `tool_outputs` in the submit body and requires neither (SOURCES.md read that far into it). The
 * served copy makes that one change, so the approvals request is checked against the preview's body.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {createAssistantsApi, type AssistantsApi} from '../src/sources/api/assistantsApi.js';
import {OutputCollector as Collect} from './helpers/outputCollector.js';
import {usePrismSuite, type Exchange} from './helpers/prism.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPEC = path.resolve(REPO_ROOT, '../shared/azure-ai-agents/stable/2025-05-01/azure-ai-agents.json');
const HAVE_SPEC = existsSync(SPEC);
if (!HAVE_SPEC) console.warn(`Foundry contract tests skipped: the spec is not at ${SPEC}`);

const PROJECT = '/api/projects/contract';
const THREAD = 'thread_contract';
const TOKEN = 'contract-entra-token';
const API_VERSION = '2025-05-01';
const NOW = Date.parse('2026-11-25T12:00:00Z');

/** The spec as Prism is to serve it: no example references, paths under the project, approvals as in the preview. */
function servedSpec(file: string): unknown {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as {paths: Record<string, Record<string, {parameters?: Array<Record<string, unknown>>}>>};
  const strip = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(strip);
    else if (value && typeof value === 'object') {
      delete (value as Record<string, unknown>)['x-ms-examples'];
      Object.values(value).forEach(strip);
    }
  };
  strip(spec);
  const submit = spec.paths['/threads/{threadId}/runs/{runId}/submit_tool_outputs']!['post']!;
  const body = submit.parameters!.find((parameter) => parameter['in'] === 'body')!['schema'] as {properties: Record<string, unknown>; required?: string[]};
  body.properties['tool_approvals'] = {
    type: 'array',
    items: {
      type: 'object',
      properties: {tool_call_id: {type: 'string'}, approve: {type: 'boolean'}, headers: {type: 'object', additionalProperties: {type: 'string'}}},
      required: ['tool_call_id', 'approve'],
    },
  };
  delete body.required;
  spec.paths = Object.fromEntries(Object.entries(spec.paths).map(([key, value]) => [`${PROJECT}${key}`, value]));
  return spec;
}

describe.skipIf(!HAVE_SPEC)('contract: runlens against a Prism mock of the Foundry Agent Service (classic) spec', () => {
  const mock = usePrismSuite({
    spec: (dir) => {
      const spec = path.join(dir, 'foundry.json');
      writeFileSync(spec, JSON.stringify(servedSpec(SPEC)));
      return spec;
    },
    probe: {path: `${PROJECT}/threads?api-version=${API_VERSION}`, headers: {Authorization: `Bearer ${TOKEN}`}},
    tempPrefix: 'runlens-foundry-contract-',
  });
  let endpoint = '';
  let api: AssistantsApi;
  beforeAll(() => {
    endpoint = `${mock.baseUrl}${PROJECT}`;
    api = createAssistantsApi({foundry: {projectEndpoint: endpoint, apiVersion: API_VERSION, credential: {kind: 'token-env', variable: 'FOUNDRY_TOKEN'}}, maxRetries: 0}, {FOUNDRY_TOKEN: TOKEN});
  });

  /** The exchanges made while `action` ran. */
  const recorded = mock.recorded;

  /**
   * Each request went to the project path with api-version, and was not refused; each expected
   * request was made, in order. Prism's placeholder pages say `has_more: true`, so a listing may
   * ask for a second page (and then stop: the page repeats): repeats of a request are allowed.
   */
  function expectConforming(made: Exchange[], expected: Array<[string, RegExp]>) {
    let at = 0;
    for (const exchange of made) {
      while (at < expected.length && !(exchange.method === expected[at]![0] && expected[at]![1].test(exchange.path))) at += 1;
      expect(at, `${exchange.method} ${exchange.path} is not one of the expected requests, in order`).toBeLessThan(expected.length);
    }
    for (const [method, pattern] of expected) expect(made.some((exchange) => exchange.method === method && pattern.test(exchange.path)), `${method} ${pattern}`).toBe(true);
    for (const exchange of made) {
      expect(exchange.path.startsWith(`${PROJECT}/`)).toBe(true);
      expect(new URL(exchange.path, 'http://x').searchParams.get('api-version')).toBe(API_VERSION);
      expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.body ?? ''}`).toBeGreaterThanOrEqual(200);
      expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.body ?? ''}`).toBeLessThan(300);
    }
  }

  it('runlens list --all-threads: list threads, then the runs of each', async () => {
    const stdout = new Collect();
    const stderr = new Collect();
    const {result: code, made} = await recorded(() =>
      runCli({
        argv: ['list', '--project-endpoint', endpoint, '--all-threads', '--token-env', 'FOUNDRY_TOKEN', '--max-retries', '0'],
        env: {FOUNDRY_TOKEN: TOKEN, RUNLENS_CONFIG_DIR: mock.dir},
        stdin: Object.assign(new PassThrough(), {isTTY: true}),
        stdout,
        stderr,
        now: () => NOW,
      }),
    );
    // The only warnings: the placeholder pages repeating themselves.
    expect(stderr.text.split('\n').filter((line) => line !== '' && !/sent the same page again/.test(line))).toEqual([]);
    expect(code).toBe(0);
    expectConforming(made, [
      ['GET', /\/threads\?(?=.*\border=desc\b)/],
      ['GET', /\/threads\/[^/]+\/runs\?(?=.*\border=desc\b)/],
    ]);
  });

  it('retrieve a run, list its steps', async () => {
    const {made} = await recorded(async () => {
      await api.retrieveRun(THREAD, 'run_abc');
      await api.loadRunSteps(THREAD, 'run_abc');
    });
    expectConforming(made, [
      ['GET', new RegExp(`/threads/${THREAD}/runs/run_abc\\?`)],
      ['GET', new RegExp(`/threads/${THREAD}/runs/run_abc/steps\\?(?=.*\\border=asc\\b)`)],
    ]);
  });

  it('submit tool outputs, submit tool approvals, cancel: bodies the spec accepts', async () => {
    // Prism answers with placeholder runs whose id is not the one asked: runlens refuses such an
    // answer (a reply about another run), so only the requests are checked here.
    const {made} = await recorded(async () => {
      await api.submitToolOutputs(THREAD, 'run_abc', [{tool_call_id: 'call_1', output: '{"ok": true}'}]).catch(() => undefined);
      await api.submitToolApprovals(THREAD, 'run_abc', [{tool_call_id: 'call_2', approve: true, headers: {'X-Token': 'a'}}, {tool_call_id: 'call_3', approve: false}]).catch(() => undefined);
      await api.cancelRun(THREAD, 'run_abc').catch(() => undefined);
    });
    expectConforming(made, [
      ['POST', new RegExp(`/threads/${THREAD}/runs/run_abc/submit_tool_outputs\\?`)],
      ['POST', new RegExp(`/threads/${THREAD}/runs/run_abc/submit_tool_outputs\\?`)],
      ['POST', new RegExp(`/threads/${THREAD}/runs/run_abc/cancel\\?`)],
    ]);
  });

  it('the check is live: no bearer is 401, no api-version is refused, a bad body is 422', async () => {
    const base = `${mock.prismUrl}${PROJECT}/threads/${THREAD}/runs`;
    const noBearer = await fetch(`${base}?api-version=${API_VERSION}`);
    expect(noBearer.status).toBe(401);
    await noBearer.body?.cancel();
    const noVersion = await fetch(base, {headers: {Authorization: `Bearer ${TOKEN}`}});
    expect(noVersion.status).toBe(422);
    await noVersion.body?.cancel();
    const badBody = await fetch(`${base}/run_abc/submit_tool_outputs?api-version=${API_VERSION}`, {
      method: 'POST',
      headers: {Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json'},
      body: JSON.stringify({tool_approvals: [{tool_call_id: 7}]}),
    });
    expect(badBody.status).toBe(422);
    await badBody.body?.cancel();
  });
});
