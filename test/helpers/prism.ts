/**
 * Prism, the OpenAPI mock server, for contract tests: started on a free loopback port in a
 * process group of its own (stopped whole, and killed should the test process end first), ready
 * once it answers HTTP at all, and a recording proxy in front of it that keeps every request and
 * its status, so a test can show what runlens sent and that none of it broke the spec.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer as createHttpServer, request as httpRequest, type Server} from 'node:http';
import {createRequire} from 'node:module';
import {createServer as createNetServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll} from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The path of Prism's command-line entry point, from its package.json. */
export function prismEntry(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@stoplight/prism-cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {bin: string | Record<string, string>};
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin['prism']!;
  return path.resolve(path.dirname(manifestPath), bin);
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request that went through the recording proxy, and what Prism answered. */
export interface Exchange {
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
export function startRecordingProxy(targetPort: number, exchanges: Exchange[]): Promise<{server: Server; baseUrl: string}> {
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



/** A Prism serving one spec. */
export interface PrismMock {
  url: string;
  port: number;
  /** Ends Prism and anything it started (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/**
 * Starts `prism mock SPEC` and waits until it answers `probe` (it listens only after reading the
 * whole spec: 12 s and more on a loaded machine), for at most `timeoutMs`.
 */
export async function startPrism(spec: string, probe: {path: string; headers?: Record<string, string>}, timeoutMs: number): Promise<PrismMock> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  // detached: Prism leads a process group of its own, so stop() can end it and anything it
  // started with one signal, and no orphan is left listening.
  const child = spawn(process.execPath, [prismEntry(), 'mock', spec, '-p', String(port), '-h', '127.0.0.1'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {...process.env, NO_COLOR: '1', FORCE_COLOR: '0'},
  });
  let output = '';
  // Keep the last few kilobytes of its log, for a failure message; reading also keeps the pipes from filling.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | null = null;
  child.on('exit', (code, signal) => {
    exited = `exited (${signal ?? code})`;
  });
  child.on('error', (error) => {
    exited = `could not start: ${error.message}`;
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const killNow = () => signalGroup('SIGKILL');
  // Should the test process end without stop() (a killed worker), take Prism along.
  process.once('exit', killNow);
  const stop = async () => {
    process.off('exit', killNow);
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup('SIGTERM');
    const stopped = await Promise.race([gone.then(() => true), sleep(5000).then(() => false)]);
    if (!stopped) {
      signalGroup('SIGKILL');
      await gone;
    }
  };

  for (;;) {
    if (exited) throw new Error(`prism ${exited} before serving:\n${output}`);
    try {
      const response = await fetch(`${url}${probe.path}`, {headers: probe.headers ?? {}, signal: AbortSignal.timeout(2000)});
      await response.body?.cancel();
      break;
    } catch {
      if (Date.now() - started > timeoutMs) {
        await stop();
        throw new Error(`prism did not serve within ${timeoutMs / 1000}s:\n${output}`);
      }
      await sleep(250);
    }
  }
  console.info(`prism mock served ${spec} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return {url, port, stop};
}

/** `recorded(action)`: what `action` returns, and the exchanges the proxy recorded while it ran. */
export function recorder(exchanges: readonly Exchange[]): <T>(action: () => Promise<T>) => Promise<{result: T; made: Exchange[]}> {
  return async (action) => {
    const before = exchanges.length;
    const result = await action();
    // The proxy records an exchange when the answer has been passed on; let that callback run.
    await sleep(20);
    return {result, made: exchanges.slice(before)};
  };
}

/** What `usePrismSuite` gives a contract test file; the fields are filled in by its `beforeAll`. */
export interface PrismSuite {
  /** Prism itself, for requests that must reach it unrecorded (the checks that it refuses bad ones). */
  prismUrl: string;
  /** The recording proxy in front of Prism: where runlens is pointed. */
  baseUrl: string;
  /** A temporary folder of the file's own (runlens's config folder, a served copy of a spec), removed after. */
  dir: string;
  /** Every request the proxy passed on, in order. */
  readonly exchanges: Exchange[];
  /** What an action returns, and the exchanges made while it ran. */
  readonly recorded: <T>(action: () => Promise<T>) => Promise<{result: T; made: Exchange[]}>;
}

/** How long Prism may take to read a spec before a contract suite gives up. */
export const PRISM_START_TIMEOUT_MS = 90_000;

/**
 * The start-up every contract test file shares, as its own `beforeAll` and `afterAll`: a temporary
 * folder, Prism serving `spec` (a path, or made in that folder by `spec(dir)`), ready once it
 * answers `probe`, and the recording proxy in front of it; all stopped and removed after the file.
 * Call it at the top of the file's `describe`.
 */
export function usePrismSuite(options: {spec: string | ((dir: string) => string); probe: {path: string; headers?: Record<string, string>}; tempPrefix: string}): PrismSuite {
  const exchanges: Exchange[] = [];
  const suite: PrismSuite = {prismUrl: '', baseUrl: '', dir: '', exchanges, recorded: recorder(exchanges)};
  let prism: PrismMock | null = null;
  let proxy: Server | null = null;
  beforeAll(async () => {
    suite.dir = mkdtempSync(path.join(tmpdir(), options.tempPrefix));
    const spec = typeof options.spec === 'string' ? options.spec : options.spec(suite.dir);
    prism = await startPrism(spec, options.probe, PRISM_START_TIMEOUT_MS);
    suite.prismUrl = prism.url;
    ({server: proxy, baseUrl: suite.baseUrl} = await startRecordingProxy(prism.port, exchanges));
  }, PRISM_START_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    if (proxy) await new Promise<void>((resolve) => proxy!.close(() => resolve()));
    await prism?.stop();
    if (suite.dir) rmSync(suite.dir, {recursive: true, force: true});
  }, 20_000);
  return suite;
}
