/**
 * What a profile may hold, and the checks that keep keys out of it. A profile names the
 * environment variable that holds the key (`apiKeyEnv`), never the key itself; a header whose
 * value is secret is written as an env reference (`env:NAME`) and resolved when connecting.
 */
import {onUse, type Parsed} from '../model/zodOnUse.js';
import {safeInline} from '../format/sanitize.js';

/** Profile names: a word that is safe in a file, a message and a shell. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Environment variable names, as POSIX shells accept them. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * A header value that is a reference to an environment variable: `env:NAME`, alone or after an
 * auth scheme (`Bearer env:NAME`, so a raw token in a variable can make an Authorization header).
 * Group 1 is the scheme, if any; group 2 the variable.
 */
export const ENV_REFERENCE = /^(?:([A-Za-z][A-Za-z0-9._-]*)\s+)?env:([A-Za-z_][A-Za-z0-9_]*)$/;
/** HTTP header names (RFC 9110 tokens). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Header names whose value is a credential: only env references are stored for them. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'api-key', 'x-api-key', 'cookie', 'ocp-apim-subscription-key']);

/** `"Name: value"` → [name, value], or null without a colon after a name. */
function splitHeader(text: string): [string, string] | null {
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

/**
 * `--header "Name: value"` flags as headers (a later flag of a name wins). A flag without a name
 * before a colon throws `new Failure(message)`; the message quotes it unless it looks like a key.
 */
export function parseHeaderFlags(texts: readonly string[], Failure: new (message: string) => Error): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const text of texts) {
    const header = splitHeader(text);
    if (!header) throw new Failure(`--header takes "Name: value"${looksLikeSecret(text) ? '' : `, not '${safeInline(text)}'`}`);
    headers[header[0]] = header[1];
  }
  return headers;
}

/**
 * Headers with each `env:NAME` value (or `Scheme env:NAME`) read from the variable NAME (trimmed,
 * after the scheme), the others as given.
 * `fromEnv` holds the values read, to scrub them from messages; `problem` names the first header
 * whose variable is unset or blank (the headers after it are not read).
 */
export function resolveEnvHeaders(
  headers: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): {headers: Record<string, string>; fromEnv: string[]; problem: string | null} {
  const resolved: Record<string, string> = {};
  const fromEnv: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const reference = ENV_REFERENCE.exec(value.trim());
    if (!reference) {
      resolved[name] = value;
      continue;
    }
    const variable = reference[2]!;
    const read = env[variable]?.trim();
    if (!read) return {headers: resolved, fromEnv, problem: `header ${name} takes its value from the environment variable ${variable}, which is not set`};
    resolved[name] = reference[1] ? `${reference[1]} ${read}` : read;
    fromEnv.push(read);
  }
  return {headers: resolved, fromEnv, problem: null};
}

/** Whether a header's value is a credential by its name (Authorization, api-key, …). */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/**
 * Whether a text looks like a key or token: OpenAI-style `sk-…`, a bearer token, or a long run
 * of key-like characters (Azure keys are 32 hex digits, JWTs are longer still).
 */
export function looksLikeSecret(text: string): boolean {
  const value = text.trim();
  if (/^(sk|rk|sess)[-_][A-Za-z0-9_-]{6,}/.test(value)) return true;
  if (/^(bearer|basic)\s+\S{8,}/i.test(value)) return true;
  if (/^[A-Fa-f0-9]{32,}$/.test(value)) return true;
  if (/^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/.test(value)) return true;
  return false;
}

/** Why a header may not be stored as given, or null when it may. */
export function headerProblem(name: string, value: string): string | null {
  if (!HEADER_NAME.test(name)) return `'${name}' is not a valid header name`;
  if (ENV_REFERENCE.test(value.trim())) return null;
  if (SECRET_HEADERS.has(name.toLowerCase())) {
    return `header ${name} carries a credential: store a reference to an environment variable instead, e.g. '${name}: env:MY_${name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}'`;
  }
  if (looksLikeSecret(value)) {
    return `the value of header ${name} looks like a key: store a reference to an environment variable instead, e.g. '${name}: env:MY_TOKEN'`;
  }
  return null;
}

