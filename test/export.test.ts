/**
 * `runlens export`: the Markdown report and the JSON of real-shaped runs, a whole thread, -o, and
 * `--redact`: no original string of a redacted field appears anywhere in the output.
 */
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import {exportRuns} from '../src/panes/exportReport.js';
import {cliRun} from './helpers/cliRun.js';

const STUCK = 'examples/stuck/requires-action.json';
const STUCK_ID = 'run_TpMlggIvapmkiXatm85gyg0a';
const scratch = mkdtempSync(path.join(tmpdir(), 'runlens-export-'));

describe('runlens export', () => {
  it('md: status, timeline, usage and cost, tool calls with checks, the unstick request, instructions', async () => {
    const result = await cliRun(['export', STUCK_ID, STUCK]);
    expect(result.code).toBe(0);
    for (const heading of ['# runlens report: run_TpMlggIvapmkiXatm85gyg0a', '### Timeline', '### Usage and cost', '### Tool calls', '### Unstick request', '### Instructions']) {
      expect(result.stdout).toContain(heading);
    }
    expect(result.stdout).toContain('| status | **requires_action** |');
    expect(result.stdout).toContain('valid JSON: FAIL');
    expect(result.stdout).toContain(`/runs/${STUCK_ID}/submit_tool_outputs`);
  });

  it('json: the run as read, whole', async () => {
    const result = await cliRun(['export', STUCK_ID, STUCK, '--format', 'json']);
    const json = JSON.parse(result.stdout) as {schema: string; runs: unknown[]};
    const original = (JSON.parse(readFileSync(STUCK, 'utf8')) as Array<{id: string}>).find((run) => run.id === STUCK_ID);
    expect(json.schema).toBe('runlens.export/1');
    expect(json.runs).toEqual([original]);
  });

  it('--thread T: every loaded run of the thread, oldest first; -o writes the file and says where', async () => {
    const file = path.join(scratch, 'thread.md');
    const result = await cliRun(['export', 'run_RAD97k4iu8FzIHd7sqV5paIH', 'examples/support-desk', '--thread', 'thread_41ogePJdFPW5bAUFxxZwRIpt', '-o', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`wrote ${file}`);
    const text = readFileSync(file, 'utf8');
    const ids = [...text.matchAll(/^## Run `(run_\w+)`/gm)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(3);
    expect(ids).toContain('run_RAD97k4iu8FzIHd7sqV5paIH');
  });

  it('escapes what the run wrote: the hostile instructions reach the report as text', async () => {
    const result = await cliRun(['export', 'run_RAD97k4iu8FzIHd7sqV5paIH', 'examples/support-desk']);
    // eslint-disable-next-line no-control-regex
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('--redact: metadata, instructions, arguments and error text replaced by stable placeholders; ids, names and checks kept', async () => {
    const result = await cliRun(['export', STUCK_ID, STUCK, '--redact']);
    const original = (JSON.parse(readFileSync(STUCK, 'utf8')) as Array<Record<string, unknown>>).find((run) => run['id'] === STUCK_ID)!;
    expect(result.stdout).not.toContain(original['instructions'] as string);
    for (const value of Object.values(original['metadata'] as Record<string, string>)) expect(result.stdout).not.toContain(value);
    expect(result.stdout).toContain('‹instructions-1›');
    expect(result.stdout).toContain('get_weather');
    expect(result.stdout).toContain('valid JSON: FAIL');
    expect(result.stdout).toContain(STUCK_ID);
  });

  it('--redact-keep keeps the fields named', async () => {
    const result = await cliRun(['export', STUCK_ID, STUCK, '--redact', '--redact-keep', 'metadata']);
    const original = (JSON.parse(readFileSync(STUCK, 'utf8')) as Array<Record<string, unknown>>).find((run) => run['id'] === STUCK_ID)!;
    for (const value of Object.values(original['metadata'] as Record<string, string>)) expect(result.stdout).toContain(value);
    expect(result.stdout).not.toContain('‹metadata-');
  });

  it('a run not loaded: exit 1, its id named; export flags elsewhere are usage errors', async () => {
    expect((await cliRun(['export', 'run_nope', STUCK])).code).toBe(1);
    const misuse = await cliRun(['list', STUCK, '--redact']);
    expect(misuse.code).toBe(2);
  });
});

describe('redaction, over random strings', () => {
  const secret = fc.stringMatching(/^[A-Za-z0-9 ]{10,40}$/).filter((text) => text.trim().length >= 10);
  it('no original string of a redacted field appears anywhere, in md or json; the same value, the same placeholder', () => {
    fc.assert(
      fc.property(secret, secret, secret, secret, fc.constantFrom<'md' | 'json'>('md', 'json'), (instructions, metadata, argument, message, format) => {
        const raw = {
          id: 'run_redact000000000000001',
          object: 'thread.run',
          created_at: 1764064800,
          thread_id: 'thread_redact0001',
          status: 'requires_action',
          model: 'gpt-4o',
          instructions,
          metadata: {a: metadata, b: metadata},
          tools: [{type: 'function', function: {name: 'lookup', parameters: {type: 'object', properties: {q: {type: 'string'}}}}}],
          required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'lookup', arguments: JSON.stringify({q: argument})}}]}},
          last_error: {code: 'server_error', message},
          usage: {prompt_tokens: 10, completion_tokens: 2, total_tokens: 12},
        };
        const run = normalizeRun(raw, {file: 'random.json'});
        const out = exportRuns([run], run.id, {format, redact: true, nowSeconds: 1764064900});
        for (const original of [instructions, metadata, argument, message]) expect(out).not.toContain(original);
        expect(out).toContain('run_redact000000000000001');
        expect(out).toContain('lookup');
        if (format === 'md') expect(out.match(/‹metadata-\d+›/g)).toEqual(['‹metadata-1›', '‹metadata-1›']);
      }),
      {numRuns: 150},
    );
  });
});
