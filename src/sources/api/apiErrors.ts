/**
 * One clear line for every way an Assistants API call can fail: what was being done, what went
 * wrong and, where there is one, what to do. No stack traces, and never the key: text that comes
 * from the server (or from the SDK, which quotes it) is scrubbed of the secrets in use and of
 * anything shaped like a key before it is shown.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import {safeInline} from '../../format/sanitize.js';
import {ApiConfigError, type ResolvedConnection} from './apiClient.js';
import {EntraAuthError} from './entraAuth.js';

/** The day OpenAI turned its hosted Assistants API off. */
const ASSISTANTS_SHUTDOWN_DATE = '2026-08-26';
const SHUTDOWN_MS = Date.parse(`${ASSISTANTS_SHUTDOWN_DATE}T00:00:00Z`);

export type ApiOperation =
  | 'list-threads'
  | 'list-runs'
  | 'retrieve-run'
  | 'list-steps'
  | 'list-messages'
  | 'submit-tool-outputs'
  | 'submit-tool-approvals'
  | 'cancel-run'
  // Responses API: `runId` holds the response id, `threadId` the conversation id.
  | 'retrieve-response'
  | 'list-input-items'
  | 'list-conversation-items'
  | 'create-response'
  | 'cancel-response'
  | 'list-responses';

export interface ApiErrorContext {
  operation: ApiOperation;
  threadId?: string;
  runId?: string;
  connection?: ResolvedConnection;
  /** Values to scrub from any text shown (the key, credential headers). */
  secrets?: readonly string[];
  /** For the wording around the shutdown date; default Date.now(). */
  now?: number;
}

export type ApiErrorKind =
  | 'config'
  | 'auth'
  | 'permission'
  | 'not-found'
  | 'bad-request'
  | 'rate-limit'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'invalid-response'
  | 'cancelled'
  | 'other';

/** A 2xx answer that is not what the API documents (not JSON, no `data` array, …). */
export class UnexpectedResponseError extends Error {
  override name = 'UnexpectedResponseError';
}

