/**
 * The `?` overlay: every key, from the same table the input handler uses, and every pane with
 * its number key, from the pane registry.
 */
import {KEY_BINDINGS, keyLabel, keyText, type KeyContext} from '../keys.js';
import type {Line, PaneContent} from './content.js';
import {paneNumberKey, PANES} from './paneIds.js';

const CONTEXT_TITLES: Record<KeyContext, string> = {
  list: 'Run list',
  detail: 'Run detail',
  help: 'This help',
  warnings: 'Warnings',
  stats: 'Statistics',
  threads: 'Threads',
  compare: 'Two runs compared',
  search: `Search prompt (${keyText('search')}); other keys type into the search`,
  confirm: `The question before a cancel (${keyText('cancelRun')}); other keys wait for the answer`,
  outputs: `Tool output form (${keyText('submitOutputs')}); other keys type into the output`,
  review: 'Review of the request (after the form)',
};

/** Every key of the `?` overlay; the app wraps and scrolls them. */
export function helpPane(): PaneContent {
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
  lines.push([{text: `Statistics (${keyText('stats')}), threads (${keyText('threads')}), warnings (${keyText('warnings')}), two runs compared (${keyText('compare')}), help (${help})`, tone: 'strong'}]);
  lines.push([{text: `  scroll with the list keys; ${back}, ${quit} or the same key again goes back`, tone: 'dim'}], []);
  lines.push([{text: 'Panes', tone: 'strong'}]);
  // A pane past the tenth has no number: Tab reaches it.
  PANES.forEach((pane, index) => lines.push([{text: `  ${(paneNumberKey(index) || keyLabel('nextPane')).padEnd(10)}`, tone: 'label'}, {text: pane.title}]));
  lines.push([], [{text: `${back}, ${help} or ${quit} leaves this help.`, tone: 'dim'}]);
  return [{kind: 'lines', lines}];
}
