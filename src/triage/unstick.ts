/**
 * The request that would let a run in `requires_action` continue: a `submit_tool_outputs` call
 * with one output per pending tool call. Pure; the outputs are left empty for the user to fill.
 */
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
  const body = submitToolOutputsBody(run);
  const url = submitToolOutputsUrl(run, baseUrl);
  if (!body || !url) return null;
  const parts = [
    `curl ${shellQuote(url)}`,
    `-H "Authorization: Bearer $OPENAI_API_KEY"`,
    `-H "OpenAI-Beta: assistants=v2"`,
    `-H "Content-Type: application/json"`,
    `-d ${shellQuote(JSON.stringify(body))}`,
  ];
  return parts.join(multiline ? ' \\\n  ' : ' ');
}
