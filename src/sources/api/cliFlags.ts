/**
 * From command-line flags (and the settings' profiles) to the options of `loadRunsFromApi`, so the
 * CLI only declares the flags and calls `resolveApiRequest`. Pure: no I/O beyond reading settings.
 */
import {parseHeaderFlags, type NamedProfile} from '../../config/profile.js';
import type {Settings} from '../../config/settings.js';
import type {ApiConnectionOptions, Env, FoundryConnection} from './apiClient.js';
import type {CredentialChoice} from './entraAuth.js';

/**
 * Foundry's API version when none is given. It lives here rather than beside the client: the
 * entry reads these flags on every start, and the client's module loads the openai SDK.
 */
export const DEFAULT_FOUNDRY_API_VERSION = '2025-05-01';

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
  /** `--project-endpoint URL`: Foundry Agent Service (classic). */
  projectEndpoint?: string | null;
  /** `--api-version V` (Foundry's; Azure OpenAI reads its own). */
  apiVersion?: string | null;
  /** `--credential cli|default`. */
  credential?: string | null;
  /** `--token-env VAR`: a raw bearer token in VAR. */
  tokenEnv?: string | null;
  /** `--all-threads`: list the project's threads (Foundry) and read their runs. */
  allThreads?: boolean;
  /** `--all-responses`: list the project's responses (Foundry's `GET /openai/v1/responses`). */
  allResponses?: boolean;
  /** `--agent NAME`: that list's `agent_name` filter. */
  agentName?: string | null;
  /** Whether `--base-url` or `--azure-endpoint` names another server (then AZURE_AI_PROJECT_ENDPOINT is not used). */
  otherServer?: boolean;
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
  /** `--all-threads`: the threads are the project's, listed first (up to `limit`). */
  allThreads?: boolean;
  /** `--all-responses` (Foundry): the project's responses, listed (up to `limit`), `agentName` the filter. */
  allResponses?: {agentName: string | null};
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
  return (
    (flags.threads?.length ?? 0) > 0 ||
    Boolean(flags.runId) ||
    Boolean(flags.profile) ||
    (flags.responses?.length ?? 0) > 0 ||
    (flags.conversations?.length ?? 0) > 0 ||
    Boolean(flags.allThreads) ||
    Boolean(flags.allResponses) ||
    Boolean(flags.projectEndpoint)
  );
}

/** `--thread a,b --thread c` → `[a, b, c]`. */
function idList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((entry) => entry.split(',')).map((id) => id.trim()).filter(Boolean);
}

/** The environment variable the Azure AI Foundry SDKs read the project endpoint from. */
export const PROJECT_ENDPOINT_ENV = 'AZURE_AI_PROJECT_ENDPOINT';

function credentialChoice(flags: ApiFlags, profile: NamedProfile | null): CredentialChoice {
  const tokenEnv = flags.tokenEnv ?? (flags.credential ? undefined : profile?.foundry?.tokenEnv);
  if (tokenEnv) {
    if (flags.credential) throw new ApiFlagError('--token-env and --credential are two ways to sign in; give one');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw new ApiFlagError('--token-env takes the NAME of an environment variable, not a token');
    return {kind: 'token-env', variable: tokenEnv};
  }
  const name = flags.credential ?? profile?.foundry?.credential ?? 'cli';
  if (name !== 'cli' && name !== 'default') throw new ApiFlagError(`--credential takes cli or default, not '${name}'`);
  return {kind: name};
}

/**
 * Foundry Agent Service (classic), when the flags, the environment or the profile name a project
 * endpoint: `--project-endpoint`, else AZURE_AI_PROJECT_ENDPOINT (unless another server is named
 * or the profile is one), else the profile's. Null for other servers.
 */
export function resolveFoundry(flags: ApiFlags, profile: NamedProfile | null, env: Env): FoundryConnection | null {
  const fromEnv = flags.otherServer || profile?.baseUrl || profile?.azure ? undefined : env[PROJECT_ENDPOINT_ENV]?.trim() || undefined;
  const projectEndpoint = flags.projectEndpoint?.trim() || fromEnv || profile?.foundry?.projectEndpoint;
  if (!projectEndpoint) {
    if (flags.credential || flags.tokenEnv) throw new ApiFlagError(`${flags.credential ? '--credential' : '--token-env'} is for Foundry: give --project-endpoint URL (or set ${PROJECT_ENDPOINT_ENV})`);
    return null;
  }
  const apiVersion = flags.apiVersion?.trim() || profile?.foundry?.apiVersion || DEFAULT_FOUNDRY_API_VERSION;
  return {projectEndpoint, apiVersion, credential: credentialChoice(flags, profile)};
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
export function resolveApiRequest(flags: ApiFlags, settings: Settings | null, env: Env = {}): ApiRequest {
  const profile = settings ? settings.resolveProfile(flags.profile ?? null) : null;
  if (flags.profile && !settings) throw new ApiFlagError('--profile needs the settings file');
  const foundry = resolveFoundry(flags, profile, env);
  const allThreads = Boolean(flags.allThreads);
  if (allThreads && !foundry) throw new ApiFlagError(`--all-threads lists a Foundry project's threads: give --project-endpoint URL (or set ${PROJECT_ENDPOINT_ENV})`);
  let threads = idList(flags.threads);
  const responses = idList(flags.responses);
  const conversations = idList(flags.conversations);
  if (flags.allResponses && !foundry) throw new ApiFlagError(`--all-responses lists a Foundry project's responses: give --project-endpoint URL (or set ${PROJECT_ENDPOINT_ENV})`);
  if (flags.agentName && !flags.allResponses) throw new ApiFlagError('--agent filters the list of --all-responses; give that too');
  const responsesNamed = responses.length + conversations.length > 0 || Boolean(flags.allResponses);
  if (threads.length === 0 && !allThreads && !responsesNamed) threads = [...(profile?.threads ?? [])];
  if (allThreads && threads.length > 0) throw new ApiFlagError('--all-threads reads every thread; give it or --thread, not both');
  if (threads.length === 0 && !allThreads && !responsesNamed) {
    const allHint = foundry ? ' (or --all-threads)' : '';
    throw new ApiFlagError(
      profile ? `no thread: give --thread ID${allHint} (profile '${profile.name}' has no threads)` : `no thread: give --thread ID${allHint}, or a --profile with threads`,
    );
  }
  const headers = flags.headers && flags.headers.length > 0 ? parseHeaderFlags(flags.headers, ApiFlagError) : undefined;
  const timeoutSeconds = flags.timeoutSeconds;
  if (timeoutSeconds !== null && timeoutSeconds !== undefined && !(timeoutSeconds > 0)) {
    throw new ApiFlagError(`--timeout takes a number of seconds above 0, not '${timeoutSeconds}'`);
  }
  const connection: ApiConnectionOptions = {profile};
  if (foundry) connection.foundry = foundry;
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
    ...(allThreads ? {allThreads} : {}),
    ...(flags.allResponses ? {allResponses: {agentName: flags.agentName?.trim() || null}} : {}),
    ...(flags.runId ? {runId: flags.runId} : {}),
    limit: positiveInteger(flags.maxRuns, '--limit', DEFAULT_RUN_LIMIT),
    concurrency: positiveInteger(flags.concurrency, '--concurrency', DEFAULT_CONCURRENCY),
    connection,
    profile,
  };
}
