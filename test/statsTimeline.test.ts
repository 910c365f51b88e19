import {describe, it, expect} from 'vitest';
import stringWidth from 'string-width';
import {lineText} from '../src/panes/content.js';
import {runTimeline, timelineModel} from '../src/panes/timeline.js';
import {NOW, statRun} from './stats.fixtures.js';

const WIDTHS = [40, 80, 120];
const NON_ASCII = /[^\x20-\x7e]/;

const completed = statRun({id: 'run_done', created: NOW - 600, queued: 10, ran: 30, usage: [10, 5]});
const failed = statRun({id: 'run_failed', status: 'failed', created: NOW - 600, queued: 2, ran: 5, error: 'server_error'});
const waiting = statRun({id: 'run_wait', status: 'requires_action', created: NOW - 300, queued: 5, ran: null, expires: NOW + 300});
const expired = statRun({id: 'run_expired', status: 'expired', created: NOW - 3600, queued: null, ran: null, expires: NOW - 3000});
const staleWaiting = statRun({id: 'run_stale', status: 'requires_action', created: NOW - 900, queued: 1, ran: null, expires: NOW - 300});

function draw(run: Parameters<typeof runTimeline>[0], width: number, ascii = false): string[] {
  return runTimeline(run, {width, nowSeconds: NOW, ascii}).map(lineText);
}

describe('runTimeline', () => {
  it.each(WIDTHS)('never draws wider than %i columns, Unicode and ASCII', (width) => {
    for (const run of [completed, failed, waiting, expired, staleWaiting]) {
      for (const ascii of [false, true]) {
        const lines = draw(run, width, ascii);
        expect(lines.length).toBeGreaterThanOrEqual(3);
        for (const line of lines) expect(stringWidth(line), `${run.id} "${line}"`).toBeLessThanOrEqual(width);
        if (ascii) for (const line of lines) expect(line).not.toMatch(NON_ASCII);
      }
    }
  });

  it('draws a completed run to scale with its durations', () => {
    const [bar, labels, ...legend] = draw(completed, 81);
    // created at column 0, started 10s into 40s: column 20 of 80, completed at the last column.
    expect(bar![0]).toBe('├');
    expect(bar![20]).toBe('┼');
    expect(bar![80]).toBe('✓');
    expect(bar).toHaveLength(81);
    expect(bar).toContain('queued 10s');
    expect(bar).toContain('ran 30s');
    expect(bar!.slice(1, 20)).toMatch(/^░+queued 10s░+$/);
    expect(labels).toBe(`created${' '.repeat(13)}started${' '.repeat(45)}completed`);
    expect(legend).toEqual(['queued 10s  ran 30s  total 40s']);
  });

  it.each(WIDTHS)('draws a failed run ending in ✗ at %i columns', (width) => {
    const [bar, labels, ...legend] = draw(failed, width);
    expect(bar!.startsWith('├')).toBe(true);
    expect(bar!.endsWith('✗')).toBe(true);
    expect(labels!.endsWith('failed')).toBe(true);
    expect(legend.join(' ')).toContain('queued 2s  ran 5s  total 7s');
    const ascii = draw(failed, width, true);
    expect(ascii[0]!.startsWith('[')).toBe(true);
    expect(ascii[0]!.endsWith('X')).toBe(true);
  });

  it.each(WIDTHS)('draws a run in requires_action as waiting until now, then the time left to expires_at, at %i columns', (width) => {
    const [bar, labels, ...legend] = draw(waiting, width);
    expect(bar!.startsWith('├')).toBe(true);
    expect(bar).toContain('▒');
    expect(bar).toContain('!');
    expect(bar!.endsWith('│')).toBe(true);
    // now is halfway between created and expires_at.
    expect(Math.abs(bar!.indexOf('!') - (width - 1) / 2)).toBeLessThanOrEqual(1);
    expect(labels).toContain('now');
    expect(labels!.endsWith('expires')).toBe(true);
    const words = legend.join(' ');
    expect(words).toContain('queued 5s');
    expect(words).toContain('waiting at most 4m 55s');
    expect(words).toContain('expires in 5m');
    const ascii = draw(waiting, width, true);
    expect(ascii[0]).toContain('~');
    expect(ascii[0]!.endsWith('|')).toBe(true);
  });

  it.each(WIDTHS)('draws an expired run that never started as queued until expires_at, at %i columns', (width) => {
    const [bar, labels, ...legend] = draw(expired, width);
    expect(bar).toMatch(/^├░+queued 10m░+⊗$/);
    expect(labels!.endsWith('expired')).toBe(true);
    expect(legend.join(' ')).toContain('never started');
    expect(legend.join(' ')).toContain('expired 10m after created');
  });

  it('marks an expires_at that passed while the run was unfinished', () => {
    const [bar, , ...legend] = draw(staleWaiting, 80);
    const expiresAt = bar!.indexOf('│');
    const now = bar!.indexOf('!');
    expect(expiresAt).toBeGreaterThan(0);
    expect(expiresAt).toBeLessThan(now);
    expect(legend.join(' ')).toContain('expires_at passed 5m ago');
    // The duration is written where no marker cuts through it.
    for (const width of WIDTHS) expect(draw(staleWaiting, width)[0]).toContain('waiting ≤ 14m 59s');
  });

  it('describes the run as markers and spans', () => {
    expect(timelineModel(waiting, NOW)).toMatchObject({
      markers: [
        {kind: 'created', at: NOW - 300},
        {kind: 'started', at: NOW - 295},
        {kind: 'now', at: NOW},
        {kind: 'expires', at: NOW + 300},
      ],
      spans: [
        {fill: 'queue', from: 'created', to: 'started'},
        {fill: 'wait', from: 'started', to: 'now'},
        {fill: 'left', from: 'now', to: 'expires'},
      ],
    });
    expect(timelineModel(completed, NOW)?.markers.map((marker) => marker.kind)).toEqual(['created', 'started', 'end']);
  });

  it('handles a run without times and a run whose events share a second', () => {
    const noTimes = statRun({id: 'x', status: 'queued', created: null, queued: null, ran: null});
    expect(draw(noTimes, 40)).toEqual(['no created_at or started_at: nothing to…']);
    const noCreated = statRun({id: 'z', created: null, queued: 0, ran: 20});
    expect(draw(noCreated, 40)).toEqual([`┼${'█'.repeat(15)}ran 20s${'█'.repeat(16)}✓`, `started${' '.repeat(24)}completed`, 'no created_at: queue time unknown', 'ran 20s']);
    const instant = statRun({id: 'y', created: NOW - 10, queued: 0, ran: 0});
    const [bar] = draw(instant, 40);
    expect(bar).toBe('├┼✓');
  });
});
