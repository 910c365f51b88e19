/**
 * Foundry Agent Service (classic) as a source: the project endpoint, `api-version` on every
 * request, Entra tokens from the Azure CLI credential (a fake `az` on PATH), DefaultAzureCredential
 * and `--token-env`, the one-line errors, and `--all-threads`. Loopback servers only.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {resetEntraTokenSources} from '../src/sources/api/entraAuth.js';
import {loadRunsFromApi} from '../src/sources/api/loadRunsFromApi.js';
import {FakeAssistantsServer, makeApprovalRun, makeRuns, makeWaitingRun, type FakeServerOptions} from './fakeServer/fakeAssistantsServer.js';
import {makeFakeAz, type FakeAz} from './helpers/fakeAz.js';
import {OutputCollector as Collect} from './helpers/outputCollector.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');

let az: FakeAz;
let savedPath: string | undefined;
let savedTokenCredentials: string | undefined;
beforeAll(() => {
  az = makeFakeAz();
  savedPath = process.env['PATH'];
  savedTokenCredentials = process.env['AZURE_TOKEN_CREDENTIALS'];
  // AzureCliCredential runs `az` with the process's own environment.
  process.env['PATH'] = az.path;
});
afterAll(() => {
  process.env['PATH'] = savedPath;
  if (savedTokenCredentials === undefined) delete process.env['AZURE_TOKEN_CREDENTIALS'];
  else process.env['AZURE_TOKEN_CREDENTIALS'] = savedTokenCredentials;
});

let server: FakeAssistantsServer;
let configDir: string;
let callsBefore: number;
beforeEach(async () => {
  resetEntraTokenSources();
  az.setTtl(3600);
  az.setSignedOut(false);
  callsBefore = az.calls().length;
  server = await FakeAssistantsServer.start({foundry: {tokens: Array.from({length: 50}, (_, n) => az.token(n + 1)).concat(['raw-token-abc123'])}});
  configDir = mkdtempSync(path.join(tmpdir(), 'runlens-config-'));
});
afterEach(async () => {
  await server.close();
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const stdout = new Collect();
  const stderr = new Collect();
  const stdin = Object.assign(new PassThrough(), {isTTY: true});
  const code = await runCli({argv, env: {RUNLENS_CONFIG_DIR: configDir, ...env}, stdin, stdout, stderr, now: () => NOW});
  return {code, stdout: stdout.text, stderr: stderr.text};
}

const newCalls = () => az.calls().slice(callsBefore);

/** `runlens list` of thread_a on the fake project, with `flags` after; most tests here start so. */
const listThreadA = (flags: string[] = [], env: Record<string, string> = {}) => cli(['list', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_a', ...flags], env);

/** Runs `use` against a second fake server beside the project (a plain or Azure OpenAI one), closed after, pass or fail. */
async function withOtherServer(options: FakeServerOptions, use: (other: FakeAssistantsServer) => Promise<void>): Promise<void> {
  const other = await FakeAssistantsServer.start(options);
  try {
    await use(other);
  } finally {
    await other.close();
  }
}

describe('the Foundry connection', () => {
  it('attaches paths to the project endpoint with api-version and the Azure CLI token, and sends no key', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 3));
    const result = await listThreadA([], {OPENAI_API_KEY: 'sk-not-to-be-sent-1234', AZURE_OPENAI_API_KEY: 'also-not'});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
    const [request] = server.requestsTo('/threads/thread_a/runs');
    expect(request!.query['api-version']).toBe('2025-05-01');
    expect(request!.headers['authorization']).toMatch(/^Bearer fake-entra-token-\d+$/);
    expect(request!.headers['api-key']).toBeUndefined();
    expect(request!.headers['openai-organization']).toBeUndefined();
    // The arguments AzureCliCredential gives az: the scope's resource, JSON out.
    expect(newCalls()).toEqual(['account get-access-token --output json --resource https://ai.azure.com']);
  });

  it('--api-version changes the version sent, and a later request reuses the cached token', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 2));
    for (let round = 0; round < 2; round += 1) {
      const result = await listThreadA(['--api-version', '2025-05-15-preview']);
      expect(result.code).toBe(0);
    }
    expect(server.requests).toHaveLength(2);
    expect(server.requests.every((request) => request.query['api-version'] === '2025-05-15-preview')).toBe(true);
    expect(new Set(server.requests.map((request) => request.headers['authorization'])).size).toBe(1);
    expect(newCalls()).toHaveLength(1);
  });

  it('fetches a new token when the one held expires (a long watch or TUI session)', async () => {
    az.setTtl(0);
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    const options = {threads: ['thread_a'], connection: {foundry: {projectEndpoint: server.projectEndpoint, apiVersion: '2025-05-01', credential: {kind: 'cli' as const}}, maxRetries: 0}, env: {}};
    expect((await loadRunsFromApi(options)).runs).toHaveLength(1);
    expect((await loadRunsFromApi(options)).runs).toHaveLength(1);
    const tokens = server.requests.map((request) => request.headers['authorization']);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(newCalls()).toHaveLength(2);
  });

  it('AZURE_AI_PROJECT_ENDPOINT stands for --project-endpoint', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 2));
    const result = await cli(['list', '--thread', 'thread_a'], {AZURE_AI_PROJECT_ENDPOINT: server.projectEndpoint});
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('AZURE_AI_PROJECT_ENDPOINT is left alone when --base-url names another server', async () => {
    await withOtherServer({apiKey: 'sk-plain-123456'}, async (plain) => {
      plain.addRuns('thread_a', makeRuns('thread_a', 1));
      const result = await cli(['list', '--thread', 'thread_a', '--base-url', plain.baseUrl], {AZURE_AI_PROJECT_ENDPOINT: server.projectEndpoint, OPENAI_API_KEY: 'sk-plain-123456'});
      expect(result.stderr).toBe('');
      expect(plain.requests).toHaveLength(1);
      expect(server.requests).toHaveLength(0);
      expect(newCalls()).toHaveLength(0);
    });
  });

  it('--token-env takes a raw bearer token and never shows it', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    const ok = await listThreadA(['--token-env', 'MY_TOKEN'], {MY_TOKEN: 'raw-token-abc123'});
    expect(ok.code).toBe(0);
    expect(server.requests[0]!.headers['authorization']).toBe('Bearer raw-token-abc123');
    expect(newCalls()).toHaveLength(0);
    const rejected = await listThreadA(['--token-env', 'MY_TOKEN'], {MY_TOKEN: 'raw-token-wrong999'});
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(`${server.host} rejected the token of the token in MY_TOKEN (HTTP 401)`);
    expect(rejected.stderr).not.toContain('raw-token-wrong999');
  });

  it('--credential default signs in through DefaultAzureCredential without probing managed identity', async () => {
    // The developer credentials only: the Azure CLI (the fake az) answers, and managed identity,
    // which would probe 169.254.169.254, is not in the chain at all.
    process.env['AZURE_TOKEN_CREDENTIALS'] = 'dev';
    try {
      server.addRuns('thread_a', makeRuns('thread_a', 1));
      const result = await listThreadA(['--credential', 'default']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(newCalls()).toEqual(['account get-access-token --output json --resource https://ai.azure.com']);
      expect(server.requests[0]!.headers['authorization']).toMatch(/^Bearer fake-entra-token-\d+$/);
    } finally {
      delete process.env['AZURE_TOKEN_CREDENTIALS'];
    }
  });
});

