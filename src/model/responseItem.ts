/**
 * The shapes of a Responses API response's own facts and items, as runlens shows them: types only,
 * apart from response.ts (which reads them), so that run.ts can name them without an import loop.
 */

/** One item of a response's `output` (or of an input item or conversation item list), as shown. */
export interface ResponseItem {
  /** `message`, `function_call`, `function_call_output`, `reasoning`, `mcp_approval_request`, `web_search_call`, … */
  type: string;
  id: string | null;
  status: string | null;
  /** Messages: `assistant`, `user`, `developer`, `system`. */
  role?: string;
  /** Messages: the text of their `output_text` / `input_text` parts, joined; refusals as `(refusal) …`. */
  text?: string;
  /** function_call and function_call_output: the id that pairs them. */
  callId?: string;
  /** function_call, mcp_approval_request, mcp_call: the function or tool name. */
  name?: string;
  /** function_call, mcp_approval_request, mcp_call: JSON text as the model wrote it. */
  arguments?: string;
  /** function_call_output: the output (a content list written as its text parts). */
  output?: string;
  /** mcp_*: the server's label. */
  serverLabel?: string;
  /** mcp_approval_response: the request it answers and the decision. */
  approvalRequestId?: string;
  approve?: boolean;
  /** reasoning: the summary texts. */
  summary?: string[];
}

/** What only a response has, beside the Run fields it shares with a run. */
export interface ResponseFacts {
  /** The status as the API wrote it (`completed` for a response that waits for tool outputs). */
  apiStatus: string;
  background: boolean | null;
  serviceTier: string | null;
  previousResponseId: string | null;
  /** The conversation's id (`conversation` is `{"id": …}`, or the id itself). */
  conversationId: string | null;
  /** `instructions` given as input items rather than a string (the string is `run.instructions`). */
  instructionItems: ResponseItem[] | null;
  maxOutputTokens: number | null;
  output: ResponseItem[];
  /** Why the calls no longer wait, when something loaded answered them (see responseWaits.ts). */
  answeredBy?: string;
}
