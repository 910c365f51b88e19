import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createEditorLauncher, editorCommand} from '../src/editor/externalEditor.js';

/** A terminal stand-in that records what the launcher does to it, in order. */
function fakeTerminal() {
  const events: string[] = [];
  return {
    events,
    stdin: {setRawMode: (mode: boolean) => events.push(`raw ${mode}`)},
    stdout: {write: (text: string) => events.push(JSON.stringify(text))},
  };
}

describe('the external editor', () => {
  it('is $VISUAL, else $EDITOR, else vi', () => {
    expect(editorCommand({VISUAL: 'code --wait', EDITOR: 'nano'})).toBe('code --wait');
    expect(editorCommand({EDITOR: 'nano'})).toBe('nano');
    expect(editorCommand({VISUAL: '  ', EDITOR: ''})).toBe('vi');
  });

  it('runs $EDITOR (a shell script here) on the text with the terminal handed over, and returns what it saved', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'runlens-editor-test-'));
    const script = path.join(folder, 'edit.sh');
    // Records what it was given, then replaces the file as an editor would.
    writeFileSync(script, `#!/bin/sh\ncp "$1" "${folder}/seen.json"\nprintf '{"tool_outputs":[]}' > "$1"\n`);
    chmodSync(script, 0o755);
    const terminal = fakeTerminal();
    const edit = createEditorLauncher({env: {EDITOR: script}, stdin: terminal.stdin, stdout: terminal.stdout});
    const edited = await edit('{"template": true}\n', 'runlens-outputs-run_1');
    expect(edited).toEqual({text: '{"tool_outputs":[]}', label: 'runlens-outputs-run_1.json'});
    expect(readFileSync(path.join(folder, 'seen.json'), 'utf8')).toBe('{"template": true}\n');
    expect(terminal.events).toEqual(['raw false', JSON.stringify('\u001b[?1049l\u001b[?25h'), JSON.stringify('\u001b[?1049h\u001b[2J\u001b[H\u001b[?25l'), 'raw true']);
  });

  it('an editor that fails or cannot start is one line, and the terminal is given back all the same', async () => {
    const terminal = fakeTerminal();
    const failing = createEditorLauncher({env: {EDITOR: 'false'}, stdin: terminal.stdin, stdout: terminal.stdout});
    await expect(failing('{}', 'x')).rejects.toThrow('the editor (false) exited with status 1; nothing taken from it');
    expect(terminal.events.at(-1)).toBe('raw true');
    const throwing = createEditorLauncher({
      env: {},
      stdin: terminal.stdin,
      stdout: terminal.stdout,
      spawn: () => ({status: null, signal: null, error: Object.assign(new Error('spawn /bin/sh ENOENT'), {code: 'ENOENT'})}),
    });
    await expect(throwing('{}', 'x')).rejects.toThrow('could not start the editor (vi): spawn /bin/sh ENOENT');
    expect(terminal.events.at(-1)).toBe('raw true');
  });
});
