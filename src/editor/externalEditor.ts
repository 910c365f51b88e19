/**
 * Opens the user's editor on a text (the output form's JSON template) while the terminal UI steps
 * aside: raw mode off and the alternate screen left, the editor run synchronously on the terminal,
 * then raw mode and the alternate screen back. The app then redraws its frame in full (Ink's
 * `write`), since the editor has drawn over the screen. Components get this as an injected
 * `EditText`, so their tests fake it.
 */
import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

/** What the editor saved, and the file's name for messages (`runlens-outputs-run_x.json:3:14: …`). */
export interface EditedText {
  text: string;
  label: string;
}

/** Opens an editor on `text` in a file named after `name`; rejects with a one-line reason. */
export type EditText = (text: string, name: string) => Promise<EditedText>;

/** The editor to run: `$VISUAL`, else `$EDITOR`, else `vi` (as git and crontab choose). */
export function editorCommand(env: NodeJS.ProcessEnv): string {
  return env['VISUAL']?.trim() || env['EDITOR']?.trim() || 'vi';
}

export interface EditorLauncherOptions {
  env: NodeJS.ProcessEnv;
  /** The keyboard: raw mode is turned off for the editor and back on after. */
  stdin: {setRawMode?: (mode: boolean) => unknown; fd?: number};
  stdout: {write: (text: string) => unknown; fd?: number};
  /** Runs the editor; `spawnSync` unless a test says otherwise. */
  spawn?: (command: string, args: readonly string[], options: {stdio: Array<number | 'inherit'>}) => Pick<SpawnSyncReturns<Buffer>, 'status' | 'signal' | 'error'>;
}

/**
 * Until when (ms) an interrupt belongs to the editor: with the terminal in its normal mode, Ctrl-C in
 * an editor that does not catch it (or a script that signals its group) reaches runlens too, and is
 * only handled once the editor has returned. As git does, runlens does not quit for it.
 */
let editorInterruptsUntil = 0;
/** Signals that arrive this long after the editor returned are still taken as the editor's. */
const INTERRUPT_GRACE_MS = 500;

/** Whether a SIGINT now was sent while the editor had the terminal. */
export function interruptBelongsToEditor(now = Date.now()): boolean {
  return now <= editorInterruptsUntil;
}

const LEAVE_SCREEN = '\u001b[?1049l\u001b[?25h';
// Back on the alternate screen, cleared, cursor hidden again (Ink hides it once, at start).
const ENTER_SCREEN = '\u001b[?1049h\u001b[2J\u001b[H\u001b[?25l';

export function createEditorLauncher(options: EditorLauncherOptions): EditText {
  const spawn = options.spawn ?? ((command, args, spawnOptions) => spawnSync(command, [...args], spawnOptions));
  return async (text, name) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'runlens-'));
    const label = `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;
    const file = path.join(folder, label);
    try {
      writeFileSync(file, text, {mode: 0o600});
      const editor = editorCommand(options.env);
      options.stdin.setRawMode?.(false);
      options.stdout.write(LEAVE_SCREEN);
      let result: ReturnType<NonNullable<EditorLauncherOptions['spawn']>>;
      editorInterruptsUntil = Number.POSITIVE_INFINITY;
      try {
        // Through the shell, as git does, so `EDITOR="code --wait"` works; the file is "$1", never
        // spliced into the command line. The editor gets the keyboard's terminal even when stdin
        // carries data (`cat runs.json | runlens -`).
        result = spawn('/bin/sh', ['-c', `${editor} "$1"`, 'runlens-editor', file], {
          stdio: [options.stdin.fd ?? 'inherit', options.stdout.fd ?? 'inherit', 'inherit'],
        });
      } finally {
        editorInterruptsUntil = Date.now() + INTERRUPT_GRACE_MS;
        options.stdout.write(ENTER_SCREEN);
        options.stdin.setRawMode?.(true);
      }
      if (result.error) throw new Error(`could not start the editor (${editor}): ${result.error.message}`);
      if (result.status !== 0) {
        throw new Error(`the editor (${editor}) ${result.signal ? `was stopped by ${result.signal}` : `exited with status ${result.status}`}; nothing taken from it`);
      }
      return {text: readFileSync(file, 'utf8'), label};
    } finally {
      rmSync(folder, {recursive: true, force: true});
    }
  };
}
