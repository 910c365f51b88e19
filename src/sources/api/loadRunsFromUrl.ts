/**
 * A URL as a source: GET any JSON in the file shapes (a run, an array, a list envelope, JSON
 * Lines) from any server, an export bucket or a gist. Plain `fetch`, not the SDK: this is not an
 * OpenAI API. The body goes through `parseRunText`, so every shape, and every message with its
 * line and column, is the same as for a file.
 *
 * Like the file loader it never throws for bad input: a failed request is a warning.
 */
import type {LoadedRuns} from '../loadSources.js';
import {RunCollection} from '../runCollection.js';
import {parseJsonLines, parseRunText} from '../parseRunText.js';
import {decodeRunFile, isJsonLinesName, withoutBom} from '../sniff.js';
import type {ParsedItems} from '../../model/itemKinds.js';
import type {LoadWarning} from '../../model/loadWarning.js';
import {resolveEnvHeaders} from '../../config/profile.js';
import {markSourceKind} from '../sourceKind.js';
import {isBadPort, redactSecrets, systemCode} from './apiErrors.js';
import type {Env} from './apiClient.js';

const DEFAULT_URL_TIMEOUT_MS = 30_000;

export interface UrlLoadOptions {
  /** Request headers; a value `env:NAME` is read from `env`. */
  headers?: Record<string, string>;
  env?: Env;
  /** For the whole request, body included. Default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** For tests. Default: the global fetch. */
  fetch?: typeof fetch;
}

/** Query parameters whose values are credentials (signed URLs, tokens) and are never shown. */
const SECRET_PARAM = /key|token|secret|sig|signature|password|auth|credential|code|session/i;

/**
 * The URL as shown in messages: no user name or password, and credential-like query values
 * masked (`?sig=***`).
 */
export function urlLabel(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  shown.hash = '';
  for (const name of [...new Set(shown.searchParams.keys())]) {
    if (SECRET_PARAM.test(name)) shown.searchParams.set(name, '***');
  }
  // URLSearchParams encodes `*`; keep the mask readable.
  return shown.href.replace(/%2A%2A%2A/g, '***');
}

function mediaType(contentType: string | null): string | null {
  return contentType ? contentType.split(';')[0]!.trim().toLowerCase() : null;
}

function isJsonLinesType(media: string | null): boolean {
  return media !== null && /^application\/(x-)?(ndjson|jsonl|jsonlines|x-jsonlines|json-seq)$/.test(media);
}

function describeFetchError(error: unknown, url: URL, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000}s`;
  if (error instanceof Error && error.name === 'AbortError') return 'cancelled';
  const code = systemCode(error);
  if (code === 'ECONNREFUSED') return `cannot connect to ${url.host} (connection refused)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host name ${url.hostname}`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `the connection to ${url.host} was closed before the whole answer came`;
  if (code) return `cannot read from ${url.host} (${code})`;
  if (isBadPort(error)) return `fetch refuses port ${url.port} (a "bad port"); use another one`;
  return error instanceof Error ? error.message : String(error);
}

/** GETs a URL and reads the runs in it. Never throws for what the server does. */
export async function loadRunsFromUrl(source: string, options: UrlLoadOptions = {}): Promise<LoadedRuns> {
  const warnings: LoadWarning[] = [];
  const done = (parsed: ParsedItems | null, label: string): LoadedRuns => {
    const collection = new RunCollection();
    const parsedWarnings = parsed?.warnings ?? [];
    if (parsed) collection.addItems(markSourceKind(parsed, 'url'));
    return {
      ...collection.side,
      runs: collection.runs,
      warnings: [...warnings, ...parsedWarnings, ...collection.warnings],
      sources: [label],
      files: parsed ? [label] : [],
    };
  };

  let url: URL;
  try {
    url = new URL(source);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    const label = redactSecrets(source);
    warnings.push({location: label, message: 'not an http(s) URL'});
    return done(null, label);
  }
  const label = urlLabel(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
  const {headers, fromEnv: secrets, problem} = resolveEnvHeaders(options.headers ?? {}, options.env ?? {});
  if (problem) {
    warnings.push({location: label, message: problem});
    return done(null, label);
  }
  // fetch refuses a URL with a user name or password; send them as Basic auth, as curl does.
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    if (password) secrets.push(password, url.password);
    const hasAuthorization = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
    if (!hasAuthorization) headers['Authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    url = new URL(url.href);
    url.username = '';
    url.password = '';
  }
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const doFetch = options.fetch ?? fetch;

  let text: string;
  let media: string | null;
  try {
    const response = await doFetch(url, {
      headers: {accept: 'application/json, application/x-ndjson;q=0.9, */*;q=0.1', ...headers},
      signal,
      redirect: 'follow',
    });
    media = mediaType(response.headers.get('content-type'));
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const statusText = response.statusText ? ` ${response.statusText}` : '';
      warnings.push({location: label, message: `HTTP ${response.status}${statusText}`});
      return done(null, label);
    }
    if (media === 'text/html' || media === 'application/xhtml+xml') {
      await response.body?.cancel().catch(() => undefined);
      warnings.push({location: label, message: `answered with content-type ${media}, not JSON (a login or error page?)`});
      return done(null, label);
    }
    text = decodeRunFile(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    const reason = timeout.aborted && !options.signal?.aborted ? `no answer within ${timeoutMs / 1000}s` : describeFetchError(error, url, timeoutMs);
    warnings.push({location: label, message: redactSecrets(reason, secrets)});
    return done(null, label);
  }

  // JSON Lines by the path's extension (the label may end in a query) or by the content type.
  const path = url.pathname;
  if ((isJsonLinesName(path) || isJsonLinesType(media)) && !isJsonLinesName(label)) {
    const out: ParsedItems = {runs: [], warnings: []};
    const body = withoutBom(text);
    if (body.trim() === '') out.warnings.push({location: label, message: 'empty file'});
    else parseJsonLines(body, label, out);
    return done(out, label);
  }
  return done(parseRunText(text, label), label);
}
