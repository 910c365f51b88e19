/**
 * Print mode through `runCli` with fake streams: a terminal (isTTY, columns) or a pipe.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {stripVTControlCharacters} from 'node:util';
import stringWidth from 'string-width';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {clockFrom, type CliIo} from '../src/cli/cliIo.js';
import {PANES} from '../src/panes/paneIds.js';
import {EXAMPLE_COUNT, EXAMPLE_STALLED, exampleStatusCount, EXAMPLE_WAITING} from './helpers/examples.js';
import {OutputCollector as Collector} from './helpers/outputCollector.js';

const NOW_ISO = '2026-11-25T12:00:00Z';
const NOW_MS = Date.parse(NOW_ISO);
const HOSTILE_ID = 'run_RAD97k4iu8FzIHd7sqV5paIH';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const COLOR_CODE = /\u001b\[(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  tty?: boolean;
  columns?: number;
  env?: Record<string, string>;
  stdin?: string;
}


let configDir: string;
let scratch: string;

beforeAll(() => {
  configDir = mkdtempSync(path.join(tmpdir(), 'runlens-cli-config-'));
  scratch = mkdtempSync(path.join(tmpdir(), 'runlens-cli-'));
});

afterAll(() => {
  rmSync(configDir, {recursive: true, force: true});
  rmSync(scratch, {recursive: true, force: true});
});

async function cli(argv: string[], options: RunOptions = {}): Promise<Result> {
  const stdout = new Collector(options.tty ?? false, options.tty ? (options.columns ?? 100) : undefined);
  const stderr = new Collector(false, undefined);
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]), {isTTY: options.stdin === undefined});
  const code = await runCli({
    argv,
    env: {RUNLENS_NOW: NOW_ISO, RUNLENS_CONFIG_DIR: configDir, ...options.env},
    stdin,
    stdout,
    stderr,
    now: () => NOW_MS,
  });
  return {code, stdout: stdout.text, stderr: stderr.text};
}

function lines(text: string): string[] {
  return text.split('\n').filter((line, index, all) => !(index === all.length - 1 && line === ''));
}

/** Every run and response object in examples/'s JSON and JSON Lines files, parsed independently of runlens, by id. */
function exampleObjects(): Map<string, unknown> {
  const byId = new Map<string, unknown>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.jsonl')) {
        for (const line of readFileSync(full, 'utf8').split('\n')) if (line.trim()) add(JSON.parse(line));
      } else if (name.endsWith('.json')) add(JSON.parse(readFileSync(full, 'utf8')));
    }
  };
  const add = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(add);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (record['object'] === 'list' && Array.isArray(record['data'])) record['data'].forEach(add);
      else if (record['object'] === 'thread.run' || record['object'] === 'response') byId.set(record['id'] as string, record);
    }
  };
  walk('examples');
  return byId;
}

