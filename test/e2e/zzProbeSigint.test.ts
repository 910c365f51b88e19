import {execFile} from 'node:child_process';
import {appendFileSync} from 'node:fs';
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, MARKER, rows, useSessions, type TmuxSession} from './tmux.js';

const sessions = useSessions();
beforeAll(ensureBuilt, 120_000);
const log = (line: string) => appendFileSync('/tmp/house-probe/log.txt', `${new Date().toISOString()} ${line}\n`);

async function step<T>(name: string, id: number, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`${id} start ${name}`);
  try {
    const value = await work();
    log(`${id} done ${name} ${Date.now() - started}ms`);
    return value;
  } catch (error) {
    log(`${id} FAIL ${name} ${Date.now() - started}ms ${String(error).slice(0, 300)}`);
    throw error;
  }
}

describe.concurrent('probe', () => {
  for (let i = 0; i < 8; i++) {
    it(`SIGINT ${i}`, async (context) => {
      const session: TmuxSession = await step('start', i, () => sessions.runlens(context, ['examples']));
      await step('ready', i, () => session.waitForReady('1/41'));
      const shell = (await step('pane_pid', i, () => session.tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}'))).trim();
      const pid = await step('pgrep', i, () => new Promise<string>((resolve, reject) => execFile('pgrep', ['-P', shell, 'node'], (error, stdout) => (error ? reject(error) : resolve(stdout.trim())))));
      log(`${i} pid=${JSON.stringify(pid)} shell=${shell}`);
      process.kill(Number(pid), 'SIGINT');
      const screen = await step('exit', i, () => session.waitFor('EXIT=', {timeout: 4000}));
      expect(await step('alt', i, () => session.tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on}'))).toBe('0\n');
      expect(rows(screen).filter(Boolean)[0]).toBe(MARKER);
    });
  }
});
