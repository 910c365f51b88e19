/**
 * The bad-input corpus: every file in test/fixtures/bad/ (small, committed) and the big, deep or
 * file-system cases generated in a temp folder. Each must give a clear warning naming where, load
 * everything else, and never throw.
 */
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chmod, cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadRunsFromSources, type LoadedRuns} from '../src/sources/loadSources.js';
import {formatWarning} from '../src/model/loadWarning.js';
import {SHOWN_CHARACTERS} from '../src/panes/content.js';
import {CLI, ensureBuilt} from './e2e/tmux.js';

const BAD = fileURLToPath(new URL('./fixtures/bad/', import.meta.url));
const bad = (name: string) => path.join(BAD, name);

const texts = (loaded: LoadedRuns) => loaded.warnings.map(formatWarning);
const ids = (loaded: LoadedRuns) => loaded.runs.map((run) => run.id);

function run(id: string, status = 'completed', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {id, object: 'thread.run', created_at: 1793610000, thread_id: 'thread_t', assistant_id: 'asst_a', status, ...extra};
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'runlens-bad-'));
});
afterAll(async () => {
  await rm(tmp, {recursive: true, force: true});
});

/** What each committed fixture loads to, on its own. Warnings are without the `path: ` prefix. */
// Steps and messages (`kept`, as `kind id`) load beside the runs; they were once skipped as "not a run".
const CORPUS: Record<string, {runs: string[]; warnings: string[]; kept?: string[]}> = {
  'all-null.json': {
    runs: ['run_badAllNull'],
    warnings: [
      ': run_badAllNull: field status: Invalid input: expected string, received null',
      ': item 1 is an object without "object": "thread.run", not a run; skipped',
    ],
  },
  'bad-envelope.json': {runs: [], warnings: [': list envelope has no "data" array; skipped']},
  'bad-lines.jsonl': {
    runs: ['run_badJsonlGood1', 'run_badJsonlGood2'],
    warnings: [
      // The column counts the line's indentation: `completed` starts at column 44.
      ":2:44: Unexpected token 'c'; line skipped",
      ':4: the value is a number, not a run; skipped',
      ':6:65: Unterminated string; line skipped',
    ],
    kept: ['messages msg_badJsonl'],
  },
  // A PNG: named, rather than "invalid JSON" at its first byte.
  'binary.json': {runs: [], warnings: [': looks like a PNG image, not runs; runlens reads runs as JSON, JSON Lines, stream transcripts, and Python or console.log printouts']},
  'blank-lines.jsonl': {
    runs: ['run_badLinesFirst', 'run_badLinesCrlf', 'run_badLinesLast'],
    warnings: [':7:1: Unexpected control character U+0000; line skipped'],
  },
  'bom-utf8.json': {runs: ['run_badBomUtf8'], warnings: []},
  'dup-a.json': {runs: ['run_badDupChanged', 'run_badDupSame'], warnings: []},
  'dup-b.json': {runs: ['run_badDupChanged', 'run_badDupSame'], warnings: []},
  'empty.json': {runs: [], warnings: [': empty file']},
  'malformed.json': {runs: [], warnings: [":4:3: invalid JSON: Expected ',' or '}' after property value"]},
  'millisecond-timestamps.json': {
    runs: ['run_badMilliseconds', 'run_badSecondsNextToIt'],
    warnings: [
      ': run_badMilliseconds: field created_at: timestamp in milliseconds, not seconds (as milliseconds: 2026-11-02T09:00:00.000Z)',
      ': run_badMilliseconds: field started_at: timestamp in milliseconds, not seconds (as milliseconds: 2026-11-02T09:00:01.500Z)',
    ],
  },
  'negative-timestamps.json': {
    runs: ['run_badNegative'],
    warnings: [': run_badNegative: field created_at: negative timestamp', ': run_badNegative: field started_at: negative timestamp'],
  },
  'no-object.json': {runs: ['run_badObjectMissing', 'run_badObjectEmpty', 'run_badObjectNull'], warnings: []},
  'not-runs.json': {
    runs: ['run_badNotRunsReal'],
    warnings: [
      ": item 1 is an object of type 'assistant', not a run; skipped",
      ': item 3 is a number, not a run; skipped',
      ': item 4 is a string, not a run; skipped',
      ': item 5 is null, not a run; skipped',
      ': item 6 is a boolean, not a run; skipped',
      ': item 7 is an array, not a run; skipped',
      ": item 8 is an object of type 'list', not a run; skipped",
      ': item 9 is an object without "object": "thread.run", not a run; skipped',
      ': item 10 is an object without "object": "thread.run", not a run; skipped',
      ': item 11 is an object without "object": "thread.run", not a run; skipped',
    ],
    kept: ['steps step_badStep', 'messages msg_badMessage'],
  },
  'number.json': {runs: [], warnings: [': the value is a number, not a run; skipped']},
  'partial.json': {
    runs: ['run_badPartial'],
    warnings: [
      ': run_badPartial: field created_at: Invalid input: expected number, received string',
      ': run_badPartial: field usage.total_tokens: Invalid input: expected number, received string',
      ': run_badPartial: field tools.1.type: Invalid input: expected string, received number',
      ': run_badPartial: field tools.3: Invalid input: expected object, received string',
      ': run_badPartial: field required_action.submit_tool_outputs.tool_calls.1.function.arguments: Invalid input: expected string, received object',
      ': run_badPartial: field last_error.code: Invalid input: expected string, received number',
    ],
  },
  'truncated.json': {runs: [], warnings: [':4:20: invalid JSON: Unterminated string']},
  'unknown-status.json': {runs: ['run_badPaused', 'run_badWeird'], warnings: []},
  'utf16be.json': {runs: ['run_badUtf16be'], warnings: []},
  'utf16le.json': {runs: ['run_badUtf16le'], warnings: []},
  'whitespace.json': {runs: [], warnings: [': empty file']},
  'wrong-types.json': {
    runs: ['run_badWrongTypes', '(no id) <file> item 1'],
    warnings: [
      ': run_badWrongTypes: field status: Invalid input: expected string, received array',
      ': run_badWrongTypes: field completed_at: Invalid input: expected number, received string',
      ': run_badWrongTypes: field failed_at: Invalid input: expected number, received boolean',
      ': run_badWrongTypes: field cancelled_at: Invalid input: expected number, received array',
      ': run_badWrongTypes: field truncation_strategy: Invalid input: expected object, received string',
      ': run_badWrongTypes: field file_ids: Invalid input: expected array, received string',
      ': run_badWrongTypes: field incomplete_details: Invalid input: expected object, received string',
      ': run_badWrongTypes: field tool_resources: Invalid input: expected object, received string',
      ': run_badWrongTypes: field thread_id: Invalid input: expected string, received number',
      ': run_badWrongTypes: field assistant_id: Invalid input: expected string, received boolean',
      ': run_badWrongTypes: field model: Invalid input: expected string, received number',
      ': run_badWrongTypes: field instructions: Invalid input: expected string, received object',
      ': run_badWrongTypes: field created_at: Invalid input: expected number, received string',
      ': run_badWrongTypes: field started_at: Invalid input: expected number, received string',
      ': run_badWrongTypes: field expires_at: Invalid input: expected number, received object',
      ': run_badWrongTypes: field usage: Invalid input: expected object, received string',
      ': run_badWrongTypes: field tools: Invalid input: expected array, received string',
      ': run_badWrongTypes: field required_action: Invalid input: expected object, received string',
      ': run_badWrongTypes: field last_error: Invalid input: expected object, received number',
      ': run_badWrongTypes: field metadata: Invalid input: expected object, received array',
      ': run_badWrongTypes: field temperature: Invalid input: expected number, received string',
      ': run_badWrongTypes: field top_p: Invalid input: expected number, received string',
      ': run_badWrongTypes: field max_prompt_tokens: Invalid input: expected number, received string',
      ': run_badWrongTypes: field max_completion_tokens: Invalid input: expected number, received boolean',
      ': run_badWrongTypes: field tool_choice: Invalid input: expected a string or an object of the documented shape',
      ': run_badWrongTypes: field response_format: Invalid input: expected a string or an object of the documented shape',
      ': run_badWrongTypes: field parallel_tool_calls: Invalid input: expected boolean, received string',
      ': run_badWrongTypes: field reasoning_effort: Invalid input: expected string, received number',
      ': (no id) <file> item 1: field id: Invalid input: expected string, received number',
      ': (no id) <file> item 1: field status: Invalid input: expected string, received number',
    ],
  },
};

