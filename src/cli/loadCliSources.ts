/**
 * Everything the command line names, loaded into one set of runs: files, folders and stdin, URLs,
 * and threads from an Assistants-compatible API. Runs met in several sources appear once, in
 * their latest state (RunCollection, `compareRunStates`), as in print mode's streaming list.
 */
import {parseHeaderFlags} from '../config/profile.js';
import type {Settings} from '../config/settings.js';
import type {Run} from '../model/run.js';
import type {ResolvedConnection} from '../sources/api/apiClient.js';
import type {AssistantsApi} from '../sources/api/assistantsApi.js';
import {ApiFlagError, resolveApiRequest, wantsApiSource, type ApiRequest} from '../sources/api/cliFlags.js';
import type {ApiLoadedRuns} from '../sources/api/loadRunsFromApi.js';
import {isUrlSource} from '../sources/sourceKind.js';
import {loadRunsFromSources, type LoadedRuns, type LoadOptions} from '../sources/loadSources.js';
import {RunCollection} from '../sources/runCollection.js';
import type {LoadWarning} from '../model/loadWarning.js';
import {UsageError, type CliOptions} from './args.js';
import type {CliIo} from './cliIo.js';

export interface CliLoad extends LoadedRuns {
  /** The API connection used, when threads were read (for the header and actions). */
  connection: ResolvedConnection | null;
  /** A watch tick only: why some API runs could not be read again (they are kept as they were). */
  keptAfterError?: string;
}

/**
 * The API request the flags (and the profile) describe, Azure included. Usage problems throw
 * UsageError; a broken settings file throws SettingsError.
 */
export async function resolveCliApiRequest(options: CliOptions, io: Pick<CliIo, 'env'>): Promise<{request: ApiRequest; settings: Settings}> {
  // Settings (conf) and the SDK load only when a command needs them: a file source starts faster.
  const {Settings, settingsDirFromEnv} = await import('../config/settings.js');
  const settings = new Settings({cwd: settingsDirFromEnv(io.env)});
  let request: ApiRequest;
  try {
    request = resolveApiRequest(options.api, settings, io.env);
  } catch (error) {
    if (error instanceof ApiFlagError) throw new UsageError(error.message);
    throw error;
  }
  if (options.azure.endpoint && options.azure.apiVersion && !request.connection.foundry) {
    request.connection.azure = {
      endpoint: options.azure.endpoint,
      apiVersion: options.azure.apiVersion,
      ...(options.azure.deployment ? {deployment: options.azure.deployment} : {}),
    };
  }
  return {request, settings};
}

/**
 * Loads every source; usage problems throw UsageError, everything else becomes a warning. With
 * `known` (a watch tick: the runs on screen), API threads are polled for what can have changed
 * (`pollRunsFromApi`) instead of read in full; files and URLs are read again as before.
 */
export async function loadCliSources(
  options: CliOptions,
  sources: readonly string[],
  io: CliIo,
  known?: readonly Run[],
  fileOptions: Omit<LoadOptions, 'stdin'> = {},
): Promise<CliLoad> {
  const collection = new RunCollection();
  const warnings: LoadWarning[] = [];
  const files: string[] = [];
  const labels: string[] = [];
  const merge = (loaded: LoadedRuns) => {
    collection.addItems(loaded);
    warnings.push(...loaded.warnings);
    files.push(...loaded.files);
  };

  const urls = sources.filter(isUrlSource);
  const paths = sources.filter((source) => !isUrlSource(source));
  if (paths.length > 0) {
    merge(await loadRunsFromSources(paths, {...fileOptions, stdin: io.stdin}));
    labels.push(...paths);
  }
  if (urls.length > 0) {
    const headers = parseHeaderFlags(options.api.headers ?? [], UsageError);
    const {loadRunsFromUrl} = await import('../sources/api/loadRunsFromUrl.js');
    for (const url of urls) {
      const loaded = await loadRunsFromUrl(url, {headers, env: io.env});
      merge(loaded);
      labels.push(...loaded.sources);
    }
  }

  let connection: ResolvedConnection | null = null;
  let keptAfterError: string | undefined;
  if (wantsApiSource(options.api)) {
    const {request, settings} = await resolveCliApiRequest(options, io);
    // A watch tick hands back each known run as the server now has it, in place of the one shown:
    // the server is the truth about its own runs, so that is not weighed by compareRunStates.
    // Between the API and files or URLs naming the same run, the rule applies as between files.
    if (request.responses || request.conversations || request.allResponses) {
      // Responses API: a watch tick reads again only the responses not yet final.
      const {loadResponsesFromApi} = await import('../sources/api/responsesApi.js');
      const responses = await loadResponsesFromApi({
        connection: request.connection,
        env: io.env,
        responses: request.responses ?? [],
        conversations: request.conversations ?? [],
        ...(request.allResponses ? {allResponses: request.allResponses} : {}),
        listLimit: request.limit,
        ...(known ? {known} : {}),
      });
      if (known && responses.failures[0]) keptAfterError = responses.failures[0];
      merge({runs: responses.runs, warnings: responses.warnings, files: [], sources: []});
      connection = responses.connection;
    }
    if (request.threads.length > 0 || request.allThreads) {
      let loaded: ApiLoadedRuns;
      if (known) {
        const {pollRunsFromApi} = await import('../sources/api/pollRunsFromApi.js');
        loaded = await pollRunsFromApi({...request, env: io.env, known});
      } else {
        const {loadRunsFromApi} = await import('../sources/api/loadRunsFromApi.js');
        loaded = await loadRunsFromApi({...request, env: io.env});
      }
      if (known && loaded.failures[0]) keptAfterError = loaded.failures[0].message;
      merge(loaded);
      connection = loaded.connection;
      if (request.profile && loaded.runs.length > 0) settings.rememberThreads(request.profile.name, request.threads);
    }
    labels.push(connection ? `${connection.profileName ? `${connection.profileName}: ` : ''}${connection.host}` : 'api');
  }
  return {...collection.side, runs: collection.runs, warnings: [...warnings, ...collection.warnings], sources: labels, files, connection, ...(keptAfterError !== undefined ? {keptAfterError} : {})};
}

/** The API session the Steps and Conversation panes, `show`, `thread` and the actions go through, when the runs came from an API (--thread, --profile). */
export async function apiSession(options: CliOptions, loaded: CliLoad, io: CliIo): Promise<AssistantsApi | null> {
  if (!loaded.connection || !wantsApiSource(options.api)) return null;
  try {
    const {createAssistantsApi} = await import('../sources/api/assistantsApi.js');
    return createAssistantsApi((await resolveCliApiRequest(options, io)).request.connection, io.env);
  } catch {
    return null;
  }
}
