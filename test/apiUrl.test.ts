import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadRunsFromUrl, urlLabel} from '../src/sources/api/loadRunsFromUrl.js';
import {isUrlSource} from '../src/sources/sourceKind.js';
import {makeRun} from './fakeServer/fakeAssistantsServer.js';

interface Route {
  status?: number;
  type?: string;
  body?: string;
  hang?: boolean;
}

const run1 = makeRun('thread_u', 1);
const run2 = makeRun('thread_u', 2);
const routes: Record<string, Route> = {
  '/one.json': {body: JSON.stringify(run1)},
  '/array.json': {body: JSON.stringify([run1, run2])},
  '/list.json': {body: JSON.stringify({object: 'list', data: [run1, run2], has_more: false})},
  '/runs.jsonl': {type: 'application/octet-stream', body: `${JSON.stringify(run1)}\n{"id": oops}\n${JSON.stringify(run2)}\n`},
  '/export': {type: 'application/x-ndjson', body: `${JSON.stringify(run1)}\n${JSON.stringify(run2)}\n`},
  '/bom.json': {body: `\ufeff${JSON.stringify(run1)}`},
  '/broken.json': {body: '{\n  "id": "run_1",\n  "status": \n}'},
  '/empty.json': {body: ''},
  '/missing.json': {status: 404, type: 'text/plain', body: 'nope'},
  '/login': {type: 'text/html; charset=utf-8', body: '<html>Sign in</html>'},
  '/slow.json': {hang: true},
  '/not-runs.json': {body: JSON.stringify({object: 'assistant', id: 'asst_1'})},
};

let server: Server;
let origin: string;
const seenHeaders: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seenHeaders.push(request.headers);
    const route = routes[new URL(request.url ?? '/', 'http://x').pathname];
    if (!route) {
      response.writeHead(404, {'content-type': 'application/json'}).end('{}');
      return;
    }
    if (route.hang) return;
    response.writeHead(route.status ?? 200, {'content-type': route.type ?? 'application/json'});
    response.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('loadRunsFromUrl: file shapes', () => {
  it('a single run', async () => {
    const loaded = await loadRunsFromUrl(`${origin}/one.json`);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs.map((run) => run.id)).toEqual([run1['id']]);
    expect(loaded.runs[0]!.source).toEqual({kind: 'url', file: `${origin}/one.json`});
    expect(loaded.sources).toEqual([`${origin}/one.json`]);
    expect(loaded.files).toEqual([`${origin}/one.json`]);
  });

  it('an array and a list envelope', async () => {
    for (const path of ['/array.json', '/list.json']) {
      const loaded = await loadRunsFromUrl(`${origin}${path}`);
      expect(loaded.warnings).toEqual([]);
      expect(loaded.runs.map((run) => run.id)).toEqual([run1['id'], run2['id']]);
    }
  });

  it('JSON Lines by extension, a bad line reported with line and column', async () => {
    const loaded = await loadRunsFromUrl(`${origin}/runs.jsonl`);
    expect(loaded.runs.map((run) => [run.id, run.source.line])).toEqual([
      [run1['id'], 1],
      [run2['id'], 3],
    ]);
    expect(loaded.warnings).toEqual([{location: `${origin}/runs.jsonl:2:8`, message: "Unexpected token 'o'; line skipped"}]);
  });

  it('JSON Lines by content type, and by extension behind a query string', async () => {
    const byType = await loadRunsFromUrl(`${origin}/export`);
    expect(byType.runs).toHaveLength(2);
    expect(byType.runs[1]!.source).toEqual({kind: 'url', file: `${origin}/export`, line: 2});
    const withQuery = await loadRunsFromUrl(`${origin}/runs.jsonl?sig=SECRETSIG&page=1`);
    expect(withQuery.runs).toHaveLength(2);
    expect(withQuery.warnings[0]!.location).toBe(`${origin}/runs.jsonl?sig=***&page=1:2:8`);
    expect(JSON.stringify(withQuery)).not.toContain('SECRETSIG');
  });

  it('a UTF-8 BOM', async () => {
    expect((await loadRunsFromUrl(`${origin}/bom.json`)).runs).toHaveLength(1);
  });
});