/** The steps and messages a load kept, as `kind id`. */
const keptItems = (loaded: LoadedRuns) => [...(loaded.steps ?? []).map((step) => `steps ${step.id}`), ...(loaded.messages ?? []).map((message) => `messages ${message.id}`)];

const expectedFor = (name: string) => {
  const file = bad(name);
  const {runs, warnings} = CORPUS[name]!;
  return {runs: runs.map((id) => id.replace('<file>', file)), warnings: warnings.map((warning) => `${file}${warning.replace('<file>', file)}`)};
};

describe('test/fixtures/bad, one file at a time', () => {
  it('has an expectation for every file in the folder', async () => {
    expect((await readdir(BAD)).sort()).toEqual(Object.keys(CORPUS).sort());
  });

  it.each(Object.keys(CORPUS))('%s', async (name) => {
    const loaded = await loadRunsFromSources([bad(name)]);
    const expected = expectedFor(name);
    expect(ids(loaded)).toEqual(expected.runs);
    expect(texts(loaded)).toEqual(expected.warnings);
    expect(keptItems(loaded)).toEqual(CORPUS[name]!.kept ?? []);
    expect(loaded.files).toEqual([bad(name)]);
  });
});

describe('test/fixtures/bad, as one folder', () => {
  it('loads every good run once, warns for the rest in file order, then names the changed duplicate', async () => {
    const loaded = await loadRunsFromSources([BAD]);
    const names = Object.keys(CORPUS).sort();
    const expectedIds = [...new Set(names.flatMap((name) => expectedFor(name).runs))];
    expect(ids(loaded)).toEqual(expectedIds);
    expect(texts(loaded)).toEqual([
      ...names.flatMap((name) => expectedFor(name).warnings),
      `${bad('dup-b.json')}: run_badDupChanged also appears in ${bad('dup-a.json')} with different content; showing this one`,
    ]);
    // The later copy wins.
    expect(loaded.runs.find((run) => run.id === 'run_badDupChanged')).toMatchObject({status: 'completed', source: {file: bad('dup-b.json')}});
    expect(loaded.files).toEqual(names.map(bad));
  });
});

