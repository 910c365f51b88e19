/**
 * A session with the Responses API through the official SDK: a response, its input items, a
 * conversation's items (both paginated), and the two writes (create the continuing response,
 * cancel a background one). Errors are ApiSourceError with one line, as for the Assistants API.
 */
import type OpenAI from 'openai';
import {looksLikeResponseItem, normalizeResponseItem, type LoadedResponseItem} from '../../model/response.js';
import {isFinalStatus, type Run} from '../../model/run.js';
import {continuingResponseBody, type ContinuingResponseBody, type ToolOutput} from '../../triage/unstick.js';
import {ActionError, checkOutputsForRun} from '../../triage/toolOutputs.js';
import {safeInline} from '../../format/sanitize.js';
import {RunCollection} from '../runCollection.js';
import {collectRuns} from '../parseRunText.js';
import {markSourceKind} from '../sourceKind.js';
import {emptyItems} from '../../model/itemKinds.js';
import type {LoadWarning} from '../../model/loadWarning.js';
import type {ApiClient, ApiConnectionOptions, Env, ResolvedConnection} from './apiClient.js';
import {toApiSourceError, UnexpectedResponseError, type ApiErrorContext, type ApiOperation} from './apiErrors.js';
import {checkJsonResponse, listAll, sessionClient, type CursorPageLike} from './assistantsApi.js';
import type {APIPromise} from 'openai';

/** Input or conversation items read per list unless told otherwise. */
export const DEFAULT_ITEM_LIMIT = 1000;
/** How far back `previous_response_id` is followed from each response named. */
export const DEFAULT_CHAIN_LIMIT = 50;

/** The label of a response or conversation as a source (`api:resp_…`). */
export function responseSourceLabel(id: string): string {
  return `api:${id}`;
}

/** Items of a list, normalized, with the warnings about it and the responses its items name. */
export interface ListedItems {
  items: LoadedResponseItem[];
  warnings: LoadWarning[];
  /** `response_id` of items, where a server writes one: the responses a conversation holds. */
  responseIds: string[];
}

/** One connection to a Responses API; the SDK client (and the key) stays private. */
export class ResponsesApi {
  readonly connection: ResolvedConnection;
  readonly #session: ApiClient;

  private constructor(session: ApiClient) {
    this.#session = session;
    this.connection = session.connection;
  }

  /** Throws ApiSourceError (kind `config`) when no client can be made. */
  static create(options: ApiConnectionOptions, env: Env): ResponsesApi {
    return new ResponsesApi(sessionClient(options, env));
  }

