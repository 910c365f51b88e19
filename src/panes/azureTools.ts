/**
 * What Foundry Agent Service adds to a run, in words for the panes: a name and a one-line summary
 * for each Azure tool type (the search index, the connection, the MCP server, the OpenAPI spec, the
 * connected agent), and the run's `tool_resources` (search indexes, vector stores, files). Pure;
 * every value is a run's text, so the panes show it through `untrusted`/`safeInline`.
 */
import type {Run, ToolDefinition} from '../model/run.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The `connection_id`s of a list of connections or search configurations, shortened to their last segment. */
function connections(value: unknown): string[] {
  return list(value)
    .map((entry) => (isObject(entry) ? text(entry['connection_id']) : null))
    .filter((id): id is string => id !== null)
    .map((id) => id.split('/').filter(Boolean).pop() ?? id);
}

function joined(label: string, values: readonly string[]): string | null {
  return values.length > 0 ? `${label} ${values.join(', ')}` : null;
}

/** The names of the run's Azure AI Search indexes (`tool_resources.azure_ai_search.indexes`). */
function searchIndexes(run: Run | null): string[] {
  const resources = run?.raw['tool_resources'];
  const search = isObject(resources) ? resources['azure_ai_search'] : null;
  return list(isObject(search) ? search['indexes'] : null)
    .map((entry) => (isObject(entry) ? text(entry['index_name']) ?? text(entry['index_asset_id']) : null))
    .filter((name): name is string => name !== null);
}

/**
 * A name and a summary for a Foundry tool type, or null for the others (function, file_search,
 * code_interpreter keep their own columns). The name is what a tool of that type is called in
 * its own options (the OpenAPI spec, the function, the agent, the MCP server).
 */
export function azureToolSummary(tool: ToolDefinition, run: Run | null = null): {name: string | null; summary: string | null} | null {
  const raw = isObject(tool.raw) ? tool.raw : {};
  const options = isObject(raw[tool.type]) ? (raw[tool.type] as Json) : {};
  switch (tool.type) {
    case 'azure_ai_search':
      return {name: null, summary: joined('index', searchIndexes(run)) ?? 'indexes in the run’s tool_resources'};
    case 'bing_grounding':
    case 'bing_custom_search': {
      const configurations = list(options['search_configurations']);
      const instances = configurations.map((entry) => (isObject(entry) ? text(entry['instance_name']) : null)).filter((name): name is string => name !== null);
      const parts = [joined('connection', connections(configurations)), joined('instance', instances)].filter(Boolean);
      return {name: null, summary: parts.length > 0 ? parts.join('; ') : null};
    }
    case 'sharepoint_grounding':
    case 'fabric_dataagent':
      return {name: null, summary: joined('connection', connections(options['connections']))};
    case 'openapi': {
      const functions = list(options['functions']).map((entry) => (isObject(entry) ? text(entry['name']) : null)).filter((name): name is string => name !== null);
      const auth = isObject(options['auth']) ? text(options['auth']['type']) : null;
      const parts = [text(options['description']), joined('operations', functions), auth ? `auth ${auth}` : null].filter(Boolean);
      return {name: text(options['name']), summary: parts.length > 0 ? parts.join('; ') : null};
    }
    case 'azure_function': {
      const fn = isObject(options['function']) ? options['function'] : {};
      const input = isObject(options['input_binding']) && isObject(options['input_binding']['storage_queue']) ? text(options['input_binding']['storage_queue']['queue_name']) : null;
      const parts = [text(fn['description']), input ? `queue ${input}` : null].filter(Boolean);
      return {name: text(fn['name']), summary: parts.length > 0 ? parts.join('; ') : null};
    }
    case 'connected_agent':
      return {name: text(options['name']), summary: [text(options['id']) ? `agent ${text(options['id'])}` : null, text(options['description'])].filter(Boolean).join('; ') || null};
    case 'mcp': {
      const allowed = list(raw['allowed_tools']).filter((name): name is string => typeof name === 'string');
      const parts = [text(raw['server_url']), joined('tools', allowed)].filter(Boolean);
      return {name: text(raw['server_label']), summary: parts.length > 0 ? parts.join('; ') : null};
    }
    case 'deep_research': {
      const model = text(options['deep_research_model']);
      const parts = [model ? `model ${model}` : null, joined('Bing connection', connections(options['deep_research_bing_grounding_connections']))].filter(Boolean);
      return {name: null, summary: parts.length > 0 ? parts.join('; ') : null};
    }
    default:
      return null;
  }
}

