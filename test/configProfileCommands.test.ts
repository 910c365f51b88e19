import {mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runProfileCommand} from '../src/config/profileCommands.js';
import {Settings} from '../src/config/settings.js';

const CANARY = 'sk-canary-XYZ123';
let dir: string;
let settings: Settings;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'runlens-profiles-'));
  settings = new Settings({cwd: dir});
});
afterEach(() => {
  rmSync(dir, {recursive: true, force: true});
});

function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = runProfileCommand(
    argv,
    {stdout: {write: (text: string) => (stdout += text)}, stderr: {write: (text: string) => (stderr += text)}, env},
    settings,
  );
  return {code, stdout, stderr};
}

function addWork() {
  return run([
    'profile', 'add', 'work',
    '--base-url', 'http://127.0.0.1:4010/v1',
    '--api-key-env', 'WORK_KEY',
    '--org', 'org_1',
    '--thread', 'thread_a',
    '--thread', 'thread_b,thread_c',
    '--header', 'X-Trace: abc123',
    '--header', 'Authorization: env:WORK_TOKEN',
    '--default',
  ]);
}

describe('runlens profile', () => {
  it('add: saves the profile in a 0600 file', () => {
    const result = addWork();
    expect(result).toEqual({code: 0, stdout: `saved profile 'work' in ${settings.path}\n`, stderr: ''});
    expect(statSync(settings.path).mode & 0o777).toBe(0o600);
    expect(settings.getProfile('work')).toEqual({
      name: 'work',
      baseUrl: 'http://127.0.0.1:4010/v1',
      apiKeyEnv: 'WORK_KEY',
      org: 'org_1',
      threads: ['thread_a', 'thread_b', 'thread_c'],
      headers: {'X-Trace': 'abc123', Authorization: 'env:WORK_TOKEN'},
    });
    expect(settings.defaultProfile).toBe('work');
  });

  it('list: header values masked, env references shown, whether the key is set', () => {
    addWork();
    run(['profile', 'add', 'azure', '--azure-endpoint', 'https://res.openai.azure.com', '--azure-api-version', '2024-05-01-preview']);
    const result = run(['profile', 'list'], {WORK_KEY: CANARY});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'azure',
        '  azure:       https://res.openai.azure.com (api-version 2024-05-01-preview)',
        '  key from:    AZURE_OPENAI_API_KEY (not set)',
        '',
        'work (default)',
        '  base URL:    http://127.0.0.1:4010/v1',
        '  key from:    WORK_KEY (set)',
        '  organization:org_1',
        '  header:      X-Trace: ***',
        '  header:      Authorization: env:WORK_TOKEN',
        '  threads:     thread_a, thread_b, thread_c',
        '',
      ].join('\n'),
    );
    expect(result.stdout).not.toContain('abc123');
    expect(result.stdout).not.toContain(CANARY);
  });

  it('list --json and show --json mask too', () => {
    addWork();
    const list = JSON.parse(run(['profile', 'list', '--json']).stdout);
    expect(list[0]).toMatchObject({name: 'work', default: true, headers: {'X-Trace': '***', Authorization: 'env:WORK_TOKEN'}});
    const show = run(['profile', 'show', 'work', '--json']);
    expect(show.stdout).not.toContain('abc123');
    expect(JSON.parse(show.stdout)).toMatchObject({name: 'work', apiKeyEnv: 'WORK_KEY'});
  });

  it('list with no profiles', () => {
    expect(run(['profile', 'list'])).toEqual({code: 0, stdout: 'no profiles; add one with: runlens profile add NAME --base-url URL --api-key-env VAR\n', stderr: ''});
  });

  it('remove: 0, then 1 when it is gone', () => {
    addWork();
    expect(run(['profile', 'remove', 'work'])).toEqual({code: 0, stdout: "removed profile 'work'\n", stderr: ''});
    expect(run(['profile', 'remove', 'work'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "runlens: no profile named 'work' (no profiles yet; add one with 'runlens profile add work --base-url URL')\n",
    });
    expect(run(['profile', 'show', 'work']).code).toBe(1);
  });

  it('use: sets and clears the default', () => {
    addWork();
    run(['profile', 'add', 'b', '--base-url', 'http://b.example/v1']);
    expect(run(['profile', 'use', 'b'])).toMatchObject({code: 0, stdout: "default profile: 'b'\n"});
    expect(settings.defaultProfile).toBe('b');
    expect(run(['profile', 'use', '--none']).code).toBe(0);
    expect(settings.defaultProfile).toBeNull();
    expect(run(['profile', 'use', 'nope']).code).toBe(1);
  });

  it('a key is refused wherever it is offered, and never printed', () => {
    const attempts = [
      ['profile', 'add', 'x', '--api-key', CANARY],
      ['profile', 'add', 'x', `--api-key=${CANARY}`],
      ['profile', 'add', 'x', '--api-key-env', CANARY],
      ['profile', 'add', 'x', '--header', `Authorization: Bearer ${CANARY}`],
      ['profile', 'add', 'x', '--header', `X-Key: ${CANARY}`],
      ['profile', 'add', 'x', '--header', CANARY],
      ['profile', 'add', CANARY],
      ['profile', 'add', 'x', CANARY],
      ['profile', CANARY],
    ];
    for (const argv of attempts) {
      const result = run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).not.toContain(CANARY);
      expect(result.stdout).not.toContain(CANARY);
    }
    expect(run(['profile', 'add', 'x', '--api-key', CANARY]).stderr).toBe(
      "runlens: runlens does not store keys: put the key in an environment variable and give its name with --api-key-env\nRun 'runlens profile --help' for usage.\n",
    );
    expect(settings.profileNames()).toEqual([]);
  });

  it('usage errors exit 2', () => {
    expect(run(['profile', 'add']).code).toBe(2);
    const bogus = run(['profile', 'add', 'x', '--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/^runlens: Unknown option '--bogus'\..*\nRun 'runlens profile --help' for usage\.\n$/);
    expect(run(['profile', 'add', 'x', '--azure-endpoint', 'https://r.example']).stderr).toContain('--azure-endpoint and --azure-api-version go together');
    expect(run(['profile', 'add', 'x', '--base-url', 'nope']).stderr).toBe("runlens: baseUrl: must be an http(s) URL\nRun 'runlens profile --help' for usage.\n");
    expect(run(['profile', 'frobnicate']).code).toBe(2);
    expect(run(['config', 'frobnicate']).code).toBe(2);
  });

  it('a name taken is a failure (1); --replace overwrites', () => {
    addWork();
    expect(run(['profile', 'add', 'work', '--base-url', 'http://other.example/v1'])).toMatchObject({
      code: 1,
      stderr: "runlens: a profile named 'work' already exists (use --replace to overwrite it)\n",
    });
    expect(run(['profile', 'add', 'work', '--base-url', 'http://other.example/v1', '--replace']).code).toBe(0);
    expect(settings.getProfile('work').baseUrl).toBe('http://other.example/v1');
  });

  it('help', () => {
    for (const argv of [['profile'], ['profile', '--help'], ['profile', 'add', '--help'], ['config', '-h']]) {
      const result = run(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('runlens profile add NAME');
    }
  });
});

describe('runlens config', () => {
  it('path', () => {
    expect(run(['config', 'path'])).toEqual({code: 0, stdout: `${path.join(dir, 'config.json')}\n`, stderr: ''});
  });

  it('list: every setting, header values masked', () => {
    addWork();
    const result = run(['config', 'list']);
    expect(result.stdout).toBe(
      [
        'defaultProfile=work',
        'profiles.work.baseUrl=http://127.0.0.1:4010/v1',
        'profiles.work.apiKeyEnv=WORK_KEY',
        'profiles.work.org=org_1',
        'profiles.work.headers.X-Trace=***',
        'profiles.work.headers.Authorization=env:WORK_TOKEN',
        'profiles.work.threads=thread_a,thread_b,thread_c',
        '',
      ].join('\n'),
    );
    const json = run(['config', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({defaultProfile: 'work', profiles: {work: {headers: {'X-Trace': '***'}}}});
    expect(json.stdout).not.toContain('abc123');
  });

  it('a broken settings file: exit 1 with the file named; config path still works', () => {
    writeFileSync(settings.path, '{oops');
    const broken = new Settings({cwd: dir});
    let stderr = '';
    const io = {stdout: {write: () => true}, stderr: {write: (text: string) => (stderr += text)}, env: {}};
    expect(runProfileCommand(['profile', 'list'], io, broken)).toBe(1);
    expect(stderr).toMatch(new RegExp(`^runlens: ${settings.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON \\(.+\\); fix it or delete it\\n$`));
    let out = '';
    expect(runProfileCommand(['config', 'path'], {...io, stdout: {write: (text: string) => (out += text)}}, broken)).toBe(0);
    expect(out).toBe(`${settings.path}\n`);
  });
});
