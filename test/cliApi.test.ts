import {createServer, type Server} from 'node:http';
import {mkdtempSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {FakeAssistantsServer, makeRuns} from './fakeServer/fakeAssistantsServer.js';
import {OutputCollector as Collect} from './helpers/outputCollector.js';

const CANARY = 'sk-canary-XYZ123';
const NOW = Date.parse('2026-11-25T12:00:00Z');


async function cli(argv: string[], env: Record<string, string> = {}) {
  const stdout = new Collect();
  const stderr = new Collect();
  const stdin = Object.assign(new PassThrough(), {isTTY: true});
  const code = await runCli({argv, env: {...env}, stdin, stdout, stderr, now: () => NOW});
  return {code, stdout: stdout.text, stderr: stderr.text};
}

let server: FakeAssistantsServer;
let configDir: string;
beforeEach(async () => {
  server = await FakeAssistantsServer.start({apiKey: CANARY});
  configDir = mkdtempSync(path.join(tmpdir(), 'runlens-config-'));
});
afterEach(async () => {
  await server.close();
});

describe('runlens list --thread (API source)', () => {
  it('lists the runs of two threads, newest first, as TSV when piped', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 150));
    server.addRuns('thread_b', makeRuns('thread_b', 3));
    const result = await cli(['list', '--thread', 'thread_a', '--thread', 'thread_b', '--base-url', server.baseUrl, '--max-retries', '0'], {
      OPENAI_API_KEY: CANARY,
      RUNLENS_CONFIG_DIR: configDir,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(153);
    expect(lines.every((line) => line.split('\t').length === 12)).toBe(true);
    expect(result.stdout).not.toContain(CANARY);
  });

  it('--limit caps the runs read per thread and says so', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 150));
    const result = await cli(['list', '--thread', 'thread_a', '--limit', '20', '--base-url', server.baseUrl], {OPENAI_API_KEY: CANARY, RUNLENS_CONFIG_DIR: configDir});
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(20);
    expect(result.stderr).toContain('showing the newest 20 runs; the thread has more (raise --limit)');
  });

  it('show RUN_ID --thread retrieves that run and prints its panes', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 5));
    const id = JSON.parse((await cli(['list', '--json', '--thread', 'thread_a', '--base-url', server.baseUrl], {OPENAI_API_KEY: CANARY, RUNLENS_CONFIG_DIR: configDir})).stdout)[0].id;
    const result = await cli(['show', id, '--thread', 'thread_a', '--base-url', server.baseUrl], {OPENAI_API_KEY: CANARY, RUNLENS_CONFIG_DIR: configDir});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(id);
    expect(result.stdout).toContain('── Raw JSON');
  });

  it('a rejected key exits 1 with one line naming the variable, never the key', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 2));
    const result = await cli(['list', '--thread', 'thread_a', '--base-url', server.baseUrl, '--api-key-env', 'WORK_KEY', '--max-retries', '0'], {
      WORK_KEY: 'sk-canary-wrong-key-777',
      RUNLENS_CONFIG_DIR: configDir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('WORK_KEY');
    expect(result.stderr).toContain('401');
    expect(result.stderr).not.toContain('sk-canary-wrong-key-777');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a missing key names the variable to set', async () => {
    const result = await cli(['list', '--thread', 'thread_a', '--base-url', server.baseUrl], {RUNLENS_CONFIG_DIR: configDir});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('OPENAI_API_KEY');
  });

  it('a refused connection is one line naming host and port', async () => {
    const url = server.baseUrl;
    await server.close();
    const result = await cli(['list', '--thread', 'thread_a', '--base-url', url, '--max-retries', '0'], {OPENAI_API_KEY: CANARY, RUNLENS_CONFIG_DIR: configDir});
    server = await FakeAssistantsServer.start({apiKey: CANARY});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot connect to 127\.0\.0\.1:\d+/);
  });

  it('--thread with a flag that cannot work is a usage error (exit 2)', async () => {
    const result = await cli(['list', '--thread', 'thread_a', '--concurrency', '0', '--base-url', server.baseUrl], {OPENAI_API_KEY: CANARY, RUNLENS_CONFIG_DIR: configDir});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--concurrency');
  });
});

describe('profiles through the CLI', () => {
  it('add, use with --profile, list masked, remove; the file is mode 0600', async () => {
    server.addRuns('thread_p', makeRuns('thread_p', 4));
    const env = {RUNLENS_CONFIG_DIR: configDir, WORK_KEY: CANARY};
    const added = await cli(['profile', 'add', 'work', '--base-url', server.baseUrl, '--api-key-env', 'WORK_KEY', '--thread', 'thread_p', '--header', 'X-Tenant: acme-secret-tenant'], env);
    expect(added.code).toBe(0);
    const listed = await cli(['list', '--profile', 'work'], env);
    expect(listed.stderr).toBe('');
    expect(listed.stdout.trim().split('\n')).toHaveLength(4);
    const profiles = await cli(['profile', 'list'], env);
    expect(profiles.code).toBe(0);
    expect(profiles.stdout).toContain('work');
    expect(profiles.stdout).not.toContain('acme-secret-tenant');
    const where = await cli(['config', 'path'], env);
    const file = where.stdout.trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(CANARY);
    expect((await cli(['profile', 'remove', 'work'], env)).code).toBe(0);
    expect((await cli(['list', '--profile', 'work'], env)).code).toBe(1);
  });
});

describe('a URL source', () => {
  let http: Server;
  let base: string;
  beforeEach(async () => {
    http = createServer((request, response) => {
      if (request.url === '/runs.json') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({object: 'list', data: makeRuns('thread_u', 3), has_more: false}));
      } else {
        response.statusCode = 404;
        response.end('not here');
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = http.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterEach(() => new Promise<void>((resolve) => http.close(() => resolve())));

  it('GETs a list envelope and prints its runs', async () => {
    const result = await cli(['list', `${base}/runs.json`], {RUNLENS_CONFIG_DIR: configDir});
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('a 404 is a warning and exit 1 when nothing loads', async () => {
    const result = await cli(['list', `${base}/missing.json`], {RUNLENS_CONFIG_DIR: configDir});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('404');
  });
});
