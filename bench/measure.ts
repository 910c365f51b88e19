/**
 * Helpers for the benchmark: statistics, result rows with their targets, the table, child
 * processes timed from spawn to exit, machine facts, and a tmux control-mode client that reads
 * the screen every few milliseconds without starting a process per look.
 */
import {execFile, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const CLI = join(REPO_ROOT, 'dist', 'runlens.js');

/** A list row: a status glyph, the status, a run id (the runlens list as it is drawn today). */
export const RUNLENS_ROW = /^\s?\S{1,2}\s+[a-z_]+\s+run_[A-Za-z0-9]{6,}/m;

/* ------------------------------------------------------------------------------------------------
 * Statistics.
 * ---------------------------------------------------------------------------------------------- */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0-100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with bash's $EPOCHREALTIME). */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (milliseconds: number) => new Promise<void>((done) => setTimeout(done, milliseconds));

/* ------------------------------------------------------------------------------------------------
 * Result rows.
 * ---------------------------------------------------------------------------------------------- */

/** One goal of a figure: its ratio (value / baseline) or its value, below a limit. */
export interface Target {
  on: 'ratio' | 'value';
  op: '<=' | '<';
  limit: number;
}

export interface BenchRow {
  /** Which figure of the spec (1-5). */
  figure: number;
  name: string;
  /** Runs in the file measured. */
  size: number;
  value: number | null;
  unit: string;
  baseline: number | null;
  baselineLabel: string;
  /** value / baseline, both as shown (medians); null without a baseline. */
  ratio: number | null;
  targets: Target[];
  /** Whether every target holds; null when the figure was not measured. */
  met: boolean | null;
  /** Repetitions behind the value (and the baseline, if it differs). */
  repetitions: number;
  baselineRepetitions?: number;
  /** Every sample, for the record. */
  samples?: number[];
  baselineSamples?: number[];
  note?: string;
  /** Why the row was not measured. */
  skipped?: string;
  /** The fastest sample (and baseline sample): on a shared machine the steadiest figure. */
  min: number | null;
  baselineMin: number | null;
  /** The machine's 1-minute load average when the row was measured (os.loadavg()[0]): other work skews it. */
  loadAverage: number;
}

export function describeTarget(target: Target, unit: string): string {
  return target.on === 'ratio' ? `${target.op} ${target.limit}x` : `${target.op} ${target.limit} ${unit}`;
}

function targetHolds(target: Target, value: number | null, ratio: number | null): boolean | null {
  const measured = target.on === 'ratio' ? ratio : value;
  if (measured === null || !Number.isFinite(measured)) return null;
  return target.op === '<=' ? measured <= target.limit : measured < target.limit;
}

/** A row with its ratio (value / baseline), verdict, minimums and load average computed the one way. */
export function makeRow(row: Omit<BenchRow, 'ratio' | 'met' | 'min' | 'baselineMin' | 'loadAverage'>): BenchRow {
  const ratio = row.value !== null && row.baseline !== null && row.baseline !== 0 ? row.value / row.baseline : null;
  const verdicts = row.targets.map((target) => targetHolds(target, row.value, ratio));
  // Not met as soon as one target fails; met when all hold; unknown when one cannot be checked.
  let met: boolean | null;
  if (row.skipped !== undefined || verdicts.length === 0) met = null;
  else if (verdicts.includes(false)) met = false;
  else met = verdicts.includes(null) ? null : true;
  const smallest = (samples: readonly number[] | undefined) => (samples && samples.length > 0 ? Math.min(...samples) : null);
  return {...row, ratio, met, min: smallest(row.samples), baselineMin: smallest(row.baselineSamples), loadAverage: round(os.loadavg()[0]!, 2)};
}

function formatNumber(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '-';
  if (unit === 'MB') return `${value.toFixed(1)} MB`;
  if (unit === 'ms') return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
  return `${value} ${unit}`;
}

function pad(text: string, width: number, right = false): string {
  const length = [...text].length;
  if (length >= width) return text;
  return right ? ' '.repeat(width - length) + text : text + ' '.repeat(width - length);
}

/** The table printed at the end: figure, value (median), min, baseline, ratio, target, met, repetitions, load average. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['#', 'figure', 'runs', 'value', 'min', 'baseline', 'ratio', 'target', 'met', 'n', 'load'];
  const lines = rows.map((row) => [
    String(row.figure),
    row.name,
    row.size.toLocaleString('en-US'),
    row.skipped ? 'skipped' : formatNumber(row.value, row.unit),
    row.min === null || row.repetitions < 2 ? '' : formatNumber(row.min, row.unit),
    row.baseline === null ? (row.baselineLabel ? `- (${row.baselineLabel})` : '-') : `${formatNumber(row.baseline, row.unit)} (${row.baselineLabel})`,
    row.ratio === null ? '-' : `${row.ratio.toFixed(row.ratio < 10 ? 3 : 1)}x`,
    row.targets.map((target) => describeTarget(target, row.unit)).join(' and ') || '-',
    row.met === null ? (row.skipped ? 'skipped' : '-') : row.met ? 'met' : 'NOT MET',
    row.baselineRepetitions !== undefined && row.baselineRepetitions !== row.repetitions ? `${row.repetitions}/${row.baselineRepetitions}` : String(row.repetitions),
    row.loadAverage.toFixed(2),
  ]);
  const widths = header.map((title, column) => Math.max([...title].length, ...lines.map((line) => [...line[column]!].length)));
  const render = (cells: string[]) => cells.map((cell, column) => pad(cell, widths[column]!, column === 2 || column === 3 || column === 4 || column === 6)).join('  ').trimEnd();
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render)].join('\n');
}

/* ------------------------------------------------------------------------------------------------
 * Processes.
 * ---------------------------------------------------------------------------------------------- */

export interface ProcessResult {
  /** From spawn to exit (stdout read to its end). */
  ms: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs a program, timing it from spawn to exit; stdout is kept (or discarded with `discardStdout`). */
export function runProcess(
  command: string,
  args: readonly string[],
  options: {env?: NodeJS.ProcessEnv; cwd?: string; discardStdout?: boolean; timeoutMs?: number} = {},
): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', options.discardStdout ? 'ignore' : 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 65_536) stderr += chunk.toString();
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      if (timer) clearTimeout(timer);
      resolvePromise({ms, code, signal, stdout: Buffer.concat(chunks), stderr});
    });
  });
}

