/**
 * A session with one Assistants API through the official SDK: the reads runlens makes (a thread's
 * runs, one run, a run's steps) and its two writes (submit tool outputs, cancel). The methods throw
 * ApiSourceError with a one-line message; the key stays inside the SDK client.
 */
import type OpenAI from 'openai';
import type {APIPromise} from 'openai';
import type {FieldProblem, Run} from '../../model/run.js';
import {normalizeThreadMessage, type ThreadMessage} from '../../model/threadMessage.js';
import {normalizeRunStep, type RunStep} from '../../model/runStep.js';
import type {ToolOutput} from '../../triage/unstick.js';
import {collectRuns} from '../parseRunText.js';
import {markSourceKind} from '../sourceKind.js';
import type {ParsedItems} from '../../model/itemKinds.js';
import type {LoadWarning} from '../../model/loadWarning.js';
import {createApiClient, type ApiConnectionOptions, type Env, type ResolvedConnection} from './apiClient.js';
import {ApiSourceError, toApiSourceError, UnexpectedResponseError, type ApiErrorContext, type ApiOperation} from './apiErrors.js';
import {DEFAULT_RUN_LIMIT} from './cliFlags.js';

/** The largest page the API serves. */
const MAX_PAGE_SIZE = 100;

/** The label of a thread as a source, in warnings and the Overview: runs get `source: {kind: 'api', file: 'api:thread_x'}`. */
export function threadSourceLabel(threadId: string): string {
  return `api:${threadId}`;
}

/** A listing's items normalized, each that is no object or has a bad field a warning at `label`. */
function normalizeListed<T extends {id: string; problems: FieldProblem[]}>(
  listed: ListResult,
  label: string,
  noun: string,
  normalize: (item: Record<string, unknown>, fallbackId: string) => T,
): {items: T[]; warnings: LoadWarning[]} {
  const warnings: LoadWarning[] = listed.warnings.map((message) => ({location: label, message}));
  const items: T[] = [];
  listed.items.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      warnings.push({location: label, message: `${noun} ${index} is not an object; skipped`});
      return;
    }
    const normalized = normalize(item as Record<string, unknown>, `(no id) ${noun} ${index}`);
    for (const problem of normalized.problems) warnings.push({location: label, message: `${normalized.id}: field ${problem.field}: ${problem.message}`});
    items.push(normalized);
  });
  return {items, warnings};
}

/** A thread's messages as loadThreadMessages reads them. */
export interface LoadedThreadMessages {
  /** Normalized, oldest first. */
  messages: ThreadMessage[];
  /** The objects as read. */
  raw: unknown[];
  warnings: LoadWarning[];
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
  ): Promise<ParsedItems & {truncated: boolean}> {
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
    const out: ParsedItems = {runs: [], warnings: listed.warnings.map((message) => ({location: label, message}))};
    collectRuns(listed.items, label, undefined, out);
    return {...markSourceKind(out, 'api'), truncated: listed.truncated};
  }

  /** One run. */
  async retrieveRun(threadId: string, runId: string, options: RequestOptions = {}): Promise<ParsedItems> {
    const label = threadSourceLabel(threadId);
    const value = await this.#call(this.#context('retrieve-run', threadId, runId), async () => {
      const {data, response} = await this.#client.beta.threads.runs.retrieve(runId, {thread_id: threadId}, {signal: options.signal}).withResponse();
      checkJsonResponse(response);
      return data as unknown;
    });
    const out: ParsedItems = {runs: [], warnings: []};
    collectRuns(value, label, undefined, out);
    return markSourceKind(out, 'api');
  }

  /** The steps of a run, oldest first (as the TUI shows them), raw and normalized. */
  async loadRunSteps(threadId: string, runId: string, options: RequestOptions & {limit?: number} = {}): Promise<LoadedRunSteps> {
    const listed = await this.#call(this.#context('list-steps', threadId, runId), () =>
      listAll(
        (query) =>
          this.#client.beta.threads.runs.steps.list(runId, {thread_id: threadId, ...query, order: 'asc'}, {signal: options.signal}),
        options.limit ?? DEFAULT_RUN_LIMIT,
      ),
    );
    const {items, warnings} = normalizeListed(listed, `${threadSourceLabel(threadId)}/${runId}`, 'step', (item, fallbackId) => normalizeRunStep(item, fallbackId));
    return {steps: items, raw: listed.items, warnings};
  }

  /**
   * The messages of a thread, oldest first (`order=asc`: the API's default is newest first),
   * raw and normalized; each marked as read from the API (`source.kind`).
   */
  async loadThreadMessages(threadId: string, options: RequestOptions & {limit?: number} = {}): Promise<LoadedThreadMessages> {
    const label = threadSourceLabel(threadId);
    const listed = await this.#call(this.#context('list-messages', threadId), () =>
      listAll((query) => this.#client.beta.threads.messages.list(threadId, {...query, order: 'asc'}, {signal: options.signal}), options.limit ?? DEFAULT_RUN_LIMIT),
    );
    const {items, warnings} = normalizeListed(listed, label, 'message', (item, fallbackId) => normalizeThreadMessage(item, fallbackId, {kind: 'api', file: label}));
    return {messages: items, raw: listed.items, warnings};
  }

  async #runResult(threadId: string, value: unknown): Promise<Run> {
    const out: ParsedItems = {runs: [], warnings: []};
    collectRuns(value, threadSourceLabel(threadId), undefined, out);
    const run = markSourceKind(out, 'api').runs[0];
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