/** Why an `apiKeyEnv` value is not an environment variable name, or null when it is one. */
export function apiKeyEnvProblem(value: string): string | null {
  if (ENV_NAME.test(value) && !looksLikeSecret(value)) return null;
  // The value is not repeated: it may be the key itself.
  return 'takes the NAME of an environment variable (letters, digits and _, like OPENAI_API_KEY), not a key';
}

/** The value shown for a header in listings: env references as they are, anything else masked. */
export function maskHeaderValue(value: string): string {
  return ENV_REFERENCE.test(value.trim()) ? value.trim() : '***';
}

const azureSchema = onUse((z) => z.strictObject({
  endpoint: z.url({protocol: /^https?$/, error: 'must be an http(s) URL'}),
  apiVersion: z.string().min(1, 'must not be empty'),
  deployment: z.string().min(1).optional(),
}));

const apiKeyEnvSchema = onUse((z) => z.string().superRefine((value, context) => {
  const problem = apiKeyEnvProblem(value);
  if (problem) context.addIssue({code: 'custom', message: problem});
}));

const foundrySchema = onUse((z) => z.strictObject({
  /** https://<resource>.services.ai.azure.com/api/projects/<project> */
  projectEndpoint: z.url({protocol: /^https?$/, error: 'must be an http(s) URL'}),
  apiVersion: z.string().min(1, 'must not be empty').optional(),
  /** Which Entra credential signs requests: the Azure CLI's (default) or DefaultAzureCredential. */
  credential: z.enum(['cli', 'default']).optional(),
  /** The NAME of an environment variable holding a raw bearer token, in place of a credential. */
  tokenEnv: apiKeyEnvSchema.zod.optional(),
}));

const headersSchema = onUse((z) => z.record(z.string(), z.string()).superRefine((headers, context) => {
  for (const [name, value] of Object.entries(headers)) {
    const problem = headerProblem(name, value);
    if (problem) context.addIssue({code: 'custom', message: problem, path: [name]});
  }
}));

/** One profile as stored. Strict: an unknown field (say `apiKey`) is a mistake worth a message. */
export const profileSchema = onUse((z) => z.strictObject({
  baseUrl: z.url({protocol: /^https?$/, error: 'must be an http(s) URL'}).optional(),
  apiKeyEnv: apiKeyEnvSchema.zod.optional(),
  org: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  headers: headersSchema.zod.optional(),
  /** Threads to open with this profile, most recently used first. */
  threads: z.array(z.string().min(1)).optional(),
  azure: azureSchema.zod.optional(),
  /** Foundry Agent Service (classic): the project endpoint and credential choice. */
  foundry: foundrySchema.zod.optional(),
  /** Deployment name → model name, for cost estimates of Azure and Foundry runs (`--model-map` adds to it). */
  modelMap: z.record(z.string().min(1), z.string().min(1)).optional(),
}));

export type AzureSettings = Parsed<typeof azureSchema>;
export type FoundrySettings = Parsed<typeof foundrySchema>;
export type Profile = Parsed<typeof profileSchema>;
/** A profile together with its name, as handed to the API source. */
export type NamedProfile = Profile & {name: string};

/** The whole config file. Loose at the top so conf's own `__internal__` key is left alone. */
export const settingsSchema = onUse((z) => z.looseObject({
  defaultProfile: z.string().optional(),
  profiles: z
    .record(z.string(), profileSchema.zod)
    .superRefine((profiles, context) => {
      for (const name of Object.keys(profiles)) {
        if (!PROFILE_NAME.test(name)) {
          context.addIssue({code: 'custom', message: `'${name}' is not a valid profile name`, path: [name]});
        }
      }
    })
    .optional(),
}));

export type SettingsData = Parsed<typeof settingsSchema>;