/** `command -v NAME`: the program's path, or null. */
export function findProgram(name: string): Promise<string | null> {
  return new Promise((resolvePromise) => {
    execFile('sh', ['-c', `command -v ${name}`], (error, stdout) => resolvePromise(error ? null : stdout.trim() || null));
  });
}

async function versionOf(command: string, args: string[]): Promise<string | null> {
  try {
    const result = await runProcess(command, args, {timeoutMs: 10_000});
    const text = (result.stdout.toString() || result.stderr).trim().split('\n')[0] ?? '';
    return text || null;
  } catch {
    return null;
  }
}

export interface MachineFacts {
  node: string;
  v8: string;
  platform: string;
  kernel: string;
  cpuModel: string;
  cores: number;
  totalMemoryMB: number;
  /** 1, 5 and 15 minute load averages when the bench started: other work on the machine skews every figure. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  tools: Record<string, string | null>;
}

export async function machineFacts(): Promise<MachineFacts> {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    loadAverageAtStart: os.loadavg().map((value) => round(value, 2)),
    tools: {
      jq: await versionOf('jq', ['--version']),
      tmux: await versionOf('tmux', ['-V']),
      vd: null,
    },
  };
}

/* ------------------------------------------------------------------------------------------------
 * tmux, in control mode.
 * ---------------------------------------------------------------------------------------------- */

interface PendingCommand {
  resolve: (lines: string[]) => void;
  reject: (error: Error) => void;
}

/**
 * A private tmux server (`tmux -L runlens-bench-<pid>`) with one pane of a fixed size, driven
 * through one control-mode client: each `capture-pane` is a line written to that client, not a
 * new process, so looking at the screen every 10 ms costs the machine almost nothing.
 */
export class TmuxScreen {
  private buffer = '';
  private block: {header: string; lines: string[]; ours: boolean} | null = null;
  private readonly pending: PendingCommand[] = [];
  private closed = false;
  /** Resolved once the server has attached the control client to the session. */
  private attachedResolve: () => void = () => {};
  private readonly attached = new Promise<void>((resolvePromise) => (this.attachedResolve = resolvePromise));

  private constructor(
    readonly socket: string,
    readonly width: number,
    readonly height: number,
    private readonly configDir: string,
    private readonly client: ReturnType<typeof spawn>,
  ) {
    client.stdout!.setEncoding('utf8');
    client.stdout!.on('data', (text: string) => this.onData(text));
    client.on('close', () => {
      this.closed = true;
      for (const command of this.pending.splice(0)) command.reject(new Error('tmux control client exited'));
    });
  }

