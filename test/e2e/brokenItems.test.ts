/**
 * End to end: the TUI of the built CLI on a folder of compressed files, one of them an array with
 * a broken item and one a stream transcript recorded without blank lines. The good runs are
 * listed, the broken item is one warning with its line and column.
 */
import {copyFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, listPosition, REPO_ROOT, runIds, tempFolder, useSessions} from './tmux.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

describe('a folder of compressed files with a broken item', () => {
  it('lists every good run; the broken item is one warning naming its line and column', async (context) => {
    const folder = tempFolder({});
    try {
      for (const name of ['three-nan.json.zst', 'recorded.sse.txt.gz']) copyFileSync(join(REPO_ROOT, 'test/fixtures/broken-items', name), join(folder.path, name));
      const session = await sessions.runlens(context, [folder.path]);
      const screen = await session.waitForReady((text) => listPosition(text)?.total === 3 && !text.includes('loading'), {description: 'three runs listed'});
      expect(screen).toMatch(/^runlens \S+\s+3 runs\s+⚠ 1 warning \(W\)/m);
      expect(runIds(screen).sort()).toEqual(['run_Qm3xT8vLk2PzR7nB4cW9yHdE', 'run_itemsDone', 'run_itemsWaiting']);

      await session.sendKeys('W');
      const warnings = await session.waitFor('1 warning while loading');
      // The line is cut at the terminal's width.
      expect(warnings).toMatch(/three-nan\.json\.zst:57:19: invalid JSON in item 1: Unexpected token 'N'/);
      await session.sendKeys('Escape');
      await session.waitFor('1/3');
      await session.sendKeys('q');
      await session.waitFor('EXIT=0');
    } finally {
      folder.cleanup();
    }
  });
});
