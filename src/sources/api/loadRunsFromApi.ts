/**
 * Reads runs (and run steps) from an Assistants API through the official SDK, and wraps the two
 * writes runlens makes (submit tool outputs, cancel).
 *
 * Loading never throws for what the server does: every failure becomes a LoadWarning (and a
 * `failures` entry), and what did load still shows. The session methods used by the terminal UI
 * (`loadRunSteps`, `submitToolOutputs`, `cancelRun`) throw ApiSourceError with a one-line message.
 */
import type {APIPromise} from 'openai';
import {isFinalStatus, type Run} from '../../model/run.js';
import {normalizeRunStep, type RunStep} from '../../model/runStep.js';
import {collectRuns, type LoadWarning, type ParsedRuns} from '../parseRunText.js';
import {RunCollection, type LoadedRuns} from '../loadSources.js';
import {createApiClient, type ApiConnectionOptions, type Env, type ResolvedConnection} from './apiClient.js';
import {
  ApiSourceError,
  classifyApiError,
  toApiSourceError,
  UnexpectedResponseError,
  type ApiErrorContext,
  type ApiErrorKind,
  type ApiOperation,
} from './apiErrors.js';
import type OpenAI from 'openai';

import {DEFAULT_CONCURRENCY, DEFAULT_RUN_LIMIT} from './cliFlags.js';

export {DEFAULT_CONCURRENCY, DEFAULT_RUN_LIMIT};
/** The largest page the API serves. */
export const MAX_PAGE_SIZE = 100;

/** The label of a thread as a source: runs get `source: {file: 'api:thread_x'}`. */
export function threadSourceLabel(threadId: string): string {
  return `api:${threadId}`;
}

/** A thread (or run) that could not be read. */
export interface ApiFailure {
  threadId: string;
  runId?: string;
  kind: ApiErrorKind;
  status: number | null;
  message: string;
}

export interface ApiLoadProgress {
  threadId: string;
  /** Runs read from this thread so far. */
  runs: number;
  done: boolean;
}

export interface ApiLoadOptions {
  threads: readonly string[];
  /** `--run`: retrieve this one run (from whichever of the threads has it) instead of listing. */
  runId?: string;
  /** Runs per thread, newest first. Default 1000. */
  limit?: number;
  /** Threads fetched at once. Default 4. */
  concurrency?: number;
  connection: ApiConnectionOptions;
  env: Env;
  signal?: AbortSignal;
  /** Called as pages arrive, for a loading indicator. */
  onProgress?: (progress: ApiLoadProgress) => void;
}

/** `LoadedRuns`, plus what failed and where runlens connected. */
export interface ApiLoadedRuns extends LoadedRuns {
  failures: ApiFailure[];
  /** null when no client could be made (no key, bad URL, …; see `failures`). */
  connection: ResolvedConnection | null;
}

/** A tool output for `submitToolOutputs`. */
export interface ToolOutput {
  tool_call_id: string;
  output: string;
}

export interface LoadedRunSteps {
  /** Normalized, in the order the API gave (oldest first). */
  steps: RunStep[];
  /** The objects as read. */
  raw: unknown[];
  warnings: LoadWarning[];
}

interface RequestOptions {
  signal?: AbortSignal;
}

/** Errors worth stopping for: every other thread would fail the same way. */
const FATAL_KINDS: ReadonlySet<ApiErrorKind> = new Set(['config', 'auth', 'connection']);

function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return media.includes('application/json') || media.endsWith('+json');
}

/** Throws when a 2xx answer was not JSON (the SDK would hand back the text, or an empty page). */
function checkJsonResponse(response: Response): void {
  const contentType = response.headers.get('content-type');
  if (!isJsonContentType(contentType)) {
    const media = contentType?.split(';')[0]?.trim();
    throw new UnexpectedResponseError(
      `answered HTTP ${response.status} with ${media ? `content-type ${media}` : 'no content-type'} instead of JSON`,
    );
  }
}

