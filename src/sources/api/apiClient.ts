/**
 * Builds an OpenAI SDK client for the Assistants API from connection options, a profile and an
 * environment that is handed in (this module never reads `process.env` itself).
 *
 * Every option the SDK would otherwise take from `process.env` (base URL, key, admin key,
 * organization, project, log level) is passed explicitly, so what runlens connects to is what the
 * injected environment and the profile say. The key is kept inside the client: it never appears
 * in a message, and the description of the connection (`ResolvedConnection`) does not carry it.
 */
import OpenAI, {AzureOpenAI} from 'openai';
import {ENV_REFERENCE, isSecretHeader, looksLikeSecret, resolveEnvHeaders, type AzureSettings, type NamedProfile} from '../../config/profile.js';
import {OFFICIAL_BASE_URL} from '../../triage/unstick.js';
import {credentialLabel, entraTokenSource, type CredentialChoice} from './entraAuth.js';

const DEFAULT_KEY_ENV = 'OPENAI_API_KEY';
const DEFAULT_AZURE_KEY_ENV = 'AZURE_OPENAI_API_KEY';
/** The SDK waits 10 minutes by default; far too long for someone looking at a terminal. */
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;

export type Env = Readonly<Record<string, string | undefined>>;

/** Azure OpenAI Assistants: the resource endpoint and API version (the key is in an env variable). */
export interface AzureConnection {
  /** e.g. https://my-resource.openai.azure.com */
  endpoint: string;
  /** e.g. 2024-05-01-preview */
  apiVersion: string;
  deployment?: string;
}

/** Foundry Agent Service (classic): the project endpoint, its API version and the Entra credential. */
export interface FoundryConnection {
  /** As the portal shows it: https://<resource>.services.ai.azure.com/api/projects/<project> */
  projectEndpoint: string;
  /** The `api-version` query sent on every request. */
  apiVersion: string;
  credential: CredentialChoice;
}

/**
 * How to reach an Assistants API: command-line flags, each falling back to the profile.
 * The base URL falls back to `OPENAI_BASE_URL` before the profile (see `resolveBaseUrl`).
 */
export interface ApiConnectionOptions {
  /** `--base-url`. */
  baseUrl?: string;
  /** The NAME of the env variable holding the key (default OPENAI_API_KEY, or AZURE_OPENAI_API_KEY for Azure). */
  apiKeyEnv?: string;
  org?: string;
  project?: string;
  /** Extra headers; a value `env:NAME` is read from the environment variable NAME. */
  headers?: Record<string, string>;
  azure?: AzureConnection;
  foundry?: FoundryConnection;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Retries after 408/409/429/5xx and connection errors (the SDK's). Default 2. */
  maxRetries?: number;
  /** The profile in use (`--profile`, or the default one): fills in what the flags leave out. */
  profile?: NamedProfile | null;
  /** For tests: the fetch the SDK uses. */
  fetch?: typeof fetch;
}

/** Where a client connects and with what, for messages. Never holds the key. */
export interface ResolvedConnection {
  baseUrl: string;
  /** host[:port] of the base URL, for one-line messages. */
  host: string;
  /** The env variable the key was read from. */
  keyEnv: string;
  /** The profile in use, if any. */
  profileName: string | null;
  /** Whether this is OpenAI's own endpoint (api.openai.com). */
  official: boolean;
  azure: boolean;
  /** Foundry Agent Service only: its `api-version` and the Entra credential in words. */
  foundry?: {apiVersion: string; credential: string};
  timeoutMs: number;
  maxRetries: number;
}

/** The options cannot make a client: no key, a bad URL, a missing Azure API version, … */
export class ApiConfigError extends Error {
  override name = 'ApiConfigError';
}

export interface ApiClient {
  client: OpenAI;
  connection: ResolvedConnection;
  /** Secret values in use (the key, credential headers), for scrubbing messages. */
  secrets: readonly string[];
}

function nonEmpty(value: string | undefined | null): string | undefined {
  return value !== undefined && value !== null && value.trim() !== '' ? value.trim() : undefined;
}

/** `--base-url`, else `OPENAI_BASE_URL`, else the profile's, else the official endpoint. */
export function resolveBaseUrl(options: ApiConnectionOptions, env: Env): string {
  return nonEmpty(options.baseUrl) ?? nonEmpty(env['OPENAI_BASE_URL']) ?? nonEmpty(options.profile?.baseUrl) ?? OFFICIAL_BASE_URL;
}

function parseHttpUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiConfigError(`${what} '${text}' is not a URL (e.g. http://127.0.0.1:4010/v1)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ApiConfigError(`${what} '${text}' must start with http:// or https://`);
  }
  if (url.username || url.password) {
    throw new ApiConfigError(`${what} must not carry a user name or password; use --api-key-env`);
  }
  return url;
}

