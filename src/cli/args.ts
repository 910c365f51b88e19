/**
 * Command-line parsing: node's own `parseArgs`, strict, so a typo is a usage error (exit 2)
 * rather than a silently ignored flag.
 */
import type {ModelMap} from '../model/cost.js';
import {parseArgs} from 'node:util';
import {foldModel, isKnownStatus, KNOWN_STATUSES, knownStatusSpelledAs, MISSING_STATUS} from '../model/run.js';
import type {ApiFlags} from '../sources/api/cliFlags.js';
import {DEFAULT_QUERY, SORT_DESCENDING_BY_DEFAULT, SORT_KEYS, type ListQuery, type SortKey} from '../model/listQuery.js';

/** `--watch` without a number. */
export const DEFAULT_WATCH_SECONDS = 5;

export const EXIT_OK = 0;
/** Nothing loadable, run not found, or a failure reaching a source. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `runlens stuck --exit-status` when at least one run is stuck (not 1 or 2, so scripts can tell). */
export const EXIT_STUCK = 8;

export class UsageError extends Error {}

export type Subcommand = 'tui' | 'list' | 'show' | 'thread' | 'stuck' | 'stats' | 'submit' | 'cancel' | 'diff' | 'export';

export interface CliOptions {
  command: Subcommand;
  /** Whether the command was named (`runlens list`) rather than implied by a pipe. */
  explicitCommand: boolean;
  sources: string[];
  runId: string | null;
  /** `thread THREAD_ID`: the thread to print. */
  threadId: string | null;
  json: boolean;
  statuses: string[] | null;
  model: string | null;
  limit: number | null;
  sort: SortKey | null;
  reverse: boolean;
  search: string | null;
  utc: boolean;
  color: boolean | null;
  ascii: boolean;
  exitStatus: boolean;
  olderThanSeconds: number | null;
  includeStalled: boolean;
  debug: boolean;
  help: boolean;
  version: boolean;
  /** `--now TIME`: the clock starts at TIME and runs on (npm start shows the examples as of their own time). */
  now: string | null;
  /** `--watch [SECONDS]`: reload every N seconds (TUI); null when not asked. */
  watchSeconds: number | null;
  /** The API source's flags (a thread, run or profile named means: read from the API). */
  api: ApiFlags;
  azure: {endpoint: string | null; apiVersion: string | null; deployment: string | null};
  /** submit: `--output CALL_ID=TEXT`, as given (repeatable). */
  outputs: string[];
  /** submit: `--outputs-file FILE.json`. */
  outputsFile: string | null;
  /** submit: `--approve CALL_ID`, `--deny CALL_ID` (repeatable) and `--approval-header CALL_ID "Name: value"` (MCP approvals). */
  approvals: {approve: string[]; deny: string[]; headers: string[]};
  /** diff: the second run (`runId` is the first). */
  otherRunId: string | null;
  /** export: `--format md|json` (default md). */
  format: 'md' | 'json';
  /** export: `-o FILE`; null: standard output. */
  outFile: string | null;
  /** export: `--redact`, and the fields `--redact-keep` keeps. */
  redact: boolean;
  redactKeep: string[];
  /** `--model-map DEPLOYMENT=MODEL`, as given (repeatable, comma-separated). */
  modelMap: string[];
  /**
   * The model map every cost is priced with: the profile's `modelMap`, then `--model-map` over it.
   * runCli works it out before any command runs; absent (tests calling a printer): none mapped.
   */
  models?: ModelMap;
  /** Things worth saying about the flags that are no usage error (a status no API documents), for stderr. */
  notices: string[];
}

const SUBCOMMANDS = new Set(['list', 'show', 'thread', 'stuck', 'stats', 'submit', 'cancel', 'diff', 'export']);

/** `90`, `90s`, `10m`, `2h`, `1d` → seconds. */
function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/i.exec(text.trim());
  if (!match) throw new UsageError(`invalid duration '${text}' (use e.g. 90s, 10m, 2h)`);
  const unit = (match[2] ?? 's').toLowerCase();
  const factor = unit === 'd' ? 86_400 : unit === 'h' ? 3600 : unit === 'm' ? 60 : 1;
  return Number(match[1]) * factor;
}

