/**
 * Two runs compared: their settings, instructions (a line diff, by the `diff` library), tools and
 * schemas, tool calls, usage and cost, timings and outcome. Pure: `runlens diff` prints it and the
 * TUI's compare overlay draws the same content.
 *
 * What decides "same" (diff(1)'s exit status): settings, instructions, tools, tool calls and
 * outcome. Usage, cost and timings differ between any two real runs, so they are shown as
 * measurements and never make two runs "different" on their own.
 */
import {diffLines} from 'diff';
import {costCellText} from '../format/cost.js';
import {safeInline} from '../format/sanitize.js';
import {formatDuration} from '../format/time.js';
import {NO_MODEL_MAP, runCost, type ModelMap} from '../model/cost.js';
import {runKind, type Run, type RunKind} from '../model/run.js';
import {runDurationSeconds} from '../model/runFacts.js';
import {PaneBuilder, type PaneContent} from './content.js';

/** The sections, in order. */
export const COMPARE_SECTIONS = ['settings', 'tools', 'tool calls', 'outcome', 'usage and cost', 'timings'] as const;
export type CompareSection = (typeof COMPARE_SECTIONS)[number];

/** Sections shown as measurements: they never make two runs different. */
const MEASURED: ReadonlySet<CompareSection> = new Set(['usage and cost', 'timings']);

/** One field of both runs, as plain (unescaped) text; `—` where a run has none. */
export interface FieldComparison {
  section: CompareSection;
  field: string;
  a: string;
  b: string;
  same: boolean;
}

/** One line of the instructions diff: kept, only in A (`-`), only in B (`+`). */
export interface InstructionLine {
  op: ' ' | '-' | '+';
  text: string;
}

export interface RunComparison {
  a: string;
  b: string;
  /** What each is (`run`, `response`): a run compared with the response that replaced it says so. */
  kinds: {a: RunKind; b: RunKind};
  fields: FieldComparison[];
  instructions: {same: boolean; lines: InstructionLine[]};
  /** Same settings, instructions, tools, tool calls and outcome. */
  same: boolean;
}

const NONE = '—';
const show = (value: string | number | boolean | null | undefined): string => (value === null || value === undefined || value === '' ? NONE : String(value));

/** JSON with sorted keys, so a schema written in another key order compares equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function settings(run: Run): Array<[string, string]> {
  const truncation = run.truncationStrategy;
  return [
    ['model', show(run.model)],
    ['temperature', show(run.temperature)],
    ['top_p', show(run.topP)],
    ['max_prompt_tokens', show(run.maxPromptTokens)],
    ['max_completion_tokens', show(run.maxCompletionTokens)],
    ['truncation', truncation ? `${truncation.type}${truncation.lastMessages === null ? '' : ` (last ${truncation.lastMessages})`}` : NONE],
    ['tool_choice', show(run.toolChoice)],
    ['response_format', show(run.responseFormat)],
    ['parallel_tool_calls', show(run.parallelToolCalls)],
    ['reasoning_effort', show(run.reasoningEffort)],
  ];
}

/**
 * Each tool as fields: a function by its name, with its description, strictness, each top-level
 * schema keyword and each parameter apart (canonical JSON), so a diff names the parameter that
 * changed; other tools by type, with their options.
 */
function tools(run: Run): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const tool of run.tools) {
    if (tool.type !== 'function') {
      out.push([tool.type, canonical(tool.raw ?? null)]);
      continue;
    }
    const name = tool.name ?? '?';
    out.push([name, `function${tool.strict ? ' (strict)' : ''}`], [`${name} description`, show(tool.description)]);
    const schema = tool.parameters;
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
      out.push([`${name} parameters`, canonical(schema ?? null)]);
      continue;
    }
    for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
      if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [parameter, definition] of Object.entries(value as Record<string, unknown>)) out.push([`${name}(${parameter})`, canonical(definition)]);
      } else {
        out.push([`${name} ${key}`, canonical(value)]);
      }
    }
  }
  return out;
}

function toolCalls(run: Run): Array<[string, string]> {
  return (run.requiredAction?.toolCalls ?? []).map((call, index) => [`call ${index + 1}`, `${call.functionName}(${call.arguments})`]);
}

