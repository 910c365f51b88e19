/**
 * The watch poll: each tick reads from the threads of an Assistants API only what can have changed
 * since the runs on screen were read, through the same session and bounds as the full load.
 */
import {isFinalStatus, type Run} from '../../model/run.js';
import type {ParsedItems} from '../../model/itemKinds.js';
import type {LoadWarning} from '../../model/loadWarning.js';
import {RunCollection} from '../runCollection.js';
import {threadSourceLabel} from './assistantsApi.js';
import {DEFAULT_CONCURRENCY, DEFAULT_RUN_LIMIT} from './cliFlags.js';
import {connect, FATAL_KINDS, failureOf, forEachBounded, loadRunsFromApi, uniqueThreads, type ApiFailure, type ApiLoadedRuns, type ApiLoadOptions} from './loadRunsFromApi.js';

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
  const listed: Array<ParsedItems | null> = threads.map(() => null);
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