  static async start(options: {socket: string; width: number; height: number; cwd: string; env: Record<string, string>}): Promise<TmuxScreen> {
    const configDir = mkdtempSync(join(os.tmpdir(), 'runlens-bench-tmux-'));
    const config = join(configDir, 'tmux.conf');
    // (`window-size manual` in a config file crashes tmux 3.3a's server; the control client's size is set below instead.)
    writeFileSync(config, ['set -g remain-on-exit on', 'set -g status off', 'set -g history-limit 100', 'set -sg escape-time 0', ''].join('\n'));
    const serverEnv: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: options.env['HOME'] ?? os.tmpdir(),
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TERM: 'xterm-256color',
      ...options.env,
    };
    await new Promise<void>((resolvePromise, reject) => {
      execFile(
        'tmux',
        ['-u', '-L', options.socket, '-f', config, 'new-session', '-d', '-s', 'bench', '-x', String(options.width), '-y', String(options.height), '-c', options.cwd, 'sleep 100000'],
        {env: serverEnv},
        (error, _stdout, stderr) => (error ? reject(new Error(`tmux new-session failed: ${stderr || error.message}`)) : resolvePromise()),
      );
    });
    const client = spawn('tmux', ['-u', '-L', options.socket, '-C', 'attach-session', '-t', 'bench'], {env: serverEnv, stdio: ['pipe', 'pipe', 'ignore']});
    const screen = new TmuxScreen(options.socket, options.width, options.height, configDir, client);
    try {
      // Commands sent before the client is attached fail with "no current client".
      await Promise.race([screen.attached, sleep(5000)]);
      await screen.clientCommand('refresh-client -f no-output');
      await screen.clientCommand(`refresh-client -C ${options.width}x${options.height}`);
    } catch (error) {
      // The caller never gets the screen: stop the server here.
      await screen.kill().catch(() => undefined);
      throw error;
    }
    return screen;
  }

  private onData(text: string): void {
    this.buffer += text;
    for (let newline = this.buffer.indexOf('\n'); newline !== -1; newline = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.block) {
      // A block ends with %end or %error carrying the same time, number and flags as its %begin.
      const end = /^%(end|error) (.*)$/.exec(line);
      if (end && end[2] === this.block.header) {
        const {lines, ours} = this.block;
        this.block = null;
        if (!ours) return;
        const command = this.pending.shift();
        if (!command) return;
        if (end[1] === 'end') command.resolve(lines);
        else command.reject(new Error(`tmux: ${lines.join('\n')}`));
        return;
      }
      this.block.lines.push(line);
      return;
    }
    if (line.startsWith('%session-changed ')) this.attachedResolve();
    const begin = /^%begin (\S+ \S+ (\S+))$/.exec(line);
    // Flags 1: the output of a command this client sent (0: the attach itself).
    if (begin) this.block = {header: begin[1]!, lines: [], ours: begin[2] === '1'};
  }

  /** Runs one tmux command; resolves with its output lines. */
  command(text: string): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('tmux control client exited'));
    return new Promise((resolvePromise, reject) => {
      this.pending.push({resolve: resolvePromise, reject});
      this.client.stdin!.write(`${text}\n`);
    });
  }

  /** A command about this client: retried while the server does not yet know the client. */
  private async clientCommand(text: string): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        await this.command(text);
        return;
      } catch (error) {
        if (tries >= 20 || !String(error).includes('no current client')) throw error;
        await sleep(50);
      }
    }
  }

  /** The visible screen as plain text. */
  async capture(): Promise<string> {
    return (await this.command('capture-pane -p -t bench')).join('\n');
  }

  /** Kills what runs in the pane and starts `shellCommand` (run by `sh -c`); the screen starts blank. */
  async respawn(shellCommand: string): Promise<void> {
    if (shellCommand.includes("'")) throw new Error('respawn: no single quotes in the command, please');
    await this.command(`respawn-pane -k -t bench '${shellCommand}'`);
  }

  async paneSize(): Promise<{width: number; height: number}> {
    const [line] = await this.command("display-message -p -t bench '#{pane_width} #{pane_height}'");
    const [width, height] = (line ?? '').split(' ').map(Number);
    return {width: width ?? 0, height: height ?? 0};
  }

  async kill(): Promise<void> {
    // tmux 3.3 leaves its socket file behind after kill-server: remove it too.
    const socketPath = await Promise.race([this.command("display-message -p '#{socket_path}'"), sleep(2000).then(() => [] as string[])])
      .then((lines) => lines[0] ?? null)
      .catch(() => null);
    try {
      if (!this.closed) await Promise.race([this.command('kill-server'), sleep(2000)]).catch(() => undefined);
    } finally {
      this.client.stdin!.end();
      if (!this.closed) this.client.kill();
      await new Promise<void>((resolvePromise) => {
        execFile('tmux', ['-L', this.socket, 'kill-server'], () => resolvePromise());
      });
      rmSync(this.configDir, {recursive: true, force: true});
      if (socketPath && socketPath.includes(this.socket)) rmSync(socketPath, {force: true});
    }
  }
}