describe('what the corpus files carry', () => {
  it('decodes UTF-8 with a BOM and UTF-16 LE and BE', async () => {
    const loaded = await loadRunsFromSources([bad('bom-utf8.json'), bad('utf16le.json'), bad('utf16be.json')]);
    expect(loaded.runs.map((run) => run.metadata['note'])).toEqual(['café ☕', 'café ☕ 😀', 'café ☕ 😀']);
  });

  it('reads CRLF lines of a JSON Lines file and skips empty, blank, lone-CR and NUL lines', async () => {
    const loaded = await loadRunsFromSources([bad('blank-lines.jsonl')]);
    expect(loaded.runs.map((run) => [run.id, run.status, run.source.line])).toEqual([
      ['run_badLinesFirst', 'queued', 3],
      ['run_badLinesCrlf', 'in_progress', 6],
      ['run_badLinesLast', 'completed', 9],
    ]);
  });

  it('keeps unknown statuses and fields as they are', async () => {
    const loaded = await loadRunsFromSources([bad('unknown-status.json')]);
    expect(loaded.runs.map((run) => run.status)).toEqual(['paused_for_review', '']);
    expect(loaded.runs[0]?.raw['review_queue']).toBe('tier-2');
    expect(loaded.runs[1]?.raw['x_server']).toEqual({region: 'eu-north-1', shard: 3});
  });
});

