/**
 * Checks of the tool calls a run in `requires_action` is waiting on: is the function declared, do
 * its arguments parse, do they match the function's JSON Schema. Pure; results are memoized per
 * `Run` object, and compiled schemas are shared between runs (see schemaValidation.ts).
 */
import {parseJson} from '../format/jsonError.js';
import {DEPTH_ADVICE, isToolCut} from '../model/powershell.js';
import {APPROVAL_CALL} from '../model/response.js';
import {isCut, type RequiredToolCall, type Run, type ToolDefinition} from '../model/run.js';
import {compileSchema, validateWith} from './schemaValidation.js';

export type CheckName = 'known function' | 'valid JSON' | 'matches schema';

/** Why a check has `ok: null`. */
export type CouldNotRunReason =
  /** An earlier check of the same call failed (unknown function, broken JSON). */
  | 'earlier check failed'
  /** The run object has no `tools` array, so nothing can be said about the function. */
  | 'tools not listed'
  /** The function declares no `parameters`. */
  | 'no schema'
  /** ajv could not compile the function's `parameters`. */
  | 'schema error'
  /** An export cut the tools list, or the function's schema, short (see powershell.ts). */
  | 'cut by the export';

export interface CheckResult {
  name: CheckName;
  /** true: passed; false: failed; null: could not run (see `couldNotRun`). */
  ok: boolean | null;
  /** Why it failed, or why it could not run, one line each; empty when it passed. */
  details: string[];
  /** Context that is not itself a problem: the declared functions, how the schema was read. */
  notes: string[];
  couldNotRun?: CouldNotRunReason;
}

export interface ToolCallReport {
  call: RequiredToolCall;
  /** False when any check failed. A call whose checks could not all run is still `ok`. */
  ok: boolean;
  /** True only when every check ran and passed. */
  verified: boolean;
  /** Always three checks, in the order: known function, valid JSON, matches schema. */
  checks: CheckResult[];
  /** The arguments as parsed, when they are valid JSON. */
  parsedArguments: unknown | undefined;
  /** The declared function the call names, when there is one. */
  tool: ToolDefinition | null;
}

function quote(name: string): string {
  return `'${name}'`;
}

function checkKnownFunction(run: Run, call: RequiredToolCall, functions: Map<string, ToolDefinition>): {check: CheckResult; tool: ToolDefinition | null} {
  const name = 'known function' as const;
  // Some tools are known only as far as an export left them: a name not among them may be one of those.
  const cutTools = isCut(run, 'tools') || run.tools.some((tool) => tool.cut && tool.name === null);
  if (cutTools && !functions.has(call.functionName)) {
    return {
      check: {name, ok: null, details: [`the export cut the tools list short; cannot tell whether ${quote(call.functionName)} is declared (${DEPTH_ADVICE})`], notes: [], couldNotRun: 'cut by the export'},
      tool: null,
    };
  }
  if (!Array.isArray(run.raw['tools'])) {
    return {
      check: {
        name,
        ok: null,
        details: [`the run object has no tools list; cannot tell whether ${quote(call.functionName)} is declared`],
        notes: [],
        couldNotRun: 'tools not listed',
      },
      tool: null,
    };
  }
  const tool = functions.get(call.functionName);
  if (tool) return {check: {name, ok: true, details: [], notes: []}, tool};
  if (run.tools.length === 0) {
    return {check: {name, ok: false, details: [`run has no tools; ${quote(call.functionName)} is not declared`], notes: []}, tool: null};
  }
  const notes =
    functions.size > 0
      ? [`declared functions: ${[...functions.keys()].join(', ')}`]
      : [`the run declares no function tools, only: ${[...new Set(run.tools.map((t) => t.type))].join(', ')}`];
  return {check: {name, ok: false, details: [`unknown function ${quote(call.functionName)}`], notes}, tool: null};
}

function checkJson(call: RequiredToolCall): {check: CheckResult; value: unknown | undefined} {
  const parsed = parseJson(call.arguments);
  if (parsed.ok) return {check: {name: 'valid JSON', ok: true, details: [], notes: []}, value: parsed.value};
  const {line, column, reason} = parsed.error;
  return {
    check: {name: 'valid JSON', ok: false, details: [`invalid JSON at line ${line}, column ${column}: ${reason}`], notes: []},
    value: undefined,
  };
}

function checkSchema(tool: ToolDefinition | null, json: {ok: boolean | null; value: unknown}, known: CheckResult): CheckResult {
  const name = 'matches schema' as const;
  if (known.ok === false || json.ok === false) {
    return {name, ok: null, details: ['not checked: an earlier check failed'], notes: [], couldNotRun: 'earlier check failed'};
  }
  if (!tool) {
    const cut = known.couldNotRun === 'cut by the export';
    return {name, ok: null, details: [cut ? 'not checked: the export cut the tools list short' : 'not checked: the run does not list its tools'], notes: [], couldNotRun: cut ? 'cut by the export' : 'tools not listed'};
  }
  if (isToolCut(tool)) return {name, ok: null, details: [`not checked: the export cut the schema of ${quote(tool.name ?? '')} short (${DEPTH_ADVICE})`], notes: [], couldNotRun: 'cut by the export'};
  if (tool.type === 'mcp') return {name, ok: null, details: ['not checked: an mcp tool declares no schema of its own (the MCP server has it)'], notes: [], couldNotRun: 'no schema'};
  if (tool.parameters === undefined || tool.parameters === null) {
    return {name, ok: null, details: [`function ${quote(tool.name ?? '')} declares no parameters schema`], notes: [], couldNotRun: 'no schema'};
  }
  const compiled = compileSchema(tool.parameters, tool.strict);
  const notes = tool.strict ? ['strict: every property is required and no other property is allowed', ...compiled.notes] : compiled.notes;
  if (!compiled.ok) {
    return {name, ok: null, details: [`schema could not be compiled: ${compiled.error}`], notes, couldNotRun: 'schema error'};
  }
  const violations = validateWith(compiled.validate, json.value);
  return {name, ok: violations.length === 0, details: violations, notes};
}