describe('Foundry errors, each one line', () => {
  it('not signed in: run `az login`', async () => {
    az.setSignedOut(true);
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    const result = await listThreadA(['--max-retries', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not signed in to Azure (the Azure CLI credential (az login)): run `az login`');
    expect(server.requests).toHaveLength(0);
  });

  it('no az on PATH: says to install the Azure CLI, or to use another credential', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    process.env['PATH'] = mkdtempSync(path.join(tmpdir(), 'runlens-no-az-'));
    try {
      const result = await listThreadA();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('the Azure CLI (az) is not installed or not on PATH: install it and run `az login`, or use --credential default or --token-env VAR');
      // That line, then the usual "no runs could be loaded"; no stack, no library advice.
      expect(result.stderr).not.toMatch(/\n\s+at |aka\.ms/);
    } finally {
      process.env['PATH'] = az.path;
    }
  });

  it('401 names the credential used', async () => {
    await server.close();
    server = await FakeAssistantsServer.start({foundry: {tokens: ['someone-else']}});
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    const result = await listThreadA();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`rejected the token of the Azure CLI credential (az login) (HTTP 401)`);
    expect(result.stderr).not.toMatch(/fake-entra-token/);
  });

  it('403 says a role is missing on the project', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    server.fail({path: '/threads/thread_a/runs', failure: {status: 403, body: {error: {code: 'PermissionDenied', message: 'The principal lacks the required data action'}}}});
    const result = await listThreadA();
    expect(result.stderr).toContain('refused access (HTTP 403): the token of the Azure CLI credential (az login) lacks a role on this project');
  });

  it('a wrong project path is a route 404, a missing thread or run says which', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    const route = await cli(['list', '--project-endpoint', `${server.origin}/api/projects/other`, '--thread', 'thread_a']);
    expect(route.stderr).toContain('has no such route (HTTP 404): check the project endpoint');
    const thread = await cli(['list', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_zz']);
    expect(thread.stderr).toContain('thread thread_zz not found');
    const run = await cli(['show', 'run_nope', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_a']);
    expect(run.stderr).toContain('run run_nope not found in thread thread_a');
    for (const result of [route, thread, run]) expect(result.stderr.trim().split('\n').filter((line) => /HTTP 404/.test(line))).toHaveLength(1);
  });

  it('--credential without a project endpoint is a usage error', async () => {
    const result = await cli(['list', '--thread', 'thread_a', '--credential', 'default', '--base-url', server.baseUrl]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--credential is for Foundry');
  });
});

describe('--all-threads', () => {
  it('lists the project threads page by page and reads the runs of each', async () => {
    await server.close();
    server = await FakeAssistantsServer.start({maxPageSize: 2, foundry: {tokens: Array.from({length: 50}, (_, n) => az.token(n + 1))}});
    for (const thread of ['thread_a', 'thread_b', 'thread_c']) server.addRuns(thread, makeRuns(thread, 2));
    server.addRuns('thread_d', [makeWaitingRun('thread_d', 5, [['call_1', 'lookup', '{}']])]);
    const result = await cli(['list', '--json', '--project-endpoint', server.projectEndpoint, '--all-threads']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const runs = JSON.parse(result.stdout) as Array<{thread_id: string}>;
    expect(new Set(runs.map((run) => run.thread_id))).toEqual(new Set(['thread_a', 'thread_b', 'thread_c', 'thread_d']));
    const listings = server.requestsTo('/threads');
    expect(listings.length).toBe(2);
    expect(listings[1]!.query['after']).toBeTruthy();
    expect(listings.every((request) => request.query['order'] === 'desc' && request.query['api-version'] === '2025-05-01')).toBe(true);
  });

  it('--limit caps the threads read and says so', async () => {
    for (const thread of ['thread_a', 'thread_b', 'thread_c']) server.addRuns(thread, makeRuns(thread, 1));
    const result = await cli(['list', '--project-endpoint', server.projectEndpoint, '--all-threads', '--limit', '2']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('reading the newest 2 threads; the project has more (raise --limit)');
    expect(server.requestsTo(/^\/threads\/[^/]+\/runs$/)).toHaveLength(2);
  });

  it('without Foundry it is a usage error', async () => {
    const result = await cli(['list', '--all-threads', '--base-url', server.baseUrl]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--all-threads lists a Foundry project');
  });
});

describe('MCP tool approvals', () => {
  const calls = [
    ['call_mcp_1', 'search_issues', '{"q": "bug"}'],
    ['call_mcp_2', 'create_issue', '{"title": '],
  ] as const;

  it('counts the waiting calls in stuck and shows each call, its server and the answering request', async () => {
    server.addRuns('thread_a', [makeApprovalRun('thread_a', 1, calls)]);
    const stuck = await cli(['stuck', '--json', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_a']);
    expect(stuck.code).toBe(0);
    const [entry] = JSON.parse(stuck.stdout) as Array<Record<string, unknown>>;
    expect(JSON.stringify(entry)).toContain('call_mcp_2');
    const show = await cli(['show', 'run_a_0001', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_a']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('github › search_issues');
    expect(show.stdout).toContain('MCP call waiting for approval');
    // The broken arguments of the second call are caught as for a function call.
    expect(show.stdout).toMatch(/invalid JSON at line 1/);
    expect(show.stdout).toContain('Request that would unstick it (approve or deny each call):');
    // Long lines wrap at the print width (100), at a space or inside a word: compare without spaces.
    const squeezed = show.stdout.replace(/\s+/g, '');
    expect(squeezed).toContain(`POST${server.projectEndpoint}/threads/thread_a/runs/run_a_0001/submit_tool_outputs?api-version=2025-05-01`);
    expect(squeezed).toContain('Authorization:Bearer$(azaccountget-access-token--resourcehttps://ai.azure.com--queryaccessToken-otsv)');
    expect(show.stdout).toContain('Waiting for   2 tool approvals');
    expect(show.stdout).toContain('"tool_approvals"');
  });

  it('submit --approve/--deny sends tool_approvals once every call is answered', async () => {
    server.addRuns('thread_a', [makeApprovalRun('thread_a', 1, calls)]);
    const partial = await cli(['submit', 'run_a_0001', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_a', '--approve', 'call_mcp_1']);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('no answer for call_mcp_2');
    expect(server.requestsTo(/submit_tool_outputs$/, 'POST')).toHaveLength(0);

    const result = await cli([
      'submit', 'run_a_0001', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_a',
      '--approve', 'call_mcp_1', '--deny', 'call_mcp_2', '--approval-header', 'call_mcp_1', 'X-Mcp-Token: abc', '--approval-header', 'call_mcp_1', 'Authorization: Bearer env:GH_TOKEN',
    ], {GH_TOKEN: 'gh-secret-42'});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('run_a_0001: queued (1 approved, 1 denied)');
    const [post] = server.requestsTo(/submit_tool_outputs$/, 'POST');
    expect(post!.body).toEqual({
      tool_approvals: [
        {tool_call_id: 'call_mcp_1', approve: true, headers: {'X-Mcp-Token': 'abc', Authorization: 'Bearer gh-secret-42'}},
        {tool_call_id: 'call_mcp_2', approve: false},
      ],
    });
    expect(post!.query['api-version']).toBe('2025-05-01');
    expect(result.stdout).not.toContain('gh-secret-42');
  });

  it('refuses outputs for a run that waits for approvals, and approvals for one that waits for outputs', async () => {
    server.addRuns('thread_a', [makeApprovalRun('thread_a', 1, calls), makeWaitingRun('thread_a', 2, [['call_f', 'lookup', '{}']])]);
    const outputs = await cli(['submit', 'run_a_0001', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_a', '--output', 'call_mcp_1=x']);
    expect(outputs.code).toBe(1);
    expect(outputs.stderr).toContain('no answer for call_mcp_1, call_mcp_2');
    const approvals = await cli(['submit', 'run_a_0002', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_a', '--approve', 'call_f']);
    expect(approvals.code).toBe(1);
    expect(approvals.stderr).toContain('waits for no tool approvals (required action: submit_tool_outputs)');
    expect(server.requestsTo(/submit_tool_outputs$/, 'POST')).toHaveLength(0);
  });
});

describe('writes', () => {
  it('a reply about another run than the one asked is an error, not a success', async () => {
    server.addRuns('thread_a', [makeWaitingRun('thread_a', 1, [['call_f', 'lookup', '{}']])]);
    server.fail({method: 'POST', path: /submit_tool_outputs$/, failure: {status: 200, body: {...makeRuns('thread_a', 9)[8], status: 'queued'}}});
    const result = await cli(['submit', 'run_a_0001', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_a', '--output', 'call_f=ok']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('answered about run run_a_0008, not run_a_0001');
  });
});

describe('profiles and headers', () => {
  it('a profile keeps the project endpoint and the credential, and --profile reads with them', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 2));
    const added = await cli(['profile', 'add', 'proj', '--project-endpoint', server.projectEndpoint, '--api-version', '2025-05-15-preview', '--token-env', 'MY_TOKEN']);
    expect(added.code).toBe(0);
    expect(added.stderr).toBe('');
    const shown = await cli(['profile', 'show', 'proj']);
    expect(shown.stdout).toContain(`foundry:     ${server.projectEndpoint} (api-version 2025-05-15-preview, token in MY_TOKEN)`);
    const result = await cli(['list', '--profile', 'proj', '--all-threads'], {MY_TOKEN: 'raw-token-abc123'});
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    expect(server.requests.every((request) => request.query['api-version'] === '2025-05-15-preview' && request.headers['authorization'] === 'Bearer raw-token-abc123')).toBe(true);
  });

  it('a profile base URL stands in for the endpoint (a gateway in front of the project)', async () => {
    await cli(['profile', 'add', 'gw', '--base-url', server.projectEndpoint, '--project-endpoint', 'https://unused.services.ai.azure.com/api/projects/x']);
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    const result = await cli(['list', '--profile', 'gw', '--thread', 'thread_a']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(server.requestsTo('/threads/thread_a/runs')).toHaveLength(1);
  });

  it('an Azure OpenAI profile honours its base URL too', async () => {
    await withOtherServer({}, async (plain) => {
      plain.addRuns('thread_a', makeRuns('thread_a', 1));
      await cli(['profile', 'add', 'aoai', '--base-url', `${plain.origin}/openai`, '--azure-endpoint', 'https://unused.openai.azure.com', '--azure-api-version', '2024-05-01-preview']);
      const result = await cli(['list', '--profile', 'aoai', '--thread', 'thread_a'], {AZURE_OPENAI_API_KEY: 'k-123'});
      expect(result.stderr).toBe('');
      expect(plain.requestsTo('/threads/thread_a/runs')[0]!.query['api-version']).toBe('2024-05-01-preview');
    });
  });

  it('--header "Authorization: Bearer env:VAR" reads VAR inside the value', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    const result = await listThreadA(['--header', 'X-Gateway: Bearer env:GW_TOKEN'], {GW_TOKEN: 'gw-secret-777'});
    expect(result.code).toBe(0);
    expect(server.requests[0]!.headers['x-gateway']).toBe('Bearer gw-secret-777');
  });
});

describe('the built CLI, as a Foundry user runs it', () => {
  it('az login, then runlens --project-endpoint URL --all-threads: the waiting approval is found and answered', async () => {
    const {execFile} = await import('node:child_process');
    const run = (args: string[]) =>
      new Promise<{code: number; stdout: string; stderr: string}>((resolve) => {
        execFile(process.execPath, [path.resolve('dist/runlens.js'), ...args], {env: {PATH: az.path, HOME: configDir, RUNLENS_CONFIG_DIR: configDir, NO_COLOR: '1'}}, (error, stdout, stderr) =>
          resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
        );
      });
    server.addRuns('thread_a', makeRuns('thread_a', 2));
    server.addRuns('thread_b', [makeApprovalRun('thread_b', 3, [['call_mcp_1', 'search_issues', '{}']])]);
    const stuck = await run(['stuck', '--project-endpoint', server.projectEndpoint, '--all-threads']);
    expect(stuck.stderr).toBe('');
    expect(stuck.stdout).toContain('run_b_0003');
    const answered = await run(['submit', 'run_b_0003', '--project-endpoint', server.projectEndpoint, '--thread', 'thread_b', '--approve', 'call_mcp_1']);
    expect(answered.stdout).toContain('run_b_0003: queued (1 approved, 0 denied)');
    expect(server.requests.every((request) => /^Bearer fake-entra-token-\d+$/.test(String(request.headers['authorization'])))).toBe(true);
  });
});
