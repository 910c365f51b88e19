/**
 * Every key binding, as data. The same table drives the input handler, the footer hints and the
 * `?` help, so the help can never drift from what the keys do.
 */

/**
 * Where a binding applies. `search` is the search prompt (`/`) and `outputs` the tool output form
 * (`o`): there keys bound nowhere type into the prompt or the focused output. `review` shows the
 * request before it is sent; `confirm` is a y/n question, where other keys wait for the answer.
 */
export type KeyContext = 'list' | 'detail' | 'help' | 'warnings' | 'stats' | 'threads' | 'compare' | 'search' | 'confirm' | 'outputs' | 'review';

export type Command =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'open'
  | 'back'
  | 'nextPane'
  | 'previousPane'
  | 'choosePane'
  | 'search'
  | 'sort'
  | 'reverseSort'
  | 'filterStatus'
  | 'clearFilters'
  | 'stuck'
  | 'warnings'
  | 'stats'
  | 'threads'
  | 'copy'
  | 'exportReport'
  | 'markRun'
  | 'compare'
  | 'watch'
  | 'cancelRun'
  | 'submitOutputs'
  | 'nextCall'
  | 'previousCall'
  | 'nextCallOrReview'
  | 'reviewOutputs'
  | 'eraseOutput'
  | 'editOutputs'
  | 'cancelOutputs'
  | 'sendReviewed'
  | 'backToForm'
  | 'keepSearch'
  | 'clearSearch'
  | 'eraseSearch'
  | 'confirmAction'
  | 'declineAction'
  | 'help'
  | 'quit';

export interface KeyBinding {
  command: Command;
  /** Key names as `keyName` produces them. */
  keys: readonly string[];
  /** How the keys are written in help and hints. */
  label: string;
  description: string;
  contexts: readonly KeyContext[];
  /** Shown in the footer of these contexts. */
  hint?: readonly KeyContext[];
  /** The footer's word for it, when the description is too long. */
  short?: string;
}

const ALL: readonly KeyContext[] = ['list', 'detail', 'help', 'warnings', 'stats', 'threads', 'compare'];
/** The output form and its review: only their own keys (and Ctrl-C) act, so text can be typed. */
const FORM: readonly KeyContext[] = ['outputs', 'review'];
/** Modal input: the search prompt, a y/n question and the output form take only their own keys. */
const MODAL: readonly KeyContext[] = ['search', 'confirm', ...FORM];
const SCROLLING: readonly KeyContext[] = [...ALL, 'review'];
/** Views over the whole list that Esc leaves. */
const OVERLAYS: readonly KeyContext[] = ['help', 'warnings', 'stats', 'threads', 'compare'];

/**
 * The number keys of a run's panes, by place: `1`–`9` for the first nine, `0` for the tenth (the
 * last, while there are fewer). Panes past the tenth have no number; Tab and Shift-Tab reach every pane.
 */
export const PANE_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

