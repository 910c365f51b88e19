/**
 * The request that would let a run in `requires_action` continue: a `submit_tool_outputs` call
 * with one output per pending tool call. Pure; the outputs are left empty for the user to fill.
 */
import {APPROVAL_CALL, RESPONSE_ACTION} from '../model/response.js';
import type {Run} from '../model/run.js';

/** OpenAI's own endpoint: where the unstick request goes unless told otherwise, and the API source's last fallback. */
export const OFFICIAL_BASE_URL = 'https://api.openai.com/v1';

/** One output for a pending tool call, as `submit_tool_outputs` takes it. */
export interface ToolOutput {
  tool_call_id: string;
  output: string;
}

export interface SubmitToolOutputsBody {
  tool_outputs: ToolOutput[];
}

/**
 * `{"tool_outputs": [{"tool_call_id": "call_…", "output": ""}, …]}` with one entry per pending
 * tool call, in the order of the calls (the API requires all of them in one request). Null when
 * the run has no `submit_tool_outputs` action with tool calls. The run's status is not looked at:
 * for a run that has already expired this is what should have been sent.
 */
export function submitToolOutputsBody(run: Run): SubmitToolOutputsBody | null {
  const action = run.requiredAction;
  if (!action || action.type !== 'submit_tool_outputs' || action.toolCalls.length === 0) return null;
  return {tool_outputs: action.toolCalls.map((call) => ({tool_call_id: call.id, output: ''}))};
}

/** Quotes a word for POSIX shells: single quotes, with each embedded `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `{baseUrl}/threads/{thread}/runs/{run}/submit_tool_outputs`; the ids are percent-encoded. */
export function submitToolOutputsUrl(run: Pick<Run, 'id' | 'threadId'>, baseUrl: string = OFFICIAL_BASE_URL): string | null {
  if (!run.threadId) return null;
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/threads/${encodeURIComponent(run.threadId)}/runs/${encodeURIComponent(run.id)}/submit_tool_outputs`;
}

export interface CurlOptions {
  /** API root, default https://api.openai.com/v1 (a proxy or Azure-style gateway otherwise). */
  baseUrl?: string;
  /** One argument per line, joined with ` \` continuations; default one line. */
  multiline?: boolean;
}

/**
 * A ready-to-paste curl command posting `submitToolOutputsBody(run)`. The key is the literal
 * `$OPENAI_API_KEY` (expanded by the user's shell, never a real key); every other argument is
 * single-quoted. Null when there is no body, or the run has no thread id to build the URL from.
 */
export function submitToolOutputsCurl(run: Run, options: CurlOptions | string = {}): string | null {
  const {baseUrl = OFFICIAL_BASE_URL, multiline = false} = typeof options === 'string' ? {baseUrl: options} : options;
  if (run.kind === 'response') return continuingResponseCurl(run, {baseUrl, multiline});
  const body = submitToolOutputsBody(run);
  const url = submitToolOutputsUrl(run, baseUrl);
  if (!body || !url) return null;
  return curlPost(url, body, [`-H "OpenAI-Beta: assistants=v2"`], multiline);
}

/** `curl URL -H auth [extra headers] -H content-type -d BODY`, one argument a line when `multiline`. */
function curlPost(url: string, body: unknown, headers: readonly string[], multiline: boolean): string {
  const parts = [
    `curl ${shellQuote(url)}`,
    `-H "Authorization: Bearer $OPENAI_API_KEY"`,
    ...headers,
    `-H "Content-Type: application/json"`,
    `-d ${shellQuote(JSON.stringify(body))}`,
  ];
  return parts.join(multiline ? ' \\\n  ' : ' ');
}

/** One input item of the request that continues a waiting response. */
export type ContinuingInputItem =
  | {type: 'function_call_output'; call_id: string; output: string}
  | {type: 'mcp_approval_response'; approval_request_id: string; approve: boolean};

/** `POST /responses` continuing a waiting response: its chain (or conversation) and one answer per call. */
export interface ContinuingResponseBody {
  model?: string;
  /** Set when the response is in no conversation (the API takes one or the other, not both). */
  previous_response_id?: string;
  conversation?: string;
  input: ContinuingInputItem[];
  /** The response's tools again: a new response does not carry them over from the one it continues. */
  tools?: unknown[];
}

/**
 * The request that lets a waiting response go on: a new response continuing its chain
 * (`previous_response_id`) or its conversation, whose `input` holds one `function_call_output` per
 * call (outputs left empty to fill in) and one `mcp_approval_response` per approval request
 * (`approve: false` until the user says otherwise). `outputs` fills them in (an approval's output
 * `approve` approves it). Null when the response waits for nothing.
 */
export function continuingResponseBody(run: Run, outputs: readonly ToolOutput[] = []): ContinuingResponseBody | null {
  const action = run.requiredAction;
  if (run.kind !== 'response' || !action || action.type !== RESPONSE_ACTION || action.toolCalls.length === 0) return null;
  const given = new Map(outputs.map((output) => [output.tool_call_id, output.output]));
  const input = action.toolCalls.map((call): ContinuingInputItem =>
    call.type === APPROVAL_CALL
      ? {type: 'mcp_approval_response', approval_request_id: call.id, approve: given.get(call.id) === 'approve'}
      : {type: 'function_call_output', call_id: call.id, output: given.get(call.id) ?? ''},
  );
  const conversation = run.response?.conversationId ?? null;
  const tools = run.raw['tools'];
  return {
    ...(run.model ? {model: run.model} : {}),
    ...(conversation ? {conversation} : {previous_response_id: run.id}),
    input,
    ...(Array.isArray(tools) && tools.length > 0 ? {tools} : {}),
  };
}

/** The request that unsticks a run or a response: method, path under the API root, and body. */
export interface UnstickRequest {
  path: string;
  body: SubmitToolOutputsBody | ContinuingResponseBody;
  /** What the body is, for a heading or a copy label. */
  label: string;
}

/** `submit_tool_outputs` for a run, the continuing `POST /responses` for a response; null when nothing waits. */
export function unstickRequest(run: Run): UnstickRequest | null {
  if (run.kind === 'response') {
    const body = continuingResponseBody(run);
    return body ? {path: '/responses', body, label: 'the continuing response request'} : null;
  }
  const body = submitToolOutputsBody(run);
  if (!body || !run.threadId) return body ? {path: '', body, label: 'the submit_tool_outputs body'} : null;
  return {path: `/threads/${encodeURIComponent(run.threadId)}/runs/${encodeURIComponent(run.id)}/submit_tool_outputs`, body, label: 'the submit_tool_outputs body'};
}

/** curl posting `continuingResponseBody(run)` to `{baseUrl}/responses`, quoted as `submitToolOutputsCurl` quotes. */
export function continuingResponseCurl(run: Run, options: CurlOptions = {}): string | null {
  const {baseUrl = OFFICIAL_BASE_URL, multiline = false} = options;
  const body = continuingResponseBody(run);
  if (!body) return null;
  return curlPost(`${baseUrl.replace(/\/+$/, '')}/responses`, body, [], multiline);
}