/** The page's JSON body. The SDK keeps it (protected) on the page; `data` and `has_more` are copies. */
function pageBody(page: unknown): Record<string, unknown> | null {
  const body = (page as {body?: unknown}).body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

interface CursorPageLike {
  data: unknown;
  has_more: boolean;
}

interface ListResult {
  items: unknown[];
  warnings: string[];
  /** Whether the limit stopped the listing while the server had more. */
  truncated: boolean;
}

interface ListOptions {
  onPage?: (count: number) => void;
  /** Ids that end the listing: the first item with one of them, and all after it, are left out. */
  stopAtIds?: ReadonlySet<string>;
  /** The largest page asked for; default the API's largest. */
  maxPageSize?: number;
}

/**
 * Reads a cursor-paginated list to its end or to `limit`, page by page through the SDK
 * (`after` = the last id of the previous page, as the SDK's own auto-pagination does).
 * Differs from `for await` in three ways, all for out-of-spec servers: a non-JSON answer is an
 * error rather than an empty page, a missing `has_more` with a full page goes on, and a server
 * that ignores `after` stops the loop rather than repeating it forever.
 */
async function listAll(
  fetchPage: (query: {limit: number; after?: string}) => APIPromise<CursorPageLike>,
  limit: number,
  options: ListOptions = {},
): Promise<ListResult> {
  const items: unknown[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const pageSize = Math.max(1, Math.min(options.maxPageSize ?? MAX_PAGE_SIZE, limit - items.length));
    const {data: page, response} = await fetchPage(after === undefined ? {limit: pageSize} : {limit: pageSize, after}).withResponse();
    checkJsonResponse(response);
    const body = pageBody(page);
    const data = body ? body['data'] : page.data;
    if (!Array.isArray(data)) throw new UnexpectedResponseError('answered without a "data" array');
    let fresh = 0;
    for (const item of data) {
      const id = (item as {id?: unknown} | null)?.id;
      if (typeof id === 'string') {
        if (options.stopAtIds?.has(id)) {
          options.onPage?.(items.length);
          return {items, warnings, truncated: false};
        }
        if (seen.has(id)) continue;
        seen.add(id);
      }
      fresh += 1;
      if (items.length < limit) items.push(item);
    }
    options.onPage?.(items.length);
    const hasMoreField = body ? body['has_more'] : page.has_more;
    const hasMore = hasMoreField === true || (hasMoreField === undefined && data.length >= pageSize);
    if (!hasMore || data.length === 0) return {items, warnings, truncated: false};
    if (items.length >= limit) return {items, warnings, truncated: true};
    if (fresh === 0) {
      warnings.push(`the server sent the same page again (it ignores the "after" cursor); stopped after ${items.length} items`);
      return {items, warnings, truncated: false};
    }
    const last = data[data.length - 1] as {id?: unknown} | null;
    if (typeof last?.id !== 'string') {
      warnings.push(`the last item of a page has no id to continue from; stopped after ${items.length} items`);
      return {items, warnings, truncated: false};
    }
    after = last.id;
  }
}

/** Runs `worker` over `items`, at most `limit` at a time, until `stop()` says otherwise. */
async function forEachBounded<T>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) {
      const index = next;
      next += 1;
      await worker(items[index]!, index);
    }
  };
  await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, lane));
}

/**
 * A connection to one Assistants API. The SDK client (and with it the key) is private: logging
 * or inspecting the session shows the connection's description only.
 */
export class AssistantsApi {
  readonly connection: ResolvedConnection;
  readonly #client: OpenAI;
  readonly #secrets: readonly string[];

  private constructor(client: OpenAI, connection: ResolvedConnection, secrets: readonly string[]) {
    this.#client = client;
    this.connection = connection;
    this.#secrets = secrets;
  }

  /** Throws ApiSourceError (kind `config`) when no client can be made: no key, a bad URL, … */
  static create(options: ApiConnectionOptions, env: Env): AssistantsApi {
    try {
      const {client, connection, secrets} = createApiClient(options, env);
      return new AssistantsApi(client, connection, secrets);
    } catch (error) {
      throw new ApiSourceError(error instanceof Error ? error.message : String(error), 'config');
    }
  }

  #context(operation: ApiOperation, threadId: string, runId?: string): ApiErrorContext {
    return {operation, threadId, ...(runId !== undefined ? {runId} : {}), connection: this.connection, secrets: this.#secrets};
  }

