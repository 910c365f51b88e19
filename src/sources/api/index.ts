/** The API and URL sources: what the CLI and the terminal UI import. */
export {
  createApiClient,
  resolveBaseUrl,
  ApiConfigError,
  OFFICIAL_BASE_URL,
  DEFAULT_KEY_ENV,
  DEFAULT_AZURE_KEY_ENV,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  type ApiConnectionOptions,
  type AzureConnection,
  type ResolvedConnection,
  type Env,
} from './apiClient.js';
export {
  describeApiError,
  toApiSourceError,
  classifyApiError,
  redactSecrets,
  ApiSourceError,
  UnexpectedResponseError,
  ASSISTANTS_SHUTDOWN_DATE,
  type ApiErrorContext,
  type ApiErrorKind,
  type ApiOperation,
} from './apiErrors.js';
export {
  loadRunsFromApi,
  pollRunsFromApi,
  createAssistantsApi,
  AssistantsApi,
  threadSourceLabel,
  DEFAULT_RUN_LIMIT,
  DEFAULT_CONCURRENCY,
  type ApiLoadOptions,
  type ApiLoadedRuns,
  type ApiFailure,
  type ApiLoadProgress,
  type LoadedRunSteps,
  type ToolOutput,
} from './loadRunsFromApi.js';
export {loadRunsFromUrl, isUrlSource, urlLabel, DEFAULT_URL_TIMEOUT_MS, type UrlLoadOptions} from './loadRunsFromUrl.js';
export {resolveApiRequest, wantsApiSource, ApiFlagError, type ApiFlags, type ApiRequest} from './cliFlags.js';