  async #call<T>(operation: ApiOperation, ids: {responseId?: string; conversationId?: string}, action: () => Promise<T>, retries = true): Promise<T> {
    const context: ApiErrorContext = {
      operation,
      ...(ids.responseId !== undefined ? {runId: ids.responseId} : {}),
      ...(ids.conversationId !== undefined ? {threadId: ids.conversationId} : {}),
      // Messages must not claim retries that were not made.
      connection: retries ? this.connection : {...this.connection, maxRetries: 0},
      secrets: this.#session.secrets,
    };
    try {
      return await action();
    } catch (error) {
      throw toApiSourceError(error, context);
    }
  }

  /** The JSON of one answer, checked to be JSON. */
  async #json(operation: ApiOperation, ids: {responseId?: string; conversationId?: string}, request: () => APIPromise<unknown>, retries = true): Promise<unknown> {
    return this.#call(operation, ids, async () => {
      const {data, response} = await request().withResponse();
      checkJsonResponse(response);
      return data;
    }, retries);
  }

  /** A response as a Run (`GET /responses/{id}`). */
  async retrieve(responseId: string): Promise<Run> {
    const value = await this.#json('retrieve-response', {responseId}, () => this.#session.client.responses.retrieve(responseId) as APIPromise<unknown>);
    return runOf(value, responseSourceLabel(responseId));
  }

  /** Items of a cursor-paginated list, oldest first, up to `limit`, normalized; warnings name the list. */
  async #items(operation: ApiOperation, ids: {responseId?: string; conversationId?: string}, label: string, page: (query: {limit: number; after?: string}) => APIPromise<CursorPageLike>, limit: number): Promise<ListedItems> {
    const listed = await this.#call(operation, ids, () => listAll(page, limit));
    const responseIds = [...new Set(listed.items.flatMap((item) => {
      const id = (item as {response_id?: unknown} | null)?.response_id;
      return typeof id === 'string' ? [id] : [];
    }))];
    const warnings: LoadWarning[] = listed.warnings.map((message) => ({location: label, message}));
    const items: LoadedResponseItem[] = [];
    listed.items.forEach((raw, index) => {
      if (!looksLikeResponseItem(raw)) {
        warnings.push({location: label, message: `data[${index}] is no item of a known type; skipped`});
        return;
      }
      const item = normalizeResponseItem(raw, {kind: 'api', file: label}, `(no id) ${label} data[${index}]`);
      for (const problem of item.problems) warnings.push({location: label, message: `item ${item.id}: field ${problem.field}: ${problem.message}`});
      items.push(item);
    });
    if (listed.truncated) warnings.push({location: label, message: `more than ${limit} items; the first ${limit} were read`});
    return {items, warnings, responseIds};
  }

  /** `GET /responses/{id}/input_items`, oldest first. */
  inputItems(responseId: string, limit = DEFAULT_ITEM_LIMIT): Promise<ListedItems> {
    return this.#items('list-input-items', {responseId}, `${responseSourceLabel(responseId)}/input_items`, (query) => this.#session.client.responses.inputItems.list(responseId, {...query, order: 'asc'}) as unknown as APIPromise<CursorPageLike>, limit);
  }

  /** `GET /conversations/{id}/items`, oldest first. */
  conversationItems(conversationId: string, limit = DEFAULT_ITEM_LIMIT): Promise<ListedItems> {
    return this.#items('list-conversation-items', {conversationId}, `${responseSourceLabel(conversationId)}/items`, (query) => this.#session.client.conversations.items.list(conversationId, {...query, order: 'asc'}) as unknown as APIPromise<CursorPageLike>, limit);
  }

  /**
   * `POST /responses` with the continuing body; returns the new response. Not retried: a retry
   * after a lost answer would continue the chain twice.
   */
  async createContinuing(waiting: Run, body: ContinuingResponseBody): Promise<Run> {
    const value = await this.#json(
      'create-response',
      {responseId: waiting.id},
      () => this.#session.client.responses.create(body as unknown as Parameters<OpenAI['responses']['create']>[0], {maxRetries: 0}) as APIPromise<unknown>,
      false,
    );
    return runOf(value, responseSourceLabel(waiting.id));
  }

  /** `POST /responses/{id}/cancel` (background responses only); returns the response as answered. */
  async cancel(responseId: string): Promise<Run> {
    const value = await this.#json('cancel-response', {responseId}, () => this.#session.client.responses.cancel(responseId) as APIPromise<unknown>);
    return runOf(value, responseSourceLabel(responseId));
  }
}

/**
 * Continues a waiting response: retrieves it, checks `outputs` against the calls it waits for (the
 * refusals runs get: not waiting, an unknown call, a call without output), and creates the
 * continuing response. Throws ActionError (nothing sent) or ApiSourceError; returns the new response.
 */
export async function continueWaitingResponse(api: ResponsesApi, responseId: string, outputs: readonly ToolOutput[]): Promise<{created: Run; answered: number}> {
  const before = await api.retrieve(responseId);
  const checked = checkOutputsForRun(before, outputs);
  return {created: await api.createContinuing(before, continuingResponseBody(before, checked)!), answered: checked.length};
}

/** Cancels a background response (the API cancels no other); throws ActionError for any other, nothing sent. */
export async function cancelBackgroundResponse(api: ResponsesApi, responseId: string): Promise<Run> {
  const before = await api.retrieve(responseId);
  if (before.response?.background !== true) throw new ActionError(`response ${safeInline(responseId)} is not a background response: only those can be cancelled; nothing sent`);
  return api.cancel(responseId);
}

