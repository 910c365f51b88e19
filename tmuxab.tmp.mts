// npx tsx tmuxab.mts ROUNDS label=command ... : interleaved tmux first-frame times (ms) and CPU at first frame
import {TmuxScreen, measureStartup, RUNLENS_ROW} from './bench/measure.ts';
import {copyFileSync, mkdtempSync} from 'node:fs';
import {join} from 'node:path';
import {loadavg} from 'node:os';
const [rounds, ...specs] = process.argv.slice(2);
const temp = mkdtempSync('/tmp/first/tmuxab-');
copyFileSync('/tmp/lead/r10k.jsonl', join(temp, 'r10k.jsonl'));
const screen = await TmuxScreen.start({socket: `first-ab-${process.pid}`, width: 120, height: 40, cwd: temp, env: {RUNLENS_NOW: '2026-11-25T12:00:00Z', HOME: temp}});
const results = new Map<string, {wall: number[]; cpu: number[]; load: number[]}>();
try {
  for (let round = 0; round < Number(rounds); round++) {
    for (const spec of specs) {
      const [label, command] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
      const t = await measureStartup(screen, {command: `${command} r10k.jsonl`, startFile: join(temp, 'started'), firstFrame: (text) => RUNLENS_ROW.test(text), loaded: () => true, timeoutMs: 20_000});
      const r = results.get(label) ?? {wall: [], cpu: [], load: []};
      r.wall.push(t.firstFrameMs ?? NaN); r.cpu.push(t.firstFrameCpuMs ?? NaN); r.load.push(loadavg()[0]!);
      results.set(label, r);
    }
  }
} finally { await screen.kill(); }
const med = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]!; };
for (const [label, r] of results) console.log(label, 'wall med', med(r.wall).toFixed(0), 'min', Math.min(...r.wall).toFixed(0), '| cpu med', med(r.cpu).toFixed(0), 'min', Math.min(...r.cpu).toFixed(0), '| load', Math.min(...r.load).toFixed(2), '-', Math.max(...r.load).toFixed(2), '| walls', r.wall.map((x) => x.toFixed(0)).join(' '));