describe('loadRunsFromUrl: failures are warnings', () => {
  it('invalid JSON: line and column', async () => {
    const loaded = await loadRunsFromUrl(`${origin}/broken.json`);
    expect(loaded.runs).toEqual([]);
    expect(loaded.warnings).toEqual([{location: `${origin}/broken.json:4:1`, message: "invalid JSON: Unexpected token '}'"}]);
  });

  it('an empty body and a value that is not a run', async () => {
    expect((await loadRunsFromUrl(`${origin}/empty.json`)).warnings).toEqual([{location: `${origin}/empty.json`, message: 'empty file'}]);
    expect((await loadRunsFromUrl(`${origin}/not-runs.json`)).warnings).toEqual([
      {location: `${origin}/not-runs.json`, message: "the value is an object of type 'assistant', not a run; skipped"},
    ]);
  });

  it('an HTTP error status', async () => {
    const loaded = await loadRunsFromUrl(`${origin}/missing.json`);
    expect(loaded.warnings).toEqual([{location: `${origin}/missing.json`, message: 'HTTP 404 Not Found'}]);
    expect(loaded.files).toEqual([]);
  });

  it('an HTML page', async () => {
    expect((await loadRunsFromUrl(`${origin}/login`)).warnings).toEqual([
      {location: `${origin}/login`, message: 'answered with content-type text/html, not JSON (a login or error page?)'},
    ]);
  });

  it('a timeout', async () => {
    expect((await loadRunsFromUrl(`${origin}/slow.json`, {timeoutMs: 200})).warnings).toEqual([
      {location: `${origin}/slow.json`, message: 'no answer within 0.2s'},
    ]);
  });

  it('connection refused', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const {port} = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect((await loadRunsFromUrl(`http://127.0.0.1:${port}/x.json`)).warnings).toEqual([
      {location: `http://127.0.0.1:${port}/x.json`, message: `cannot connect to 127.0.0.1:${port} (connection refused)`},
    ]);
  });

  it('a port fetch refuses', async () => {
    expect((await loadRunsFromUrl('http://127.0.0.1:6000/runs.json')).warnings).toEqual([
      {location: 'http://127.0.0.1:6000/runs.json', message: 'fetch refuses port 6000 (a "bad port"); use another one'},
    ]);
  });

  it('not an http(s) URL', async () => {
    expect((await loadRunsFromUrl('file:///etc/passwd')).warnings).toEqual([{location: 'file:///etc/passwd', message: 'not an http(s) URL'}]);
  });
});

describe('loadRunsFromUrl: headers and labels', () => {
  it('sends headers, env references resolved, and never shows them', async () => {
    seenHeaders.length = 0;
    const loaded = await loadRunsFromUrl(`${origin}/one.json`, {
      headers: {Authorization: 'env:EXPORT_TOKEN', 'X-Plain': 'yes'},
      env: {EXPORT_TOKEN: 'Bearer sk-canary-XYZ123'},
    });
    expect(loaded.runs).toHaveLength(1);
    expect(seenHeaders[0]!['authorization']).toBe('Bearer sk-canary-XYZ123');
    expect(seenHeaders[0]!['x-plain']).toBe('yes');
    expect(JSON.stringify(loaded)).not.toContain('sk-canary-XYZ123');
  });

  it('a header from an unset env variable', async () => {
    expect((await loadRunsFromUrl(`${origin}/one.json`, {headers: {Authorization: 'env:NOPE'}, env: {}})).warnings).toEqual([
      {location: `${origin}/one.json`, message: 'header Authorization takes its value from the environment variable NOPE, which is not set'},
    ]);
  });

  it('labels drop credentials; a user and password in the URL go as Basic auth', async () => {
    expect(urlLabel(new URL('https://user:pw@example.com/a.json?token=abc&x=1#frag'))).toBe('https://example.com/a.json?token=***&x=1');
    seenHeaders.length = 0;
    const loaded = await loadRunsFromUrl(`${origin.replace('http://', 'http://user:secretpw@')}/one.json`);
    expect(loaded.runs).toHaveLength(1);
    expect(seenHeaders[0]!['authorization']).toBe(`Basic ${Buffer.from('user:secretpw').toString('base64')}`);
    expect(JSON.stringify(loaded)).not.toContain('secretpw');
    const failed = await loadRunsFromUrl(`${origin.replace('http://', 'http://user:secretpw@')}/missing.json`);
    expect(failed.warnings).toEqual([{location: `${origin}/missing.json`, message: 'HTTP 404 Not Found'}]);
  });

  it('isUrlSource', () => {
    expect(isUrlSource('https://example.com/runs.json')).toBe(true);
    expect(isUrlSource('HTTP://example.com')).toBe(true);
    expect(isUrlSource('./runs.json')).toBe(false);
    expect(isUrlSource('-')).toBe(false);
  });
});
