/**
 * Contract test: runlens against a mock served by Prism from the published OpenAI spec
 * (../shared/openai-openapi.yaml beside the repository, as on CI).
 *
 * Prism answers 422 to any request that breaks the spec (a missing required field, a query
 * parameter of the wrong type), so a request of ours that is not answered 422 conforms to it; a
 * deliberately malformed request proves that the check is live. Its answers are the schema's
 * placeholders (ids "string", timestamps 0, a queued run with a required_action), which runlens
 * must show without crashing. Prism does not know our path parameters: it answers every run id
 * with the run "string".
 *
 * One Prism for the whole file: it takes about 12 s to read the spec (30 s and more on a loaded
 * 2-core machine), so beforeAll polls it for up to 90 s. It runs in a process group of its own,
 * killed whole in afterAll.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer as createHttpServer, request as httpRequest, type Server} from 'node:http';
import {createRequire} from 'node:module';
import {createServer as createNetServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {createAssistantsApi, type AssistantsApi} from '../src/sources/api/assistantsApi.js';
import type {ToolOutput} from '../src/triage/unstick.js';
import {OutputCollector as Collect} from './helpers/outputCollector.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPEC = path.resolve(REPO_ROOT, '../shared/openai-openapi.yaml');
const HAVE_SPEC = existsSync(SPEC);
if (!HAVE_SPEC) console.warn(`contract tests skipped: the published spec is not at ${SPEC} (CI keeps a copy of shared/ beside the repository)`);

/** How long Prism may take to read the spec before the suite gives up. */
const START_TIMEOUT_MS = 90_000;
const KEY = 'sk-contract-test-key';
const THREAD = 'thread_contract';
const NOW = Date.parse('2026-11-25T12:00:00Z');

/** The path of Prism's command-line entry point, from its package.json. */
function prismEntry(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@stoplight/prism-cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {bin: string | Record<string, string>};
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin['prism']!;
  return path.resolve(path.dirname(manifestPath), bin);
}

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request that went through the recording proxy, and what Prism answered. */
interface Exchange {
  method: string;
  path: string;
  status: number;
  /** The answer's body when it was not 2xx, to show why. */
  body?: string;
}

/**
 * A transparent proxy in front of Prism that records every request and its status, so the tests
 * can show exactly what runlens sent and that none of it was answered 422.
 */
