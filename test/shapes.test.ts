/**
 * Runs as servers and people write them: statuses in another case, times as text, lists without
 * `"object"`, and PowerShell exports (PascalCase keys, UTF-16, ConvertTo-Json's depth of 2). Each
 * shape is a file under test/fixtures/written or test/fixtures/powershell (the PowerShell ones
 * come from generate.mjs there), read through the CLI and the loaders as a user's file would be.
 */
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {Readable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {runNote} from '../src/format/runColumns.js';
import {normalizeRun} from '../src/model/normalize.js';
import {isToolCut, snakeCaseKey} from '../src/model/powershell.js';
import {DOCUMENTED_RUN_FIELDS, isCut, type Run} from '../src/model/run.js';
import {buildPane, paneBadge} from '../src/panes/paneIds.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {runDurationSeconds} from '../src/model/runFacts.js';
import {findStuckRuns} from '../src/triage/stuck.js';
import {checkToolCalls} from '../src/triage/toolCallChecks.js';
import {OutputCollector} from './helpers/outputCollector.js';
import {wholeRun} from '../src/sources/itemBodies.js';

const NOW_ISO = '2026-11-29T12:00:00Z';
const NOW_MS = Date.parse(NOW_ISO);
const NOW = NOW_MS / 1000;
const written = (name: string) => fileURLToPath(new URL(`./fixtures/written/${name}`, import.meta.url));
const powershell = (name: string) => fileURLToPath(new URL(`./fixtures/powershell/${name}`, import.meta.url));
const context = {nowSeconds: NOW, time: {utc: true}, ascii: false, width: 100};

async function cli(argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  const stdout = new OutputCollector(false, undefined);
  const stderr = new OutputCollector(false, undefined);
  const stdin = Object.assign(Readable.from([]), {isTTY: true});
  const code = await runCli({argv, env: {RUNLENS_NOW: NOW_ISO}, stdin, stdout, stderr, now: () => NOW_MS});
  return {code, stdout: stdout.text, stderr: stderr.text};
}

async function load(file: string) {
  return loadRunsFromSources([file]);
}

/** Every line of a pane as plain text. */
function paneText(pane: Parameters<typeof buildPane>[0], run: Run): string {
  return buildPane(pane, run, context)
    .flatMap((block) => (block.kind === 'lines' ? block.lines.map((line) => line.map((segment) => segment.text).join('')) : block.rows.map((row) => Object.values(row).join(' '))))
    .join('\n');
}

const byId = (runs: readonly Run[], id: string): Run => {
  const run = runs.find((candidate) => candidate.id === id);
  if (!run) throw new Error(`no ${id}`);
  return run;
};

/**
 * The same runs, id and status, whichever way the file is read: print mode as it streams
 * (`list --json`), the loader behind `--sort` and the other commands, statistics, and the TUI's
 * load (runs kept small and read again from the file).
 */
async function expectSameRunsInEveryMode(file: string): Promise<void> {
  const streamed = JSON.parse((await cli(['list', file, '--json'])).stdout) as Array<{id: string}>;
  const sorted = JSON.parse((await cli(['list', file, '--json', '--sort', 'id'])).stdout) as Array<{id: string}>;
  const stats = JSON.parse((await cli(['stats', file, '--json'])).stdout) as {runs: number; by_status: Array<{status: string; runs: number}>};
  const tui = await loadRunsFromSources([file], {detachRuns: true});
  const whole = await load(file);
  const ids = whole.runs.map((run) => run.id);
  expect(streamed.map((run) => run.id)).toEqual(ids);
  expect(sorted.map((run) => run.id)).toEqual([...ids].sort());
  expect(tui.runs.map((run) => [run.id, run.status])).toEqual(whole.runs.map((run) => [run.id, run.status]));
  expect(tui.runs.map((run) => wholeRun(run).raw)).toEqual(whole.runs.map((run) => run.raw));
  expect(stats.runs).toBe(ids.length);
  const counts = new Map<string, number>();
  for (const run of whole.runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  expect(new Map(stats.by_status.map((entry) => [entry.status, entry.runs]))).toEqual(counts);
}

describe('statuses in another case (written/status-case.jsonl: a server writing enum names)', () => {
  const file = written('status-case.jsonl');

  it('reads REQUIRES_ACTION, COMPLETED, IN_PROGRESS and Completed as the documented statuses, with one warning for the file', async () => {
    const loaded = await load(file);
    expect(loaded.runs.map((run) => run.status)).toEqual(['requires_action', 'completed', 'in_progress', 'completed', 'failed']);
    // The object as read is kept: --json and Raw JSON show what the server wrote.
    expect(loaded.runs.map((run) => run.raw['status'])).toEqual(['REQUIRES_ACTION', 'COMPLETED', 'IN_PROGRESS', 'Completed', 'failed']);
    const about = loaded.warnings.filter((warning) => warning.message.includes('read as'));
    expect(about).toEqual([
      {location: `${file}:1`, message: `run_JvWait1Up8Case2Qr: status "REQUIRES_ACTION" read as 'requires_action'; a status in another case is read as the documented one (said once per source)`},
    ]);
    expect(paneText('overview', loaded.runs[0]!)).toContain('status "REQUIRES_ACTION" read as \'requires_action\'');
    expect(paneText('overview', loaded.runs[0]!)).not.toContain('not documented');
  });

  it('stuck --exit-status exits 8 for the upper-case waiting run, and --status matches it when streaming and when sorted', async () => {
    const stuck = await cli(['stuck', file, '--exit-status']);
    expect(stuck.code).toBe(8);
    expect(stuck.stdout.split('\t')[0]).toBe('run_JvWait1Up8Case2Qr');
    for (const extra of [[], ['--sort', 'id']]) {
      const listed = await cli(['list', file, '--status', 'requires_action', ...extra]);
      expect(listed.stdout.split('\n').filter(Boolean).map((line) => line.split('\t')[0])).toEqual(['run_JvWait1Up8Case2Qr']);
      const completed = await cli(['list', file, '--status', 'completed', '--json', ...extra]);
      expect((JSON.parse(completed.stdout) as Array<{id: string}>).map((run) => run.id).sort()).toEqual(['run_JvDone2Up4Case7Ts', 'run_JvDone4Cap9Case3Xk']);
    }
  });

  it('gives the same runs in every mode', async () => {
    await expectSameRunsInEveryMode(file);
  });
});

describe('times written as text (written/iso-times.json)', () => {
  const file = written('iso-times.json');

  it('reads ISO 8601 with an offset, with Z and milliseconds, without a zone (UTC), and /Date(ms)/; durations follow', async () => {
    const {runs, warnings} = await load(file);
    const [waiting, done, failed, zoneless] = runs;
    expect([waiting!.createdAt, waiting!.startedAt, waiting!.expiresAt]).toEqual([Date.parse('2026-11-29T11:55:00Z') / 1000, Date.parse('2026-11-29T11:55:02Z') / 1000, Date.parse('2026-11-29T12:05:00Z') / 1000]);
    expect(runDurationSeconds(done!, NOW)).toBe(30);
    expect(done!.createdAt).toBe(Date.parse('2026-11-29T10:00:00.250Z') / 1000);
    expect([failed!.createdAt, failed!.failedAt, runDurationSeconds(failed!, NOW)]).toEqual([1795950000, 1795950009, 5]);
    expect(zoneless!.createdAt).toBe(Date.parse('2026-11-29T09:30:00Z') / 1000);
    expect(zoneless!.notes?.[0]?.message).toBe('created_at is the text "2026-11-29 09:30:00", read as 2026-11-29T09:30:00Z (no time zone given: read as UTC)');
    // Text that is no time stays a wrong field, and the run still loads.
    expect(zoneless!.startedAt).toBeNull();
    expect(zoneless!.problems).toEqual([{field: 'started_at', message: 'Invalid input: expected number, received string'}]);
    expect(warnings.filter((warning) => warning.message.includes('written as text'))).toHaveLength(1);
    // The stuck view counts the wait from the time the text names.
    expect(findStuckRuns(runs, NOW).map((stuck) => [stuck.run.id, stuck.waitingSeconds])).toEqual([['run_IsoWait1Tz8Hb2Qe', 298]]);
    await expectSameRunsInEveryMode(file);
  });

  it('never takes a date that does not exist, nor a time past the day', () => {
    for (const text of ['2026-02-30T10:00:00Z', '2026-11-29T24:00:00Z', '2026-11-29T10:61:00Z', '2026-11-29', 'Sun, 29 Nov 2026 10:00:00 GMT']) {
      const run = normalizeRun({id: 'run_x', object: 'thread.run', status: 'queued', created_at: text}, {file: 'x.json'});
      expect(run.createdAt).toBeNull();
      expect(run.problems.map((problem) => problem.field)).toEqual(['created_at']);
    }
  });
});

describe('lists without "object": "list"', () => {
  it.each([
    ['data-only.json', '{"data": [...]} without "object": "list"; read as a list', ['run_DataOnly1Bq', 'run_DataOnly2Cw']],
    ['runs-key.json', '{"runs": [...]} read as a list of runs', ['run_RunsKey1Mx', 'run_RunsKey2Nz']],
  ])('%s is read as a list, with a warning', async (name, message, ids) => {
    const {runs, warnings} = await load(written(name));
    expect(runs.map((run) => run.id)).toEqual(ids);
    expect(warnings).toEqual([{location: written(name), message}]);
    await expectSameRunsInEveryMode(written(name));
  });

  it('an Azure AI Foundry page ({"data", "first_id", "last_id", "has_more"}) is a known shape: read as a list, no warning', async () => {
    const {runs, warnings} = await load(written('foundry-page.json'));
    expect(runs.map((run) => [run.id, run.status])).toEqual([
      ['run_FdyPage1Hk3', 'completed'],
      ['run_FdyPage2Lp8', 'requires_action'],
    ]);
    expect(warnings).toEqual([]);
    await expectSameRunsInEveryMode(written('foundry-page.json'));
  });

  it("reads the Foundry spec's own Runs_ListRuns example body the same way (when shared/ is there)", async () => {
    const example = path.resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/azure-ai-agents/stable/2025-05-01/examples/Runs_ListRuns_MaximumSet_Gen.json');
    if (!existsSync(example)) return;
    const body = (JSON.parse(readFileSync(example, 'utf8')) as {responses: {200: {body: {data: unknown[]; object?: unknown}}}}).responses[200].body;
    expect(body.object).toBeUndefined();
    const {parseRunText} = await import('../src/sources/parseRunText.js');
    const parsed = parseRunText(JSON.stringify(body), 'Runs_ListRuns.json');
    expect(parsed.runs).toHaveLength(body.data.length);
    expect(parsed.warnings.filter((warning) => warning.message.includes('list'))).toEqual([]);
  });
});

describe('did you mean, for --status and --model', () => {
  const file = written('status-case.jsonl');

  it('--status bogus says on stderr that no API documents it, and still filters by it', async () => {
    const result = await cli(['list', file, '--status', 'bogus']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("runlens: --status 'bogus' is not a documented status (documented: queued, in_progress, requires_action, cancelling, cancelled, failed, completed, incomplete, expired). Only runs whose status is exactly 'bogus' match.\n");
  });

  it('--status with a typo names the status meant; in another case it is a usage error, as requires-action is', async () => {
    expect((await cli(['list', file, '--status', 'requires_acton'])).stderr).toContain("--status 'requires_acton' is not a documented status; did you mean 'requires_action'?");
    const upper = await cli(['list', file, '--status', 'REQUIRES_ACTION']);
    expect(upper.code).toBe(2);
    expect(upper.stderr).toContain("unknown status 'REQUIRES_ACTION'; did you mean 'requires_action'?");
  });

  it('--model that matches nothing but a model in another case says which, streaming and loaded', async () => {
    for (const argv of [['list', file, '--model', 'GPT-4O-MINI'], ['list', file, '--model', 'GPT-4O-MINI', '--sort', 'id'], ['stuck', file, '--model', 'GPT-4O-MINI']]) {
      const result = await cli(argv);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain("runlens: no run has model 'GPT-4O-MINI'; did you mean 'gpt-4o-mini'? (--model matches the name exactly)\n");
    }
    expect((await cli(['list', file, '--model', 'gpt-4o-mini'])).stderr).not.toContain('did you mean');
    expect((await cli(['list', file, '--model', 'claude'])).stderr).not.toContain('did you mean');
  });
});

describe('PowerShell 7: ConvertTo-Json -Depth 10 of PascalCase objects (powershell/ps7-depth10-pascal.json)', () => {
  const file = powershell('ps7-depth10-pascal.json');

  it('reads PascalCase keys as the API fields, keeps the keys of metadata and of a function’s parameters, and checks the calls', async () => {
    const {runs, warnings} = await load(file);
    const waiting = byId(runs, 'run_PsWaiting7Kq2Lm9Xa1Bc');
    expect([waiting.status, waiting.threadId, waiting.createdAt, waiting.expiresAt, waiting.maxPromptTokens]).toEqual(['requires_action', 'thread_PsThreadA1', 1795953300, 1795953900, 20000]);
    expect(waiting.requiredAction?.toolCalls.map((call) => [call.id, call.functionName, call.arguments])).toEqual([
      ['call_PsLookup01', 'lookup_order', '{"order_id":"A-1042","include_items":true}'],
      ['call_PsRefund02', 'issue_refund', '{"order_id":"A-1042","amount_eur":19.9}'],
    ]);
    expect(waiting.metadata).toEqual({customer: 'acme', ticket: 'T-2207'});
    expect(waiting.tools[0]!.parameters).toMatchObject({required: ['order_id', 'include_items'], additionalProperties: false});
    expect(checkToolCalls(waiting).map((report) => report.verified)).toEqual([true, true]);
    expect(byId(runs, 'run_PsFailed5Nb1Qc4Wx7E').lastError).toEqual({code: 'rate_limit_exceeded', message: 'Rate limit reached for gpt-4o; try again in 20s.'});
    expect(byId(runs, 'run_PsDone3Vw6Rt8Yz2Df').responseFormat).toBe('json_schema (policy_answer)');
    expect(warnings.map((warning) => warning.message)).toEqual([
      "run_PsWaiting7Kq2Lm9Xa1Bc: field names in PascalCase (a PowerShell object) read as the API's snake_case names; free-form objects (metadata, parameters) keep their keys (said once per source)",
    ]);
    // Nothing documented is left over as an unknown field.
    for (const run of runs) expect(Object.keys(run.raw).filter((key) => !DOCUMENTED_RUN_FIELDS.has(key))).toEqual([]);
  });

  it('--json prints the API’s snake_case names; the Raw JSON pane shows what was read', async () => {
    const printed = JSON.parse((await cli(['list', file, '--json'])).stdout) as Array<Record<string, unknown>>;
    const text = JSON.stringify(printed);
    expect(printed[0]).toMatchObject({id: 'run_PsWaiting7Kq2Lm9Xa1Bc', created_at: 1795953300, required_action: {submit_tool_outputs: {tool_calls: [{function: {name: 'lookup_order'}}, {}]}}});
    expect(text).not.toMatch(/"(Id|Object|CreatedAt|RequiredAction|Function|Arguments)"/);
    expect(text).toContain('"additionalProperties":false');
    const shown = JSON.parse((await cli(['show', 'run_PsWaiting7Kq2Lm9Xa1Bc', file, '--json'])).stdout) as Record<string, unknown>;
    expect(shown['thread_id']).toBe('thread_PsThreadA1');
    const {runs} = await load(file);
    const raw = paneText('raw', runs[0]!);
    expect(raw).toContain('"Id": "run_PsWaiting7Kq2Lm9Xa1Bc"');
    expect(raw).toContain('"SubmitToolOutputs": {');
  });

  it('is read as Invoke-RestMethod’s snake_case export of the same runs would be', async () => {
    const [pascal, snake] = await Promise.all([cli(['list', file, '--json']), cli(['list', powershell('ps7-depth10-irm.json'), '--json'])]);
    expect(JSON.parse(pascal.stdout)).toEqual(JSON.parse(snake.stdout));
    await expectSameRunsInEveryMode(file);
  });
});

describe('Windows PowerShell 5.1: UTF-16LE with a BOM, "Key":  value, ConvertTo-Json’s default -Depth 2', () => {
  it('the PascalCase array (ps51-depth2-pascal.json): loads every run, says what was cut and to export with -Depth 10', async () => {
    const file = powershell('ps51-depth2-pascal.json');
    expect([...readFileSync(file).subarray(0, 4)]).toEqual([0xff, 0xfe, 0x5b, 0x00]);
    const {runs, warnings} = await load(file);
    expect(runs.map((run) => [run.id, run.status])).toEqual([
      ['run_PsWaiting7Kq2Lm9Xa1Bc', 'requires_action'],
      ['run_PsDone3Vw6Rt8Yz2Df', 'completed'],
      ['run_PsFailed5Nb1Qc4Wx7E', 'failed'],
    ]);
    const cut = warnings.filter((warning) => warning.message.includes('-Depth 10'));
    expect(cut).toHaveLength(1);
    expect(cut[0]!.message).toContain('required_action.submit_tool_outputs was cut short by the export, which wrote "@{ToolCalls=System.Object[]}"; export again with ConvertTo-Json -Depth 10');
    const waiting = runs[0]!;
    expect(waiting.requiredAction).toEqual({type: 'submit_tool_outputs', toolCalls: [], callsCut: true});
    expect(waiting.tools.map((tool) => [tool.type, tool.cut])).toEqual([
      ['function', true],
      ['function', true],
      ['file_search', true],
    ]);
    // What survived the depth is read: usage, the error, metadata.
    expect(runs[1]!.usage).toEqual({promptTokens: 1204, completionTokens: 311, totalTokens: 1515});
    expect(runs[1]!.responseFormat).toBe('json_schema (policy_answer)');
    expect(runs[2]!.lastError?.code).toBe('rate_limit_exceeded');
    expect(waiting.metadata).toEqual({customer: 'acme', ticket: 'T-2207'});
    await expectSameRunsInEveryMode(file);
  });

  it('never claims "no tools" or "0 calls" for a cut run: panes, badges, the list note and stuck say it was cut', async () => {
    const {runs} = await load(powershell('ps51-depth2-list.json'));
    const [waiting, done] = runs as [Run, Run];
    expect(isCut(waiting, 'required_action')).toBe(true);
    expect(isCut(done, 'tools')).toBe(true);
    expect(paneText('action', waiting)).toMatch(/tool calls\s+unknown {2}cut short by the export/);
    expect(paneText('action', waiting)).not.toMatch(/No action required|without tool calls|\b0\b/);
    expect(paneText('overview', waiting)).toContain('Waiting for   tool outputs: the export cut the list of calls short (export again with ConvertTo-Json -Depth 10)');
    for (const run of runs) {
      expect(paneText('tools', run)).toContain('The export cut the tools list short');
      expect(paneText('tools', run)).not.toMatch(/no tools/i);
      expect(paneText('metadata', run)).toContain('The export cut the metadata short');
      expect(paneBadge('tools', run)).toBe('?');
    }
    expect(paneText('usage', done)).toContain('The export cut the usage short');
    expect(paneText('usage', done)).not.toContain('no usage recorded');
    expect(paneBadge('action', waiting)).toBe('?');
    expect(runNote(waiting, NOW).text).toMatch(/calls cut by the export$/);
    const stuck = findStuckRuns(runs, NOW);
    expect(stuck.map((entry) => entry.problems)).toEqual([['the export cut the tool calls short; export again with ConvertTo-Json -Depth 10']]);
    const printed = await cli(['stuck', powershell('ps51-depth2-list.json')]);
    expect(printed.stdout).toContain('the export cut the tool calls short');
    expect(printed.stdout).not.toContain('without tool calls');
  });

  it('one run on its own (ps51-depth2-one.json): the tool names survive in the text; checks of cut tools say why they cannot run', async () => {
    const file = powershell('ps51-depth2-one.json');
    const {runs} = await load(file);
    const run = runs[0]!;
    expect(run.tools.map((tool) => [tool.name, tool.cut ?? false])).toEqual([
      ['lookup_order', true],
      ['issue_refund', true],
      [null, false],
    ]);
    expect(run.requiredAction?.callsCut).toBe(true);
    const tools = paneText('tools', run);
    expect(tools).toContain('lookup_order');
    expect(tools).toContain('The export cut this tool short');
    expect(tools).not.toContain('parameters: none declared');
    const cutCall = normalizeRun(
      {...(run.raw as Record<string, unknown>), required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'lookup_order', arguments: '{}'}}]}}},
      {file},
    );
    const [report] = checkToolCalls(cutCall);
    expect(report!.checks.map((check) => [check.name, check.ok, check.couldNotRun])).toEqual([
      ['known function', true, undefined],
      ['valid JSON', true, undefined],
      ['matches schema', null, 'cut by the export'],
    ]);
    await expectSameRunsInEveryMode(file);
  });
});