export const KEY_BINDINGS: readonly KeyBinding[] = [
  {command: 'up', keys: ['up', 'k'], label: '↑/k', description: 'previous run / scroll up', contexts: SCROLLING},
  {command: 'down', keys: ['down', 'j'], label: '↓/j', description: 'next run / scroll down', contexts: SCROLLING, hint: ['list'], short: 'move'},
  {command: 'pageUp', keys: ['pageup', 'ctrl+b', 'ctrl+u'], label: 'PgUp', description: 'page up', contexts: SCROLLING},
  {command: 'pageDown', keys: ['pagedown', 'ctrl+f', 'ctrl+d', 'space'], label: 'PgDn', description: 'page down', contexts: SCROLLING},
  {command: 'top', keys: ['home', 'g'], label: 'g/Home', description: 'first run / top', contexts: SCROLLING},
  {command: 'bottom', keys: ['end', 'G'], label: 'G/End', description: 'last run / bottom', contexts: SCROLLING},
  {command: 'open', keys: ['return', 'right', 'l'], label: '⏎/→', description: 'open the run', contexts: ['list'], hint: ['list'], short: 'open'},
  {command: 'back', keys: ['escape', 'left', 'h', 'backspace'], label: 'Esc/←', description: 'back', contexts: ['detail', ...OVERLAYS], hint: ['detail', ...OVERLAYS], short: 'back'},
  {command: 'nextPane', keys: ['tab'], label: 'Tab', description: 'next pane', contexts: ['detail'], hint: ['detail'], short: 'pane'},
  {command: 'previousPane', keys: ['shift+tab'], label: 'S-Tab', description: 'previous pane', contexts: ['detail']},
  {command: 'choosePane', keys: PANE_KEYS, label: '1-9', description: 'go to pane N (0: the tenth, or the last; Tab reaches every pane)', contexts: ['detail'], hint: ['detail'], short: 'pane N'},
  {command: 'search', keys: ['/'], label: '/', description: 'search id, model, thread, assistant, error, tools, metadata (not message text)', contexts: ['list'], hint: ['list'], short: 'search'},
  {command: 'sort', keys: ['s'], label: 's', description: 'cycle the sort column', contexts: ['list'], hint: ['list'], short: 'sort'},
  {command: 'reverseSort', keys: ['S'], label: 'S', description: 'reverse the sort order', contexts: ['list']},
  {command: 'filterStatus', keys: ['f'], label: 'f', description: 'cycle the status filter', contexts: ['list'], hint: ['list'], short: 'filter'},
  {command: 'clearFilters', keys: ['escape', 'c'], label: 'Esc/c', description: 'clear search and filters', contexts: ['list']},
  {command: 'stuck', keys: ['!'], label: '!', description: 'stuck runs only (press again to add stalled ones)', contexts: ['list'], hint: ['list'], short: 'stuck'},
  {command: 'exportReport', keys: ['x'], label: 'x', description: "write the run's report (Markdown, as runlens export) to a file in the current folder", contexts: ['list', 'detail']},
  {command: 'copy', keys: ['y'], label: 'y', description: 'copy: the unstick request on Required action, the JSON on Raw, else the run id (OSC 52)', contexts: ['list', 'detail'], hint: ['detail'], short: 'copy'},
  {command: 'stats', keys: ['i'], label: 'i', description: 'statistics of the runs shown (status, time, queue and run time, tokens, errors, threads)', contexts: ['list', 'stats', 'threads'], hint: ['list'], short: 'stats'},
  {command: 'threads', keys: ['t'], label: 't', description: 'runs grouped by thread, with the run that locks each; from a run, its whole thread as one conversation', contexts: ['list', 'detail', 'stats', 'threads']},
  {command: 'watch', keys: ['w'], label: 'w', description: 'watch: reload the sources every few seconds (again: stop)', contexts: ['list', 'detail', 'stats', 'threads']},
  {command: 'cancelRun', keys: ['c'], label: 'c', description: 'cancel the run (API source; asks y/n first)', contexts: ['detail']},
  {command: 'submitOutputs', keys: ['o'], label: 'o', description: 'enter tool outputs and submit them (requires_action, API source; review first)', contexts: ['detail']},
  {command: 'nextCall', keys: ['tab', 'down'], label: 'Tab/↓', description: 'next tool call', contexts: ['outputs'], hint: ['outputs'], short: 'next call'},
  {command: 'previousCall', keys: ['shift+tab', 'up'], label: 'S-Tab/↑', description: 'previous tool call', contexts: ['outputs']},
  {command: 'nextCallOrReview', keys: ['return'], label: '⏎', description: 'next tool call; on the last, review the request', contexts: ['outputs'], hint: ['outputs'], short: 'next/review'},
  {command: 'reviewOutputs', keys: ['ctrl+r'], label: 'Ctrl-R', description: 'review the request now', contexts: ['outputs'], hint: ['outputs'], short: 'review'},
  {command: 'eraseOutput', keys: ['backspace'], label: 'Backspace', description: 'delete the last character of the output', contexts: ['outputs']},
  // `e` types an e in the form; only the review, which has no text to type, takes it.
  {command: 'editOutputs', keys: ['ctrl+e'], label: 'Ctrl-E', description: 'edit all outputs as JSON in $VISUAL/$EDITOR (vi)', contexts: ['outputs'], hint: ['outputs'], short: 'editor'},
  {command: 'editOutputs', keys: ['e', 'ctrl+e'], label: 'e', description: 'edit all outputs as JSON in $VISUAL/$EDITOR (vi)', contexts: ['review'], hint: ['review'], short: 'editor'},
  {command: 'cancelOutputs', keys: ['escape'], label: 'Esc', description: 'cancel: nothing is sent', contexts: ['outputs'], hint: ['outputs'], short: 'cancel'},
  {command: 'sendReviewed', keys: ['y'], label: 'y', description: 'send this request', contexts: ['review'], hint: ['review'], short: 'send'},
  {command: 'backToForm', keys: ['n', 'escape'], label: 'n/Esc', description: 'back to the form (the outputs are kept)', contexts: ['review'], hint: ['review'], short: 'back'},
  // The search prompt: every other key types into the search (modal input).
  {command: 'keepSearch', keys: ['return'], label: 'Enter', description: 'keep the filter and close the prompt', contexts: ['search'], hint: ['search'], short: 'keeps the filter'},
  {command: 'clearSearch', keys: ['escape'], label: 'Esc', description: 'clear the search and close the prompt', contexts: ['search'], hint: ['search'], short: 'clears it'},
  {command: 'eraseSearch', keys: ['backspace'], label: 'Backspace', description: 'delete the last character of the search', contexts: ['search']},
  {command: 'up', keys: ['up'], label: '↑', description: 'previous run, the prompt kept open', contexts: ['search']},
  {command: 'down', keys: ['down'], label: '↓', description: 'next run, the prompt kept open', contexts: ['search']},
  // The y/n question before a cancel: other keys wait for the answer.
  {command: 'confirmAction', keys: ['y', 'Y'], label: 'y', description: 'yes: send the request', contexts: ['confirm']},
  {command: 'declineAction', keys: ['n', 'N', 'escape'], label: 'n/Esc', description: 'no: nothing is sent', contexts: ['confirm']},
  // Late in the table, so a narrow footer leaves their hints out before the older ones.
  {command: 'markRun', keys: ['m'], label: 'm', description: 'mark the run to compare (again: unmark)', contexts: ['list', 'detail'], hint: ['list', 'detail'], short: 'mark'},
  {command: 'compare', keys: ['='], label: '=', description: 'compare the marked run with this one (as runlens diff); again: close', contexts: ['list', 'detail', 'compare'], hint: ['list', 'detail'], short: 'compare'},
  // Like `i` and `t`, `W` again closes its view; from statistics or threads it replaces them.
  {command: 'warnings', keys: ['W'], label: 'W', description: 'show load warnings (again: close them)', contexts: ['list', 'detail', 'warnings', 'stats', 'threads']},
  {command: 'help', keys: ['?'], label: '?', description: 'show all keys', contexts: ALL, hint: ['list', 'detail'], short: 'help'},
  {command: 'quit', keys: ['q', 'ctrl+c'], label: 'q', description: 'quit', contexts: ALL, hint: ['list', 'detail'], short: 'quit'},
  {command: 'quit', keys: ['ctrl+c'], label: 'Ctrl-C', description: 'quit', contexts: MODAL},
];