/** What the API source throws: a one-line message, already scrubbed, and its kind. */
export class ApiSourceError extends Error {
  override name = 'ApiSourceError';
  constructor(
    message: string,
    readonly kind: ApiErrorKind,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

const KEY_LIKE = /\b(sk|rk|sess)-[A-Za-z0-9_*.-]{3,}/g;
const BEARER = /\b(bearer)\s+[^\s,;"']+/gi;

/** Removes the given secrets and anything shaped like a key from a text, and makes it one safe line. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  result = result.replace(KEY_LIKE, '$1-***').replace(BEARER, '$1 ***');
  result = safeInline(result.replace(/\s+/g, ' ').trim());
  return result.length > 200 ? `${result.slice(0, 199)}…` : result;
}

export function classifyApiError(error: unknown): ApiErrorKind {
  if (error instanceof ApiSourceError) return error.kind;
  if (error instanceof ApiConfigError) return 'config';
  if (error instanceof EntraAuthError) return 'auth';
  if (error instanceof APIUserAbortError) return 'cancelled';
  if (error instanceof APIConnectionTimeoutError) return 'timeout';
  if (error instanceof APIConnectionError) return 'connection';
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    if (status === 401) return 'auth';
    if (status === 403) return 'permission';
    if (status === 404 || status === 410) return 'not-found';
    if (status === 429) return 'rate-limit';
    if (status >= 500) return 'server';
    if (status >= 400) return 'bad-request';
    return 'other';
  }
  if (error instanceof SyntaxError || error instanceof UnexpectedResponseError) return 'invalid-response';
  if (isAbort(error)) return 'cancelled';
  return 'other';
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError');
}

/** What each operation was doing, for the message: `thread` and `run` as the context names them. */
const DOING: Record<ApiOperation, (thread: string, run: string) => string> = {
  'list-threads': () => 'listing the threads of the project',
  'list-runs': (thread) => `listing the runs of thread ${thread}`,
  'retrieve-run': (thread, run) => `fetching run ${run} of thread ${thread}`,
  'list-steps': (_thread, run) => `listing the steps of run ${run}`,
  'list-messages': (thread) => `listing the messages of thread ${thread}`,
  'submit-tool-outputs': (_thread, run) => `submitting tool outputs to run ${run}`,
  'submit-tool-approvals': (_thread, run) => `submitting tool approvals to run ${run}`,
  'cancel-run': (_thread, run) => `cancelling run ${run}`,
  'retrieve-response': (_thread, run) => `fetching response ${run}`,
  'list-input-items': (_thread, run) => `listing the input items of response ${run}`,
  'list-conversation-items': (thread) => `listing the items of conversation ${thread}`,
  'create-response': (_thread, run) => `creating the response that continues ${run}`,
  'cancel-response': (_thread, run) => `cancelling response ${run}`,
  'list-responses': () => 'listing the responses of the project',
};

function doing(context: ApiErrorContext): string {
  return DOING[context.operation](context.threadId ?? '?', context.runId ?? '?');
}

function seconds(ms: number): string {
  const value = ms / 1000;
  return `${Number.isInteger(value) ? value : Number(value.toFixed(1))}s`;
}

/** The server's own message (the `error.message` of its JSON body), scrubbed, or null. */
function serverMessage(error: APIError, secrets: readonly string[]): string | null {
  const body = error.error as {message?: unknown} | undefined;
  let text: string | null = null;
  if (body && typeof body === 'object' && typeof body.message === 'string') text = body.message;
  else if (typeof body === 'string') text = body;
  else if (!body) {
    // No JSON body: the SDK's message is "<status> <text body>" or "<status> status code (no body)".
    const rest = error.message.replace(/^\d{3}\s*/, '');
    if (rest && rest !== 'status code (no body)') text = rest;
  }
  if (text === null || text.trim() === '') return null;
  // An HTML error page is noise on one line.
  if (/^\s*<(!doctype|html)/i.test(text)) return null;
  return redactSecrets(text, secrets);
}

/**
 * An error and what caused it, outermost first, at most six deep: each one's `cause`, or for an
 * AggregateError (IPv4 and IPv6 both refused) the first of its `errors`, which says it.
 */
function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth += 1) {
    chain.push(current);
    const errors = (current as {errors?: unknown}).errors;
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : (current as {cause?: unknown}).cause;
  }
  return chain;
}

/** The first system error code (ECONNREFUSED, ENOTFOUND, …) along an error's cause chain. */
export function systemCode(error: unknown): string | null {
  for (const link of causeChain(error)) {
    const code = (link as {code?: unknown}).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
  }
  return null;
}

/** Whether fetch refused the port outright (the WHATWG "bad ports": 6000, 6667, …). */
export function isBadPort(error: unknown): boolean {
  return causeChain(error).some((link) => (link as {message?: unknown}).message === 'bad port');
}

function describeConnectionError(error: unknown, host: string, hostname: string): string {
  const code = systemCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${host} (connection refused); is the server running?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host name ${hostname}; check the base URL`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `the connection to ${host} was closed before an answer came`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${host} (${code === 'EHOSTUNREACH' ? 'host' : 'network'} unreachable)`;
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `cannot connect to ${host} (connect timeout)`;
    default:
      if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
        return `TLS error connecting to ${host} (${code})`;
      }
      if (code) return `cannot connect to ${host} (${code})`;
      if (isBadPort(error)) return `cannot connect to ${host}: fetch refuses this port (a "bad port"); use another one`;
      return `cannot connect to ${host}`;
  }
}

function whoseKey(connection: ResolvedConnection | undefined): string {
  if (!connection) return 'the API key';
  if (connection.foundry) return `the token of ${connection.foundry.credential}`;
  const profile = connection.profileName ? ` (profile '${connection.profileName}')` : '';
  return `the API key in ${connection.keyEnv}${profile}`;
}

function shutdownNote(context: ApiErrorContext): string {
  const now = context.now ?? Date.now();
  const tense = now >= SHUTDOWN_MS ? 'shut its hosted Assistants API down' : 'shuts its hosted Assistants API down';
  return `OpenAI ${tense} on ${ASSISTANTS_SHUTDOWN_DATE}; open saved run files instead, or a compatible server (Azure OpenAI Assistants, self-hosted) with --base-url or a profile`;
}

