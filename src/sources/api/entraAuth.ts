/**
 * Microsoft Entra ID tokens for Foundry Agent Service (classic), through `@azure/identity`: the
 * Azure CLI credential by default (`az login`), `DefaultAzureCredential` on request (servers:
 * service principal, workload or managed identity), or a raw bearer token from an environment
 * variable. A token is asked for before every request; the library's token cycler answers from its
 * cache and fetches a new one two minutes before the old one expires, so `--watch` and a long TUI
 * session keep working past the hour a token lives. The token itself never leaves this module but
 * as the bearer of a request; errors say which credential failed and what to do, never the token.
 */
import {OpenAIError} from 'openai';
/** An environment handed in (entraAuth reads no process.env of its own but DefaultAzureCredential's). */
type Env = Readonly<Record<string, string | undefined>>;

/** The scope Foundry Agent Service tokens are issued for. */
export const FOUNDRY_SCOPE = 'https://ai.azure.com/.default';

/** Which credential signs the requests. */
export type CredentialChoice = {kind: 'cli'} | {kind: 'default'} | {kind: 'token-env'; variable: string};

/** The names `--credential` takes. */
export const CREDENTIAL_NAMES = ['cli', 'default'] as const;

/** A token could not be had: one line naming the credential and what to do. */
export class EntraAuthError extends OpenAIError {
  override name = 'EntraAuthError';
}

/** The credential in words, for messages: "the Azure CLI credential (az login)". */
export function credentialLabel(choice: CredentialChoice): string {
  switch (choice.kind) {
    case 'cli':
      return 'the Azure CLI credential (az login)';
    case 'default':
      return 'DefaultAzureCredential';
    case 'token-env':
      return `the token in ${choice.variable}`;
  }
}

/** The first line of a library message, without the links and advice that follow it. */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/).map((part) => part.trim()).find(Boolean) ?? '';
  const cut = line.replace(/\s*(To troubleshoot|For more information|Please visit|visit https?:)\b.*$/i, '').trim();
  return cut.length > 160 ? `${cut.slice(0, 159)}…` : cut;
}

/** A credential's failure as one line: not signed in, az missing, or what the library said. */
export function describeCredentialFailure(choice: CredentialChoice, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const label = credentialLabel(choice);
  if (/could not be found|az:.*not found|is not recognized/i.test(message) && choice.kind === 'cli') {
    return `the Azure CLI (az) is not installed or not on PATH: install it and run \`az login\`, or use --credential default or --token-env VAR`;
  }
  if (/az login/i.test(message)) return `not signed in to Azure (${label}): run \`az login\``;
  if (choice.kind === 'default' && /AggregateAuthenticationError|CredentialUnavailable|failed to retrieve a token/i.test(`${(error as Error)?.name} ${message}`)) {
    return `DefaultAzureCredential found no credential: run \`az login\`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or run where a managed identity is)`;
  }
  return `${label} gave no token: ${firstLine(message) || 'unknown error'}`;
}

type TokenSource = () => Promise<string>;

/**
 * One token source per credential kind for the life of the process: a watch tick builds a new API
 * session, and the cached source is what keeps it from running `az` (a second or more) every tick.
 */
const sources = new Map<string, TokenSource>();

async function identityTokenSource(kind: 'cli' | 'default'): Promise<TokenSource> {
  // Loaded only for Foundry: the library (and MSAL below it) would slow every start.
  const identity = await import('@azure/identity');
  // DefaultAzureCredential reads its settings (AZURE_CLIENT_ID, AZURE_TOKEN_CREDENTIALS, …) from
  // process.env itself; there is no way to hand it another environment.
  const credential = kind === 'cli' ? new identity.AzureCliCredential() : new identity.DefaultAzureCredential();
  return identity.getBearerTokenProvider(credential, FOUNDRY_SCOPE);
}

/**
 * The function the SDK calls before each request for the bearer token. Throws EntraAuthError (an
 * OpenAIError, so the SDK passes it on unwrapped) with one line when no token can be had.
 */
export function entraTokenSource(choice: CredentialChoice, env: Env): TokenSource {
  if (choice.kind === 'token-env') {
    return async () => {
      const token = env[choice.variable]?.trim().replace(/^bearer\s+/i, '');
      if (!token) throw new EntraAuthError(`no token: the environment variable ${choice.variable} (--token-env) is not set`);
      return token;
    };
  }
  const key = choice.kind;
  return async () => {
    let source = sources.get(key);
    if (!source) {
      const made = identityTokenSource(choice.kind === 'cli' ? 'cli' : 'default');
      source = async () => (await made)();
      sources.set(key, source);
    }
    try {
      return await source();
    } catch (error) {
      // A failed start is not cached: after `az login` the next request tries again.
      sources.delete(key);
      throw new EntraAuthError(describeCredentialFailure(choice, error), {cause: error});
    }
  };
}

/** For tests: forget the cached token sources. */
export function resetEntraTokenSources(): void {
  sources.clear();
}
