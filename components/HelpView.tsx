import {useEffect, useMemo} from 'react';
import {KEY_BINDINGS, type KeyContext} from '../src/keys.js';
import {PANES} from '../src/panes/paneIds.js';
import type {Line} from '../src/panes/content.js';
import {wrapLines} from '../src/panes/wrap.js';
import {ScrollView} from './ScrollView.js';

const CONTEXT_TITLES: Record<KeyContext, string> = {
  list: 'Run list',
  detail: 'Run detail',
  help: 'This help',
  warnings: 'Warnings',
  stats: 'Statistics',
  threads: 'Threads',
  outputs: 'Tool output form (o); other keys type into the output',
  review: 'Review of the request (after the form)',
};

/** Every key, from the same table the input handler uses. */
function helpLines(): Line[] {
  const lines: Line[] = [[{text: 'Keys', tone: 'strong'}], []];
  for (const context of ['list', 'detail', 'outputs', 'review'] as const) {
    lines.push([{text: CONTEXT_TITLES[context], tone: 'strong'}]);
    for (const binding of KEY_BINDINGS) {
      if (!binding.contexts.includes(context)) continue;
      lines.push([{text: `  ${binding.label.padEnd(10)}`, tone: 'label'}, {text: binding.description}]);
    }
    lines.push([]);
  }
  lines.push([{text: 'Statistics (i), threads (t), warnings (W), help (?)', tone: 'strong'}]);
  lines.push([{text: '  scroll with the list keys; Esc, q or the same key again goes back', tone: 'dim'}], []);
  lines.push([{text: 'Panes', tone: 'strong'}]);
  PANES.forEach((pane, index) => lines.push([{text: `  ${String(index + 1).padEnd(10)}`, tone: 'label'}, {text: pane.title}]));
  lines.push([], [{text: 'Esc, ? or q leaves this help.', tone: 'dim'}]);
  return lines;
}

/** The `?` overlay. */
export function HelpView({width, height, scroll, onMetrics}: {width: number; height: number; scroll: number; onMetrics: (lines: number, height: number) => void}) {
  const lines = useMemo(() => wrapLines(helpLines(), width), [width]);
  useEffect(() => onMetrics(lines.length, height - 1), [lines.length, height, onMetrics]);
  return <ScrollView lines={lines} scroll={scroll} height={height} />;
}