/** CPU time (user + system) a live process has used so far, from /proc (Linux); null elsewhere. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * (1000 / CLOCK_TICKS) : null;
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

export interface StartupTimes {
  /** From the process's start to the first screen that satisfied each predicate; null: not seen before the timeout. */
  firstFrameMs: number | null;
  loadedMs: number | null;
  /**
   * CPU time (user + system, all threads, 10 ms ticks) the program had used when each was seen:
   * what the start-up costs whatever else the machine is doing.
   */
  firstFrameCpuMs: number | null;
  loadedCpuMs: number | null;
  /** Milliseconds between two looks at the screen (the resolution of both figures). */
  pollIntervalMs: number;
  polls: number;
  lastScreen: string;
}

/**
 * Starts `command` in the pane behind a bash that notes its start time ($EPOCHREALTIME, a builtin:
 * no fork) right before `exec`, then looks at the screen every `intervalMs` until `firstFrame` and
 * `loaded` have both held. Each look is stamped at the middle of its capture round trip.
 */
export async function measureStartup(
  screen: TmuxScreen,
  options: {
    command: string;
    startFile: string;
    firstFrame: (text: string) => boolean;
    loaded: (text: string) => boolean;
    timeoutMs: number;
    intervalMs?: number;
  },
): Promise<StartupTimes> {
  const intervalMs = options.intervalMs ?? 10;
  // The screen before: runs in a blank pane (the check makes sure no old frame is mistaken for a new one).
  await screen.respawn('exec sleep 100000');
  for (let tries = 0; tries < 100; tries++) {
    const before = await screen.capture();
    if (!options.firstFrame(before) && !options.loaded(before)) break;
    await sleep(20);
  }
  rmSync(options.startFile, {force: true});
  const deadline = wallClockMs() + options.timeoutMs;
  await screen.respawn(`exec bash -c "printf %s \\$EPOCHREALTIME > ${options.startFile}; exec ${options.command}"`);
  const [pidText] = await screen.command("display-message -p -t bench '#{pane_pid}'");
  const pid = Number(pidText);
  let firstFrameAt: number | null = null;
  let loadedAt: number | null = null;
  let firstFrameCpuMs: number | null = null;
  let loadedCpuMs: number | null = null;
  let polls = 0;
  let lastScreen = '';
  const pollStarted = wallClockMs();
  while (wallClockMs() < deadline) {
    const issued = wallClockMs();
    lastScreen = await screen.capture();
    const seen = (issued + wallClockMs()) / 2;
    polls++;
    if (firstFrameAt === null && options.firstFrame(lastScreen)) {
      firstFrameAt = seen;
      firstFrameCpuMs = processCpuMs(pid);
    }
    if (loadedAt === null && options.loaded(lastScreen)) {
      loadedAt = seen;
      loadedCpuMs = processCpuMs(pid);
    }
    if (firstFrameAt !== null && loadedAt !== null) break;
    // A program that died (a crash, a usage error) will draw nothing more: stop waiting.
    if (polls % 50 === 0 && (await screen.command("display-message -p -t bench '#{pane_dead}'"))[0] === '1') break;
    const wait = issued + intervalMs - wallClockMs();
    if (wait > 0) await sleep(wait);
  }
  const pollIntervalMs = polls > 1 ? (wallClockMs() - pollStarted) / polls : intervalMs;
  let startedAt: number | null = null;
  for (let tries = 0; tries < 50 && startedAt === null; tries++) {
    try {
      const text = readFileSync(options.startFile, 'utf8').trim();
      if (text) startedAt = Number(text.replace(',', '.')) * 1000;
    } catch {
      await sleep(20);
    }
  }
  if (startedAt === null || !Number.isFinite(startedAt)) throw new Error(`the pane never started: ${lastScreen}`);
  return {
    firstFrameMs: firstFrameAt === null ? null : firstFrameAt - startedAt,
    loadedMs: loadedAt === null ? null : loadedAt - startedAt,
    firstFrameCpuMs,
    loadedCpuMs,
    pollIntervalMs,
    polls,
    lastScreen,
  };
}