function outcome(run: Run): Array<[string, string]> {
  return [
    ['status', run.status],
    ['last_error', run.lastError ? `${run.lastError.code ?? 'error'}: ${run.lastError.message ?? ''}` : NONE],
    ['incomplete', show(run.incompleteReason)],
  ];
}

function usage(run: Run, modelMap: ModelMap): Array<[string, string]> {
  const cost = runCost(run, modelMap);
  return [
    ['prompt tokens', show(run.usage?.promptTokens)],
    ['completion tokens', show(run.usage?.completionTokens)],
    ['total tokens', show(run.usage?.totalTokens)],
    ['cost (estimate)', cost.kind === 'priced' ? costCellText(cost) : `no price (${cost.reason})`],
  ];
}

function timings(run: Run, nowSeconds: number): Array<[string, string]> {
  const queued = run.createdAt !== null && run.startedAt !== null ? run.startedAt - run.createdAt : null;
  const ran = runDurationSeconds(run, nowSeconds);
  return [
    ['queue time', queued === null ? NONE : formatDuration(queued)],
    ['run time', ran === null ? NONE : formatDuration(ran)],
  ];
}

/** Pairs of fields by name, in A's order then B's extra ones. */
function pair(section: CompareSection, a: Array<[string, string]>, b: Array<[string, string]>): FieldComparison[] {
  const right = new Map(b);
  const names = [...a.map(([name]) => name), ...b.map(([name]) => name).filter((name) => !a.some(([other]) => other === name))];
  const left = new Map(a);
  return names.map((field) => {
    const x = left.get(field) ?? NONE;
    const y = right.get(field) ?? NONE;
    return {section, field, a: x, b: y, same: x === y};
  });
}