/** The run's function tools by name (the first wins if a name is declared twice). */
function functionTools(run: Run): Map<string, ToolDefinition> {
  const functions = new Map<string, ToolDefinition>();
  for (const tool of run.tools) {
    if (tool.type === 'function' && tool.name !== null && !functions.has(tool.name)) functions.set(tool.name, tool);
  }
  return functions;
}

/** The `server_label` of an `mcp` tool definition, or null. */
function serverLabelOf(tool: ToolDefinition): string | null {
  const label = (tool.raw as {server_label?: unknown} | null)?.server_label;
  return tool.type === 'mcp' && typeof label === 'string' ? label : null;
}

/**
 * An MCP call (Foundry's approvals) is "known" when the run declares an `mcp` tool with its server
 * label, and that tool's `allowed_tools`, when it lists any, include the call's tool.
 */
function checkKnownMcp(run: Run, call: RequiredToolCall): {check: CheckResult; tool: ToolDefinition | null} {
  const name = 'known function' as const;
  if (!Array.isArray(run.raw['tools'])) {
    return {check: {name, ok: null, details: [`the run object has no tools list; cannot tell whether MCP server ${quote(call.serverLabel ?? '')} is declared`], notes: [], couldNotRun: 'tools not listed'}, tool: null};
  }
  const servers = run.tools.filter((tool) => serverLabelOf(tool) !== null);
  const tool = servers.find((candidate) => serverLabelOf(candidate) === call.serverLabel) ?? null;
  if (!tool) {
    const notes = servers.length > 0 ? [`declared MCP servers: ${servers.map((server) => serverLabelOf(server)).join(', ')}`] : ['the run declares no mcp tool'];
    return {check: {name, ok: false, details: [`no mcp tool with server_label ${quote(call.serverLabel ?? '')}`], notes}, tool: null};
  }
  const allowed = (tool.raw as {allowed_tools?: unknown}).allowed_tools;
  const url = (tool.raw as {server_url?: unknown}).server_url;
  const notes = typeof url === 'string' ? [`MCP server ${quote(call.serverLabel ?? '')} at ${url}`] : [];
  if (Array.isArray(allowed) && allowed.length > 0 && !allowed.includes(call.functionName)) {
    return {check: {name, ok: false, details: [`${quote(call.functionName)} is not among the allowed_tools of ${quote(call.serverLabel ?? '')}: ${allowed.join(', ')}`], notes}, tool};
  }
  return {check: {name, ok: true, details: [], notes}, tool};
}

function checkCall(run: Run, call: RequiredToolCall, functions: Map<string, ToolDefinition>): ToolCallReport {
  const known = call.type === 'mcp' ? checkKnownMcp(run, call) : checkKnownFunction(run, call, functions);
  const json = checkJson(call);
  const schema = checkSchema(known.tool, {ok: json.check.ok, value: json.value}, known.check);
  const checks = [known.check, json.check, schema];
  return {
    call,
    ok: !checks.some((check) => check.ok === false),
    verified: checks.every((check) => check.ok === true),
    checks,
    parsedArguments: json.value,
    tool: known.tool,
  };
}

const reportCache = new WeakMap<Run, readonly ToolCallReport[]>();

/**
 * One report per tool call in `run.requiredAction` (approval requests aside), in the order of the calls (empty when the run
 * waits on nothing). Memoized per Run object: runs are immutable once normalized.
 */
export function checkToolCalls(run: Run): readonly ToolCallReport[] {
  const cached = reportCache.get(run);
  if (cached) return cached;
  // A response's MCP approval requests are no function calls: the user approves them, nothing is checked.
  const calls = (run.requiredAction?.toolCalls ?? []).filter((call) => call.type !== APPROVAL_CALL);
  const reports = Object.freeze(checkCallsAgainst(run, calls));
  reportCache.set(run, reports);
  return reports;
}

/**
 * The same checks for calls read elsewhere than `required_action` (a run step's function calls,
 * made in an earlier round), against the run's tools. Not memoized: the caller keeps the result.
 */
export function checkCallsAgainst(run: Run, calls: readonly RequiredToolCall[]): ToolCallReport[] {
  const functions = calls.length > 0 ? functionTools(run) : new Map<string, ToolDefinition>();
  return calls.map((call) => checkCall(run, call, functions));
}

/**
 * The failures worth showing in a list, one line each: `get_weather (call_abc): /days must be integer`.
 * Failed checks, and schemas that could not be compiled; checks that merely could not run are left out.
 */
export function summarizeProblems(reports: readonly ToolCallReport[]): string[] {
  const problems: string[] = [];
  for (const report of reports) {
    const label = `${report.call.functionName} (${report.call.id})`;
    for (const check of report.checks) {
      if (check.ok === false || check.couldNotRun === 'schema error') {
        for (const line of check.details) problems.push(`${label}: ${line}`);
      }
    }
  }
  return problems;
}
