/**
 * A small Assistants API (runs, run steps, a thread's messages, submit tool outputs, cancel) on 127.0.0.1 with a random
 * port, for tests. It pages like the real one (`limit`, `order`, `after`, `has_more`, `first_id`,
 * `last_id`), records every request (headers and bodies), and fails on demand: any status, a
 * response that never comes, a body that is not JSON, an HTML page, a dropped connection.
 *
 * Routes are served under `/v1` (base URL `http://127.0.0.1:PORT/v1`, like the official one) and
 * under `/openai` (Azure's layout: `AzureOpenAI` with endpoint `http://127.0.0.1:PORT`).
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
  readonly #steps = new Map<string, Json[]>();
  readonly #messages = new Map<string, Json[]>();
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

  /** Adds runs to a thread (any order; the server sorts by created_at). */
  addRuns(threadId: string, runs: Json[]): void {
    this.#runs.set(threadId, [...(this.#runs.get(threadId) ?? []), ...runs]);
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
    const path = url.pathname.replace(/^\/(v1|openai)(?=\/)/, '');
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
    const envelope: Json = {object: 'list', data};
    if (!this.options.omitHasMore) {
      envelope['first_id'] = data[0]?.['id'] ?? null;
      envelope['last_id'] = data[data.length - 1]?.['id'] ?? null;
      envelope['has_more'] = start + limit < sorted.length;
    }
    return envelope;
  }

  private async route(request: RecordedRequest, response: ServerResponse): Promise<void> {
    const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent);
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
