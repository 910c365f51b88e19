/**
 * `runlens profile …` and `runlens config …`: self-contained (own parseArgs, own usage), so the
 * CLI only routes argv starting with `profile` or `config` here.
 *
 * Nothing printed here ever shows a header value (masked as `***` unless it is an `env:NAME`
 * reference) or the value of an environment variable; only whether the key variable is set.
 */
import {parseArgs, type ParseArgsConfig} from 'node:util';
import {safeInline} from '../format/sanitize.js';
import {looksLikeSecret, maskHeaderValue, parseHeaderFlags, type NamedProfile, type Profile} from './profile.js';
import {InvalidProfileError, ProfileNotFoundError, SettingsError, type Settings} from './settings.js';

const PROFILE_EXIT_OK = 0;
/** A profile not found, a name taken, or a settings file that cannot be read or written. */
const PROFILE_EXIT_FAILURE = 1;
const PROFILE_EXIT_USAGE = 2;

export interface ProfileCommandIo {
  stdout: {write(text: string): unknown};
  stderr: {write(text: string): unknown};
  env: Readonly<Record<string, string | undefined>>;
}

const PROFILE_USAGE = `Profiles: where an Assistants API is and which env variable holds its key

Usage
  runlens profile add NAME [options]   add a profile (--replace to overwrite one)
  runlens profile list [--json]        list profiles (header values masked)
  runlens profile show NAME [--json]   one profile
  runlens profile remove NAME          remove a profile
  runlens profile use NAME             use NAME when --profile is not given (--none: no default)
  runlens config path                  print the settings file's path
  runlens config list [--json]         print every setting (header values masked)

Options of profile add
  --base-url URL          the API's base URL, e.g. http://127.0.0.1:4010/v1
  --api-key-env VAR       the NAME of the env variable holding the key (default OPENAI_API_KEY);
                          runlens never stores a key
  --org ID, --project ID  sent as OpenAI-Organization / OpenAI-Project
  --header "Name: value"  an extra header (repeatable); for a secret use "Name: env:VAR"
  --thread ID             a thread to open with this profile (repeatable, or comma-separated)
  --azure-endpoint URL    Azure OpenAI: the resource endpoint (key in AZURE_OPENAI_API_KEY
  --azure-api-version V     unless --api-key-env says otherwise)
  --azure-deployment D
  --project-endpoint URL  Foundry Agent Service (classic): the project endpoint (Entra sign-in, no key)
  --api-version V           Foundry's api-version (default 2025-05-01)
  --credential cli|default  the Azure CLI's sign-in (default) or DefaultAzureCredential
  --token-env VAR           a bearer token in VAR instead
  --default               also make it the default profile
  --replace               overwrite a profile of the same name`;

class UsageError extends Error {}