function startRecordingProxy(targetPort: number, exchanges: Exchange[]): Promise<{server: Server; baseUrl: string}> {
  const server = createHttpServer((request, response) => {
    const upstream = httpRequest(
      {host: '127.0.0.1', port: targetPort, method: request.method, path: request.url, headers: request.headers},
      (answer) => {
        const status = answer.statusCode ?? 0;
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const exchange: Exchange = {method: request.method ?? '?', path: request.url ?? '?', status};
          if (status < 200 || status >= 300) exchange.body = Buffer.concat(chunks).toString('utf8');
          exchanges.push(exchange);
        });
        response.writeHead(status, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      exchanges.push({method: request.method ?? '?', path: request.url ?? '?', status: 502, body: error.message});
      response.statusCode = 502;
      response.end(error.message);
    });
    request.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({server, baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`});
    });
  });
}


describe.skipIf(!HAVE_SPEC)('contract: runlens against a Prism mock of the published OpenAI spec', () => {
  let prism: ChildProcess | null = null;
  let prismOutput = '';
  let prismUrl = '';
  let proxy: Server | null = null;
  let baseUrl = '';
  let configDir = '';
  const exchanges: Exchange[] = [];

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'runlens-contract-'));
    const port = await freePort();
    prismUrl = `http://127.0.0.1:${port}`;
    const started = Date.now();
    // detached: Prism leads a process group of its own, so afterAll can end it and anything it
    // started with one signal, and no orphan is left listening.
    prism = spawn(process.execPath, [prismEntry(), 'mock', SPEC, '-p', String(port), '-h', '127.0.0.1'], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {...process.env, NO_COLOR: '1', FORCE_COLOR: '0'},
    });
    // Keep the last few kilobytes of its log, for a failure message; reading also keeps the pipes from filling.
    const keep = (chunk: Buffer) => {
      prismOutput = (prismOutput + chunk.toString('utf8')).slice(-4000);
    };
    prism.stdout?.on('data', keep);
    prism.stderr?.on('data', keep);
    let exited: string | null = null;
    prism.on('exit', (code, signal) => {
      exited = `exited (${signal ?? code})`;
    });
    prism.on('error', (error) => {
      exited = `could not start: ${error.message}`;
    });
    // Should the test process end without afterAll (a killed worker), take Prism along.
    process.once('exit', killPrismNow);

    // Ready when it answers HTTP at all: it listens only after reading the whole spec.
    for (;;) {
      if (exited) throw new Error(`prism ${exited} before serving:\n${prismOutput}`);
      try {
        const response = await fetch(`${prismUrl}/threads/${THREAD}/runs`, {
          headers: {Authorization: `Bearer ${KEY}`, 'OpenAI-Beta': 'assistants=v2'},
          signal: AbortSignal.timeout(2000),
        });
        await response.body?.cancel();
        break;
      } catch {
        if (Date.now() - started > START_TIMEOUT_MS) throw new Error(`prism did not serve within ${START_TIMEOUT_MS / 1000}s:\n${prismOutput}`);
        await sleep(250);
      }
    }
    console.info(`prism mock served ${SPEC} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    ({server: proxy, baseUrl} = await startRecordingProxy(port, exchanges));
  }, START_TIMEOUT_MS + 30_000);

  function killPrismNow() {
    if (prism?.pid === undefined) return;
    try {
      process.kill(-prism.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  afterAll(async () => {
    process.off('exit', killPrismNow);
    if (proxy) await new Promise<void>((resolve) => proxy!.close(() => resolve()));
    const child = prism;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // Already gone.
        }
      };
      signalGroup('SIGTERM');
      const stopped = await Promise.race([gone.then(() => true), sleep(5000).then(() => false)]);
      if (!stopped) {
        signalGroup('SIGKILL');
        await gone;
      }
    }
    if (configDir) rmSync(configDir, {recursive: true, force: true});
  }, 20_000);

  /** The exchanges made while `action` ran. */
  async function recorded<T>(action: () => Promise<T>): Promise<{result: T; made: Exchange[]}> {
    const before = exchanges.length;
    const result = await action();
    // The proxy records an exchange when the answer has been passed on; let that callback run.
    await sleep(20);
    return {result, made: exchanges.slice(before)};
  }

  function expectConforming(made: Exchange[], expected: Array<[string, RegExp]>) {
    expect(made.map(({method, path: requestPath}) => [method, requestPath])).toEqual(
      expected.map(([method, pattern]) => [method, expect.stringMatching(pattern)]),
    );
    // 422 would mean the request broke the spec; anything but 2xx would be a failure of ours.
    for (const exchange of made) {
      expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.body ?? ''}`).not.toBe(422);
      expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.body ?? ''}`).toBeGreaterThanOrEqual(200);
      expect(exchange.status).toBeLessThan(300);
    }
  }

  async function cli(argv: string[]) {
    const stdout = new Collect();
    const stderr = new Collect();
    const stdin = Object.assign(new PassThrough(), {isTTY: true});
    const code = await runCli({argv, env: {OPENAI_API_KEY: KEY, RUNLENS_CONFIG_DIR: configDir}, stdin, stdout, stderr, now: () => NOW});
    return {code, stdout: stdout.text, stderr: stderr.text};
  }

  let api: AssistantsApi;
  beforeAll(() => {
    api = createAssistantsApi({baseUrl, maxRetries: 0}, {OPENAI_API_KEY: KEY});
  });

  describe('runlens list and show (the CLI)', () => {
    it('list --thread: a conforming request, and the placeholder run printed', async () => {
      const {result, made} = await recorded(() => cli(['list', '--thread', THREAD, '--base-url', baseUrl, '--max-retries', '0']));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expectConforming(made, [['GET', new RegExp(`^/threads/${THREAD}/runs\\?(?=.*\\blimit=100\\b)(?=.*\\border=desc\\b)`)]]);
      const rows = result.stdout.trim().split('\n').map((line) => line.split('\t'));
      expect(rows).toHaveLength(1);
      // id, status, model, thread, created (timestamp 0 is 1970), …
      expect(rows[0]!.slice(0, 5)).toEqual(['string', 'queued', 'string', 'string', '1970-01-01T00:00:00Z']);
    });

    it('list --json: the run object as the mock sent it', async () => {
      const result = await cli(['list', '--json', '--thread', THREAD, '--base-url', baseUrl, '--max-retries', '0']);
      expect(result.code).toBe(0);
      const runs = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({id: 'string', object: 'thread.run', status: 'queued', required_action: {type: 'submit_tool_outputs'}});
    });

    it('show: every pane of the placeholder run, its odd required_action checked, without crashing', async () => {
      const {result, made} = await recorded(() => cli(['show', 'string', '--thread', THREAD, '--base-url', baseUrl, '--max-retries', '0']));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // Then its steps and its thread's messages, for the Conversation (the mock's run names thread "string").
      expectConforming(made, [
        ['GET', new RegExp(`^/threads/${THREAD}/runs/string$`)],
        ['GET', /^\/threads\/string\/runs\/string\/steps\?(?=.*\border=asc\b)/],
        ['GET', /^\/threads\/string\/messages\?(?=.*\border=asc\b)/],
      ]);
      for (const pane of ['── Overview', '── Required action', '── Raw JSON', '── Conversation']) expect(result.stdout).toContain(pane);
      // A queued run with a required_action whose call names an undeclared function with arguments that are no JSON.
      expect(result.stdout).toContain('✗ known function');
      expect(result.stdout).toContain('POST /threads/string/runs/string/submit_tool_outputs');
      expect(result.stdout).toContain('1970-01-01');
    });

    it('show with another id: the request conforms, and the mock answering run "string" is "not found" (exit 1)', async () => {
      const {result, made} = await recorded(() => cli(['show', 'run_abc123', '--thread', THREAD, '--base-url', baseUrl, '--max-retries', '0']));
      expectConforming(made, [['GET', new RegExp(`^/threads/${THREAD}/runs/run_abc123$`)]]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("no run with id 'run_abc123'");
    });

    it('stuck --include-stalled over the placeholder run (timestamps 0) does not crash', async () => {
      const result = await cli(['stuck', '--include-stalled', '--thread', THREAD, '--base-url', baseUrl, '--max-retries', '0']);
      expect(result.code).toBe(0);
      expect(result.stdout.split('\t')[0]).toBe('string');
    });
  });

  describe('the API session (createAssistantsApi)', () => {
    it('listRuns and retrieveRun', async () => {
      const {result, made} = await recorded(async () => [await api.listRuns(THREAD), await api.retrieveRun(THREAD, 'run_abc123')] as const);
      expectConforming(made, [
        ['GET', new RegExp(`^/threads/${THREAD}/runs\\?`)],
        ['GET', new RegExp(`^/threads/${THREAD}/runs/run_abc123$`)],
      ]);
      const [listed, retrieved] = result;
      expect(listed.runs.map((run) => `${run.id}:${run.status}`)).toEqual(['string:queued']);
      expect(listed.truncated).toBe(false);
      expect(retrieved.runs[0]?.requiredAction?.toolCalls.map((call) => call.functionName)).toEqual(['string']);
    });

    it('loadRunSteps', async () => {
      const {result, made} = await recorded(() => api.loadRunSteps(THREAD, 'run_abc123'));
      expectConforming(made, [['GET', new RegExp(`^/threads/${THREAD}/runs/run_abc123/steps\\?(?=.*\\border=asc\\b)`)]]);
      expect(result.steps.length).toBeGreaterThan(0);
    });

    it('loadThreadMessages', async () => {
      const {result, made} = await recorded(() => api.loadThreadMessages(THREAD));
      expectConforming(made, [['GET', new RegExp(`^/threads/${THREAD}/messages\\?(?=.*\\border=asc\\b)`)]]);
      expect(result.messages.length).toBeGreaterThan(0);
      expect(result.messages[0]!.source?.kind).toBe('api');
    });

    it('submitToolOutputs sends a body the spec accepts', async () => {
      const {result, made} = await recorded(() =>
        api.submitToolOutputs(THREAD, 'run_abc123', [
          {tool_call_id: 'call_1', output: '{"temperature": 21}'},
          {tool_call_id: 'call_2', output: ''},
        ]),
      );
      expectConforming(made, [['POST', new RegExp(`^/threads/${THREAD}/runs/run_abc123/submit_tool_outputs$`)]]);
      expect(result.id).toBe('string');
      expect(result.status).toBe('queued');
    });

    it('cancelRun', async () => {
      const {result, made} = await recorded(() => api.cancelRun(THREAD, 'run_abc123'));
      expectConforming(made, [['POST', new RegExp(`^/threads/${THREAD}/runs/run_abc123/cancel$`)]]);
      expect(result.id).toBe('string');
      expect(result.raw['object']).toBe('thread.run');
    });
  });

  describe('the check is live: Prism refuses what breaks the spec with 422', () => {
    const headers = {Authorization: `Bearer ${KEY}`, 'OpenAI-Beta': 'assistants=v2', 'Content-Type': 'application/json'};

    it('a submit_tool_outputs body without tool_outputs', async () => {
      const response = await fetch(`${prismUrl}/threads/${THREAD}/runs/run_abc123/submit_tool_outputs`, {method: 'POST', headers, body: JSON.stringify({outputs: []})});
      expect(response.status).toBe(422);
      const problem = (await response.json()) as {validation?: Array<{message: string}>};
      expect(problem.validation?.map((entry) => entry.message).join('\n')).toMatch(/tool_outputs/);
    });

    it('a list query whose limit is not an integer', async () => {
      const response = await fetch(`${prismUrl}/threads/${THREAD}/runs?limit=many`, {headers});
      expect(response.status).toBe(422);
      await response.body?.cancel();
    });

    it('through the API session, a refused request is an error naming the status', async () => {
      // A tool_call_id that is no string, which only a caller ignoring the types could send: it
      // shows that a 422 from the mock surfaces, so the checks above mean something.
      const outputs = [{tool_call_id: 42, output: 'x'}] as unknown as ToolOutput[];
      const {made} = await recorded(() => expect(api.submitToolOutputs(THREAD, 'run_abc123', outputs)).rejects.toMatchObject({status: 422, kind: 'bad-request', message: expect.stringContaining('422')}));
      expect(made.map((exchange) => exchange.status)).toEqual([422]);
      expect(made[0]!.body).toMatch(/tool_call_id/);
    });
  });
});