/** `--watch` takes an optional number of seconds, which parseArgs cannot express: spell it `--watch=N`. */
function normalizeWatch(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg !== '--watch') {
      out.push(arg);
      continue;
    }
    const next = argv[index + 1];
    if (next !== undefined && /^\d+(\.\d+)?$/.test(next)) {
      out.push(`--watch=${next}`);
      index += 1;
    } else {
      out.push(`--watch=${DEFAULT_WATCH_SECONDS}`);
    }
  }
  return out;
}

/** Joins the two words of `--approval-header CALL_ID "Name: value"` (NUL cannot come from a shell). */
export const APPROVAL_HEADER_JOIN = '\u0000';

function normalizeApprovalHeaders(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    const call = argv[index + 1];
    const header = argv[index + 2];
    if (arg === '--approval-header' && call !== undefined && header !== undefined && !call.startsWith('--') && header.includes(':')) {
      out.push(`--approval-header=${call}${APPROVAL_HEADER_JOIN}${header}`);
      index += 2;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: normalizeApprovalHeaders(normalizeWatch(argv)),
      allowPositionals: true,
      strict: true,
      options: {
        json: {type: 'boolean'},
        status: {type: 'string', multiple: true},
        model: {type: 'string'},
        'model-map': {type: 'string', multiple: true},
        format: {type: 'string'},
        out: {type: 'string', short: 'o'},
        redact: {type: 'boolean'},
        'redact-keep': {type: 'string', multiple: true},
        search: {type: 'string'},
        limit: {type: 'string'},
        sort: {type: 'string'},
        reverse: {type: 'boolean'},
        utc: {type: 'boolean'},
        color: {type: 'boolean'},
        'no-color': {type: 'boolean'},
        ascii: {type: 'boolean'},
        'exit-status': {type: 'boolean'},
        'older-than': {type: 'string'},
        'include-stalled': {type: 'boolean'},
        debug: {type: 'boolean'},
        watch: {type: 'string'},
        now: {type: 'string'},
        thread: {type: 'string', multiple: true},
        run: {type: 'string'},
        response: {type: 'string', multiple: true},
        conversation: {type: 'string', multiple: true},
        profile: {type: 'string'},
        'base-url': {type: 'string'},
        'api-key-env': {type: 'string'},
        org: {type: 'string'},
        project: {type: 'string'},
        header: {type: 'string', multiple: true},
        timeout: {type: 'string'},
        'max-retries': {type: 'string'},
        concurrency: {type: 'string'},
        'azure-endpoint': {type: 'string'},
        'api-version': {type: 'string'},
        deployment: {type: 'string'},
        output: {type: 'string', multiple: true},
        'outputs-file': {type: 'string'},
        'project-endpoint': {type: 'string'},
        credential: {type: 'string'},
        'token-env': {type: 'string'},
        'all-threads': {type: 'boolean'},
        'all-responses': {type: 'boolean'},
        agent: {type: 'string'},
        approve: {type: 'string', multiple: true},
        deny: {type: 'string', multiple: true},
        'approval-header': {type: 'string', multiple: true},
        help: {type: 'boolean', short: 'h'},
        version: {type: 'boolean', short: 'v'},
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  const {values, positionals} = parsed;
  const first = positionals[0];
  const explicitCommand = first !== undefined && SUBCOMMANDS.has(first);
  const command: Subcommand = explicitCommand ? (first as Subcommand) : 'tui';
  const rest = explicitCommand ? positionals.slice(1) : positionals;
  let runId: string | null = null;
  let sources = rest;
  if (command === 'show' && !values.help) {
    if (rest.length === 0) throw new UsageError('show needs a RUN_ID');
    runId = rest[0]!;
    sources = rest.slice(1);
  }
  let threadId: string | null = null;
  if (command === 'thread' && !values.help) {
    if (rest.length === 0) throw new UsageError('thread needs a THREAD_ID');
    threadId = rest[0]!;
    sources = rest.slice(1);
  }
  if ((command === 'submit' || command === 'cancel') && !values.help) {
    if (rest.length === 0) throw new UsageError(`${command} needs a RUN_ID`);
    if (rest.length > 1) throw new UsageError(`${command} takes one RUN_ID and no SOURCE; it acts on the API (--thread, --profile)`);
    // A response (`resp_…`) needs no thread: it is reached by its id alone. The command line has
    // only the id to go by (no object has been read yet), so the prefix is the fair test here; the
    // TUI, which holds the object, routes by its `kind` instead.
    if (!values.thread?.length && !values.profile && !rest[0]!.startsWith('resp_')) throw new UsageError(`${command} needs --thread ID (or a --profile with threads)`);
    if (values['all-threads']) throw new UsageError(`${command} acts on one run: give its --thread, not --all-threads`);
    runId = rest[0]!;
    sources = [];
  }
  let otherRunId: string | null = null;
  if (command === 'diff' && !values.help) {
    if (rest.length < 2) throw new UsageError('diff needs two run ids: runlens diff RUN_A RUN_B [SOURCE...]');
    runId = rest[0]!;
    otherRunId = rest[1]!;
    sources = rest.slice(2);
  }
  if (command === 'export' && !values.help) {
    if (rest.length === 0) throw new UsageError('export needs a RUN_ID');
    runId = rest[0]!;
    sources = rest.slice(1);
  }
  if (values.format !== undefined && values.format !== 'md' && values.format !== 'json') throw new UsageError(`--format takes md or json, not '${values.format}'`);
  if (command !== 'export' && (values.format !== undefined || values.out !== undefined || values.redact || values['redact-keep'])) {
    throw new UsageError('--format, -o, --redact and --redact-keep are for runlens export');
  }
  if (command !== 'submit' && (values.output || values['outputs-file'] !== undefined)) {
    throw new UsageError('--output and --outputs-file are for runlens submit');
  }
  if (command !== 'submit' && (values.approve || values.deny || values['approval-header'])) {
    throw new UsageError('--approve, --deny and --approval-header are for runlens submit');
  }
  if (values['project-endpoint'] && values['azure-endpoint']) {
    throw new UsageError('--project-endpoint (Foundry Agent Service) and --azure-endpoint (Azure OpenAI) name two servers; give one');
  }

  let limit: number | null = null;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit takes a whole number, not '${values.limit}'`);
  }
  let sort: SortKey | null = null;
  if (values.sort !== undefined) {
    if (!(SORT_KEYS as readonly string[]).includes(values.sort)) {
      throw new UsageError(`--sort takes one of ${SORT_KEYS.join(', ')}, not '${values.sort}'`);
    }
    sort = values.sort as SortKey;
  }
  const notices: string[] = [];
  let statuses: string[] | null = null;
  if (values.status) {
    statuses = values.status.flatMap((entry) => entry.split(',')).map((status) => status.trim()).filter(Boolean);
    // A documented status in another spelling (`requires-action`, `REQUIRES_ACTION`) is a slip:
    // refused, with the status meant. Other statuses are allowed (newer servers have their own),
    // and said to be undocumented, with a near one if there is one.
    for (const status of statuses) {
      const near = knownStatusSpelledAs(status);
      if (near) throw new UsageError(`unknown status '${status}'; did you mean '${near}'?`);
      if (!isKnownStatus(status) && status !== MISSING_STATUS) notices.push(undocumentedStatusNotice(status));
    }
  }
  const color = values['no-color'] ? false : values.color ? true : null;
  const number = (flag: string, value: string | undefined): number | null => {
    if (value === undefined) return null;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new UsageError(`--${flag} takes a number, not '${value}'`);
    return parsed;
  };
  const api: ApiFlags = {
    threads: values.thread ?? [],
    runId: values.run ?? null,
    // submit and cancel of a response act on it alone: it is the API source (told by its id, as above).
    responses: (command === 'submit' || command === 'cancel') && runId?.startsWith('resp_') ? [runId] : values.response ?? [],
    conversations: values.conversation ?? [],
    profile: values.profile ?? null,
    baseUrl: values['base-url'] ?? null,
    apiKeyEnv: values['api-key-env'] ?? null,
    org: values.org ?? null,
    project: values.project ?? null,
    headers: values.header ?? [],
    timeoutSeconds: number('timeout', values.timeout),
    maxRetries: number('max-retries', values['max-retries']),
    maxRuns: limit,
    concurrency: number('concurrency', values.concurrency),
    projectEndpoint: values['project-endpoint'] ?? null,
    apiVersion: values['api-version'] ?? null,
    credential: values.credential ?? null,
    tokenEnv: values['token-env'] ?? null,
    allThreads: values['all-threads'] ?? false,
    allResponses: values['all-responses'] ?? false,
    agentName: values.agent ?? null,
    otherServer: Boolean(values['base-url'] || values['azure-endpoint']),
  };
  const watchSeconds = number('watch', values.watch);
  if (watchSeconds !== null && !(watchSeconds >= 1)) throw new UsageError(`--watch takes at least 1 second, not '${values.watch}'`);
  if (values['azure-endpoint'] && !values['api-version']) throw new UsageError('--azure-endpoint needs --api-version (e.g. 2024-05-01-preview)');
  return {
    command,
    explicitCommand,
    sources,
    runId,
    threadId,
    json: values.json ?? false,
    statuses,
    model: values.model ?? null,
    modelMap: values['model-map'] ?? [],
    otherRunId,
    format: (values.format as 'md' | 'json' | undefined) ?? 'md',
    outFile: values.out ?? null,
    redact: values.redact ?? false,
    redactKeep: (values['redact-keep'] ?? []).flatMap((entry) => entry.split(',')).map((field) => field.trim()).filter(Boolean),
    limit,
    sort,
    reverse: values.reverse ?? false,
    search: values.search ?? null,
    utc: values.utc ?? false,
    color,
    ascii: values.ascii ?? false,
    exitStatus: values['exit-status'] ?? false,
    olderThanSeconds: values['older-than'] !== undefined ? parseDuration(values['older-than']) : null,
    includeStalled: values['include-stalled'] ?? false,
    debug: values.debug ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    watchSeconds,
    now: values.now ?? null,
    api,
    azure: {endpoint: values['azure-endpoint'] ?? null, apiVersion: values['api-version'] ?? null, deployment: values.deployment ?? null},
    outputs: values.output ?? [],
    outputsFile: values['outputs-file'] ?? null,
    approvals: {approve: values.approve ?? [], deny: values.deny ?? [], headers: values['approval-header'] ?? []},
    notices,
  };
}

/** The list query the options ask for: filters, search, and the sort with its direction. */
export function queryFrom(options: CliOptions): ListQuery {
  const sort = options.sort ?? DEFAULT_QUERY.sort;
  const descending = SORT_DESCENDING_BY_DEFAULT[sort] !== options.reverse;
  return {
    ...DEFAULT_QUERY,
    statuses: options.statuses,
    model: options.model,
    search: options.search ?? '',
    sort,
    descending,
  };
}

/** Edits (insert, delete, replace a character) from one text to the other. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** What `--status S` gets when S is no documented status: a near one if there is one, and what still matches. */
function undocumentedStatusNotice(status: string): string {
  const typed = status.toLowerCase();
  const near = KNOWN_STATUSES.map((known) => ({known, distance: editDistance(typed, known)}))
    .filter((entry) => entry.distance <= 2)
    .sort((a, b) => a.distance - b.distance)[0]?.known;
  return `--status '${status}' is not a documented status${near ? `; did you mean '${near}'?` : ` (documented: ${KNOWN_STATUSES.join(', ')}).`} Only runs whose status is exactly '${status}' match.`;
}

/**
 * What to say when `--model` names no run's model but one differs from it only in case
 * (`GPT-4o` for `gpt-4o`): model names are matched exactly, so nothing else would tell. Null
 * when a run has the model, or none is close.
 */
export function modelHint(model: string | null, models: Iterable<string | null>): string | null {
  if (model === null) return null;
  const folded = foldModel(model);
  let near: string | null = null;
  for (const candidate of models) {
    if (candidate === model) return null;
    if (near === null && candidate !== null && foldModel(candidate) === folded) near = candidate;
  }
  return near === null ? null : `no run has model '${model}'; did you mean '${near}'? (--model matches the name exactly)`;
}

/** Whether `list` prints runs in the order read: JSON and TSV without an explicit sort. */
export function listsInReadOrder(options: Pick<CliOptions, 'json' | 'sort' | 'reverse'>, isTerminal: boolean): boolean {
  return (options.json || !isTerminal) && options.sort === null && !options.reverse;
}
