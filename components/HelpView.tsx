import {KEY_BINDINGS, keyText, type KeyContext} from '../src/keys.js';
import {PANES} from '../src/panes/paneIds.js';
import type {Line} from '../src/panes/content.js';

const CONTEXT_TITLES: Record<KeyContext, string> = {
  list: 'Run list',
  detail: 'Run detail',
  help: 'This help',
  warnings: 'Warnings',
  stats: 'Statistics',
  threads: 'Threads',
  search: `Search prompt (${keyText('search')}); other keys type into the search`,
  confirm: `The question before a cancel (${keyText('cancelRun')}); other keys wait for the answer`,
  outputs: `Tool output form (${keyText('submitOutputs')}); other keys type into the output`,
  review: 'Review of the request (after the form)',
};

/** Every key of the `?` overlay, from the same table the input handler uses; the app wraps and scrolls them. */
export function helpLines(): Line[] {
  const lines: Line[] = [[{text: 'Keys', tone: 'strong'}], []];
  for (const context of ['list', 'search', 'detail', 'confirm', 'outputs', 'review'] as const) {
    lines.push([{text: CONTEXT_TITLES[context], tone: 'strong'}]);
    for (const binding of KEY_BINDINGS) {
      if (!binding.contexts.includes(context)) continue;
      lines.push([{text: `  ${binding.label.padEnd(10)}`, tone: 'label'}, {text: binding.description}]);
    }
    lines.push([]);
  }
  const [back, quit, help] = [keyText('back'), keyText('quit'), keyText('help')];
  lines.push([{text: `Statistics (${keyText('stats')}), threads (${keyText('threads')}), warnings (${keyText('warnings')}), help (${help})`, tone: 'strong'}]);
  lines.push([{text: `  scroll with the list keys; ${back}, ${quit} or the same key again goes back`, tone: 'dim'}], []);
  lines.push([{text: 'Panes', tone: 'strong'}]);
  PANES.forEach((pane, index) => lines.push([{text: `  ${String(index + 1).padEnd(10)}`, tone: 'label'}, {text: pane.title}]));
  lines.push([], [{text: `${back}, ${help} or ${quit} leaves this help.`, tone: 'dim'}]);
  return lines;
}