/** The lines of a text, without the empty one after a final newline. */
function textLines(value: string): string[] {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The instructions of A and B as a line diff. */
function instructionsDiff(a: string | null, b: string | null): RunComparison['instructions'] {
  const left = a ?? '';
  const right = b ?? '';
  const lines: InstructionLine[] = [];
  for (const change of diffLines(left.endsWith('\n') || left === '' ? left : `${left}\n`, right.endsWith('\n') || right === '' ? right : `${right}\n`)) {
    const op = change.added ? '+' : change.removed ? '-' : ' ';
    for (const text of textLines(change.value)) lines.push({op, text});
  }
  return {same: left === right, lines};
}

/** Compares run A with run B. */
export function compareRuns(a: Run, b: Run, nowSeconds: number, modelMap: ModelMap = NO_MODEL_MAP): RunComparison {
  const fields = [
    ...pair('settings', settings(a), settings(b)),
    ...pair('tools', tools(a), tools(b)),
    ...pair('tool calls', toolCalls(a), toolCalls(b)),
    ...pair('outcome', outcome(a), outcome(b)),
    ...pair('usage and cost', usage(a, modelMap), usage(b, modelMap)),
    ...pair('timings', timings(a, nowSeconds), timings(b, nowSeconds)),
  ];
  const instructions = instructionsDiff(a.instructions, b.instructions);
  const same = instructions.same && fields.every((field) => field.same || MEASURED.has(field.section));
  return {a: a.id, b: b.id, kinds: {a: runKind(a), b: runKind(b)}, fields, instructions, same};
}

/** Narrower than this, differences are shown one above the other (unified) rather than side by side. */
export const SIDE_BY_SIDE_MIN_WIDTH = 100;

/** Text cut to `width` columns (by characters: values are escaped to one line first). */
function clip(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text.padEnd(width) : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/**
 * The comparison as pane content for `width` columns: side by side when wide enough, else
 * unified (`-` A, `+` B). Only what differs is listed, section by section; every value is escaped.
 */
export function comparisonContent(comparison: RunComparison, width: number): PaneContent {
  const b = new PaneBuilder();
  const sideBySide = width >= SIDE_BY_SIDE_MIN_WIDTH;
  const labelWidth = 26;
  const column = Math.max(10, Math.floor((width - labelWidth - 4) / 2));
  b.line({text: comparison.same ? 'Same settings, instructions, tools, tool calls and outcome.' : 'The runs differ.', tone: comparison.same ? 'good' : 'warn'});
  // Across kinds, each id says what it is (a migration check: a run against its response).
  const kind = (which: 'a' | 'b') => (comparison.kinds.a === comparison.kinds.b ? '' : ` (${comparison.kinds[which]})`);
  b.line({text: `A ${safeInline(comparison.a)}${kind('a')}`, tone: 'bad'}, {text: '   '}, {text: `B ${safeInline(comparison.b)}${kind('b')}`, tone: 'good'});
  for (const section of COMPARE_SECTIONS) {
    const fields = comparison.fields.filter((field) => field.section === section);
    const differing = fields.filter((field) => !field.same);
    b.blank().line({text: section, tone: 'strong'}, {text: MEASURED.has(section) ? '  (measured; not part of "same")' : '', tone: 'dim'});
    if (differing.length === 0) {
      b.line({text: fields.length === 0 ? '  none in either run' : `  same (${fields.length} field${fields.length === 1 ? '' : 's'})`, tone: 'dim'});
      continue;
    }
    for (const field of differing) {
      const label = safeInline(field.field);
      if (sideBySide) {
        b.line({text: `  ${clip(label, labelWidth - 3)} `, tone: 'label'}, {text: clip(safeInline(field.a), column), tone: 'bad'}, {text: '  '}, {text: clip(safeInline(field.b), column), tone: 'good'});
      } else {
        b.line({text: `  ${label}`, tone: 'label'});
        b.line({text: `  - ${safeInline(field.a)}`, tone: 'bad'});
        b.line({text: `  + ${safeInline(field.b)}`, tone: 'good'});
      }
    }
  }
  b.blank().line({text: 'instructions', tone: 'strong'});
  if (comparison.instructions.same) {
    b.line({text: '  same', tone: 'dim'});
  } else if (sideBySide && comparison.instructions.lines.every((line) => Array.from(safeInline(line.text)).length <= column)) {
    // Removed and added runs of lines face each other; kept lines stand on both sides. Lines
    // longer than a column are shown unified instead: a cut line would hide the change.
    const lines = comparison.instructions.lines;
    for (let at = 0; at < lines.length; ) {
      if (lines[at]!.op === ' ') {
        const text = clip(safeInline(lines[at]!.text), column);
        b.line({text: `  ${' '.repeat(labelWidth - 2)}`}, {text, tone: 'dim'}, {text: '  '}, {text, tone: 'dim'});
        at += 1;
        continue;
      }
      const removed: string[] = [];
      const added: string[] = [];
      while (at < lines.length && lines[at]!.op !== ' ') {
        (lines[at]!.op === '-' ? removed : added).push(lines[at]!.text);
        at += 1;
      }
      for (let row = 0; row < Math.max(removed.length, added.length); row += 1) {
        const left = removed[row];
        const right = added[row];
        b.line(
          {text: `  ${' '.repeat(labelWidth - 4)}${left !== undefined ? '- ' : '  '}`, tone: 'bad'},
          {text: clip(left === undefined ? '' : safeInline(left), column), tone: 'bad'},
          {text: right !== undefined ? '+ ' : '  ', tone: 'good'},
          {text: right === undefined ? '' : clip(safeInline(right), column), tone: 'good'},
        );
      }
    }
  } else {
    for (const line of comparison.instructions.lines) {
      b.line({text: `  ${line.op} ${safeInline(line.text)}`, tone: line.op === '-' ? 'bad' : line.op === '+' ? 'good' : 'dim'});
    }
  }
  return b.build();
}

/** The comparison as data (`runlens diff --json`): only the fields that differ, and the instructions diff. */
export function comparisonJson(comparison: RunComparison): Record<string, unknown> {
  return {
    schema: 'runlens.diff/1',
    a: comparison.a,
    b: comparison.b,
    kinds: comparison.kinds,
    same: comparison.same,
    differences: comparison.fields.filter((field) => !field.same).map(({section, field, a, b}) => ({section, field, a, b, measured: MEASURED.has(section)})),
    instructions: {same: comparison.instructions.same, lines: comparison.instructions.same ? [] : comparison.instructions.lines},
  };
}