/** The subset of Ink's `Key` that `keyName` reads. */
export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
}

/** One name for a key press, as the table spells it: `up`, `shift+tab`, `ctrl+c`, `G`, `/`. */
export function keyName(input: string, key: KeyFlags): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  // Terminals send DEL (0x7f) for the Backspace key, which Ink reports as `delete`.
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

const byContext = new Map<KeyContext, Map<string, Command>>();
for (const context of [...ALL, ...MODAL]) {
  const map = new Map<string, Command>();
  for (const binding of KEY_BINDINGS) {
    if (!binding.contexts.includes(context)) continue;
    for (const key of binding.keys) if (!map.has(key)) map.set(key, binding.command);
  }
  byContext.set(context, map);
}

/** The command a key runs in a context, if any. */
export function commandForKey(name: string, context: KeyContext): Command | undefined {
  return byContext.get(context)?.get(name);
}

/** The bindings hinted in a context's footer, in table order. */
export function footerHints(context: KeyContext): KeyBinding[] {
  return KEY_BINDINGS.filter((binding) => binding.hint?.includes(context));
}

/** A hint as the footer writes it: the key's label and its short word. */
export function hintText(binding: KeyBinding): string {
  return `${binding.label} ${binding.short ?? binding.description}`;
}

/** A context's footer hints as one line, joined by `separator` (the search prompt's hint). */
export function hintLine(context: KeyContext, separator: string): string {
  return footerHints(context).map(hintText).join(separator);
}

function bindingOf(command: Command, context?: KeyContext): KeyBinding {
  const binding = KEY_BINDINGS.find((candidate) => candidate.command === command && (context === undefined || candidate.contexts.includes(context)));
  // A typo in a caller's command is caught by the first test that draws the text.
  if (!binding) throw new Error(`no key binding for ${command}${context ? ` in ${context}` : ''}`);
  return binding;
}

/** How a command's keys are written in help and hints (`n/Esc`), from the table. */
export function keyLabel(command: Command, context?: KeyContext): string {
  return bindingOf(command, context).label;
}

/**
 * How a command's key is written in running text ("press ! to see them", "(W)"): the first key of
 * its label. Prose built from this follows the table when a key changes.
 */
export function keyText(command: Command, context?: KeyContext): string {
  const label = keyLabel(command, context);
  // `/` is a key of its own, not a separator.
  return label.split('/')[0] || label;
}

const FLAG_NAMES: ReadonlyArray<keyof KeyFlags> = ['upArrow', 'downArrow', 'leftArrow', 'rightArrow', 'pageUp', 'pageDown', 'home', 'end', 'escape', 'tab', 'backspace', 'delete'];

/**
 * Ink delivers plain characters that arrive together as one input ("jjj" from key repeat, "\r2"
 * when Enter and 2 are typed quickly); split them so each is one key press.
 */
export function splitKeyPresses(input: string, key: KeyFlags): Array<{input: string; key: KeyFlags}> {
  const plain = !FLAG_NAMES.some((name) => key[name]) && !key.meta;
  const chars = [...input];
  if (!plain || chars.length <= 1) return [{input, key}];
  return chars.map((char) => {
    const code = char.charCodeAt(0);
    if (char === '\r' || char === '\n') return {input: '', key: {return: true}};
    if (char === '\t') return {input: '', key: {tab: true}};
    if (code === 0x7f || code === 0x08) return {input: '', key: {backspace: true}};
    if (code > 0 && code < 0x1b) return {input: String.fromCharCode(code + 96), key: {ctrl: true}};
    return {input: char, key: {shift: char !== char.toLowerCase()}};
  });
}