/** The built CLI (dist/runlens.js), with the clock pinned and stdout a pipe. */
function runBuilt(args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {env: {...process.env, RUNLENS_NOW: '2026-11-25T12:00:00Z', NO_COLOR: '1'}, maxBuffer: 256 * 1024 * 1024}, (error, stdout, stderr) =>
      resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr}),
    );
  });
}

describe('generated big and deep input', () => {
  it('loads a run with a 5 MB instructions string, from .json and .jsonl', async () => {
    const instructions = `${'Answer briefly. 東京. '.repeat(262_144)}END`;
    expect(Buffer.byteLength(instructions)).toBeGreaterThan(5 * 1024 * 1024);
    const json = path.join(tmp, 'huge.json');
    const jsonl = path.join(tmp, 'huge.jsonl');
    await writeFile(json, JSON.stringify(run('run_huge', 'completed', {instructions})));
    await writeFile(jsonl, `${JSON.stringify(run('run_hugeLine', 'completed', {instructions}))}\n${JSON.stringify(run('run_after'))}\n`);
    const loaded = await loadRunsFromSources([json, jsonl]);
    expect(loaded.warnings).toEqual([]);
    expect(ids(loaded)).toEqual(['run_huge', 'run_hugeLine', 'run_after']);
    expect(loaded.runs[0]?.instructions).toBe(instructions);
    expect(loaded.runs[1]?.instructions?.length).toBe(instructions.length);
  });

  it('loads a run with a 50 MB instructions string; the built CLI lists it and shows the first 100,000 characters of it', async () => {
    await ensureBuilt();
    const instructions = `${'Answer briefly. 東京. '.repeat(2_500_000)}END`;
    expect(Buffer.byteLength(instructions)).toBeGreaterThan(50 * 1024 * 1024);
    const folder = path.join(tmp, 'fifty');
    await mkdir(folder);
    await writeFile(path.join(folder, 'huge.json'), JSON.stringify(run('run_fifty', 'completed', {instructions, model: 'gpt-4o'})));
    await writeFile(path.join(folder, 'small.json'), JSON.stringify(run('run_besideFifty', 'failed')));

    const loaded = await loadRunsFromSources([folder]);
    expect(loaded.warnings).toEqual([]);
    expect(ids(loaded)).toEqual(['run_fifty', 'run_besideFifty']);
    expect(loaded.runs[0]?.instructions).toBe(instructions);

    const list = await runBuilt(['list', folder]);
    expect(list).toMatchObject({code: 0, stderr: ''});
    expect(list.stdout.split('\n').map((line) => line.split('\t')[0]).sort()).toEqual(['', 'run_besideFifty', 'run_fifty']);
    // Every pane is printed; the instructions (and the string in the Raw JSON) stop after
    // SHOWN_CHARACTERS with a note of what is left and how to get it, so the output stays bounded.
    const show = await runBuilt(['show', 'run_fifty', folder]);
    expect(show).toMatchObject({code: 0, stderr: ''});
    const hidden = (instructions.length - SHOWN_CHARACTERS).toLocaleString('en-US');
    // Once in the Instructions pane, once in the Raw JSON string (wrapped there: compared without spaces).
    const note = `… ${hidden} more characters not shown (runlens show RUN_ID --json prints them)`;
    expect(show.stdout).toContain(note);
    expect(show.stdout.replace(/\s+/g, '').split(note.replace(/\s+/g, ''))).toHaveLength(3);
    expect(show.stdout).toContain(`${instructions.length.toLocaleString('en-US')} characters`);
    expect(show.stdout).toMatch(/── Raw JSON[\s\S]*"status": "completed"/);
    // Bounded output; before long text was measured in linear time this took minutes and ran
    // into the test's time limit (no timing assertion here: speed is the bench's business).
    expect(show.stdout.length).toBeLessThan(1_000_000);
    // --json keeps every character.
    const json = await runBuilt(['show', 'run_fifty', folder, '--json']);
    expect((JSON.parse(json.stdout) as {instructions: string}).instructions).toBe(instructions);
  }, 120_000);

  it('points at the break in a 5 MB file that is cut short', async () => {
    const text = JSON.stringify(run('run_hugeCut', 'completed', {instructions: 'x'.repeat(5 * 1024 * 1024)}));
    const file = path.join(tmp, 'huge-cut.json');
    await writeFile(file, text.slice(0, 4 * 1024 * 1024));
    const loaded = await loadRunsFromSources([file]);
    expect(loaded.runs).toEqual([]);
    expect(texts(loaded)).toEqual([`${file}:1:${4 * 1024 * 1024 + 1}: invalid JSON: Unterminated string`]);
  });

  it('loads a run whose metadata holds a value nested 10,000 levels deep, and compares copies of it', async () => {
    const depth = 10_000;
    const deep = (leaf: string) => `${'{"a":['.repeat(depth)}"${leaf}"${']}'.repeat(depth)}`;
    const text = (leaf: string) => `{"id":"run_deep","object":"thread.run","status":"completed","metadata":{"deep":${deep(leaf)},"team":"ops"}}`;
    const first = path.join(tmp, 'deep-1.json');
    const same = path.join(tmp, 'deep-2.json');
    const changed = path.join(tmp, 'deep-3.json');
    await writeFile(first, text('leaf'));
    await writeFile(same, text('leaf'));
    await writeFile(changed, text('other leaf'));

    const loaded = await loadRunsFromSources([first, same, changed]);
    expect(ids(loaded)).toEqual(['run_deep']);
    const deepProblem = `: run_deep: field metadata.deep: too deeply nested to show`;
    // The typed view shows the value as JSON, or (past what JSON.stringify can take) says why not.
    const perFile = loaded.runs[0]!.metadata['deep'] === '(too deeply nested to show)' ? [deepProblem] : [];
    expect(texts(loaded)).toEqual([
      ...perFile.map((warning) => `${first}${warning}`),
      ...perFile.map((warning) => `${same}${warning}`),
      ...perFile.map((warning) => `${changed}${warning}`),
      `${changed}: run_deep also appears in ${same} with different content; showing this one`,
    ]);
    expect(loaded.runs[0]!.metadata['team']).toBe('ops');
    // raw keeps all 10,000 levels.
    let level: unknown = (loaded.runs[0]!.raw['metadata'] as Record<string, unknown>)['deep'];
    let count = 0;
    while (typeof level === 'object' && level !== null && !Array.isArray(level)) {
      level = ((level as Record<string, unknown>)['a'] as unknown[])[0];
      count += 1;
    }
    expect([count, level]).toEqual([depth, 'other leaf']);
  });

  it('locates the break in an invalid text nested 10,000 levels deep', async () => {
    const depth = 10_000;
    const objects = path.join(tmp, 'deep-objects.json');
    const arrays = path.join(tmp, 'deep-arrays.json');
    const unclosed = path.join(tmp, 'deep-unclosed.jsonl');
    await writeFile(objects, `{"id":"run_x","object":"thread.run","metadata":${'{"a":'.repeat(depth)}x`);
    await writeFile(arrays, `${'['.repeat(depth)}}`);
    await writeFile(unclosed, `${JSON.stringify(run('run_beforeDeep'))}\n${'['.repeat(depth)}\n`);
    const loaded = await loadRunsFromSources([objects, arrays, unclosed]);
    expect(ids(loaded)).toEqual(['run_beforeDeep']);
    expect(texts(loaded)).toEqual([
      `${objects}:1:${47 + 5 * depth + 1}: invalid JSON: Unexpected token 'x'`,
      `${arrays}:1:${depth + 1}: invalid JSON: Unexpected token '}'`,
      `${unclosed}:2:${depth + 1}: Unexpected end of JSON input; line skipped`,
    ]);
  });
});