function writeScratch(name: string, content: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

describe('list', () => {
  it('on a terminal: a header and aligned rows, no wider than the terminal', async () => {
    for (const columns of [40, 80, 100, 200]) {
      const {code, stdout, stderr} = await cli(['list', 'examples', '--no-color'], {tty: true, columns});
      expect(code).toBe(0);
      expect(stderr).toBe('');
      const out = lines(stdout);
      expect(out).toHaveLength(EXAMPLE_COUNT + 1);
      // Runs and responses: the KIND column stands before RUN where it fits.
      expect(out[0]).toMatch(columns >= 100 ? /^STATUS +KIND +RUN/ : /^STATUS +RUN/);
      expect(out[0]).not.toMatch(/\t/);
      const runColumn = out[0]!.indexOf('RUN');
      for (const line of out.slice(1)) {
        expect(stringWidth(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns);
        // Every row's id starts under RUN (status and kind cells are padded to one width).
        expect(['run_', 'resp'], line).toContain(line.slice(runColumn, runColumn + 4));
      }
      if (columns >= 200) expect(out[1]).toMatch(/^! requires_action +run +run_TpMlggIvapmkiXatm85gyg0a +gpt-4o-mini +thread_1QWJiNcAAl8DYFyKntkOX39U +4m ago +4m 52s +— +— +4m · expires in 5m · 2 calls$/);
      else if (columns >= 100) expect(out[1]).toMatch(/^! requires_action +run +run_TpMlggIvapmkiXatm85gyg0a +gpt-4o-mini +4m ago/);
      else if (columns >= 80) expect(out[1]).toMatch(/^! requires_action +run_TpMlggIvapmkiXatm85gyg0a +4m ago/);
      else expect(out[1]).toMatch(/^! requires_action +run_TpMlgg\S*…$/);
    }
  });

  it('on a colour terminal the statuses are coloured; NO_COLOR, --no-color and TERM=dumb turn it off', async () => {
    expect((await cli(['list', 'examples'], {tty: true})).stdout).toMatch(COLOR_CODE);
    // --color forces colour where it would be off (a pipe); TSV has none to give.
    expect((await cli(['show', HOSTILE_ID, 'examples', '--color'])).stdout).toMatch(COLOR_CODE);
    expect((await cli(['list', 'examples', '--color'])).stdout).not.toMatch(COLOR_CODE);
    const offEnvs: Array<Record<string, string>> = [{NO_COLOR: '1'}, {TERM: 'dumb'}];
    for (const env of offEnvs) {
      const {stdout} = await cli(['list', 'examples'], {tty: true, env});
      expect(stdout).not.toMatch(COLOR_CODE);
      expect(stdout).toContain('! requires_action');
      expect(stdout).toContain('✓ completed');
    }
    expect((await cli(['list', 'examples', '--no-color'], {tty: true, env: {FORCE_COLOR: '1'}})).stdout).not.toMatch(COLOR_CODE);
  });

  it('--ascii uses ASCII status marks', async () => {
    const {stdout} = await cli(['list', 'examples', '--ascii', '--no-color'], {tty: true});
    expect(stdout).toContain('v completed');
    expect(stdout).toContain('X failed');
    expect(stdout).not.toMatch(/[✓✗○●⊘⊗◐]/);
  });

  it('piped: TSV, no header, 12 fields (the kind, then the cost last), RFC 3339 times, no colour', async () => {
    // --sort created: the newest run first (piped output is otherwise in the order read).
    const {code, stdout, stderr} = await cli(['list', 'examples', '--utc', '--sort', 'created']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).not.toMatch(COLOR_CODE);
    const out = lines(stdout);
    expect(out).toHaveLength(EXAMPLE_COUNT);
    for (const line of out) expect(line.split('\t')).toHaveLength(12);
    const first = out[0]!.split('\t');
    expect(first).toEqual([
      'run_TpMlggIvapmkiXatm85gyg0a',
      'requires_action',
      'gpt-4o-mini',
      'thread_1QWJiNcAAl8DYFyKntkOX39U',
      '2026-11-25T11:55:06Z',
      '2026-11-25T11:55:08Z',
      '',
      '292',
      '',
      '4m · expires in 5m · 2 calls',
      'run',
      // No usage yet: no price, an empty field (never 0).
      '',
    ]);
    const completed = out.find((line) => line.startsWith('run_aIckImeWjKNt0XJJembuqWiv'))!.split('\t');
    expect(completed[6]).toMatch(/^2026-11-24T\d\d:\d\d:\d\dZ$/);
    expect(completed[7]).toBe('6');
    expect(completed[8]).toBe('1280');
    // The estimate in dollars, as a plain number scripts can add up.
    expect(completed[11]).toBe('0.003920');
  });

  it('a metadata newline or a tab never splits a TSV line', async () => {
    const file = writeScratch(
      'tabs.json',
      JSON.stringify({id: 'run_tab', object: 'thread.run', status: 'failed', model: 'a\tb', last_error: {code: 'x', message: 'one\ntwo\tthree'}}),
    );
    const out = lines((await cli(['list', file])).stdout);
    expect(out).toHaveLength(1);
    expect(out[0]!.split('\t')).toHaveLength(12);
    expect(out[0]).toContain('a\\tb');
    expect(out[0]).toContain('x: one\\ntwo\\tthree');
  });

  it('without a subcommand and with stdout piped, runlens lists', async () => {
    const {code, stdout} = await cli(['examples']);
    expect(code).toBe(0);
    expect(lines(stdout)).toHaveLength(EXAMPLE_COUNT);
    expect(lines(stdout)[0]!.split('\t')).toHaveLength(12);
  });

  it('--json: a JSON array of the runs exactly as read', async () => {
    const {code, stdout} = await cli(['list', 'examples', '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(parsed).toHaveLength(EXAMPLE_COUNT);
    const objects = exampleObjects();
    // The streamed response (responses/stream-waiting.sse) is no object of a JSON file: its last state is checked in sse and responses tests.
    expect(objects.size).toBe(EXAMPLE_COUNT - 1);
    for (const run of parsed.filter((object) => objects.has(object['id'] as string))) expect(run).toEqual(objects.get(run['id'] as string));
  });

  it('--json: control characters of the hostile run appear only as \\u escapes', async () => {
    const {stdout} = await cli(['list', 'examples', '--json', '--search', HOSTILE_ID]);
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stdout).toContain('\\u001b[2J');
    expect(stdout).toContain('\\u001b]0;pwned\\u0007');
    expect(stdout).toContain('\\u202e');
    expect(stdout).toContain('\\u009b6n');
    const [run] = JSON.parse(stdout) as Array<{instructions: string}>;
    expect(run!.instructions).toContain('\u001b[2J');
    expect(run!.instructions).toContain('\u202e');
  });

  it('the hostile run is safe on a terminal and in TSV too', async () => {
    for (const tty of [true, false]) {
      const {stdout} = await cli(['list', 'examples', '--search', HOSTILE_ID, '--no-color'], {tty});
      // Tabs separate TSV fields; nothing else may be a control character.
      expect(stdout.replaceAll('\t', ' ')).not.toMatch(RAW_CONTROL);
    }
  });

  it('--status filters, with commas or repeated', async () => {
    for (const argv of [
      ['--status', 'requires_action,failed'],
      ['--status', 'requires_action', '--status', 'failed'],
    ]) {
      const out = lines((await cli(['list', 'examples', ...argv])).stdout);
      expect(out).toHaveLength(exampleStatusCount('requires_action') + exampleStatusCount('failed'));
      expect(new Set(out.map((line) => line.split('\t')[1]))).toEqual(new Set(['requires_action', 'failed']));
    }
  });

  it('--model keeps runs of that exact model', async () => {
    const out = lines((await cli(['list', 'examples', '--model', 'gpt-4o'])).stdout);
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((line) => line.split('\t')[2] === 'gpt-4o')).toBe(true);
    expect(lines((await cli(['list', 'examples', '--model', 'gpt'])).stdout)).toHaveLength(0);
  });

  it('--limit N prints at most N runs (an empty result is not an error)', async () => {
    expect(lines((await cli(['list', 'examples', '--limit', '3'])).stdout)).toHaveLength(3);
    const none = await cli(['list', 'examples', '--limit', '0']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    const tty = await cli(['list', 'examples', '--status', 'queued', '--model', 'o3-mini'], {tty: true});
    expect(tty.code).toBe(0);
    expect(tty.stdout).toBe('No runs match.\n');
  });

  it('--sort tokens: most first, runs without usage last; --reverse: fewest first, still last', async () => {
    let out = lines((await cli(['list', 'examples', '--sort', 'tokens'])).stdout);
    const desc = out.map((line) => line.split('\t')[8]!);
    const known = desc.filter((value) => value !== '').map(Number);
    expect(known).toEqual([...known].sort((a, b) => b - a));
    expect(known[0]).toBe(21_800);
    expect(desc.slice(known.length).every((value) => value === '')).toBe(true);

    out = lines((await cli(['list', 'examples', '--sort', 'tokens', '--reverse'])).stdout);
    const asc = out.map((line) => line.split('\t')[8]!);
    const knownAsc = asc.filter((value) => value !== '').map(Number);
    expect(knownAsc).toEqual([...knownAsc].sort((a, b) => a - b));
    expect(knownAsc[0]).toBe(0);
    expect(asc.slice(knownAsc.length).every((value) => value === '')).toBe(true);
  });

  it('--sort created --reverse: oldest first', async () => {
    const out = lines((await cli(['list', 'examples', '--sort', 'created', '--reverse', '--utc'])).stdout);
    const created = out.map((line) => line.split('\t')[4]!);
    expect(created).toEqual([...created].sort());
  });

  it('--search ANDs words over ids, threads, errors, tools and metadata', async () => {
    const out = lines((await cli(['list', 'examples', '--search', 'SUP-4821 failed'])).stdout);
    expect(out.map((line) => line.split('\t')[0]).sort()).toEqual(['run_45aS430aX8Tdnaz9wvRHTfWc', 'run_QcO9H0pyUlfnsXPCQt94epuj']);
    expect(lines((await cli(['list', 'examples', '--search', 'get_air_quality'])).stdout)).toHaveLength(1);
  });

  it('reads runs from stdin (-, or piped with no source named)', async () => {
    const input = readFileSync('examples/weather-bot/run_single.json', 'utf8');
    for (const argv of [['list', '-'], ['list']]) {
      const {code, stdout} = await cli(argv, {stdin: input});
      expect(code).toBe(0);
      expect(lines(stdout)).toHaveLength(1);
      expect(stdout).toMatch(/^run_aIckImeWjKNt0XJJembuqWiv\tcompleted/);
    }
  });
});

describe('times', () => {
  const originalTz = process.env['TZ'];
  afterEach(() => {
    if (originalTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = originalTz;
  });

  it('--utc writes RFC 3339 in UTC; without it, the local offset', async () => {
    process.env['TZ'] = 'America/New_York';
    const utc = lines((await cli(['list', 'examples', '--utc', '--sort', 'created', '--limit', '1'])).stdout)[0]!.split('\t');
    expect(utc[4]).toBe('2026-11-25T11:55:06Z');
    const local = lines((await cli(['list', 'examples', '--sort', 'created', '--limit', '1'])).stdout)[0]!.split('\t');
    expect(local[4]).toBe('2026-11-25T06:55:06-05:00');
  });

  it('RUNLENS_NOW pins the clock (Unix seconds or ISO); durations of unfinished runs follow it', async () => {
    const at = async (now: string) => lines((await cli(['list', 'examples', '--utc', '--sort', 'created', '--limit', '1'], {env: {RUNLENS_NOW: now}})).stdout)[0]!.split('\t');
    expect((await at(NOW_ISO))[7]).toBe('292');
    expect((await at(String(NOW_MS / 1000 + 60)))[7]).toBe('352');
    expect((await at('2026-11-25T12:10:00Z'))[9]).toContain('expired');
  });

  it('a bad RUNLENS_NOW is a usage error', async () => {
    const {code, stderr} = await cli(['list', 'examples'], {env: {RUNLENS_NOW: 'tomorrow'}});
    expect(code).toBe(2);
    expect(stderr).toContain('RUNLENS_NOW');
  });

  it('--now sets the clock (over RUNLENS_NOW); a bad one is a usage error naming the flag', async () => {
    const at = async (now: string) => lines((await cli(['list', 'examples', '--now', now, '--sort', 'created', '--limit', '1'])).stdout)[0]!.split('\t');
    expect((await at(String(NOW_MS / 1000 + 60)))[7]).toBe('352');
    expect((await at('2026-11-25T12:10:00Z'))[9]).toContain('expired');
    const {code, stderr} = await cli(['list', 'examples', '--now', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toContain("--now must be Unix seconds or an ISO date, not 'soon'");
  });

  it('--now runs on from the instant it names, for the header to name; RUNLENS_NOW holds still, unannounced', () => {
    let real = Date.parse('2030-01-01T00:00:00Z');
    const io = {env: {RUNLENS_NOW: '2026-01-01T00:00:00Z'}, now: () => real} as unknown as CliIo;
    const ticking = clockFrom(io, '2026-11-25T12:00:00Z');
    const frozen = clockFrom(io);
    expect(ticking.pinnedAt).toBe(NOW_MS);
    expect(frozen.pinnedAt).toBeNull();
    expect(ticking.now()).toBe(NOW_MS);
    real += 3_500;
    expect(ticking.now()).toBe(NOW_MS + 3_500);
    expect(frozen.now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(clockFrom({...io, env: {}}).pinnedAt).toBeNull();
  });
});

describe('show', () => {
  it('prints every pane, with the checks and the unstick request', async () => {
    const {code, stdout, stderr} = await cli(['show', 'run_fbjG5CJOvUfeNO1F3Ehy9c7t', 'examples', '--utc']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).not.toMatch(COLOR_CODE);
    const out = lines(stdout);
    expect(out[0]).toBe('! requires_action  run_fbjG5CJOvUfeNO1F3Ehy9c7t');
    for (const pane of PANES) expect(out.some((line) => line.startsWith(`── ${pane.title} ─`))).toBe(true);
    const text = out.join('\n');
    expect(text).toContain('tool calls    4  4 with problems');
    expect(text).toContain('1. ✗ lookup_order  call_EruwaWHfnyI45dfNoqV3cjp6');
    expect(text).toContain('   ✓ known function');
    expect(text).toContain('   ✓ valid JSON');
    expect(text).toContain('   ✗ matches schema');
    expect(text).toContain("       missing required property 'order_id'");
    expect(text).toContain('"tool_call_id": "call_u4PenBKEOgYdOohfHenwFxeR"');
    expect(text).toContain('  created     2026-11-25 11:54:40 UTC (5m 20s ago)');
    // The tables are drawn, as in the TUI.
    expect(text).toMatch(/│ # │ type +│ name +│ strict │ description/);
    expect(text).toMatch(/│ ticket +│ SUP-1234 +│/);
    // Not a terminal: 100 columns.
    for (const line of out) expect(stringWidth(line)).toBeLessThanOrEqual(100);
  });

  it('the Usage table with the share of each limit, and the error pane', async () => {
    const text = (await cli(['show', 'run_NJurMaysqo1GEvrPbHZ8WbVL', 'examples'])).stdout;
    expect(text).toMatch(/│ completion │ 300 +│ 300 +│ 100\.0% +│/);
    expect(text).toContain('incomplete    max_completion_tokens');
    expect(text).toContain('the answer reached max_completion_tokens');
  });

  it('fits the terminal on a TTY, and colours it', async () => {
    for (const columns of [40, 80, 200]) {
      const {stdout} = await cli(['show', 'run_fbjG5CJOvUfeNO1F3Ehy9c7t', 'examples'], {tty: true, columns});
      expect(stdout).toMatch(COLOR_CODE);
      // (The first line is checked on its own below.)
      for (const line of lines(stripVTControlCharacters(stdout)).slice(1)) expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
    }
  });

  // BUG (components/printRun.tsx runAsText): the first line, "<status>  <run id>", is printed as
  // is, neither cut nor wrapped to the width like every other line: at 40 columns
  // "! requires_action  run_fbjG5CJOvUfeNO1F3Ehy9c7t" is 47 columns and wraps on the terminal.
  it('the first line fits a 40-column terminal too', async () => {
    const {stdout} = await cli(['show', 'run_fbjG5CJOvUfeNO1F3Ehy9c7t', 'examples', '--no-color'], {tty: true, columns: 40});
    expect(stringWidth(lines(stdout)[0]!)).toBeLessThanOrEqual(40);
  });

  it('the hostile run: escapes visible, nothing raw', async () => {
    for (const tty of [true, false]) {
      const {stdout} = await cli(['show', HOSTILE_ID, 'examples', '--no-color'], {tty});
      expect(stdout).not.toMatch(RAW_CONTROL);
      expect(stdout).toContain('Mara\\x1b[2J\\x1b]0;pwned\\x07 Quint');
      expect(stdout).toContain('\\u202e');
    }
  });

  it('--json prints the run object itself', async () => {
    const {code, stdout} = await cli(['show', HOSTILE_ID, 'examples', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(exampleObjects().get(HOSTILE_ID));
    expect(stdout).not.toMatch(RAW_CONTROL);
    const flags = await cli(['--json', 'show', HOSTILE_ID, 'examples']);
    expect(flags.stdout).toBe(stdout);
  });

  it('an unknown id exits 1 with a message on stderr', async () => {
    const {code, stdout, stderr} = await cli(['show', 'run_nope', 'examples']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe("runlens: no run with id 'run_nope' in examples\n");
  });

  it('an unknown id with control characters is named safely', async () => {
    const {stderr} = await cli(['show', 'run_\u001b[2J', 'examples']);
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(stderr).toContain('run_\\x1b[2J');
  });
});

describe('stuck', () => {
  // The waiting runs and responses of examples/, longest waiting first, with their waiting seconds at noon.
  const WAITING: ReadonlyArray<readonly [string, number]> = [
    ['run_b2ElVPBEZMptEZL12yKDDfxY', 597_468],
    ['resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8', 580],
    ['run_dLCuRck7KQGC9YOIMsE8jekV', 554],
    ['resp_6920d1aa11bb22cc33dd44ee55ff6666', 540],
    ['resp_6920e1aa11bb22cc33dd44ee55ff6677', 510],
    ['run_43mISLDtQbjVnuzCKoHEcurM', 459],
    ['run_wHusDjuFqvKQ3sDZ0rwv2Vhk', 405],
    ['resp_6920f1aa11bb22cc33dd44ee55ff6688', 348],
    ['run_fbjG5CJOvUfeNO1F3Ehy9c7t', 316],
    ['run_TpMlggIvapmkiXatm85gyg0a', 292],
  ];
  const WAITING_ORDER = WAITING.map(([id]) => id);
  const waitingAtLeast = (seconds: number) => WAITING.filter(([, waited]) => waited >= seconds).map(([id]) => id);
  // Queued, in progress or cancelling past the stalled threshold (12 h ago, and a background response queued 50 minutes).
  const STALLED = ['run_22vGCHfkz4ci4i20nR2myfWg', 'run_eGzdMuj5oFzamFXdpYdY4cuM', 'run_jxP2mWpKFHeKz4OgMmMPGBHk', 'resp_6920c1aa11bb22cc33dd44ee55ff6622'];

  it('piped: the requires_action runs, longest waiting first, with waiting, expiry, calls and problems', async () => {
    const {code, stdout, stderr} = await cli(['stuck', 'examples']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const rows = lines(stdout).map((line) => line.split('\t'));
    expect(WAITING_ORDER).toHaveLength(EXAMPLE_WAITING);
    expect(rows.map((row) => row[0])).toEqual(WAITING_ORDER);
    for (const row of rows) {
      expect(row).toHaveLength(7);
      expect(row[2]).toBe('requires_action');
      expect(row[3]).toMatch(/^\d+$/);
      // A response has no expiry: its field is empty.
      expect(row[4]).toMatch(row[0]!.startsWith('resp_') ? /^$/ : /^-?\d+$/);
    }
    const row = (id: string) => rows.find((candidate) => candidate[0] === id)!;
    const expired = row('run_b2ElVPBEZMptEZL12yKDDfxY');
    const noTools = row('run_dLCuRck7KQGC9YOIMsE8jekV');
    const unknown = row('run_43mISLDtQbjVnuzCKoHEcurM');
    const valid = row('run_wHusDjuFqvKQ3sDZ0rwv2Vhk');
    const schema = row('run_fbjG5CJOvUfeNO1F3Ehy9c7t');
    const badJson = row('run_TpMlggIvapmkiXatm85gyg0a');
    expect(Number(expired[4])).toBeLessThan(0);
    expect(noTools[6]).toContain("run has no tools; 'lookup_order' is not declared");
    expect(unknown[5]).toBe('get_forecast,get_air_quality');
    expect(unknown[6]).toContain("unknown function 'get_air_quality'");
    expect(valid[6]).toBe('');
    expect(schema[6]).toContain("missing required property 'order_id'");
    expect(badJson[6]).toContain('invalid JSON at line 1, column 15');
    expect(Number(badJson[3])).toBe(292);
    expect(Number(badJson[4])).toBe(306);
    // The response that replaced the valid run waits for the same calls, as valid.
    expect(row('resp_6920f1aa11bb22cc33dd44ee55ff6688').slice(5)).toEqual(valid.slice(5));
  });

  it('on a terminal: a table, each problem on its own line under its run', async () => {
    // 180 columns: room for every column, the longest CALLS (four functions) whole.
    const {stdout} = await cli(['stuck', 'examples', '--no-color'], {tty: true, columns: 180});
    const out = lines(stdout);
    expect(out[0]).toMatch(/^RUN +THREAD +WAITING +EXPIRES +CALLS$/);
    expect(out[1]).toMatch(/^run_b2ElVPBEZMptEZL12yKDDfxY +thread_Lr6rFz0U544KuIyZ4EM1iyW8 +6d 21h +expired 6d 21h ago +get_stock_price$/);
    expect(out.find((line) => line.startsWith('run_fbjG5CJOvUfeNO1F3Ehy9c7t'))).toMatch(/ lookup_order, schedule_callback, update_ticket, create_ticket$/);
    const schema = out.findIndex((line) => line.startsWith('run_fbjG5CJOvUfeNO1F3Ehy9c7t'));
    expect(out.slice(schema + 1, schema + 5).every((line) => line.startsWith('  ✗ '))).toBe(true);
    for (const line of out) expect(stringWidth(line)).toBeLessThanOrEqual(180);
  });

  it('on a terminal too narrow for the calls, the thread gives way to them', async () => {
    // 120 columns: with THREAD the calls would start at column 103; without it they start at 70 and show whole.
    const {stdout} = await cli(['stuck', 'examples', '--no-color'], {tty: true, columns: 120});
    const out = lines(stdout);
    expect(out[0]).toMatch(/^RUN +WAITING +EXPIRES +CALLS$/);
    expect(out[1]).toMatch(/^run_b2ElVPBEZMptEZL12yKDDfxY +6d 21h +expired 6d 21h ago +get_stock_price$/);
    expect(out.find((line) => line.startsWith('run_wHusDjuFqvKQ3sDZ0rwv2Vhk'))).toMatch(/ get_weather, get_stock_price, lookup_order$/);
    expect(stdout).not.toContain('thread_');
    for (const line of out) expect(stringWidth(line)).toBeLessThanOrEqual(120);
  });

  it('on a terminal, responses alone have no THREAD column', async () => {
    const {stdout} = await cli(['stuck', 'examples/responses', '--no-color'], {tty: true, columns: 200});
    const out = lines(stdout);
    expect(out[0]).toMatch(/^RUN +WAITING +EXPIRES +CALLS$/);
    expect(out.filter((line) => line.startsWith('resp_')).length).toBeGreaterThan(0);
  });

  it('on a terminal: no line is wider than the terminal', async () => {
    for (const columns of [40, 80, 200]) {
      const {stdout} = await cli(['stuck', 'examples', '--include-stalled'], {tty: true, columns});
      for (const line of lines(stripVTControlCharacters(stdout))) expect(stringWidth(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns);
    }
  });

  it('--exit-status: 8 when something is stuck, 0 when nothing is', async () => {
    expect((await cli(['stuck', 'examples', '--exit-status'])).code).toBe(8);
    expect((await cli(['stuck', 'examples'])).code).toBe(0);
    const completed = await cli(['stuck', 'examples', '--exit-status', '--status', 'completed'], {tty: true});
    expect(completed.code).toBe(0);
    expect(completed.stdout).toMatch(/nothing is stuck/);
    const calm = await cli(['stuck', 'examples/weather-bot', '--exit-status']);
    expect(calm.code).toBe(0);
    expect(calm.stdout).toBe('');
    expect((await cli(['stuck', 'examples/weather-bot', '--exit-status', '--include-stalled'])).code).toBe(0);
    expect((await cli(['stuck', 'examples/stuck', '--exit-status'])).code).toBe(8);
  });

  it('--older-than keeps runs waiting at least that long', async () => {
    expect(lines((await cli(['stuck', 'examples', '--older-than', '10m'])).stdout).map((line) => line.split('\t')[0])).toEqual([WAITING_ORDER[0]]);
    expect(lines((await cli(['stuck', 'examples', '--older-than', '5m'])).stdout).map((line) => line.split('\t')[0])).toEqual(waitingAtLeast(300));
    expect(lines((await cli(['stuck', 'examples', '--older-than', '300'])).stdout)).toHaveLength(waitingAtLeast(300).length);
    expect((await cli(['stuck', 'examples', '--older-than', '30d', '--exit-status'])).code).toBe(0);
  });

  it('--include-stalled adds queued, in_progress and cancelling runs past the threshold', async () => {
    const rows = lines((await cli(['stuck', 'examples', '--include-stalled'])).stdout).map((line) => line.split('\t'));
    expect(STALLED).toHaveLength(EXAMPLE_STALLED);
    expect(rows).toHaveLength(EXAMPLE_WAITING + EXAMPLE_STALLED);
    const stalled = rows.filter((row) => row[2] !== 'requires_action');
    expect(stalled.map((row) => row[0]).sort()).toEqual([...STALLED].sort());
    // With --older-than the stalled threshold follows it: three more runs (in flight for 5m 39s to 9m 1s) are stalled, and the run waiting 4m 52s is left out.
    expect(lines((await cli(['stuck', 'examples', '--include-stalled', '--older-than', '5m'])).stdout)).toHaveLength(waitingAtLeast(300).length + STALLED.length + 3);
  });

  it('list filters apply: --status, --model, --search, --limit', async () => {
    expect(lines((await cli(['stuck', 'examples', '--model', 'gpt-4.1'])).stdout)).toHaveLength(2);
    expect(lines((await cli(['stuck', 'examples', '--search', 'SUP-1234'])).stdout)).toHaveLength(1);
    expect(lines((await cli(['stuck', 'examples', '--limit', '2'])).stdout).map((line) => line.split('\t')[0])).toEqual(WAITING_ORDER.slice(0, 2));
  });

  it('--json: the checks and the unstick body of each run', async () => {
    const {stdout} = await cli(['stuck', 'examples', '--json', '--utc']);
    const entries = JSON.parse(stdout) as Array<{
      id: string;
      kind: string;
      waiting_seconds: number;
      expires_at: string | null;
      tool_calls: Array<{id: string; ok: boolean; checks: Array<{name: string; ok: boolean | null}>}>;
      submit_tool_outputs: {tool_outputs: Array<{tool_call_id: string}>};
    }>;
    expect(entries.map((entry) => entry.id)).toEqual(WAITING_ORDER);
    const schema = entries.find((entry) => entry.id === 'run_fbjG5CJOvUfeNO1F3Ehy9c7t')!;
    expect(schema.kind).toBe('waiting');
    expect(schema.expires_at).toBe('2026-11-25T12:04:40Z');
    expect(schema.tool_calls.every((call) => !call.ok)).toBe(true);
    expect(schema.submit_tool_outputs.tool_outputs.map((entry) => entry.tool_call_id)).toEqual(schema.tool_calls.map((call) => call.id));
  });
});

describe('errors and help', () => {
  it.each([
    [['list', 'examples', '--bogus'], /--bogus/],
    [['list', 'examples', '--limit', 'x'], /--limit takes a whole number, not 'x'/],
    [['list', 'examples', '--limit', '-1'], /--limit/],
    [['list', 'examples', '--limit', '2.5'], /--limit/],
    [['list', 'examples', '--sort', 'nope'], /--sort takes one of .*, not 'nope'/],
    [['show'], /show needs a RUN_ID/],
    [['stuck', 'examples', '--older-than', 'soon'], /invalid duration 'soon'/],
    [['list', 'examples', '--status', 'requires-action'], /did you mean 'requires_action'/],
  ])('%j is a usage error: exit 2, one message line', async (argv, message) => {
    const {code, stdout, stderr} = await cli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const [first, hint, ...rest] = lines(stderr);
    expect(first).toMatch(/^runlens: /);
    expect(first).toMatch(message);
    expect(hint).toBe("Run 'runlens --help' for usage.");
    expect(rest).toEqual([]);
  });

  it('no source while stdin is a terminal is a usage error', async () => {
    const {code, stderr} = await cli(['list']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^runlens: no source given/);
  });

  it('a source with nothing loadable exits 1, saying why on stderr', async () => {
    const empty = mkdtempSync(path.join(scratch, 'empty-'));
    const broken = writeScratch('broken.json', '{"id": "run_x", "object": "thread.run", ');
    const notRuns = writeScratch('messages.json', JSON.stringify([{id: 'msg_1', object: 'thread.message'}]));
    for (const source of [empty, broken, notRuns, path.join(scratch, 'missing.json')]) {
      const {code, stdout, stderr} = await cli(['list', source]);
      expect(code, source).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('runlens: no runs could be loaded from');
    }
    const {stderr} = await cli(['list', broken]);
    expect(lines(stderr).length).toBeGreaterThanOrEqual(2);
    expect(stderr).toContain('broken.json');
  });

  it('load warnings go to stderr; stdout keeps only the runs', async () => {
    const dir = mkdtempSync(path.join(scratch, 'mixed-'));
    writeFileSync(path.join(dir, 'good.json'), readFileSync('examples/weather-bot/run_single.json'));
    writeFileSync(path.join(dir, 'bad.jsonl'), '{"id": "run_a", "object": "thread.run", "status": "completed"}\n{not json\n');
    for (const argv of [['list', dir], ['list', dir, '--json'], ['stuck', dir]]) {
      const {code, stdout, stderr} = await cli(argv);
      expect(code).toBe(0);
      expect(stderr).toMatch(/^runlens: .*bad\.jsonl:2/m);
      expect(stdout).not.toContain('bad.jsonl');
    }
    expect(lines((await cli(['list', dir])).stdout)).toHaveLength(2);
  });

  it('--help prints the usage and exits 0', async () => {
    const {code, stdout, stderr} = await cli(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^runlens — /);
    for (const text of ['runlens list', 'runlens show RUN_ID', 'runlens stuck', '--exit-status', '--older-than', 'Exit codes']) expect(stdout).toContain(text);
    expect((await cli(['-h'])).stdout).toBe(stdout);
    expect((await cli(['show', '--help'])).code).toBe(0);
  });

  it('--version prints a version and exits 0', async () => {
    const {code, stdout} = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^runlens \d+\.\d+\.\d+\n$/);
    expect((await cli(['-v'])).stdout).toBe(stdout);
  });

  // BUG (src/cli/main.ts): `VERSION` is hard-coded as '0.1.0' while package.json says "1.0.0", so
  // `runlens --version` reports a version that was never published. Expected: the package version.
  it('--version reports the version in package.json', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {version: string};
    expect((await cli(['--version'])).stdout).toBe(`runlens ${pkg.version}\n`);
  });
});

describe('ASCII fallback from the locale', () => {
  it('a locale without UTF-8 prints ASCII status marks; a UTF-8 one keeps the glyphs', async () => {
    const {localeLacksUnicode} = await import('../src/cli/cliIo.js');
    expect(localeLacksUnicode({LANG: 'C'})).toBe(true);
    expect(localeLacksUnicode({LANG: 'en_US.ISO-8859-1'})).toBe(true);
    expect(localeLacksUnicode({LANG: 'C', LC_ALL: 'en_US.UTF-8'})).toBe(false);
    expect(localeLacksUnicode({LANG: 'de_DE.utf8'})).toBe(false);
    expect(localeLacksUnicode({})).toBe(false);
  });
});
