/**
 * `runlens submit` and `runlens cancel`: the two writes, from the command line. Before submitting,
 * the run is retrieved and the outputs checked against the calls it waits for, so a typo in a call
 * id is refused here rather than half-applied by the server. Every failure is one line, exit 1,
 * and never shows the key (ApiSourceError messages are scrubbed at the source).
 */
import {readFileSync} from 'node:fs';
import type {Run} from '../model/run.js';
import {createAssistantsApi, type AssistantsApi} from '../sources/api/assistantsApi.js';
import type {ToolApproval, ToolOutput} from '../triage/unstick.js';
import type {ApiConnectionOptions} from '../sources/api/apiClient.js';
import {waitsForApproval} from '../model/run.js';
import {parseHeaderFlags, resolveEnvHeaders} from '../config/profile.js';
import {ApiSourceError} from '../sources/api/apiErrors.js';
import {SettingsError} from '../config/settings.js';
import {safeInline, safeJson} from '../format/sanitize.js';
import {whyNotCancellable} from '../triage/cancel.js';
import {ActionError, checkApprovalsForRun, checkOutputsForRun} from '../triage/toolOutputs.js';
import {APPROVAL_HEADER_JOIN, EXIT_FAILURE, EXIT_OK, UsageError, type CliOptions} from './args.js';
import {resolveCliApiRequest} from './loadCliSources.js';
import {reportUsageError, type CliIo} from './cliIo.js';

/** `CALL_ID=TEXT` → an output; the text may contain `=` and may be empty. */
function parseOutputFlag(text: string): ToolOutput {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--output takes CALL_ID=TEXT, not '${safeInline(text.length > 40 ? `${text.slice(0, 40)}…` : text)}'`);
  return {tool_call_id: text.slice(0, at), output: text.slice(at + 1)};
}

/** The outputs in a file's JSON: `{"tool_outputs":[{"tool_call_id","output"}...]}` or `{"CALL_ID":"TEXT"}`. */
function parseOutputsJson(value: unknown, label: string): ToolOutput[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ActionError(`${label}: expected {"tool_outputs":[...]} or {"CALL_ID":"TEXT"}`);
  }
  const object = value as Record<string, unknown>;
  if (Object.hasOwn(object, 'tool_outputs')) {
    const list = object['tool_outputs'];
    if (!Array.isArray(list)) throw new ActionError(`${label}: "tool_outputs" must be an array`);
    return list.map((entry, index) => {
      const item = entry as Record<string, unknown> | null;
      if (typeof item !== 'object' || item === null || typeof item['tool_call_id'] !== 'string' || typeof item['output'] !== 'string') {
        throw new ActionError(`${label}: tool_outputs[${index}] needs a string "tool_call_id" and a string "output"`);
      }
      return {tool_call_id: item['tool_call_id'], output: item['output']};
    });
  }
  return Object.entries(object).map(([id, output]) => {
    if (typeof output !== 'string') throw new ActionError(`${label}: the output of '${safeInline(id)}' must be a string`);
    return {tool_call_id: id, output};
  });
}

function readOutputsFile(file: string): ToolOutput[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ActionError(`cannot read ${safeInline(file)}${code ? ` (${code})` : ''}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ActionError(`${safeInline(file)} is not valid JSON: ${safeInline(error instanceof Error ? error.message : String(error))}`);
  }
  return parseOutputsJson(value, safeInline(file));
}

/** The outputs the flags and the file give; a call id given twice is refused. */
function collectOutputs(options: Pick<CliOptions, 'outputs' | 'outputsFile'>): ToolOutput[] {
  const outputs = [...options.outputs.map(parseOutputFlag), ...(options.outputsFile ? readOutputsFile(options.outputsFile) : [])];
  const seen = new Set<string>();
  for (const output of outputs) {
    if (seen.has(output.tool_call_id)) throw new ActionError(`two outputs for ${safeInline(output.tool_call_id)}; give one`);
    seen.add(output.tool_call_id);
  }
  return outputs;
}

/**
 * The approvals `--approve`, `--deny` and `--approval-header CALL_ID "Name: value"` give (a value
 * `env:VAR`, or `Bearer env:VAR`, read from `env`). A call both approved and denied, or headers
 * for a call neither approved nor denied, is refused.
 */
export function collectApprovals(options: Pick<CliOptions, 'approvals'>, env: CliIo['env'] = {}): ToolApproval[] {
  const split = (values: readonly string[]) => values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  const approvals = new Map<string, ToolApproval>();
  for (const [ids, approve] of [[split(options.approvals.approve), true], [split(options.approvals.deny), false]] as const) {
    for (const id of ids) {
      if (approvals.has(id)) throw new UsageError(`${safeInline(id)} is given twice (--approve / --deny); answer each call once`);
      approvals.set(id, {tool_call_id: id, approve});
    }
  }
  for (const entry of options.approvals.headers) {
    const at = entry.indexOf(APPROVAL_HEADER_JOIN);
    if (at <= 0) throw new UsageError('--approval-header takes CALL_ID "Name: value"');
    const id = entry.slice(0, at);
    const approval = approvals.get(id);
    if (!approval) throw new UsageError(`--approval-header for ${safeInline(id)}, which is neither --approve'd nor --deny'd`);
    // A secret for the MCP server stays out of the command line: "Authorization: Bearer env:VAR".
    const {headers, problem} = resolveEnvHeaders(parseHeaderFlags([entry.slice(at + 1)], UsageError), env);
    if (problem) throw new UsageError(`--approval-header for ${safeInline(id)}: ${problem}`);
    approval.headers = {...approval.headers, ...headers};
  }
  return [...approvals.values()];
}

