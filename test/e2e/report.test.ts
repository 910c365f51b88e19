/**
 * End to end: `x` in the built CLI writes the run's report to the folder runlens runs in, its
 * conversation included, and says where (the writer runTui passes to the app).
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, REPO_ROOT, tempFolder, useSessions} from './tmux.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

describe('x', () => {
  it('writes runlens-RUN_ID.md here with the run and its conversation, and says where', async (context) => {
    const folder = tempFolder({});
    try {
      const session = await sessions.runlens(context, [join(REPO_ROOT, 'test/fixtures/thread')], {width: 120, height: 30, cwd: folder.path});
      await session.waitForReady('1/2');
      await session.sendKeys('x');
      const file = join(folder.path, 'runlens-run_storySecond1.md');
      await session.waitFor('Wrote the report of run_storySecond1', {timeout: 15_000});
      // The footer names the file; the path may be cut at the terminal's width.
      expect((await session.screen()).includes(folder.path.slice(0, 40))).toBe(true);
      const report = readFileSync(file, 'utf8');
      expect(report).toContain('# runlens report: run_storySecond1');
      expect(report).toContain('### Conversation');
      expect(report).toContain('And now?');
      expect(report).toContain('Still snowing in Oslo.');
      await session.sendKeys('q');
      await session.waitFor('EXIT=0');
    } finally {
      folder.cleanup();
    }
  });
});