function describeProfile(options: ApiConnectionOptions): string {
  return options.profile ? ` (profile '${options.profile.name}')` : '';
}

/** Resolves `env:NAME` header values; the resolved secrets are collected for scrubbing. */
function resolveHeaders(options: ApiConnectionOptions, env: Env, secrets: string[]): Record<string, string> {
  const merged: Record<string, string> = {...options.profile?.headers, ...options.headers};
  const {headers, fromEnv, problem} = resolveEnvHeaders(merged, env);
  if (problem) throw new ApiConfigError(`${problem}${describeProfile(options)}`);
  secrets.push(...fromEnv);
  for (const [name, value] of Object.entries(merged)) {
    // A credential given on the command line is scrubbed from messages like the key.
    if (!ENV_REFERENCE.test(value.trim()) && (isSecretHeader(name) || looksLikeSecret(value))) secrets.push(value.replace(/^(bearer|basic)\s+/i, ''));
  }
  return headers;
}

function resolveAzure(options: ApiConnectionOptions): AzureConnection | AzureSettings | undefined {
  return options.azure ?? options.profile?.azure;
}

/** The SDK options every kind of server shares. */
function sdkOptions(options: ApiConnectionOptions, defaultHeaders: Record<string, string>, timeoutMs: number, maxRetries: number) {
  return {
    // Passed explicitly so that the SDK reads none of them from process.env.
    adminAPIKey: null,
    webhookSecret: null,
    timeout: timeoutMs,
    maxRetries,
    defaultHeaders,
    // The SDK's debug log (OPENAI_LOG=debug) prints request headers other than the
    // Authorization and api-key ones, and any log line would tear the terminal UI.
    logLevel: 'off' as const,
    ...(options.fetch ? {fetch: options.fetch} : {}),
  };
}

/**
 * Builds the SDK client. Throws ApiConfigError (one line, naming the env variable and the
 * profile, never the key) when the options cannot work.
 */