  async #call<T>(context: ApiErrorContext, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw toApiSourceError(error, context);
    }
  }

  /**
   * Runs of a thread, newest first, up to `limit`; with `stopAtIds`, only those newer than the
   * first run listed with one of these ids (the runs created since they were read).
   */
  async listRuns(
    threadId: string,
    options: RequestOptions & {limit?: number; onPage?: (count: number) => void; stopAtIds?: ReadonlySet<string>; maxPageSize?: number} = {},
  ): Promise<ParsedRuns & {truncated: boolean}> {
    const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_RUN_LIMIT));
    const label = threadSourceLabel(threadId);
    const listed = await this.#call(this.#context('list-runs', threadId), () =>
      listAll(
        (query) => this.#client.beta.threads.runs.list(threadId, {...query, order: 'desc'}, {signal: options.signal}),
        limit,
        {
          ...(options.onPage ? {onPage: options.onPage} : {}),
          ...(options.stopAtIds ? {stopAtIds: options.stopAtIds} : {}),
          ...(options.maxPageSize ? {maxPageSize: options.maxPageSize} : {}),
        },
      ),
    );
    const out: ParsedRuns = {runs: [], warnings: listed.warnings.map((message) => ({location: label, message}))};
    collectRuns(listed.items, label, undefined, out);
    return {...out, truncated: listed.truncated};
  }

  /** One run. */
  async retrieveRun(threadId: string, runId: string, options: RequestOptions = {}): Promise<ParsedRuns> {
    const label = threadSourceLabel(threadId);
    const value = await this.#call(this.#context('retrieve-run', threadId, runId), async () => {
      const {data, response} = await this.#client.beta.threads.runs.retrieve(runId, {thread_id: threadId}, {signal: options.signal}).withResponse();
      checkJsonResponse(response);
      return data as unknown;
    });
    const out: ParsedRuns = {runs: [], warnings: []};
    collectRuns(value, label, undefined, out);
    return out;
  }

  /** The steps of a run, oldest first (as the TUI shows them), raw and normalized. */
  async loadRunSteps(threadId: string, runId: string, options: RequestOptions & {limit?: number} = {}): Promise<LoadedRunSteps> {
    const label = `${threadSourceLabel(threadId)}/${runId}`;
    const listed = await this.#call(this.#context('list-steps', threadId, runId), () =>
      listAll(
        (query) =>
          this.#client.beta.threads.runs.steps.list(runId, {thread_id: threadId, ...query, order: 'asc'}, {signal: options.signal}),
        options.limit ?? DEFAULT_RUN_LIMIT,
      ),
    );
    const warnings: LoadWarning[] = listed.warnings.map((message) => ({location: label, message}));
    const steps: RunStep[] = [];
    listed.items.forEach((item, index) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        warnings.push({location: label, message: `step ${index} is not an object; skipped`});
        return;
      }
      const step = normalizeRunStep(item as Record<string, unknown>, `(no id) step ${index}`);
      for (const problem of step.problems) {
        warnings.push({location: label, message: `${step.id}: field ${problem.field}: ${problem.message}`});
      }
      steps.push(step);
    });
    return {steps, raw: listed.items, warnings};
  }

  async #runResult(threadId: string, value: unknown): Promise<Run> {
    const out: ParsedRuns = {runs: [], warnings: []};
    collectRuns(value, threadSourceLabel(threadId), undefined, out);
    const run = out.runs[0];
    if (!run) throw new UnexpectedResponseError('answered with something that is not a run');
    return run;
  }

  /**
   * Submits tool outputs; returns the run as the server answered (normally `queued`). Not
   * retried: a retry after a lost answer would submit twice, and the second is refused.
   */
  async submitToolOutputs(threadId: string, runId: string, outputs: readonly ToolOutput[], options: RequestOptions = {}): Promise<Run> {
    // Messages must not claim retries that were not made.
    const context = {...this.#context('submit-tool-outputs', threadId, runId), connection: {...this.connection, maxRetries: 0}};
    return this.#call(context, async () => {
      const {data, response} = await this.#client.beta.threads.runs
        .submitToolOutputs(
          runId,
          {thread_id: threadId, tool_outputs: outputs.map(({tool_call_id, output}) => ({tool_call_id, output}))},
          {signal: options.signal, maxRetries: 0},
        )
        .withResponse();
      checkJsonResponse(response);
      return this.#runResult(threadId, data);
    });
  }

  /** Asks the server to cancel a run; returns the run as answered (normally `cancelling`). */
  async cancelRun(threadId: string, runId: string, options: RequestOptions = {}): Promise<Run> {
    return this.#call(this.#context('cancel-run', threadId, runId), async () => {
      const {data, response} = await this.#client.beta.threads.runs.cancel(runId, {thread_id: threadId}, {signal: options.signal}).withResponse();
      checkJsonResponse(response);
      return this.#runResult(threadId, data);
    });
  }
}

/** The session for the TUI's steps pane and actions. Throws ApiSourceError (kind `config`). */
export function createAssistantsApi(connection: ApiConnectionOptions, env: Env): AssistantsApi {
  return AssistantsApi.create(connection, env);
}

