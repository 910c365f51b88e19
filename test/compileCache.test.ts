/**
 * V8's code cache at start-up (issue #16, the first frame; src/cli/compileCache.ts): turned on
 * where Node has `module.enableCompileCache` (22.1 and later), kept under the OS temp folder, never
 * in the checkout, and never in the way of the program.
 */
import {execFile} from 'node:child_process';
import {existsSync, readdirSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import * as nodeModule from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {enableCompileCache} from '../src/cli/compileCache.js';
import {CLI, REPO_ROOT, ensureBuilt} from './e2e/tmux.js';

describe('enableCompileCache', () => {
  it("asks Node for its cache, in Node's own folder, where Node has one", () => {
    const calls: unknown[][] = [];
    expect(enableCompileCache({enableCompileCache: (...args: unknown[]) => calls.push(args)})).toBe(true);
    // No folder of ours: NODE_COMPILE_CACHE, else node-compile-cache under the OS temp folder.
    expect(calls).toEqual([[]]);
  });

  it('does nothing on a Node without it (20, 22.0), and a Node that throws does not stop the program', () => {
    expect(enableCompileCache({})).toBe(false);
    expect(
      enableCompileCache({
        enableCompileCache: () => {
          throw new Error('EACCES');
        },
      }),
    ).toBe(false);
  });
});

describe('the built CLI and the cache', () => {
  let temp: string;
  beforeAll(async () => {
    await ensureBuilt();
    temp = await mkdtemp(join(tmpdir(), 'runlens-compile-cache-'));
  }, 120_000);
  afterAll(() => rm(temp, {recursive: true, force: true}));

  it('writes it under the temp folder on a Node that has it, nothing in the checkout, and prints the same', async () => {
    const hasCache = typeof (nodeModule as {enableCompileCache?: unknown}).enableCompileCache === 'function';
    const env: NodeJS.ProcessEnv = {...process.env, TMPDIR: temp, RUNLENS_NOW: '2026-11-25T12:00:00Z', NO_COLOR: '1'};
    delete env['NODE_COMPILE_CACHE'];
    delete env['NODE_DISABLE_COMPILE_CACHE'];
    const listed = () =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [CLI, 'list', join(REPO_ROOT, 'examples'), '--json'], {env, cwd: temp, maxBuffer: 64 * 1024 * 1024}, (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );
    const first = await listed();
    // `list` imports its chunk after the cache is on: that chunk's code is in it.
    const cache = join(temp, 'node-compile-cache');
    expect(existsSync(cache), `node-compile-cache under TMPDIR (Node ${process.version})`).toBe(hasCache);
    if (hasCache) expect(readdirSync(cache, {recursive: true}).length).toBeGreaterThan(0);
    // Read back from the cache, the program does the same.
    expect(await listed()).toBe(first);
    expect(JSON.parse(first)).not.toHaveLength(0);
    for (const folder of [REPO_ROOT, join(REPO_ROOT, 'dist')]) expect(readdirSync(folder).filter((name) => /compile-cache/.test(name)), folder).toEqual([]);
  });
});
