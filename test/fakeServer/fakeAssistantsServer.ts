/**
 * A small Assistants API (runs, run steps, a thread's messages, submit tool outputs, cancel) on 127.0.0.1 with a random
 * port, for tests. It pages like the real one (`limit`, `order`, `after`, `has_more`, `first_id`,
 * `last_id`), records every request (headers and bodies), and fails on demand: any status, a
 * response that never comes, a body that is not JSON, an HTML page, a dropped connection.
 *
 * Routes are served under `/v1` (base URL `http://127.0.0.1:PORT/v1`, like the official one),
 * under `/openai` (Azure's layout: `AzureOpenAI` with endpoint `http://127.0.0.1:PORT`) and, with
 * the `foundry` option, under `/api/projects/<project>` as Foundry Agent Service (classic) serves
 * them: `api-version` and an Entra bearer required, `GET /threads`, lists without `"object"`.
 * With `setResponses`, it also serves Responses API responses and Foundry's list of them
 * (`GET /openai/v1/responses`), and with `setConversationItems` a conversation's items.
 */
import {createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The path without the `/v1` or `/openai` prefix, e.g. `/threads/thread_a/runs`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body of a POST (or its text when it is not JSON). */
  body: unknown;
}

export type Failure =
  | {status: number; body?: unknown; headers?: Record<string, string>}
  /** Accept the request and never answer (for timeouts). */
  | {hang: true}
  /** 200 with `content-type: application/json` and a body that is not JSON. */
  | {invalidJson: string}
  /** 200 with an HTML page. */
  | {html: string}
  /** Close the connection without an answer. */
  | {destroy: true};

export interface FailureRule {
  method?: string;
  /** Matched against the path without prefix: a string for equality, a RegExp to test. */
  path?: string | RegExp;
  /** How many requests fail; then the rule is spent. Default: every request. */
  times?: number;
  failure: Failure;
}

export interface FakeServerOptions {
  /** The largest page served (the API's is 100). */
  maxPageSize?: number;
  /** When set, requests need `Authorization: Bearer KEY` or `api-key: KEY`. */
  apiKey?: string;
  /** Delay before answering a list request, to observe concurrency. */
  listDelayMs?: number;
  /** Delay before answering a request for one run, to observe concurrency. */
  runDelayMs?: number;
  /** Leave `has_more`, `first_id` and `last_id` out of list answers (some self-hosted servers do). */
  omitHasMore?: boolean;
  /**
   * Foundry Agent Service (classic): requests need `api-version` (400 without) and, when `tokens`
   * is given, `Authorization: Bearer` one of them (401 otherwise); lists carry no `"object"`.
   */
  foundry?: {project?: string; tokens?: readonly string[]};
}

type Json = Record<string, unknown>;

/** A run as the API returns it. */
export function makeRun(threadId: string, index: number, overrides: Json = {}): Json {
  const created = 1_700_000_000 + index * 10;
  return {
    id: `run_${threadId.replace(/^thread_/, '')}_${String(index).padStart(4, '0')}`,
    object: 'thread.run',
    created_at: created,
    assistant_id: 'asst_1',
    thread_id: threadId,
    status: 'completed',
    started_at: created + 1,
    expires_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: created + 5,
    required_action: null,
    last_error: null,
    model: 'gpt-4o',
    instructions: null,
    tools: [],
    metadata: {},
    incomplete_details: null,
    usage: {prompt_tokens: 10, completion_tokens: 5, total_tokens: 15},
    temperature: 1,
    top_p: 1,
    max_prompt_tokens: null,
    max_completion_tokens: null,
    truncation_strategy: {type: 'auto', last_messages: null},
    response_format: 'auto',
    tool_choice: 'auto',
    parallel_tool_calls: true,
    ...overrides,
  };
}

/** A run in `requires_action` waiting for these function calls, each `[call id, function name, arguments]`. */
export function makeWaitingRun(threadId: string, index: number, calls: ReadonlyArray<readonly [string, string, string]>): Json {
  return makeRun(threadId, index, {
    status: 'requires_action',
    completed_at: null,
    required_action: {
      type: 'submit_tool_outputs',
      submit_tool_outputs: {tool_calls: calls.map(([id, name, args]) => ({id, type: 'function', function: {name, arguments: args}}))},
    },
  });
}

/**
 * A Foundry run in `requires_action` waiting for approval of these MCP calls, each `[call id, tool
 * name, arguments]`, on the MCP server `server` (declared among the run's tools).
 */
export function makeApprovalRun(threadId: string, index: number, calls: ReadonlyArray<readonly [string, string, string]>, server = 'github'): Json {
  return makeRun(threadId, index, {
    status: 'requires_action',
    completed_at: null,
    tools: [{type: 'mcp', server_label: server, server_url: 'https://mcp.example/sse', allowed_tools: calls.map(([, name]) => name)}],
    required_action: {
      type: 'submit_tool_approval',
      submit_tool_approval: {tool_calls: calls.map(([id, name, args]) => ({id, type: 'mcp', name, arguments: args, server_label: server}))},
    },
  });
}