describe('PowerShell 7 at -Depth 4 (powershell/ps7-depth4-one.json): cut deeper down', () => {
  it('a schema cut inside is shown as written and not checked against; calls whose function was cut are unknown', async () => {
    const {runs} = await load(powershell('ps7-depth4-one.json'));
    const run = runs[0]!;
    expect(run.tools[0]).toMatchObject({name: 'lookup_order', description: 'Look up an order & its items', parameters: {type: 'object', properties: '@{order_id=; include_items=}'}});
    expect(isToolCut(run.tools[0]!)).toBe(true);
    expect(isToolCut(run.tools[2]!)).toBe(false);
    expect(run.requiredAction?.callsCut).toBe(true);
    expect(paneText('tools', run)).toContain('The export cut its parameters short');
    const [report] = checkToolCalls(
      normalizeRun({...run.raw, required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'lookup_order', arguments: '{}'}}]}}}, {file: 'x.json'}),
    );
    expect(report!.checks[2]).toMatchObject({ok: null, couldNotRun: 'cut by the export'});
  });
});

describe('PascalCase names against the published specs', () => {
  /** openapi-generator's camelize, as its PowerShell client names a property: `created_at` → `CreatedAt`; reserved words get `Var`. */
  const generatorName = (name: string) => {
    const camel = name.replace(/(^|_)([a-z0-9])/g, (_all, _sep, letter: string) => letter.toUpperCase());
    return ['function', 'data'].includes(name) ? `Var${camel}` : camel;
  };

  it('every property of the OpenAI RunObject and RunToolCallObject comes back from its PascalCase name', () => {
    const spec = path.resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/openai-openapi.yaml');
    if (!existsSync(spec)) return;
    const text = readFileSync(spec, 'utf8');
    for (const schema of ['RunObject', 'RunToolCallObject']) {
      const start = text.indexOf(`\n    ${schema}:\n`) + 1;
      const next = /^ {4}\S/m.exec(text.slice(start + 5));
      const block = text.slice(start, next ? start + 5 + next.index : undefined);
      // Property names sit at eight spaces under `properties:`; `required:` lists them as `- name`.
      const names = [...block.matchAll(/^ {8}([a-z0-9_]+):\s*$/gm)].map((match) => match[1]!);
      expect(names.length).toBeGreaterThan(2);
      for (const name of names) expect(snakeCaseKey(generatorName(name))).toBe(name);
    }
  });

  it('every property reachable from Azure AI Foundry’s ThreadRun comes back from its PascalCase name', () => {
    const spec = path.resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/azure-ai-agents/stable/2025-05-01/azure-ai-agents.json');
    if (!existsSync(spec)) return;
    const definitions = (JSON.parse(readFileSync(spec, 'utf8')) as {definitions: Record<string, unknown>}).definitions;
    const seen = new Set<string>(['#/definitions/ThreadRun']);
    const names = new Set<string>();
    // The definitions a run refers to, and their subtypes (SubmitToolOutputsAction is an allOf of RequiredAction).
    const refsOf = (node: unknown): string[] => JSON.stringify(node).match(/"#\/definitions\/[^"]+"/g)?.map((ref) => ref.slice(1, -1)) ?? [];
    for (let grew = true; grew; ) {
      grew = false;
      for (const [name, definition] of Object.entries(definitions)) {
        const ref = `#/definitions/${name}`;
        const reached = seen.has(ref) ? refsOf(definition) : refsOf((definition as {allOf?: unknown}).allOf ?? []).some((parent) => seen.has(parent)) ? [ref] : [];
        for (const next of reached) if (!seen.has(next)) grew = seen.add(next) !== undefined;
      }
    }
    for (const ref of seen) {
      const properties = (definitions[ref.slice('#/definitions/'.length)] as {properties?: Record<string, unknown>} | undefined)?.properties;
      for (const name of Object.keys(properties ?? {})) names.add(name);
    }
    expect(names.has('submit_tool_outputs')).toBe(true);
    for (const name of names) expect(snakeCaseKey(generatorName(name))).toBe(name);
  });
});