/** The run and its thread: the first of the threads that has it. */
async function findRun(api: AssistantsApi, threads: readonly string[], runId: string): Promise<{threadId: string; run: Run}> {
  let notFound: ApiSourceError | null = null;
  for (const threadId of threads) {
    try {
      const parsed = await api.retrieveRun(threadId, runId);
      const run = parsed.runs[0];
      if (!run) throw new ActionError(`run ${safeInline(runId)}: the server answered with something that is not a run`);
      return {threadId, run};
    } catch (error) {
      if (error instanceof ApiSourceError && error.kind === 'not-found' && threads.length > 1) {
        notFound = error;
        continue;
      }
      throw error;
    }
  }
  throw notFound ?? new ActionError(`run ${safeInline(runId)} not found`);
}

function printRun(run: Run, options: CliOptions, io: CliIo, note: string): void {
  if (options.json) io.stdout.write(`${safeJson(run.raw, 2)}\n`);
  else io.stdout.write(`${safeInline(run.id)}: ${safeInline(run.status)}${note}\n`);
}

async function act(options: CliOptions, io: CliIo): Promise<number> {
  const runId = options.runId!;
  // Outputs first: a bad flag or file is refused before any request.
  const outputs = options.command === 'submit' ? collectOutputs(options) : [];
  // A response is named by its id alone (args.ts makes it the API source): no thread needed.
  const {request} = await resolveCliApiRequest(options, io);
  if (isResponseId(runId)) return actOnResponse(runId, outputs, request.connection, options, io);
  const api = createAssistantsApi(request.connection, io.env);

  if (options.command === 'cancel') {
    const threadId = request.threads.length === 1 ? request.threads[0]! : (await findRun(api, request.threads, runId)).threadId;
    const run = await api.cancelRun(threadId, runId).catch(async (error: unknown) => {
      // The server's refusal of an incomplete run says little; say why in words.
      if (error instanceof ApiSourceError && error.kind === 'bad-request') {
        const current = (await api.retrieveRun(threadId, runId).catch(() => null))?.runs[0];
        const why = current ? whyNotCancellable(current) : null;
        if (why) throw new ActionError(why);
      }
      throw error;
    });
    printRun(run, options, io, run.status === 'cancelling' ? ' (cancel requested)' : '');
    return EXIT_OK;
  }

  const approvals = collectApprovals(options, io.env);
  if (approvals.length > 0 && outputs.length > 0) throw new UsageError('--output and --approve/--deny answer two kinds of wait; give the kind the run waits for');
  const {threadId, run} = await findRun(api, request.threads, runId);
  if (approvals.length > 0 || waitsForApproval(run)) {
    const answered = checkApprovalsForRun(run, approvals);
    const after = await api.submitToolApprovals(threadId, runId, answered);
    const approved = answered.filter((approval) => approval.approve).length;
    printRun(after, options, io, ` (${approved} approved, ${answered.length - approved} denied)`);
    return EXIT_OK;
  }
  const body = checkOutputsForRun(run, outputs);
  const after = await api.submitToolOutputs(threadId, runId, body);
  printRun(after, options, io, ` (${body.length} tool output${body.length === 1 ? '' : 's'} submitted)`);
  return EXIT_OK;
}

/**
 * Whether the id names a Responses API response rather than a run: OpenAI's and compatible servers' ids
 * start `resp_`. Only for the command line, which has nothing but the id; the TUI asks `Run.kind`.
 */
function isResponseId(id: string): boolean {
  return id.startsWith('resp_');
}

/**
 * submit and cancel for a response: submit retrieves it, checks the outputs against the calls it
 * waits for (the same refusals as for a run) and creates the continuing response; cancel is for
 * background responses only, as the API says.
 */
async function actOnResponse(responseId: string, outputs: readonly ToolOutput[], connection: ApiConnectionOptions, options: CliOptions, io: CliIo): Promise<number> {
  const {ResponsesApi, cancelBackgroundResponse, continueWaitingResponse} = await import('../sources/api/responsesApi.js');
  const api = ResponsesApi.create(connection, io.env);
  if (options.command === 'cancel') {
    const after = await cancelBackgroundResponse(api, responseId);
    printRun(after, options, io, after.status === 'cancelled' ? ' (cancelled)' : '');
    return EXIT_OK;
  }
  const {created, answered} = await continueWaitingResponse(api, responseId, outputs);
  printRun(created, options, io, ` (continues ${safeInline(responseId)} with ${answered} output${answered === 1 ? '' : 's'})`);
  return EXIT_OK;
}

/** `runlens submit|cancel RUN_ID --thread T …`: the exit code. */
export async function runAction(options: CliOptions, io: CliIo): Promise<number> {
  try {
    return await act(options, io);
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error, io);
    // ActionError and ApiSourceError messages are made safe (and scrubbed) where they are written.
    if (error instanceof ActionError || error instanceof ApiSourceError) {
      io.stderr.write(`runlens: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    if (error instanceof SettingsError) {
      io.stderr.write(`runlens: ${safeInline(error.message)}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}