function failureOf(error: unknown, threadId: string, runId?: string): ApiFailure {
  return {
    threadId,
    ...(runId !== undefined ? {runId} : {}),
    kind: classifyApiError(error),
    status: error instanceof ApiSourceError ? error.status : null,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** The session for a load, or null when none can be made (no key, a bad URL): then every thread fails with that one reason. */
function connect(options: ApiLoadOptions, threads: readonly string[], failures: ApiFailure[], warnings: LoadWarning[]): AssistantsApi | null {
  try {
    return AssistantsApi.create(options.connection, options.env);
  } catch (error) {
    const failure = toApiSourceError(error, {operation: 'list-runs'});
    for (const threadId of threads) failures.push({threadId, kind: failure.kind, status: null, message: failure.message});
    warnings.push({location: 'api', message: failure.message});
    return null;
  }
}

function uniqueThreads(threads: readonly string[], warnings: LoadWarning[]): string[] {
  const result: string[] = [];
  for (const raw of threads) {
    const thread = raw.trim();
    if (thread === '' || /\s/.test(thread)) {
      warnings.push({location: 'api', message: `'${raw}' is not a thread id; skipped`});
      continue;
    }
    if (!result.includes(thread)) result.push(thread);
  }
  return result;
}

/**
 * Loads runs from the threads of an Assistants API: each thread's runs newest first, up to
 * `limit` each, `concurrency` threads at a time; or, with `runId`, that one run.
 * Never throws for what the server does; see `failures` and `warnings`.
 */
export async function loadRunsFromApi(options: ApiLoadOptions): Promise<ApiLoadedRuns> {
  const warnings: LoadWarning[] = [];
  const failures: ApiFailure[] = [];
  const threads = uniqueThreads(options.threads, warnings);
  const sources = threads.map(threadSourceLabel);
  const result = (runs: Run[], files: string[], connection: ResolvedConnection | null, extra: LoadWarning[] = []): ApiLoadedRuns => ({
    runs,
    warnings: [...warnings, ...extra],
    sources,
    files,
    failures,
    connection,
  });

  const api = connect(options, threads, failures, warnings);
  if (!api) return result([], [], null);
  if (threads.length === 0) {
    warnings.push({location: 'api', message: 'no thread given'});
    return result([], [], api.connection);
  }

  const perThread: Array<ParsedRuns | null> = threads.map(() => null);
  const threadFailures: Array<ApiFailure | null> = threads.map(() => null);
  let fatal: ApiFailure | null = null;
  const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_RUN_LIMIT));

  await forEachBounded(
    threads,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    async (threadId, index) => {
      try {
        if (options.runId !== undefined) {
          perThread[index] = await api.retrieveRun(threadId, options.runId, {signal: options.signal});
        } else {
          const listed = await api.listRuns(threadId, {
            limit,
            signal: options.signal,
            onPage: (count) => options.onProgress?.({threadId, runs: count, done: false}),
          });
          if (listed.truncated) {
            listed.warnings.push({
              location: threadSourceLabel(threadId),
              message: `showing the newest ${limit} runs; the thread has more (raise --limit)`,
            });
          }
          perThread[index] = listed;
        }
        options.onProgress?.({threadId, runs: perThread[index]!.runs.length, done: true});
      } catch (error) {
        const failure = failureOf(error, threadId, options.runId);
        threadFailures[index] = failure;
        failures.push(failure);
        if (FATAL_KINDS.has(failure.kind) && !fatal) fatal = failure;
        options.onProgress?.({threadId, runs: 0, done: true});
      }
    },
    () => fatal !== null || options.signal?.aborted === true,
  );

  const collection = new RunCollection();
  const files: string[] = [];
  const found = perThread.some((parsed) => parsed !== null && parsed.runs.length > 0);
  const notTried: string[] = [];
  threads.forEach((threadId, index) => {
    const parsed = perThread[index];
    const failure = threadFailures[index];
    if (parsed) {
      files.push(threadSourceLabel(threadId));
      warnings.push(...parsed.warnings);
      for (const run of parsed.runs) collection.add(run);
    } else if (failure) {
      // With --run, the run is in one thread only: a 404 from the others is expected.
      if (options.runId !== undefined && found && failure.kind === 'not-found') return;
      // One line for an error every thread shares (a rejected key, a server that is down).
      const fatalFailure = fatal as ApiFailure | null;
      if (fatalFailure && failure !== fatalFailure && failure.kind === fatalFailure.kind) {
        notTried.push(threadId);
        return;
      }
      warnings.push({location: threadSourceLabel(threadId), message: failure.message});
    } else {
      notTried.push(threadId);
    }
  });
  if (notTried.length > 0) {
    const why = options.signal?.aborted ? 'cancelled' : 'after the error above';
    warnings.push({location: 'api', message: `not loaded ${why}: ${notTried.join(', ')}`});
  }
  if (options.runId !== undefined && !found && failures.length === 0) {
    warnings.push({location: 'api', message: `run ${options.runId} not found in ${threads.join(', ')}`});
  }
  return result(collection.runs, files, api.connection, collection.warnings);
}