describe('generated file-system cases', () => {
  const runningAsRoot = process.getuid?.() === 0;

  it.skipIf(runningAsRoot)('warns about an unreadable file and folder (chmod 000) and loads the rest [skipped as root: root reads chmod 000 files]', async () => {
    const folder = path.join(tmp, 'locked');
    await mkdir(path.join(folder, 'closed'), {recursive: true});
    await writeFile(path.join(folder, 'a-locked.json'), JSON.stringify(run('run_locked')));
    await writeFile(path.join(folder, 'b-open.json'), JSON.stringify(run('run_open')));
    await chmod(path.join(folder, 'a-locked.json'), 0o000);
    await chmod(path.join(folder, 'closed'), 0o000);
    try {
      const loaded = await loadRunsFromSources([folder]);
      expect(ids(loaded)).toEqual(['run_open']);
      expect(texts(loaded)).toEqual([`${path.join(folder, 'closed')}: permission denied`, `${path.join(folder, 'a-locked.json')}: permission denied`]);
    } finally {
      await chmod(path.join(folder, 'a-locked.json'), 0o644);
      await chmod(path.join(folder, 'closed'), 0o755);
    }
  });

  // Root reads chmod 000 files, so as root the built CLI is run as the user nobody (setpriv, from
  // util-linux), for whom the file and folder really are unreadable.
  it.runIf(runningAsRoot && existsSync('/usr/bin/setpriv'))('as root: the CLI run as nobody warns about an unreadable file and folder and lists the rest', async () => {
    const folder = path.join(tmp, 'locked-for-nobody');
    await mkdir(path.join(folder, 'closed'), {recursive: true});
    await writeFile(path.join(folder, 'a-locked.json'), JSON.stringify(run('run_locked')));
    await writeFile(path.join(folder, 'b-open.json'), JSON.stringify(run('run_open')));
    await chmod(tmp, 0o755);
    await chmod(folder, 0o755);
    await chmod(path.join(folder, 'b-open.json'), 0o644);
    await chmod(path.join(folder, 'a-locked.json'), 0o000);
    await chmod(path.join(folder, 'closed'), 0o000);
    // A copy of the built CLI that nobody can read: the checkout itself may sit in a folder only
    // its owner can enter (a `mktemp -d` clone).
    const cli = path.join(tmp, 'cli-for-nobody');
    await cp(path.dirname(CLI), cli, {recursive: true});
    const result = await new Promise<{code: number; stdout: string; stderr: string}>((resolve) => {
      execFile('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, path.join(cli, path.basename(CLI)), 'list', folder], {env: {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/tmp', NO_COLOR: '1'}}, (error, stdout, stderr) =>
        resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr}),
      );
    });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').map((line) => line.split('\t')[0]).filter(Boolean)).toEqual(['run_open']);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      `runlens: ${path.join(folder, 'closed')}: permission denied`,
      `runlens: ${path.join(folder, 'a-locked.json')}: permission denied`,
    ]);
  });

  it('treats a folder named x.json as a folder, as a source and inside a folder', async () => {
    const root = path.join(tmp, 'named-like-files');
    await mkdir(path.join(root, 'empty.json'), {recursive: true});
    await mkdir(path.join(root, 'full.json'), {recursive: true});
    await writeFile(path.join(root, 'full.json', 'inner.json'), JSON.stringify(run('run_inner')));
    const asSource = await loadRunsFromSources([path.join(root, 'empty.json')]);
    expect(asSource.runs).toEqual([]);
    expect(texts(asSource)).toEqual([`${path.join(root, 'empty.json')}: no .json, .jsonl, .ndjson or .sse files in this folder`]);
    const inside = await loadRunsFromSources([root]);
    expect(ids(inside)).toEqual(['run_inner']);
    expect(inside.warnings).toEqual([]);
  });

  it('warns about a dangling link and link loops inside a folder, and loads the rest', async () => {
    const root = path.join(tmp, 'links');
    await mkdir(path.join(root, 'sub'), {recursive: true});
    await writeFile(path.join(root, 'good.json'), JSON.stringify(run('run_linkGood')));
    await writeFile(path.join(root, 'sub', 'nested.jsonl'), `${JSON.stringify(run('run_linkNested'))}\n`);
    await symlink('missing.json', path.join(root, 'dangling.json'));
    await symlink('loop-b.json', path.join(root, 'loop-a.json'));
    await symlink('loop-a.json', path.join(root, 'loop-b.json'));
    await symlink('..', path.join(root, 'sub', 'back-up'));
    await symlink('self', path.join(root, 'self'));
    await symlink('good.json', path.join(root, 'z-alias.json'));
    await symlink('missing.txt', path.join(root, 'ignored.txt'));

    const loaded = await loadRunsFromSources([root]);
    expect(ids(loaded)).toEqual(['run_linkGood', 'run_linkNested']);
    expect(texts(loaded)).toEqual([
      `${path.join(root, 'dangling.json')}: no such file or folder (symbolic link)`,
      `${path.join(root, 'loop-a.json')}: symbolic link loop (symbolic link)`,
      `${path.join(root, 'loop-b.json')}: symbolic link loop (symbolic link)`,
      `${path.join(root, 'self')}: symbolic link loop (symbolic link)`,
      `${path.join(root, 'sub', 'back-up')}: symbolic link loop (links to a folder it is in); skipped`,
    ]);
    expect(loaded.files).toEqual([path.join(root, 'good.json'), path.join(root, 'sub', 'nested.jsonl'), path.join(root, 'z-alias.json')]);

    // Named directly, a dangling link and a loop are warnings too.
    const direct = await loadRunsFromSources([path.join(root, 'dangling.json'), path.join(root, 'loop-a.json')]);
    expect(texts(direct)).toEqual([`${path.join(root, 'dangling.json')}: no such file or folder`, `${path.join(root, 'loop-a.json')}: symbolic link loop`]);
  });

  it('loads a folder of 10,000 small files in a few seconds, naming the bad ones among them', async () => {
    const root = path.join(tmp, 'many');
    await mkdir(root);
    const names = Array.from({length: 10_000}, (_, index) => `run-${String(index).padStart(5, '0')}.json`);
    const isBroken = (index: number) => index % 2500 === 2499;
    for (let first = 0; first < names.length; first += 500) {
      await Promise.all(
        names.slice(first, first + 500).map((name, offset) => {
          const index = first + offset;
          const text = isBroken(index) ? '{"id": "run_broken", ' : JSON.stringify(run(`run_many${index}`, index % 2 ? 'completed' : 'failed'));
          return writeFile(path.join(root, name), text);
        }),
      );
    }
    // Under a second on an idle machine; a per-file cost that grows with the folder would run
    // into the test's time limit.
    const loaded = await loadRunsFromSources([root]);
    expect(loaded.runs.length).toBe(9996);
    expect(loaded.runs[0]?.id).toBe('run_many0');
    expect(loaded.runs.at(-1)?.id).toBe('run_many9998');
    expect(texts(loaded)).toEqual(
      ['02499', '04999', '07499', '09999'].map((index) => `${path.join(root, `run-${index}.json`)}:1:22: invalid JSON: Expected double-quoted property name`),
    );
    expect(loaded.files).toEqual(names.map((name) => path.join(root, name)));
  }, 60_000);

  it('gives zero runs and every reason when nothing at all can be loaded', async () => {
    const loaded = await loadRunsFromSources([bad('empty.json'), bad('malformed.json'), bad('number.json'), path.join(tmp, 'absent')]);
    expect(loaded.runs).toEqual([]);
    expect(texts(loaded)).toEqual([
      `${bad('empty.json')}: empty file`,
      `${bad('malformed.json')}:4:3: invalid JSON: Expected ',' or '}' after property value`,
      `${bad('number.json')}: the value is a number, not a run; skipped`,
      `${path.join(tmp, 'absent')}: no such file or folder`,
    ]);
  });
});