export function createApiClient(options: ApiConnectionOptions, env: Env): ApiClient {
  const foundry = options.foundry;
  if (foundry) return createFoundryClient(options, foundry, env);
  const azure = resolveAzure(options);
  const keyEnv = nonEmpty(options.apiKeyEnv) ?? nonEmpty(options.profile?.apiKeyEnv) ?? (azure ? DEFAULT_AZURE_KEY_ENV : DEFAULT_KEY_ENV);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) {
    // Someone passed the key itself: say so without repeating it.
    throw new ApiConfigError('--api-key-env takes the NAME of an environment variable (like OPENAI_API_KEY), not a key');
  }
  const apiKey = nonEmpty(env[keyEnv]);
  if (apiKey === undefined) {
    throw new ApiConfigError(`no API key: the environment variable ${keyEnv} is not set${describeProfile(options)}`);
  }
  const secrets: string[] = [apiKey];
  const defaultHeaders = resolveHeaders(options, env, secrets);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const organization = nonEmpty(options.org) ?? nonEmpty(env['OPENAI_ORG_ID']) ?? nonEmpty(options.profile?.org) ?? null;
  const project = nonEmpty(options.project) ?? nonEmpty(env['OPENAI_PROJECT_ID']) ?? nonEmpty(options.profile?.project) ?? null;
  const common = {apiKey, organization, project, ...sdkOptions(options, defaultHeaders, timeoutMs, maxRetries)};

  let client: OpenAI;
  let baseUrl: string;
  if (azure) {
    const apiVersion = nonEmpty(azure.apiVersion) ?? nonEmpty(env['OPENAI_API_VERSION']);
    if (!apiVersion) {
      throw new ApiConfigError(`Azure OpenAI needs an API version: set azure.apiVersion in the profile or OPENAI_API_VERSION${describeProfile(options)}`);
    }
    // The base URL is built here rather than by the SDK: given `endpoint`, it would still take
    // OPENAI_BASE_URL from process.env and then refuse both as mutually exclusive.
    // The profile's base URL (a gateway in front of the resource) is honoured here too.
    const givenBase = nonEmpty(options.baseUrl) ?? nonEmpty(options.profile?.baseUrl);
    const endpoint = parseHttpUrl(givenBase ?? azure.endpoint, 'the Azure endpoint');
    baseUrl = givenBase ?? `${endpoint.href.replace(/\/+$/, '')}/openai`;
    client = new AzureOpenAI({
      ...common,
      baseURL: baseUrl,
      apiVersion,
      ...(azure.deployment ? {deployment: azure.deployment} : {}),
    });
  } else {
    baseUrl = resolveBaseUrl(options, env);
    parseHttpUrl(baseUrl, 'the base URL');
    client = new OpenAI({...common, baseURL: baseUrl});
  }
  return {client, secrets, connection: describeConnection(options, baseUrl, keyEnv, {azure: Boolean(azure), timeoutMs, maxRetries})};
}

/** The connection in words, from what the client was built with. */
function describeConnection(
  options: ApiConnectionOptions,
  baseUrl: string,
  keyEnv: string,
  rest: Pick<ResolvedConnection, 'azure' | 'foundry' | 'timeoutMs' | 'maxRetries'>,
): ResolvedConnection {
  const url = new URL(baseUrl);
  return {baseUrl, host: url.host, keyEnv, profileName: options.profile?.name ?? null, official: url.hostname === 'api.openai.com', ...rest};
}

/**
 * Foundry Agent Service (classic): paths attach to the project endpoint (or the base URL given in
 * its place: a gateway), `api-version` rides on every request, and the bearer is an Entra token
 * the SDK asks for before each request (so a long session gets fresh ones). No API key is read or
 * sent, and the OpenAI organization and project headers are left out.
 */
function createFoundryClient(options: ApiConnectionOptions, foundry: FoundryConnection, env: Env): ApiClient {
  const baseUrl = (nonEmpty(options.baseUrl) ?? nonEmpty(options.profile?.baseUrl) ?? foundry.projectEndpoint).replace(/\/+$/, '');
  parseHttpUrl(baseUrl, 'the project endpoint');
  const secrets: string[] = [];
  const defaultHeaders = resolveHeaders(options, env, secrets);
  if (foundry.credential.kind === 'token-env' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(foundry.credential.variable)) {
    throw new ApiConfigError('--token-env takes the NAME of an environment variable, not a token');
  }
  const tokenEnv = foundry.credential.kind === 'token-env' ? nonEmpty(env[foundry.credential.variable]) : undefined;
  if (tokenEnv) secrets.push(tokenEnv, tokenEnv.replace(/^bearer\s+/i, ''));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const tokenSource = entraTokenSource(foundry.credential, env);
  const client = new OpenAI({
    // Each token handed out joins the secrets, so a server that quotes it back is scrubbed too.
    apiKey: async () => {
      const token = await tokenSource();
      if (!secrets.includes(token)) secrets.push(token);
      return token;
    },
    organization: null,
    project: null,
    baseURL: baseUrl,
    defaultQuery: {'api-version': foundry.apiVersion},
    ...sdkOptions(options, defaultHeaders, timeoutMs, maxRetries),
  });
  const credential = credentialLabel(foundry.credential);
  const connection = describeConnection(options, baseUrl, credential, {azure: true, foundry: {apiVersion: foundry.apiVersion, credential}, timeoutMs, maxRetries});
  return {client, secrets, connection};
}