/** Runs asked for per page when watching: a tick rarely finds more than a few new runs. */
export const POLL_PAGE_SIZE = 20;

export interface ApiPollOptions extends ApiLoadOptions {
  /** The runs on screen (of any source); those of the threads polled are brought up to date. */
  known: readonly Run[];
}

/**
 * One watch tick over the threads: reads only what can have changed since `known` was loaded.
 * For each thread, the runs created since (listed newest first until the first run already known)
 * and each known run that is not final (`isFinalStatus`), retrieved one by one; final runs are
 * never read again. A thread with no known run (it failed before) is listed in full. All requests
 * share the `concurrency` bound. Never throws: a failed request keeps the run (or thread) as it was
 * known and is reported in `failures` and `warnings`. With `runId`, the one run is retrieved again.
 */
export async function pollRunsFromApi(options: ApiPollOptions): Promise<ApiLoadedRuns> {
  if (options.runId !== undefined) return loadRunsFromApi(options);
  const warnings: LoadWarning[] = [];
  const failures: ApiFailure[] = [];
  const threads = uniqueThreads(options.threads, warnings);
  const sources = threads.map(threadSourceLabel);
  const knownByThread = threads.map((threadId) => options.known.filter((run) => run.source.file === threadSourceLabel(threadId)));

  const api = connect(options, threads, failures, warnings);
  if (!api) return {runs: knownByThread.flat(), warnings, sources, files: [], failures, connection: null};

  const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_RUN_LIMIT));
  const listed: Array<ParsedRuns | null> = threads.map(() => null);
  const retrieved = new Map<string, Run>();
  type Request = {kind: 'list'; index: number} | {kind: 'retrieve'; run: Run; threadId: string};
  const requests: Request[] = threads.map((_, index) => ({kind: 'list', index}));
  threads.forEach((threadId, index) => {
    for (const run of knownByThread[index]!) if (!isFinalStatus(run.status)) requests.push({kind: 'retrieve', run, threadId});
  });
  let fatal: ApiFailure | null = null;

  await forEachBounded(
    requests,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    async (request) => {
      const threadId = request.kind === 'list' ? threads[request.index]! : request.threadId;
      try {
        if (request.kind === 'list') {
          const known = knownByThread[request.index]!;
          // Without a known run to stop at, this is the thread's first good read: list it in full.
          listed[request.index] =
            known.length === 0
              ? await api.listRuns(threadId, {limit, signal: options.signal})
              : await api.listRuns(threadId, {limit, signal: options.signal, stopAtIds: new Set(known.map((run) => run.id)), maxPageSize: POLL_PAGE_SIZE});
        } else {
          const run = (await api.retrieveRun(threadId, request.run.id, {signal: options.signal})).runs[0];
          if (run) retrieved.set(run.id, run);
        }
      } catch (error) {
        const failure = failureOf(error, threadId, request.kind === 'retrieve' ? request.run.id : undefined);
        failures.push(failure);
        warnings.push({location: threadSourceLabel(threadId), message: failure.message});
        if (FATAL_KINDS.has(failure.kind) && !fatal) fatal = failure;
      }
    },
    () => fatal !== null || options.signal?.aborted === true,
  );

  const collection = new RunCollection();
  threads.forEach((_, index) => {
    const fresh = listed[index];
    if (fresh) warnings.push(...fresh.warnings);
    // Newest first, as a full listing would have them, and no more than `limit` of a thread.
    const runs = [...(fresh?.runs ?? []), ...knownByThread[index]!.map((run) => retrieved.get(run.id) ?? run)];
    const seen = new Set<string>();
    for (const run of runs) {
      if (seen.has(run.id) || seen.size >= limit) continue;
      seen.add(run.id);
      collection.add(run);
    }
  });
  const files = sources.filter((_, index) => listed[index] !== null);
  return {runs: collection.runs, warnings: [...warnings, ...collection.warnings], sources, files, failures, connection: api.connection};
}
