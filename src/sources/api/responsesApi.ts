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
import {ApiSourceError} from './apiErrors.js';
import type {APIPromise} from 'openai';
import {CursorPage} from 'openai/pagination';

/** Input or conversation items read per list unless told otherwise. */
export const DEFAULT_ITEM_LIMIT = 1000;
/** How far back `previous_response_id` is followed from each response named. */
export const DEFAULT_CHAIN_LIMIT = 50;

/**
 * Foundry's list of a project's stored responses, under the project endpoint. OpenAI's own API
 * has no such list; a server without it answers 404, which the load reports as a note.
 */
export const FOUNDRY_RESPONSES_PATH = '/openai/v1/responses';
/** The list's filters (its `agent_name` and `conversation_id` query parameters). */
export interface ResponseListFilter {
  agentName?: string | null;
  conversationId?: string | null;
}

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
   * The project's responses, newest first, up to `limit` (`GET {project}/openai/v1/responses`,
   * paginated by `after`, with its filters). Null when the server has no such list (HTTP 404).
   * The `/openai/v1` routes take `api-version=v1`, not the Agent Service's dated one.
   */
  async listResponses(filter: ResponseListFilter, limit: number): Promise<{runs: Run[]; warnings: LoadWarning[]} | null> {
    const label = `api:${FOUNDRY_RESPONSES_PATH}`;
    const query = {
      order: 'desc',
      'api-version': 'v1',
      ...(filter.agentName ? {agent_name: filter.agentName} : {}),
      ...(filter.conversationId ? {conversation_id: filter.conversationId} : {}),
    };
    let listed;
    try {
      listed = await this.#call('list-responses', {}, () =>
        listAll((page) => this.#session.client.getAPIList(FOUNDRY_RESPONSES_PATH, CursorPage<{id: string}>, {query: {...query, ...page}}) as unknown as APIPromise<CursorPageLike>, limit, {maxPageSize: 100}),
      );
    } catch (error) {
      if (error instanceof ApiSourceError && error.status === 404) return null;
      throw error;
    }
    const out = emptyItems();
    listed.items.forEach((raw, index) => collectRuns(raw, `${label} data[${index}]`, undefined, out));
    const runs = markSourceKind(out, 'api').runs.filter((run) => run.kind === 'response');
    const warnings: LoadWarning[] = [...listed.warnings.map((message) => ({location: label, message})), ...out.warnings];
    if (runs.length < listed.items.length) warnings.push({location: label, message: `${listed.items.length - runs.length} of ${listed.items.length} listed were no response; skipped`});
    if (listed.truncated) warnings.push({location: label, message: `more than ${limit} responses; the newest ${limit} were read (--limit)`});
    return {runs, warnings};
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
  /** `--all-responses` (Foundry): the project's responses from its list, with the list's agent filter. */
  allResponses?: {agentName: string | null};
  /** Responses listed at most (`--limit`). */
  listLimit?: number;
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
  const listLabel = responseSourceLabel(FOUNDRY_RESPONSES_PATH);
  /** Foundry's list of responses into the load; false when the server has none (a note, not an error). */
  const readList = async (filter: ResponseListFilter): Promise<boolean> => {
    try {
      const listed = await api.listResponses(filter, options.listLimit ?? DEFAULT_ITEM_LIMIT);
      if (listed === null) {
        warnings.push({location: listLabel, message: `this server has no list of responses (HTTP 404); give them with --response ID`});
        return false;
      }
      warnings.push(...listed.warnings);
      for (const run of listed.runs) {
        // Listed whole: the chain behind each is listed too, so nothing is read again.
        seen.add(run.id);
        collection.add(run);
      }
      return listed.runs.length > 0;
    } catch (error) {
      fail(listLabel, error);
      return false;
    }
  };
  for (const id of options.responses) await readChain(id);
  if (options.allResponses) await readList({agentName: options.allResponses.agentName});
  for (const conversationId of options.conversations) {
    try {
      const listed = await api.conversationItems(conversationId, options.itemLimit);
      warnings.push(...listed.warnings);
      for (const item of listed.items) collection.addSide('responseItems', item);
      // Foundry lists a conversation's responses; elsewhere its items may name them.
      const listedResponses = api.connection.foundry && !options.allResponses ? await readList({conversationId}) : false;
      // OpenAI's items name no response; the items still answer the calls of the responses given with --response.
      if (listed.responseIds.length === 0 && !listedResponses) {
        warnings.push({location: `${responseSourceLabel(conversationId)}/items`, message: `${listed.items.length} item${listed.items.length === 1 ? '' : 's'} read, none naming its response: give the conversation's responses with --response ID`});
      }
      for (const id of listed.responseIds) await readChain(id);
    } catch (error) {
      fail(responseSourceLabel(conversationId), error);
    }
  }
  return {runs: collection.runs, warnings: [...warnings, ...collection.warnings], connection: api.connection, failures};
}
