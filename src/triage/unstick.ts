/**
 * The request that would let a run in `requires_action` continue: a `submit_tool_outputs` call
 * with one output per pending tool call. Pure; the outputs are left empty for the user to fill.
 */
import {APPROVAL_CALL, RESPONSE_ACTION} from '../model/response.js';
import {APPROVAL_ACTION, type Run} from '../model/run.js';

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

/** One answer to an MCP call waiting for approval (Foundry's `submit_tool_approval`). */
export interface ToolApproval {
  tool_call_id: string;
  approve: boolean;
  /** Headers for the MCP server, sent with an approved call. */
  headers?: Record<string, string>;
}

export interface SubmitToolApprovalsBody {
  tool_approvals: ToolApproval[];
}

/**
 * `{"tool_approvals": [{"tool_call_id": "call_…", "approve": true}, …]}`, one per MCP call the
 * run waits to have approved, in their order (each to be set to true or false). Null when the run
 * waits for no approval. Posted to the same `…/submit_tool_outputs` route as outputs.
 */
export function submitToolApprovalsBody(run: Run): SubmitToolApprovalsBody | null {
  const action = run.requiredAction;
  if (!action || action.type !== APPROVAL_ACTION || action.toolCalls.length === 0) return null;
  return {tool_approvals: action.toolCalls.map((call) => ({tool_call_id: call.id, approve: true}))};
}

/** The body that would let the run go on, outputs or approvals, whichever it waits for. */
export function unstickBody(run: Run): SubmitToolOutputsBody | SubmitToolApprovalsBody | null {
  return submitToolOutputsBody(run) ?? submitToolApprovalsBody(run);
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

/**
 * `{baseUrl}/threads/{thread}/runs/{run}/submit_tool_outputs`, with `?api-version=V` when one is
 * given (Azure: Foundry Agent Service and Azure OpenAI); the ids are percent-encoded.
 */
export function submitToolOutputsUrl(run: Pick<Run, 'id' | 'threadId'>, baseUrl: string = OFFICIAL_BASE_URL, apiVersion?: string): string | null {
  if (!run.threadId) return null;
  const base = baseUrl.replace(/\/+$/, '');
  const query = apiVersion ? `?api-version=${encodeURIComponent(apiVersion)}` : '';
  return `${base}/threads/${encodeURIComponent(run.threadId)}/runs/${encodeURIComponent(run.id)}/submit_tool_outputs${query}`;
}

/** Where a run came from, for the exact unstick request: the server's root and how it signs in. */
export interface UnstickTarget {
  /** API root, default https://api.openai.com/v1 (a proxy, a compatible server or a Foundry project otherwise). */
  baseUrl?: string;
  /** Foundry Agent Service: its api-version, and an Entra bearer placeholder instead of $OPENAI_API_KEY. */
  foundryApiVersion?: string;
}

/** The target for runs read through an API connection (its `ResolvedConnection`). */
export function unstickTargetOf(connection: {baseUrl: string; foundry?: {apiVersion: string}}): UnstickTarget {
  return {baseUrl: connection.baseUrl, ...(connection.foundry ? {foundryApiVersion: connection.foundry.apiVersion} : {})};
}

export interface CurlOptions extends UnstickTarget {
  /** One argument per line, joined with ` \` continuations; default one line. */
  multiline?: boolean;
}

/** The auth headers of the unstick request: a placeholder the user's shell fills in, never a real key. */
export function unstickHeaders(target: UnstickTarget): string[] {
  return target.foundryApiVersion
    ? ['Authorization: Bearer $(az account get-access-token --resource https://ai.azure.com --query accessToken -o tsv)']
    : ['Authorization: Bearer $OPENAI_API_KEY', 'OpenAI-Beta: assistants=v2'];
}

/**
 * A ready-to-paste curl command posting `submitToolOutputsBody(run)`. The key is the literal
 * `$OPENAI_API_KEY` (expanded by the user's shell, never a real key); every other argument is
 * single-quoted. Null when there is no body, or the run has no thread id to build the URL from.
 */
export function submitToolOutputsCurl(run: Run, options: CurlOptions | string = {}): string | null {
  const target = typeof options === 'string' ? {baseUrl: options} : options;
  const {baseUrl = OFFICIAL_BASE_URL, multiline = false} = target;
  if (run.kind === 'response') return continuingResponseCurl(run, {baseUrl, multiline});
  const body = unstickBody(run);
  const url = submitToolOutputsUrl(run, baseUrl, target.foundryApiVersion);
  if (!body || !url) return null;
  return curlPost(url, body, unstickHeaders(target), multiline);
}

/** `curl URL -H header… -H content-type -d BODY`, one argument a line when `multiline`. */
function curlPost(url: string, body: unknown, headers: readonly string[], multiline: boolean): string {
  const parts = [
    `curl ${shellQuote(url)}`,
    ...headers.map((header) => `-H "${header}"`),
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
  body: SubmitToolOutputsBody | SubmitToolApprovalsBody | ContinuingResponseBody;
  /** What the body is, for a heading or a copy label. */
  label: string;
}

/** `submit_tool_outputs` for a run, the continuing `POST /responses` for a response; null when nothing waits. */
export function unstickRequest(run: Run): UnstickRequest | null {
  if (run.kind === 'response') {
    const body = continuingResponseBody(run);
    return body ? {path: '/responses', body, label: 'the continuing response request'} : null;
  }
  const body = unstickBody(run);
  if (!body) return null;
  const label = 'tool_approvals' in body ? 'the submit_tool_outputs body (approvals)' : 'the submit_tool_outputs body';
  if (!run.threadId) return {path: '', body, label};
  return {path: `/threads/${encodeURIComponent(run.threadId)}/runs/${encodeURIComponent(run.id)}/submit_tool_outputs`, body, label};
}

/** curl posting `continuingResponseBody(run)` to `{baseUrl}/responses`, quoted as `submitToolOutputsCurl` quotes. */
export function continuingResponseCurl(run: Run, options: CurlOptions = {}): string | null {
  const {baseUrl = OFFICIAL_BASE_URL, multiline = false} = options;
  const body = continuingResponseBody(run);
  if (!body) return null;
  return curlPost(`${baseUrl.replace(/\/+$/, '')}/responses`, body, ['Authorization: Bearer $OPENAI_API_KEY'], multiline);
}