/**
 * The run's `tool_resources`, one line each: `azure_ai_search: index products (conn-1)`,
 * `file_search: vector store vs_1`, `code_interpreter: 2 files`. Empty when there are none.
 */
export function toolResourceLines(run: Run): string[] {
  const resources = run.raw['tool_resources'];
  if (!isObject(resources)) return [];
  const lines: string[] = [];
  const search = resources['azure_ai_search'];
  for (const entry of list(isObject(search) ? search['indexes'] : null)) {
    if (!isObject(entry)) continue;
    const name = text(entry['index_name']) ?? text(entry['index_asset_id']) ?? '?';
    const connection = connections([{connection_id: entry['index_connection_id']}])[0];
    const extra = [connection, text(entry['query_type']), typeof entry['top_k'] === 'number' ? `top ${entry['top_k']}` : null].filter(Boolean);
    lines.push(`azure_ai_search: index ${name}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`);
  }
  const fileSearch = resources['file_search'];
  const stores = list(isObject(fileSearch) ? fileSearch['vector_store_ids'] : null).filter((id): id is string => typeof id === 'string');
  if (stores.length > 0) lines.push(`file_search: vector store${stores.length === 1 ? '' : 's'} ${stores.join(', ')}`);
  const code = resources['code_interpreter'];
  const files = list(isObject(code) ? code['file_ids'] : null).length;
  if (files > 0) lines.push(`code_interpreter: ${files} file${files === 1 ? '' : 's'}`);
  return lines;
}

/**
 * One line for a Foundry tool call in a step (`azure_ai_search`, `bing_grounding`, `openapi`,
 * `mcp`, `connected_agent`, …): the name, server or agent it called, its input and whether an
 * output came back. Null when the call carries none of these.
 */
export function azureStepCallSummary(toolType: string, raw: unknown): string | null {
  if (!isObject(raw)) return null;
  // The details sit under the type's own key, or (mcp) on the call itself.
  const details = isObject(raw[toolType]) ? (raw[toolType] as Json) : raw;
  const input = text(details['input']) ?? text(details['query']) ?? text(details['requesturl']) ?? text(details['arguments']);
  const output = details['output'];
  const parts = [
    text(details['server_label']) ? `server ${text(details['server_label'])}` : null,
    text(details['name']) ? `${toolType === 'connected_agent' ? 'agent' : 'tool'} ${text(details['name'])}` : null,
    input ? `input ${input.length > 80 ? `${input.slice(0, 79)}…` : input}` : null,
    text(details['run_id']) ? `run ${text(details['run_id'])}` : null,
    output === undefined ? null : output === null || output === '' ? 'no output yet' : 'output returned',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** An `activities` step (Foundry: an MCP server's tools listed, and the like): its activities by type. */
export function activitiesSummary(raw: Record<string, unknown>): string | null {
  const details = raw['step_details'];
  const activities = list(isObject(details) ? details['activities'] : null);
  if (activities.length === 0) return null;
  const types = activities.map((entry) => (isObject(entry) ? text(entry['type']) ?? '?' : '?'));
  const labels = activities.map((entry) => (isObject(entry) ? text(entry['server_label']) : null)).filter((label): label is string => label !== null);
  return `${activities.length} activit${activities.length === 1 ? 'y' : 'ies'}: ${[...new Set(types)].join(', ')}${labels.length > 0 ? ` (server ${[...new Set(labels)].join(', ')})` : ''}`;
}