/** `count` runs, oldest first (index 0 is the oldest). */
export function makeRuns(threadId: string, count: number): Json[] {
  return Array.from({length: count}, (_, index) => makeRun(threadId, index));
}

function errorBody(message: string, type = 'invalid_request_error', code: string | null = null): Json {
  return {error: {message, type, param: null, code}};
}

export class FakeAssistantsServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests being answered right now, and the most there ever were. */
  inFlight = 0;
  maxInFlight = 0;
  readonly #runs = new Map<string, Json[]>();
  /** When each thread was created (Foundry's `GET /threads` lists them newest first). */
  readonly #threadCreated = new Map<string, number>();
  readonly #steps = new Map<string, Json[]>();
  readonly #messages = new Map<string, Json[]>();
  /** Responses (Responses API), by id; null until some are set: the server then has no responses list. */
  #responses: Json[] | null = null;
  #responsesListed = true;
  readonly #conversationItems = new Map<string, Json[]>();
  readonly #rules: FailureRule[] = [];
  readonly #hanging = new Set<ServerResponse>();
  #port = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeServerOptions,
  ) {}

  static async start(options: FakeServerOptions = {}): Promise<FakeAssistantsServer> {
    let instance: FakeAssistantsServer | undefined;
    const server = createServer((request, response) => void instance!.handle(request, response));
    instance = new FakeAssistantsServer(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    instance.#port = (server.address() as AddressInfo).port;
    return instance;
  }

  /** host:port */
  get host(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** The base URL for `new OpenAI({baseURL})`. */
  get baseUrl(): string {
    return `http://${this.host}/v1`;
  }

  /** The Azure endpoint (routes under /openai). */
  get origin(): string {
    return `http://${this.host}`;
  }

  /** Foundry's project endpoint (`--project-endpoint`), with the `foundry` option. */
  get projectEndpoint(): string {
    return `http://${this.host}/api/projects/${this.options.foundry?.project ?? 'proj'}`;
  }

  /** Adds runs to a thread (any order; the server sorts by created_at). */
  addRuns(threadId: string, runs: Json[]): void {
    this.#runs.set(threadId, [...(this.#runs.get(threadId) ?? []), ...runs]);
    if (!this.#threadCreated.has(threadId)) {
      const first = Math.min(...runs.map((run) => Number(run['created_at'] ?? 0)), Number.MAX_SAFE_INTEGER);
      this.#threadCreated.set(threadId, first === Number.MAX_SAFE_INTEGER ? 1_700_000_000 : first - 1);
    }
  }

  run(threadId: string, runId: string): Json | undefined {
    return this.#runs.get(threadId)?.find((run) => run['id'] === runId);
  }

  setSteps(threadId: string, runId: string, steps: Json[]): void {
    this.#steps.set(`${threadId}/${runId}`, steps);
  }

  /** The messages of a thread (GET /threads/{id}/messages, newest first unless `order=asc`). */
  setMessages(threadId: string, messages: Json[]): void {
    this.#messages.set(threadId, messages);
  }

  /**
   * Stored responses, served as Foundry serves them: `GET /openai/v1/responses` (newest first,
   * paged, filtered by `agent_name` against the response's `agent.name` and `conversation_id`
   * against its `conversation.id`) and `GET /responses/{id}`. Without any, or with `listed`
   * false (a server that has responses but no list of them, as OpenAI's), the list is a 404.
   */
  setResponses(responses: Json[], options: {listed?: boolean} = {}): void {
    this.#responses = [...responses];
    this.#responsesListed = options.listed ?? true;
  }

  /** A conversation's items (`GET /conversations/{id}/items`). */
  setConversationItems(conversationId: string, items: Json[]): void {
    this.#conversationItems.set(conversationId, items);
  }

  /** Fails matching requests (first matching rule wins). */
  fail(rule: FailureRule): void {
    this.#rules.push({...rule});
  }

  clearFailures(): void {
    this.#rules.length = 0;
  }

  /** Requests whose path matches. */
  requestsTo(path: string | RegExp, method = 'GET'): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && (typeof path === 'string' ? request.path === path : path.test(request.path)));
  }

  /**
   * How many requests each `METHOD /path` got, from the `since`-th recorded request on (pass
   * `requests.length` before a step to count that step's requests only).
   */
  requestCounts(since = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const request of this.requests.slice(since)) {
      const key = `${request.method} ${request.path}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  async close(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    response.on('close', () => {
      this.inFlight -= 1;
    });
    const url = new URL(request.url ?? '/', `http://${this.host}`);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const path = url.pathname.replace(/^\/(v1|openai|api\/projects\/[^/]+)(?=\/)/, '');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
    };
    this.requests.push(recorded);

    const rule = this.#rules.find(
      (candidate) =>
        (candidate.times === undefined || candidate.times > 0) &&
        (candidate.method === undefined || candidate.method === recorded.method) &&
        (candidate.path === undefined || (typeof candidate.path === 'string' ? candidate.path === path : candidate.path.test(path))),
    );
    if (rule) {
      if (rule.times !== undefined) rule.times -= 1;
      this.answerFailure(response, rule.failure);
      return;
    }

    if (this.options.apiKey !== undefined) {
      const authorization = request.headers['authorization'];
      const apiKey = request.headers['api-key'];
      const given = typeof authorization === 'string' ? authorization.replace(/^Bearer\s+/i, '') : typeof apiKey === 'string' ? apiKey : '';
      if (given !== this.options.apiKey) {
        // The real API quotes (part of) the key it got; this one quotes all of it, so tests
        // prove runlens never repeats what the server says about the key.
        this.json(response, 401, errorBody(`Incorrect API key provided: ${given}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key'));
        return;
      }
    }

    const foundry = this.options.foundry;
    if (foundry) {
      if (!url.pathname.startsWith(`/api/projects/${foundry.project ?? 'proj'}/`)) {
        // Azure's answer for a path it has no route for: nothing about a thread or run.
        this.json(response, 404, {error: {code: '404', message: 'Resource not found'}});
        return;
      }
      if (!recorded.query['api-version']) {
        this.json(response, 400, {error: {code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.'}});
        return;
      }
      const authorization = request.headers['authorization'];
      const token = typeof authorization === 'string' ? authorization.replace(/^Bearer\s+/i, '') : '';
      if (foundry.tokens && !foundry.tokens.includes(token)) {
        this.json(response, 401, {error: {code: 'PermissionDenied', message: `Invalid bearer token ${token}`}});
        return;
      }
      if (request.url && /^\/api\/projects\/[^/]+\/threads\/?(\?|$)/.test(request.url) && recorded.method === 'GET') {
        const threads = [...this.#runs.keys()].map((id) => ({id, object: 'thread', created_at: this.#threadCreated.get(id) ?? 0, metadata: {}, tool_resources: {}}));
        this.json(response, 200, this.page(threads, recorded.query, (thread) => Number(thread['created_at'])));
        return;
      }
    }

    await this.route(recorded, response);
  }

  private answerFailure(response: ServerResponse, failure: Failure): void {
    if ('hang' in failure) {
      this.#hanging.add(response);
      return;
    }
    if ('destroy' in failure) {
      response.socket?.destroy();
      return;
    }
    if ('invalidJson' in failure) {
      response.writeHead(200, {'content-type': 'application/json'});
      response.end(failure.invalidJson);
      return;
    }
    if ('html' in failure) {
      response.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
      response.end(failure.html);
      return;
    }
    const body = failure.body === undefined ? errorBody(`fake failure ${failure.status}`) : failure.body;
    response.writeHead(failure.status, {'content-type': 'application/json', ...failure.headers});
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  private json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, {'content-type': 'application/json'});
    response.end(JSON.stringify(body));
  }

  private page(items: Json[], query: Record<string, string>, sortKey: (item: Json) => number): Json {
    const order = query['order'] === 'asc' ? 'asc' : 'desc';
    const maxPage = this.options.maxPageSize ?? 100;
    const limit = Math.max(1, Math.min(maxPage, Number(query['limit'] ?? 20) || 20));
    const sorted = [...items].sort((a, b) => {
      const delta = sortKey(a) - sortKey(b) || String(a['id']).localeCompare(String(b['id']));
      return order === 'asc' ? delta : -delta;
    });
    let start = 0;
    if (query['after']) {
      const at = sorted.findIndex((item) => item['id'] === query['after']);
      start = at === -1 ? sorted.length : at + 1;
    }
    const data = sorted.slice(start, start + limit);
    const envelope: Json = this.options.foundry ? {data} : {object: 'list', data};
    if (!this.options.omitHasMore) {
      envelope['first_id'] = data[0]?.['id'] ?? null;
      envelope['last_id'] = data[data.length - 1]?.['id'] ?? null;
      envelope['has_more'] = start + limit < sorted.length;
    }
    return envelope;
  }

  /** The Responses API routes; false when the request is for none of them. */
  private routeResponses(request: RecordedRequest, parts: readonly string[], response: ServerResponse): boolean {
    if (request.method !== 'GET') return false;
    if (request.path === '/openai/v1/responses' && this.#responses && this.#responsesListed) {
      const {agent_name: agent, conversation_id: conversation} = request.query;
      const nameOf = (value: unknown, key: string) => (value && typeof value === 'object' ? (value as Json)[key] : value);
      const listed = this.#responses.filter((item) => (!agent || nameOf(item['agent'], 'name') === agent) && (!conversation || nameOf(item['conversation'], 'id') === conversation));
      this.json(response, 200, {object: 'list', ...this.page(listed, request.query, (item) => Number(item['created_at'] ?? 0))});
      return true;
    }
    if (parts[0] === 'responses' && parts.length === 2 && this.#responses) {
      const found = this.#responses.find((item) => item['id'] === parts[1]);
      if (found) this.json(response, 200, found);
      else this.json(response, 404, errorBody(`Response with id '${parts[1]!}' not found.`));
      return true;
    }
    if (parts[0] === 'responses' && parts[2] === 'input_items' && parts.length === 3 && this.#responses) {
      this.json(response, 200, {object: 'list', ...this.page([], request.query, () => 0)});
      return true;
    }
    if (parts[0] === 'conversations' && parts[2] === 'items' && parts.length === 3) {
      const items = this.#conversationItems.get(parts[1]!);
      if (items) this.json(response, 200, {object: 'list', ...this.page(items, request.query, (item) => Number(item['created_at'] ?? 0))});
      else this.json(response, 404, errorBody(`Conversation with id '${parts[1]!}' not found.`));
      return true;
    }
    return false;
  }

  private async route(request: RecordedRequest, response: ServerResponse): Promise<void> {
    const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (this.routeResponses(request, parts, response)) return;
    if (parts[0] === 'threads' && parts[2] === 'messages' && parts.length === 3 && request.method === 'GET') {
      const messages = this.#messages.get(parts[1]!);
      if (messages) this.json(response, 200, this.page(messages, request.query, (message) => Number(message['created_at'] ?? 0)));
      else this.json(response, 404, errorBody(`No thread found with id '${parts[1]!}'.`));
      return;
    }
    if (parts[0] !== 'threads' || parts[2] !== 'runs' || parts.length < 3) {
      this.json(response, 404, errorBody(`Invalid URL (${request.method} ${request.path})`));
      return;
    }
    const threadId = parts[1]!;
    const runs = this.#runs.get(threadId);
    if (!runs) {
      this.json(response, 404, errorBody(`No thread found with id '${threadId}'.`));
      return;
    }
    if (parts.length === 3 && request.method === 'GET') {
      if (this.options.listDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.listDelayMs));
      this.json(response, 200, this.page(runs, request.query, (run) => Number(run['created_at'] ?? 0)));
      return;
    }
    const runId = parts[3]!;
    const run = runs.find((candidate) => candidate['id'] === runId);
    if (!run) {
      this.json(response, 404, errorBody(`No run found with id '${runId}'.`));
      return;
    }
    const action = parts[4];
    if (action === undefined && request.method === 'GET') {
      if (this.options.runDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.runDelayMs));
      this.json(response, 200, run);
      return;
    }
    if (action === 'steps' && parts.length === 5 && request.method === 'GET') {
      const steps = this.#steps.get(`${threadId}/${runId}`) ?? [];
      this.json(response, 200, this.page(steps, request.query, (step) => Number(step['created_at'] ?? 0)));
      return;
    }
    if (action === 'submit_tool_outputs' && request.method === 'POST') {
      if (run['status'] !== 'requires_action') {
        this.json(response, 400, errorBody(`Runs in status "${String(run['status'])}" do not accept tool outputs.`));
        return;
      }
      const action = run['required_action'] as {type?: string; submit_tool_approval?: {tool_calls: Array<{id: string}>}} | null;
      const approvals = (request.body as {tool_approvals?: Array<{tool_call_id: string}>} | undefined)?.tool_approvals;
      if (action?.type === 'submit_tool_approval') {
        // Like the service: every pending MCP call answered, in one request.
        const pending = action.submit_tool_approval?.tool_calls.map((call) => call.id) ?? [];
        const answered = new Set((approvals ?? []).map((approval) => approval.tool_call_id));
        if (!approvals || pending.some((id) => !answered.has(id))) {
          this.json(response, 400, errorBody('Tool approvals must be provided for every pending tool call.'));
          return;
        }
      }
      run['status'] = 'queued';
      run['required_action'] = null;
      this.json(response, 200, run);
      return;
    }
    if (action === 'cancel' && request.method === 'POST') {
      if (!['queued', 'in_progress', 'requires_action'].includes(String(run['status']))) {
        this.json(response, 400, errorBody(`Cannot cancel run with status '${String(run['status'])}'.`));
        return;
      }
      run['status'] = 'cancelling';
      this.json(response, 200, run);
      return;
    }
    this.json(response, 404, errorBody(`Invalid URL (${request.method} ${request.path})`));
  }
}
