import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ApiFlagError, resolveApiRequest, wantsApiSource} from '../src/sources/api/cliFlags.js';
import {Settings} from '../src/config/settings.js';
import {loadRunsFromApi} from '../src/sources/api/loadRunsFromApi.js';
import {FakeAssistantsServer, makeRuns} from './fakeServer/fakeAssistantsServer.js';

let dir: string;
let settings: Settings;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'runlens-flags-'));
  settings = new Settings({cwd: dir});
});
afterEach(() => {
  rmSync(dir, {recursive: true, force: true});
});

describe('resolveApiRequest', () => {
  it('flags alone', () => {
    const request = resolveApiRequest({threads: ['thread_a,thread_b', 'thread_c'], baseUrl: 'http://127.0.0.1:4010/v1', headers: ['X-A: 1'], timeoutSeconds: 2.5, maxRetries: 0}, settings);
    expect(request).toEqual({
      threads: ['thread_a', 'thread_b', 'thread_c'],
      limit: 1000,
      concurrency: 4,
      profile: null,
      connection: {profile: null, baseUrl: 'http://127.0.0.1:4010/v1', headers: {'X-A': '1'}, timeoutMs: 2500, maxRetries: 0},
    });
  });

  it('the profile gives the threads and the rest; the default profile when none is named', () => {
    settings.addProfile('work', {baseUrl: 'http://w.example/v1', threads: ['thread_w']});
    expect(resolveApiRequest({profile: 'work'}, settings)).toMatchObject({threads: ['thread_w'], profile: {name: 'work'}});
    expect(() => resolveApiRequest({threads: ['t']}, settings)).not.toThrow();
    expect(resolveApiRequest({threads: ['t']}, settings).profile).toBeNull();
    settings.setDefaultProfile('work');
    expect(resolveApiRequest({runId: 'run_1'}, settings)).toMatchObject({threads: ['thread_w'], runId: 'run_1', profile: {name: 'work'}});
  });

  it('usage errors', () => {
    expect(() => resolveApiRequest({}, settings)).toThrow(new ApiFlagError('no thread: give --thread ID, or a --profile with threads'));
    expect(() => resolveApiRequest({threads: ['t'], maxRuns: 0}, settings)).toThrow("--limit takes a whole number of at least 1, not '0'");
    expect(() => resolveApiRequest({threads: ['t'], timeoutSeconds: 0}, settings)).toThrow("--timeout takes a number of seconds above 0, not '0'");
    expect(() => resolveApiRequest({threads: ['t'], headers: ['nocolon']}, settings)).toThrow(ApiFlagError);
    expect(() => resolveApiRequest({profile: 'nope', threads: ['t']}, settings)).toThrow("no profile named 'nope'");
  });

  it('wantsApiSource', () => {
    expect(wantsApiSource({})).toBe(false);
    expect(wantsApiSource({threads: ['t']})).toBe(true);
    expect(wantsApiSource({profile: 'p'})).toBe(true);
  });

  it('end to end: a profile on disk to runs loaded from the fake server', async () => {
    const server = await FakeAssistantsServer.start({apiKey: 'sk-profile-key-1'});
    try {
      server.addRuns('thread_p', makeRuns('thread_p', 3));
      settings.addProfile('local', {baseUrl: server.baseUrl, apiKeyEnv: 'LOCAL_KEY', threads: ['thread_p']});
      const request = resolveApiRequest({profile: 'local', maxRetries: 0}, settings);
      const loaded = await loadRunsFromApi({...request, env: {LOCAL_KEY: 'sk-profile-key-1'}});
      expect(loaded.runs.map((run) => run.id)).toEqual(['run_p_0002', 'run_p_0001', 'run_p_0000']);
      expect(loaded.connection).toMatchObject({profileName: 'local', keyEnv: 'LOCAL_KEY', host: server.host});
    } finally {
      await server.close();
    }
  });

  it('a credential header from the command line is scrubbed from messages', async () => {
    const server = await FakeAssistantsServer.start();
    try {
      server.fail({failure: {status: 500, body: {error: {message: 'gateway said token gw-literal-token-77 is bad'}}}});
      const request = resolveApiRequest({threads: ['t'], baseUrl: server.baseUrl, headers: ['X-Api-Key: gw-literal-token-77'], maxRetries: 0}, settings);
      const loaded = await loadRunsFromApi({...request, env: {OPENAI_API_KEY: 'k-1234'}});
      expect(loaded.warnings[0]!.message).toBe(`listing the runs of thread t: server error at ${server.host} (HTTP 500) (server: gateway said token *** is bad)`);
    } finally {
      await server.close();
    }
  });
});