function runOf(value: unknown, label: string): Run {
  const out = emptyItems();
  collectRuns(value, label, undefined, out);
  const run = markSourceKind(out, 'api').runs[0];
  if (!run || run.kind !== 'response') throw new UnexpectedResponseError('answered with something that is not a response');
  return run;
}

export interface ResponsesLoadOptions {
  connection: ApiConnectionOptions;
  env: Env;
  responses: readonly string[];
  conversations: readonly string[];
  /** Responses followed back along `previous_response_id` from each named one. */
  chainLimit?: number;
  /** Items per list. */
  itemLimit?: number;
  /** A watch tick: the responses on screen; those already final are kept, not read again. */
  known?: readonly Run[];
}

export interface ResponsesLoaded {
  runs: Run[];
  warnings: LoadWarning[];
  connection: ResolvedConnection | null;
  /** The first request that failed, in one line (the rest still loaded). */
  failures: string[];
}

/**
 * The responses named, their input items, the chain behind each (bounded), and the conversations'
 * items with the responses they name (`response_id` on an item, where a server gives one): all
 * settled against each other (see responseWaits.ts). A failed request is a warning; the rest loads.
 */
export async function loadResponsesFromApi(options: ResponsesLoadOptions): Promise<ResponsesLoaded> {
  const collection = new RunCollection();
  const warnings: LoadWarning[] = [];
  const failures: string[] = [];
  let api: ResponsesApi;
  try {
    api = ResponsesApi.create(options.connection, options.env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {runs: [], warnings: [{location: 'api', message}], connection: null, failures: [message]};
  }
  const chainLimit = options.chainLimit ?? DEFAULT_CHAIN_LIMIT;
  const known = new Map((options.known ?? []).map((run) => [run.id, run]));
  const seen = new Set<string>();
  const fail = (location: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    failures.push(message);
    warnings.push({location, message});
  };
  const readResponse = async (id: string): Promise<Run | null> => {
    if (seen.has(id)) return null;
    seen.add(id);
    const kept = known.get(id);
    // A final response never changes; its items neither.
    if (kept && kept.response && isFinalStatus(kept.response.apiStatus)) {
      collection.add(kept);
      return kept;
    }
    try {
      const run = await api.retrieve(id);
      collection.add(run);
      const items = await api.inputItems(id, options.itemLimit);
      warnings.push(...items.warnings);
      for (const item of items.items) collection.addSide('responseItems', item);
      return run;
    } catch (error) {
      fail(responseSourceLabel(id), error);
      return null;
    }
  };
  const readChain = async (id: string) => {
    let next: string | null = id;
    for (let step = 0; next !== null && step <= chainLimit; step += 1) {
      const run: Run | null = await readResponse(next);
      next = run?.response?.previousResponseId ?? null;
      if (next !== null && step === chainLimit && !seen.has(next)) {
        warnings.push({location: responseSourceLabel(id), message: `the chain goes back further than ${chainLimit} responses; the rest was not read`});
      }
    }
  };
  for (const id of options.responses) await readChain(id);
  for (const conversationId of options.conversations) {
    try {
      const listed = await api.conversationItems(conversationId, options.itemLimit);
      warnings.push(...listed.warnings);
      for (const item of listed.items) collection.addSide('responseItems', item);
      // OpenAI's items name no response; the items still answer the calls of the responses given with --response.
      if (listed.responseIds.length === 0) {
        warnings.push({location: `${responseSourceLabel(conversationId)}/items`, message: `${listed.items.length} item${listed.items.length === 1 ? '' : 's'} read, none naming its response: give the conversation's responses with --response ID`});
      }
      for (const id of listed.responseIds) await readChain(id);
    } catch (error) {
      fail(responseSourceLabel(conversationId), error);
    }
  }
  return {runs: collection.runs, warnings: [...warnings, ...collection.warnings], connection: api.connection, failures};
}
