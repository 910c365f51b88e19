/**
 * From command-line flags (and the settings' profiles) to the options of `loadRunsFromApi`, so the
 * CLI only declares the flags and calls `resolveApiRequest`. Pure: no I/O beyond reading settings.
 */
import {parseHeaderFlags, type NamedProfile} from '../../config/profile.js';
import type {Settings} from '../../config/settings.js';
import type {ApiConnectionOptions} from './apiClient.js';

/** Runs read per thread unless `limit` says otherwise. */
export const DEFAULT_RUN_LIMIT = 1000;
/** Threads fetched at once. */
export const DEFAULT_CONCURRENCY = 4;

/** The API flags as parsed (`parseArgs` values, renamed). */
export interface ApiFlags {
  /** `--thread ID` (repeatable; commas split too). */
  threads?: readonly string[];
  /** `--run RUN_ID`. */
  runId?: string | null;
  /** `--response ID` (repeatable; commas split too): Responses API responses, each with its chain. */
  responses?: readonly string[];
  /** `--conversation ID` (repeatable): a conversation's items and the responses they name. */
  conversations?: readonly string[];
  /** `--profile NAME`. */
  profile?: string | null;
  /** `--base-url URL`. */
  baseUrl?: string | null;
  /** `--api-key-env VAR`. */
  apiKeyEnv?: string | null;
  org?: string | null;
  project?: string | null;
  /** `--header "Name: value"` (repeatable). */
  headers?: readonly string[];
  /** `--timeout SECONDS` (per request attempt). */
  timeoutSeconds?: number | null;
  /** `--max-retries N`. */
  maxRetries?: number | null;
  /** `--limit N`: runs per thread (default 1000). */
  maxRuns?: number | null;
  /** `--concurrency N`: threads at once. */
  concurrency?: number | null;
}

/** A flag combination that cannot work (exit 2). */
export class ApiFlagError extends Error {
  override name = 'ApiFlagError';
}

export interface ApiRequest {
  threads: string[];
  /** Responses and conversations named (Responses API); absent when none is. */
  responses?: string[];
  conversations?: string[];
  runId?: string;
  limit: number;
  concurrency: number;
  connection: ApiConnectionOptions;
  /** The profile in use, if any (for the header line and `rememberThreads`). */
  profile: NamedProfile | null;
}

/**
 * Whether the flags ask for the API source: a thread, a run or a profile was named.
 * (A profile with file SOURCEs as well is for the CLI to refuse or to ignore.)
 */
export function wantsApiSource(flags: ApiFlags): boolean {
  return (flags.threads?.length ?? 0) > 0 || Boolean(flags.runId) || Boolean(flags.profile) || (flags.responses?.length ?? 0) > 0 || (flags.conversations?.length ?? 0) > 0;
}

/** `--thread a,b --thread c` → `[a, b, c]`. */
function idList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((entry) => entry.split(',')).map((id) => id.trim()).filter(Boolean);
}

function positiveInteger(value: number | null | undefined, flag: string, fallback: number, min = 1): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new ApiFlagError(`${flag} takes a whole number of at least ${min}, not '${value}'`);
  return value;
}

/**
 * The load options for the flags: the profile (`--profile`, else the default one) fills in
 * what the flags leave out, and gives the threads when no `--thread` is given.
 * Throws ApiFlagError (usage) or the settings' ProfileNotFoundError / SettingsError.
 */
export function resolveApiRequest(flags: ApiFlags, settings: Settings | null): ApiRequest {
  const profile = settings ? settings.resolveProfile(flags.profile ?? null) : null;
  if (flags.profile && !settings) throw new ApiFlagError('--profile needs the settings file');
  let threads = idList(flags.threads);
  const responses = idList(flags.responses);
  const conversations = idList(flags.conversations);
  const responsesNamed = responses.length + conversations.length > 0;
  if (threads.length === 0 && !responsesNamed) threads = [...(profile?.threads ?? [])];
  if (threads.length === 0 && !responsesNamed) {
    throw new ApiFlagError(
      profile ? `no thread: give --thread ID (profile '${profile.name}' has no threads)` : 'no thread: give --thread ID, or a --profile with threads',
    );
  }
  const headers = flags.headers && flags.headers.length > 0 ? parseHeaderFlags(flags.headers, ApiFlagError) : undefined;
  const timeoutSeconds = flags.timeoutSeconds;
  if (timeoutSeconds !== null && timeoutSeconds !== undefined && !(timeoutSeconds > 0)) {
    throw new ApiFlagError(`--timeout takes a number of seconds above 0, not '${timeoutSeconds}'`);
  }
  const connection: ApiConnectionOptions = {profile};
  if (flags.baseUrl) connection.baseUrl = flags.baseUrl;
  if (flags.apiKeyEnv) connection.apiKeyEnv = flags.apiKeyEnv;
  if (flags.org) connection.org = flags.org;
  if (flags.project) connection.project = flags.project;
  if (headers) connection.headers = headers;
  if (timeoutSeconds) connection.timeoutMs = Math.round(timeoutSeconds * 1000);
  if (flags.maxRetries !== null && flags.maxRetries !== undefined) connection.maxRetries = positiveInteger(flags.maxRetries, '--max-retries', 2, 0);
  return {
    threads,
    ...(responses.length > 0 ? {responses} : {}),
    ...(conversations.length > 0 ? {conversations} : {}),
    ...(flags.runId ? {runId: flags.runId} : {}),
    limit: positiveInteger(flags.maxRuns, '--limit', DEFAULT_RUN_LIMIT),
    concurrency: positiveInteger(flags.concurrency, '--concurrency', DEFAULT_CONCURRENCY),
    connection,
    profile,
  };
}
