/**
 * Loads runs from the threads of an Assistants API, a few threads at a time, through one session
 * (assistantsApi.ts). Never throws for what the server does: every failure becomes a LoadWarning
 * (and a `failures` entry), and what did load still shows.
 */
import type {Run} from '../../model/run.js';
import type {ParsedItems, SideItems} from '../../model/itemKinds.js';
import type {LoadWarning} from '../../model/loadWarning.js';
import {type LoadedRuns} from '../loadSources.js';
import {RunCollection} from '../runCollection.js';
import type {ApiConnectionOptions, Env, ResolvedConnection} from './apiClient.js';
import {ApiSourceError, classifyApiError, toApiSourceError, type ApiErrorKind} from './apiErrors.js';
import {AssistantsApi, threadSourceLabel} from './assistantsApi.js';
import {DEFAULT_CONCURRENCY, DEFAULT_RUN_LIMIT} from './cliFlags.js';

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

/** Errors worth stopping for: every other thread would fail the same way. */
export const FATAL_KINDS: ReadonlySet<ApiErrorKind> = new Set(['config', 'auth', 'connection']);

/** Runs `worker` over `items`, at most `limit` at a time, until `stop()` says otherwise. */
export async function forEachBounded<T>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<void>, stop: () => boolean): Promise<void> {
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

/** What failed, for `failures`. */
export function failureOf(error: unknown, threadId: string, runId?: string): ApiFailure {
  return {
    threadId,
    ...(runId !== undefined ? {runId} : {}),
    kind: classifyApiError(error),
    status: error instanceof ApiSourceError ? error.status : null,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** The session for a load, or null when none can be made (no key, a bad URL): then every thread fails with that one reason. */
export function connect(options: ApiLoadOptions, threads: readonly string[], failures: ApiFailure[], warnings: LoadWarning[]): AssistantsApi | null {
  try {
    return AssistantsApi.create(options.connection, options.env);
  } catch (error) {
    const failure = toApiSourceError(error, {operation: 'list-runs'});
    for (const threadId of threads) failures.push({threadId, kind: failure.kind, status: null, message: failure.message});
    warnings.push({location: 'api', message: failure.message});
    return null;
  }
}

/** The thread ids, trimmed and each once; a blank or spaced one is a warning. */
export function uniqueThreads(threads: readonly string[], warnings: LoadWarning[]): string[] {
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
  const result = (runs: Run[], files: string[], connection: ResolvedConnection | null, extra: LoadWarning[] = [], side: SideItems = {}): ApiLoadedRuns => ({
    ...side,
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

  const perThread: Array<ParsedItems | null> = threads.map(() => null);
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
      collection.addItems(parsed);
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
  return result(collection.runs, files, api.connection, collection.warnings, collection.side);
}
