import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ProfileNotFoundError, REMEMBERED_THREADS, Settings, SettingsError, settingsDirFromEnv} from '../src/config/settings.js';
import {headerProblem, looksLikeSecret} from '../src/config/profile.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'runlens-config-'));
});
afterEach(() => {
  rmSync(dir, {recursive: true, force: true});
});

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

describe('Settings', () => {
  it('lives in config.json under cwd, created on the first write with mode 0600', () => {
    const settings = new Settings({cwd: path.join(dir, 'nested')});
    expect(settings.path).toBe(path.join(dir, 'nested', 'config.json'));
    expect(settings.listProfiles()).toEqual([]);
    expect(existsSync(settings.path)).toBe(false);

    settings.addProfile('local', {baseUrl: 'http://127.0.0.1:4010/v1', apiKeyEnv: 'LOCAL_KEY'});
    expect(mode(settings.path)).toBe(0o600);
    settings.addProfile('other', {baseUrl: 'http://127.0.0.1:4011/v1'});
    settings.removeProfile('other');
    expect(mode(settings.path)).toBe(0o600);
    expect(JSON.parse(readFileSync(settings.path, 'utf8'))).toEqual({profiles: {local: {baseUrl: 'http://127.0.0.1:4010/v1', apiKeyEnv: 'LOCAL_KEY'}}});
  });

  it('adds, lists, gets and removes profiles', () => {
    const settings = new Settings({cwd: dir});
    settings.addProfile('zeta', {baseUrl: 'http://z.example/v1'});
    settings.addProfile('alpha.dev', {azure: {endpoint: 'https://res.openai.azure.com', apiVersion: '2024-05-01-preview'}, threads: ['thread_1']});
    expect(settings.profileNames()).toEqual(['alpha.dev', 'zeta']);
    expect(settings.getProfile('alpha.dev')).toEqual({
      name: 'alpha.dev',
      azure: {endpoint: 'https://res.openai.azure.com', apiVersion: '2024-05-01-preview'},
      threads: ['thread_1'],
    });
    expect(settings.findProfile('nope')).toBeNull();
    expect(() => settings.getProfile('nope')).toThrow(new ProfileNotFoundError('nope', ['alpha.dev', 'zeta']));
    expect(() => settings.getProfile('nope')).toThrow("no profile named 'nope' (profiles: alpha.dev, zeta)");
    expect(settings.removeProfile('zeta')).toBe(true);
    expect(settings.removeProfile('zeta')).toBe(false);
    expect(settings.profileNames()).toEqual(['alpha.dev']);
  });

  it('refuses to overwrite a profile unless asked', () => {
    const settings = new Settings({cwd: dir});
    settings.addProfile('p', {baseUrl: 'http://a.example/v1'});
    expect(() => settings.addProfile('p', {baseUrl: 'http://b.example/v1'})).toThrow("a profile named 'p' already exists (use --replace to overwrite it)");
    settings.addProfile('p', {baseUrl: 'http://b.example/v1'}, {replace: true});
    expect(settings.getProfile('p').baseUrl).toBe('http://b.example/v1');
  });

  it('stores the name of the key variable, never a key', () => {
    const settings = new Settings({cwd: dir});
    const attempt = () => settings.addProfile('p', {apiKeyEnv: 'sk-canary-XYZ123'});
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow('--api-key-env takes the NAME of an environment variable (letters, digits and _, like OPENAI_API_KEY), not a key');
    expect(() => settings.addProfile('p', {headers: {Authorization: 'Bearer sk-canary-XYZ123'}})).toThrow(
      "header Authorization carries a credential: store a reference to an environment variable instead, e.g. 'Authorization: env:MY_AUTHORIZATION'",
    );
    expect(() => settings.addProfile('p', {headers: {'X-Custom': 'sk-canary-XYZ123'}})).toThrow(
      "the value of header X-Custom looks like a key: store a reference to an environment variable instead, e.g. 'X-Custom: env:MY_TOKEN'",
    );
    expect(existsSync(settings.path)).toBe(false);
    settings.addProfile('p', {headers: {Authorization: 'env:GATEWAY_TOKEN', 'X-Team': 'blue'}});
    expect(readFileSync(settings.path, 'utf8')).not.toContain('sk-');
  });

  it('checks names and URLs', () => {
    const settings = new Settings({cwd: dir});
    expect(() => settings.addProfile('has space', {})).toThrow("'has space' is not a valid profile name");
    expect(() => settings.addProfile('sk-canary-XYZ123', {})).toThrow('that looks like a key, not a profile name');
    expect(() => settings.addProfile('p', {baseUrl: 'not a url'})).toThrow('baseUrl: must be an http(s) URL');
  });

  it('a file that is not JSON: a clear message, and it is never overwritten', () => {
    const settings = new Settings({cwd: dir});
    writeFileSync(settings.path, '{"profiles": {"a": ');
    const reopened = new Settings({cwd: dir});
    expect(reopened.path).toBe(settings.path);
    expect(() => reopened.listProfiles()).toThrow(SettingsError);
    expect(() => reopened.listProfiles()).toThrow(/config\.json is not valid JSON \(.+\); fix it or delete it$/);
    expect(() => reopened.addProfile('b', {})).toThrow(/is not valid JSON/);
    expect(readFileSync(settings.path, 'utf8')).toBe('{"profiles": {"a": ');
  });

  it('a hand-edited mistake names the field', () => {
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({profiles: {work: {baseUrl: 'http://x.example/v1', apiKey: 'sk-oops-1234567'}}}));
    const settings = new Settings({cwd: dir});
    expect(() => settings.listProfiles()).toThrow(`${settings.path}: profiles.work: Unrecognized key: "apiKey"; fix it or delete it`);
    writeFileSync(settings.path, JSON.stringify({profiles: {work: {threads: 'thread_1'}}}));
    expect(() => settings.listProfiles()).toThrow(`${settings.path}: profiles.work.threads: Invalid input: expected array, received string; fix it or delete it`);
  });

  it('remembers threads per profile, newest first, without duplicates', () => {
    const settings = new Settings({cwd: dir});
    settings.addProfile('p', {threads: ['thread_1']});
    expect(settings.rememberThreads('p', ['thread_2', 'thread_1'])).toEqual(['thread_2', 'thread_1']);
    expect(settings.rememberThreads('p', ['thread_3'])).toEqual(['thread_3', 'thread_2', 'thread_1']);
    const many = Array.from({length: 60}, (_, index) => `thread_m${index}`);
    expect(settings.rememberThreads('p', many)).toHaveLength(REMEMBERED_THREADS);
    expect(() => settings.rememberThreads('nope', ['t'])).toThrow(ProfileNotFoundError);
  });

  it('a default profile', () => {
    const settings = new Settings({cwd: dir});
    settings.addProfile('a', {});
    expect(settings.resolveProfile()).toBeNull();
    settings.setDefaultProfile('a');
    expect(settings.resolveProfile()?.name).toBe('a');
    expect(() => settings.setDefaultProfile('b')).toThrow(ProfileNotFoundError);
    settings.removeProfile('a');
    expect(settings.defaultProfile).toBeNull();
  });

  it('RUNLENS_CONFIG_DIR', () => {
    expect(settingsDirFromEnv({RUNLENS_CONFIG_DIR: '/tmp/x'})).toBe('/tmp/x');
    expect(settingsDirFromEnv({RUNLENS_CONFIG_DIR: ''})).toBeUndefined();
  });
});

describe('secret detection', () => {
  it('looksLikeSecret', () => {
    for (const secret of ['sk-canary-XYZ123', 'sk-proj-abcdefgh', 'Bearer abcdefghijk', 'a'.repeat(32), 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig']) {
      expect(looksLikeSecret(secret)).toBe(true);
    }
    for (const plain of ['OPENAI_API_KEY', 'blue', 'assistants=v2', 'org_123']) expect(looksLikeSecret(plain)).toBe(false);
  });

  it('headerProblem', () => {
    expect(headerProblem('X-Team', 'blue')).toBeNull();
    expect(headerProblem('api-key', 'env:AZ_KEY')).toBeNull();
    expect(headerProblem('bad header', 'x')).toBe("'bad header' is not a valid header name");
  });
});