function retriesNote(connection: ResolvedConnection | undefined): string {
  const retries = connection?.maxRetries ?? 0;
  return retries > 0 ? `, still after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
}

function notFound(error: APIError, context: ApiErrorContext, host: string): string {
  const status = `HTTP ${error.status}`;
  const said = typeof (error.error as {message?: unknown} | undefined)?.message === 'string' ? String((error.error as {message: string}).message) : '';
  if (context.operation === 'list-conversation-items') return `conversation ${context.threadId ?? '?'} not found at ${host} (${status})`;
  if (context.operation.endsWith('-response') || context.operation === 'list-input-items') return `response ${context.runId ?? '?'} not found at ${host} (${status})`;
  // Foundry answers 404 both for a wrong project path and for a missing thread or run; only the
  // second names what it did not find.
  if (context.connection?.foundry && !/\b(thread|run|step)s?\b/i.test(said) && !(context.threadId && said.includes(context.threadId))) {
    return `${host} has no such route (${status}): check the project endpoint (https://<resource>.services.ai.azure.com/api/projects/<project>) and --api-version`;
  }
  const threadMissing = context.operation === 'list-runs' || context.operation === 'list-threads' || /\bthread\b/i.test(said);
  const what =
    threadMissing || !context.runId
      ? `thread ${context.threadId ?? '?'} not found at ${host} (${status})`
      : `run ${context.runId} not found in thread ${context.threadId ?? '?'} at ${host} (${status})`;
  if (context.connection?.official && (context.operation === 'list-runs' || context.operation === 'retrieve-run' || error.status === 410)) {
    return `${what}: ${shutdownNote(context)}`;
  }
  return what;
}

/** The reason of a JSON.parse error, without the excerpt of the body Node quotes. */
function jsonReason(error: SyntaxError): string {
  return error.message.replace(/,\s*".*"\s+is not valid JSON$/s, '').replace(/\s+/g, ' ').trim() || 'invalid JSON';
}

/**
 * One line describing a failed API call, e.g.
 * `listing the runs of thread thread_a: cannot connect to 127.0.0.1:4010 (connection refused); is the server running?`.
 */
export function describeApiError(error: unknown, context: ApiErrorContext): string {
  const secrets = context.secrets ?? [];
  const connection = context.connection;
  const host = connection?.host ?? 'the server';
  const hostname = connection ? new URL(connection.baseUrl).hostname : host;
  const prefix = `${doing(context)}: `;

  if (error instanceof ApiSourceError) return error.message;
  if (error instanceof ApiConfigError) return redactSecrets(error.message, secrets);
  if (error instanceof EntraAuthError) return prefix + redactSecrets(error.message, secrets);
  if (error instanceof APIUserAbortError || (isAbort(error) && !(error instanceof APIError))) return `${prefix}cancelled`;
  if (error instanceof APIConnectionTimeoutError) {
    const attempts = (connection?.maxRetries ?? 0) + 1;
    const within = connection ? ` within ${seconds(connection.timeoutMs)}` : '';
    return `${prefix}no answer from ${host}${within} (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}); raise --timeout or check the server`;
  }
  if (error instanceof APIConnectionError) return prefix + describeConnectionError(error, host, hostname);
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const said = serverMessage(error, secrets);
    const saidNote = said ? ` (server: ${said})` : '';
    if (status === 401) return `${prefix}${host} rejected ${whoseKey(connection)} (HTTP 401)${saidNote}`;
    if (status === 403 && connection?.foundry) {
      return `${prefix}${host} refused access (HTTP 403): ${whoseKey(connection)} lacks a role on this project (e.g. Azure AI User)${saidNote}`;
    }
    if (status === 403) {
      return `${prefix}${host} refused access (HTTP 403): ${whoseKey(connection)} lacks permission for this thread, project or organization${saidNote}`;
    }
    if (status === 404 || status === 410) return prefix + notFound(error, context, host);
    if (status === 429) return `${prefix}${host} is rate limiting requests (HTTP 429)${retriesNote(connection)}; wait and try again${saidNote}`;
    if (status >= 500) return `${prefix}server error at ${host} (HTTP ${status})${retriesNote(connection)}${saidNote}`;
    return `${prefix}${host} refused the request (HTTP ${status})${saidNote}`;
  }
  if (error instanceof SyntaxError) return `${prefix}${host} sent invalid JSON (${redactSecrets(jsonReason(error), secrets)})`;
  if (error instanceof UnexpectedResponseError) return `${prefix}${host} ${redactSecrets(error.message, secrets)}`;
  const message = error instanceof Error ? error.message : String(error);
  return `${prefix}${redactSecrets(message, secrets) || 'unknown error'}`;
}

/** The error as an ApiSourceError carrying the one-line message. */
export function toApiSourceError(error: unknown, context: ApiErrorContext): ApiSourceError {
  if (error instanceof ApiSourceError) return error;
  const status = error instanceof APIError && typeof error.status === 'number' ? error.status : null;
  return new ApiSourceError(describeApiError(error, context), classifyApiError(error), status);
}
