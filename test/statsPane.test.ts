import {describe, it, expect} from 'vitest';
import stringWidth from 'string-width';
import {lineText, type Line, type PaneContent} from '../src/panes/content.js';
import {wrapLines} from '../src/panes/wrap.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {computeRunStats} from '../src/stats/runStats.js';
import {binLabel, buildStatsPane, STATS_SECTIONS, statsPane} from '../src/stats/statsPane.js';
import {NOW, statRun} from './stats.fixtures.js';
import {EXAMPLE_COUNT, exampleStatusCount, EXAMPLE_UNFINISHED} from './helpers/examples.js';

const WIDTHS = [20, 40, 80, 200];
const NON_ASCII = /[^\x20-\x7e]/;

/** The pane as a terminal of `width` columns shows it (lines blocks are wrapped; no tables here). */
function rendered(content: PaneContent, width: number): string[] {
  const lines: Line[] = [];
  for (const block of content) {
    expect(block.kind).toBe('lines');
    if (block.kind === 'lines') lines.push(...wrapLines(block.lines, width));
  }
  return lines.map(lineText);
}

const examples = loadRunsFromSources(['examples']).then((loaded) => loaded.runs);

describe('statsPane', () => {
  it('has every section, in order, for the bundled examples', async () => {
    const text = rendered(statsPane(await examples, {width: 100, nowSeconds: NOW}), 100);
    const headings = text.filter((line) => STATS_SECTIONS.some((section) => line.startsWith(section)));
    expect(headings.map((line) => STATS_SECTIONS.find((section) => line.startsWith(section)))).toEqual([...STATS_SECTIONS]);
    expect(text[0]).toBe(`${EXAMPLE_COUNT} runs  ·  ${EXAMPLE_UNFINISHED} unfinished  ·  31 threads  ·  12 locked`);
    const joined = text.join('\n');
    expect(joined).toMatch(new RegExp(`✓ completed +█+ +${exampleStatusCount('completed')} +${((100 * exampleStatusCount('completed')) / EXAMPLE_COUNT).toFixed(1)}%`));
    // The examples' gpt-4.1 runs and their share of all tokens (responses included).
    expect(joined).toMatch(/gpt-4\.1 +█+ +52,902 +45\.3%/);
    expect(joined).toMatch(/rate_limit_exceeded +█+ +2 +40\.0%/);
    expect(joined).toContain('47 runs  p50 1s  p95 2s  max 4s  mean 1s');
    expect(joined).toContain('thread_41ogePJdFPW5bAUFxxZwRIpt');
  });

  it.each(WIDTHS)('fits %i columns, Unicode and ASCII', async (width) => {
    const runs = await examples;
    for (const ascii of [false, true]) {
      const text = rendered(statsPane(runs, {width, nowSeconds: NOW, ascii}), width);
      for (const line of text) expect(stringWidth(line), `"${line}"`).toBeLessThanOrEqual(width);
      if (ascii) for (const line of text) expect(line, `"${line}"`).not.toMatch(NON_ASCII);
      expect(text.join('\n')).not.toMatch(/NaN|undefined|Infinity|null/);
    }
  });

  it('draws chart lines no wider than the width before any wrapping', async () => {
    for (const width of WIDTHS) {
      for (const block of statsPane(await examples, {width, nowSeconds: NOW})) {
        if (block.kind !== 'lines') continue;
        const charts = block.lines.filter((line) => line.some((segment) => /[█▏▎▍▌▋▊▉▁▂▃▄▅▆▇┤└]/.test(segment.text)));
        for (const line of charts) expect(stringWidth(lineText(line))).toBeLessThanOrEqual(width);
      }
    }
  });

  it('says so when there are no runs', () => {
    expect(rendered(statsPane([], {width: 80, nowSeconds: NOW}), 80)).toEqual(['No runs to summarize.']);
  });

  it('reads sensibly with one run', () => {
    const run = statRun({id: 'run_only', thread: 'thread_one', created: NOW - 120, queued: 2, ran: 40, usage: [100, 20]});
    const text = rendered(statsPane([run], {width: 80, nowSeconds: NOW}), 80);
    const joined = text.join('\n');
    expect(text[0]).toBe('1 run  ·  1 thread');
    expect(joined).toContain('created 2026-11-25 11:58:00 UTC');
    expect(joined).toMatch(/✓ completed +█+ +1 +100\.0%/);
    expect(joined).toContain('1 run  p50 2s  p95 2s  max 2s  mean 2s');
    expect(joined).toContain('1 run  p50 40s  p95 40s  max 40s  mean 40s');
    expect(joined).toContain('no run has a last_error');
    expect(joined).toContain('no run ended incomplete');
    expect(joined).toContain('✓ no thread is locked');
    expect(joined).toContain('1 column = 1m');
    expect(joined).not.toMatch(/NaN|undefined|Infinity|null/);
  });

  it('explains empty sections instead of drawing empty charts', () => {
    const run = statRun({id: 'q', status: 'queued', created: null, queued: null, ran: null, thread: null, expires: NOW + 60});
    const joined = rendered(statsPane([run], {width: 80, nowSeconds: NOW}), 80).join('\n');
    expect(joined).toContain('no run has created_at');
    expect(joined).toContain('no run has both created_at and started_at');
    expect(joined).toContain('no run reports usage');
    expect(joined).toContain('no run has a thread_id');
    expect(joined).toContain('1 queued run not started yet, not counted');
  });

  it('lists locked threads with how long and the expiry, longest first', () => {
    const runs = [
      statRun({id: 'run_new', thread: 'thread_new', status: 'in_progress', created: NOW - 60, ran: null, expires: NOW + 540}),
      statRun({id: 'run_old', thread: 'thread_old', status: 'requires_action', created: NOW - 3600, ran: null, expires: NOW - 3000}),
    ];
    const text = rendered(statsPane(runs, {width: 120, nowSeconds: NOW}), 120);
    const start = text.findIndex((line) => line.startsWith('Locked threads'));
    expect(text.slice(start + 1, start + 4)).toEqual([
      '  thread      status             locked for  by run   expires_at',
      '  thread_old  ! requires_action          1h  run_old  50m ago',
      '  thread_new  ● in_progress              1m  run_new  in 9m',
    ]);
  });

  it('labels histogram bins', () => {
    expect(binLabel({from: 0, to: 1, count: 1})).toBe('<1s');
    expect(binLabel({from: 60, to: 120, count: 1})).toBe('1m–2m');
    expect(binLabel({from: 60, to: 120, count: 1}, true)).toBe('1m-2m');
    expect(binLabel({from: 604_800, to: null, count: 1})).toBe('≥7d');
    expect(binLabel({from: 604_800, to: null, count: 1}, true)).toBe('>=7d');
  });

  it('builds from figures computed once (the TUI recomputes only when runs change)', async () => {
    const stats = computeRunStats(await examples, NOW);
    expect(buildStatsPane(stats, {width: 80, nowSeconds: NOW})).toEqual(statsPane(await examples, {width: 80, nowSeconds: NOW}));
  });
});