/** A value for a message: quoted, or not shown at all when it looks like a key. */
function shown(value: string): string {
  return looksLikeSecret(value) ? '(a value that looks like a key)' : `'${safeInline(value)}'`;
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  if (args.includes('--api-key') || args.some((arg) => arg.startsWith('--api-key='))) {
    throw new UsageError('runlens does not store keys: put the key in an environment variable and give its name with --api-key-env');
  }
  try {
    return parseArgs({args, options, allowPositionals: true, strict: true});
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}

function oneName(positionals: string[], command: string): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs a profile NAME`);
  if (positionals.length > 1) throw new UsageError(`${command} takes one NAME, not ${positionals.length} arguments`);
  return positionals[0]!;
}

function keyStatus(profile: Profile, env: ProfileCommandIo['env']): string {
  const variable = profile.apiKeyEnv ?? (profile.azure ? 'AZURE_OPENAI_API_KEY' : 'OPENAI_API_KEY');
  const set = env[variable] !== undefined && env[variable] !== '';
  return `${variable} (${set ? 'set' : 'not set'})`;
}

/** A profile for display and for --json: header values masked, nothing else secret in it. */
function maskedProfile(profile: Profile): Profile {
  const masked: Profile = {...profile};
  if (profile.headers) {
    masked.headers = Object.fromEntries(Object.entries(profile.headers).map(([name, value]) => [name, maskHeaderValue(value)]));
  }
  return masked;
}

function profileLines(profile: NamedProfile, isDefault: boolean, env: ProfileCommandIo['env']): string[] {
  const lines = [`${safeInline(profile.name)}${isDefault ? ' (default)' : ''}`];
  const field = (label: string, value: string) => lines.push(`  ${`${label}:`.padEnd(13)}${safeInline(value)}`);
  if (profile.azure) {
    field('azure', `${profile.azure.endpoint} (api-version ${profile.azure.apiVersion}${profile.azure.deployment ? `, deployment ${profile.azure.deployment}` : ''})`);
  }
  if (profile.foundry) {
    const sign = profile.foundry.tokenEnv ? `token in ${profile.foundry.tokenEnv}` : profile.foundry.credential === 'default' ? 'DefaultAzureCredential' : 'Azure CLI (az login)';
    field('foundry', `${profile.foundry.projectEndpoint} (api-version ${profile.foundry.apiVersion ?? '2025-05-01'}, ${sign})`);
  }
  if (profile.baseUrl) field('base URL', profile.baseUrl);
  if (!profile.azure && !profile.baseUrl && !profile.foundry) field('base URL', '(OPENAI_BASE_URL, else https://api.openai.com/v1)');
  if (!profile.foundry) field('key from', keyStatus(profile, env));
  if (profile.org) field('organization', profile.org);
  if (profile.project) field('project', profile.project);
  for (const [name, value] of Object.entries(profile.headers ?? {})) field('header', `${name}: ${maskHeaderValue(value)}`);
  if (profile.threads && profile.threads.length > 0) field('threads', profile.threads.join(', '));
  return lines;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function profileAdd(args: string[], io: ProfileCommandIo, settings: Settings): number {
  const {values, positionals} = parse(args, {
    'base-url': {type: 'string'},
    'api-key-env': {type: 'string'},
    org: {type: 'string'},
    project: {type: 'string'},
    header: {type: 'string', multiple: true},
    thread: {type: 'string', multiple: true},
    'azure-endpoint': {type: 'string'},
    'azure-api-version': {type: 'string'},
    'azure-deployment': {type: 'string'},
    'project-endpoint': {type: 'string'},
    'api-version': {type: 'string'},
    credential: {type: 'string'},
    'token-env': {type: 'string'},
    default: {type: 'boolean'},
    replace: {type: 'boolean'},
  });
  const name = oneName(positionals, 'profile add');
  const profile: Profile = {};
  const text = (key: string) => values[key] as string | undefined;
  if (text('base-url') !== undefined) profile.baseUrl = text('base-url')!;
  if (text('api-key-env') !== undefined) profile.apiKeyEnv = text('api-key-env')!;
  if (text('org') !== undefined) profile.org = text('org')!;
  if (text('project') !== undefined) profile.project = text('project')!;
  const headers = (values['header'] as string[] | undefined) ?? [];
  if (headers.length > 0) profile.headers = parseHeaderFlags(headers, UsageError);
  const threads = ((values['thread'] as string[] | undefined) ?? []).flatMap((entry) => entry.split(',')).map((id) => id.trim()).filter(Boolean);
  if (threads.length > 0) profile.threads = [...new Set(threads)];
  const endpoint = text('azure-endpoint');
  const apiVersion = text('azure-api-version');
  if (endpoint !== undefined || apiVersion !== undefined || text('azure-deployment') !== undefined) {
    if (endpoint === undefined || apiVersion === undefined) throw new UsageError('--azure-endpoint and --azure-api-version go together');
    profile.azure = {endpoint, apiVersion, ...(text('azure-deployment') ? {deployment: text('azure-deployment')!} : {})};
  }
  const projectEndpoint = text('project-endpoint');
  if (projectEndpoint !== undefined) {
    if (profile.azure) throw new UsageError('--project-endpoint (Foundry) and --azure-endpoint (Azure OpenAI) name two servers; give one');
    const credential = text('credential');
    if (credential !== undefined && credential !== 'cli' && credential !== 'default') throw new UsageError(`--credential takes cli or default, not ${shown(credential)}`);
    profile.foundry = {
      projectEndpoint,
      ...(text('api-version') ? {apiVersion: text('api-version')!} : {}),
      ...(credential ? {credential: credential as 'cli' | 'default'} : {}),
      ...(text('token-env') ? {tokenEnv: text('token-env')!} : {}),
    };
  } else if (text('api-version') !== undefined || text('credential') !== undefined || text('token-env') !== undefined) {
    throw new UsageError('--api-version, --credential and --token-env are for a Foundry profile: give --project-endpoint URL');
  }
  const saved = settings.addProfile(name, profile, {replace: values['replace'] === true});
  if (values['default'] === true) settings.setDefaultProfile(name);
  io.stdout.write(`saved profile '${safeInline(saved.name)}' in ${safeInline(settings.path)}\n`);
  if (!saved.azure && !saved.baseUrl && !saved.foundry) {
    io.stderr.write('runlens: note: no --base-url: this profile uses OPENAI_BASE_URL, else https://api.openai.com/v1\n');
  }
  return PROFILE_EXIT_OK;
}

function profileList(args: string[], io: ProfileCommandIo, settings: Settings): number {
  const {values, positionals} = parse(args, {json: {type: 'boolean'}});
  if (positionals.length > 0) throw new UsageError('profile list takes no arguments');
  const profiles = settings.listProfiles();
  const fallback = settings.defaultProfile;
  if (values['json'] === true) {
    io.stdout.write(json(profiles.map(({name, ...profile}) => ({name, default: name === fallback, ...maskedProfile(profile)}))));
    return PROFILE_EXIT_OK;
  }
  if (profiles.length === 0) {
    io.stdout.write('no profiles; add one with: runlens profile add NAME --base-url URL --api-key-env VAR\n');
    return PROFILE_EXIT_OK;
  }
  io.stdout.write(`${profiles.map((profile) => profileLines(profile, profile.name === fallback, io.env).join('\n')).join('\n\n')}\n`);
  return PROFILE_EXIT_OK;
}

function profileShow(args: string[], io: ProfileCommandIo, settings: Settings): number {
  const {values, positionals} = parse(args, {json: {type: 'boolean'}});
  const profile = settings.getProfile(oneName(positionals, 'profile show'));
  const isDefault = settings.defaultProfile === profile.name;
  if (values['json'] === true) {
    const {name, ...rest} = profile;
    io.stdout.write(json({name, default: isDefault, ...maskedProfile(rest)}));
  } else {
    io.stdout.write(`${profileLines(profile, isDefault, io.env).join('\n')}\n`);
  }
  return PROFILE_EXIT_OK;
}

function profileRemove(args: string[], io: ProfileCommandIo, settings: Settings): number {
  const {positionals} = parse(args, {});
  const name = oneName(positionals, 'profile remove');
  if (!settings.removeProfile(name)) throw new ProfileNotFoundError(name, settings.profileNames());
  io.stdout.write(`removed profile '${safeInline(name)}'\n`);
  return PROFILE_EXIT_OK;
}

function profileUse(args: string[], io: ProfileCommandIo, settings: Settings): number {
  const {values, positionals} = parse(args, {none: {type: 'boolean'}});
  if (values['none'] === true) {
    if (positionals.length > 0) throw new UsageError('profile use --none takes no NAME');
    settings.setDefaultProfile(null);
    io.stdout.write('no default profile\n');
    return PROFILE_EXIT_OK;
  }
  const name = oneName(positionals, 'profile use');
  settings.setDefaultProfile(name);
  io.stdout.write(`default profile: '${safeInline(name)}'\n`);
  return PROFILE_EXIT_OK;
}

/** `config list` lines: `profiles.work.baseUrl=…`, header values masked. */
function flatten(value: unknown, prefix: string, out: string[]): void {
  if (Array.isArray(value)) {
    out.push(`${prefix}=${safeInline(value.map(String).join(','))}`);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(value)) flatten(entry, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.push(`${prefix}=${safeInline(String(value))}`);
}

function maskedSettings(settings: Settings): Record<string, unknown> {
  const data = settings.read();
  const {__internal__: _internal, ...rest} = data as Record<string, unknown>;
  const profiles = Object.fromEntries(Object.entries(data.profiles ?? {}).map(([name, profile]) => [name, maskedProfile(profile)]));
  return {...rest, ...(data.profiles ? {profiles} : {})};
}

function configCommand(sub: string | undefined, args: string[], io: ProfileCommandIo, settings: Settings): number {
  if (sub === 'path') {
    const {positionals} = parse(args, {});
    if (positionals.length > 0) throw new UsageError('config path takes no arguments');
    io.stdout.write(`${settings.path}\n`);
    return PROFILE_EXIT_OK;
  }
  if (sub === 'list') {
    const {values, positionals} = parse(args, {json: {type: 'boolean'}});
    if (positionals.length > 0) throw new UsageError('config list takes no arguments');
    const masked = maskedSettings(settings);
    if (values['json'] === true) {
      io.stdout.write(json(masked));
      return PROFILE_EXIT_OK;
    }
    const lines: string[] = [];
    flatten(masked, '', lines);
    io.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
    return PROFILE_EXIT_OK;
  }
  throw new UsageError(sub === undefined ? 'config needs a command: path or list' : `unknown config command ${shown(sub)} (path, list)`);
}

const PROFILE_COMMANDS: Record<string, (args: string[], io: ProfileCommandIo, settings: Settings) => number> = {
  add: profileAdd,
  list: profileList,
  ls: profileList,
  show: profileShow,
  remove: profileRemove,
  rm: profileRemove,
  use: profileUse,
};

/**
 * Runs `profile …` or `config …`. `argv` starts with the word `profile` or `config`
 * (`['profile', 'add', 'work', '--base-url', …]`). Returns the exit code: 0 ok, 1 not found or
 * a settings file problem, 2 usage.
 */
export function runProfileCommand(argv: readonly string[], io: ProfileCommandIo, settings: Settings): number {
  const [group, sub, ...rest] = argv;
  try {
    if (sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h') || (group === 'profile' && sub === undefined)) {
      io.stdout.write(`${PROFILE_USAGE}\n`);
      return PROFILE_EXIT_OK;
    }
    if (group === 'config') return configCommand(sub, rest, io, settings);
    if (group !== 'profile') throw new UsageError(`expected 'profile' or 'config', not ${shown(group ?? '')}`);
    const command = sub !== undefined && Object.hasOwn(PROFILE_COMMANDS, sub) ? PROFILE_COMMANDS[sub] : undefined;
    if (!command) throw new UsageError(`unknown profile command ${shown(sub ?? '')} (add, list, show, remove, use)`);
    return command(rest, io, settings);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidProfileError) {
      io.stderr.write(`runlens: ${safeInline(error.message)}\nRun 'runlens profile --help' for usage.\n`);
      return PROFILE_EXIT_USAGE;
    }
    if (error instanceof SettingsError) {
      io.stderr.write(`runlens: ${safeInline(error.message)}\n`);
      return PROFILE_EXIT_FAILURE;
    }
    throw error;
  }
}
