/**
 * The built CLI when something fails outside the data: one line saying why and exit 1; `--debug`
 * adds the stack. Neither ever shows a key.
 */
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {hideSecrets} from '../src/cli/cliIo.js';
import {CLI, ensureBuilt} from './e2e/tmux.js';
import {FakeAssistantsServer} from './fakeServer/fakeAssistantsServer.js';

const CANARY = 'sk-canary-DEBUG-4711';

function runBuilt(command: string, env: NodeJS.ProcessEnv = {}): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], {env: {...process.env, RUNLENS_NOW: '2026-11-25T12:00:00Z', ...env}}, (error, stdout, stderr) =>
      resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr}),
    );
  });
}

let server: FakeAssistantsServer;
beforeAll(async () => {
  await ensureBuilt();
  server = await FakeAssistantsServer.start({apiKey: 'the-right-key'});
}, 120_000);
afterAll(async () => {
  await server.close();
});

describe('a failure outside the data', () => {
  it.skipIf(!existsSync('/dev/full'))('a full disk: one line and exit 1, never exit 0 with the output lost; --debug adds the stack', async () => {
    const plain = await runBuilt(`node ${CLI} list examples > /dev/full`, {OPENAI_API_KEY: CANARY});
    expect(plain).toMatchObject({code: 1, stderr: 'runlens: ENOSPC: no space left on device, write (--debug shows more)\n'});
    const debug = await runBuilt(`node ${CLI} list examples --debug > /dev/full`, {OPENAI_API_KEY: CANARY});
    expect(debug.code).toBe(1);
    const [first, ...stack] = debug.stderr.trimEnd().split('\n');
    expect(first).toBe('runlens: ENOSPC: no space left on device, write');
    expect(stack[0]).toBe('Error: ENOSPC: no space left on device, write');
    expect(stack.slice(1).every((line) => /^\s+at /.test(line))).toBe(true);
    expect(stack.length).toBeGreaterThan(2);
    expect(plain.stderr + debug.stderr).not.toContain(CANARY);
  });

  it('a rejected key with --debug: the same one-line messages, no stack, never the key', async () => {
    const result = await runBuilt(`node ${CLI} list --thread thread_a --base-url ${server.baseUrl} --max-retries 0 --debug`, {OPENAI_API_KEY: CANARY});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('OPENAI_API_KEY');
    expect(result.stdout + result.stderr).not.toContain(CANARY);
    // The 401 as a load warning, then why nothing loaded: a reason per line, not a stack.
    expect(result.stderr.trimEnd().split('\n').every((line) => line.startsWith('runlens: '))).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('hideSecrets', () => {
  it('hides the value of every variable named like a secret, and nothing else', () => {
    const env = {OPENAI_API_KEY: CANARY, EXPORT_TOKEN: 'tok-12345678', DB_PASSWORD: 'hunter2hunter2', HOME: '/home/someone', SHORT_KEY: 'abc'};
    expect(hideSecrets(`Bearer ${CANARY} at /home/someone with tok-12345678, hunter2hunter2 and abc`, env)).toBe('Bearer *** at /home/someone with ***, *** and abc');
  });
});
