/** Runs with known figures for the statistics tests, built as the API returns them, then normalized. */
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';

/** 2026-11-25 12:00:00 UTC, a Wednesday. */
export const NOW = 1795608000;

export interface StatRunSpec {
  id: string;
  status?: string;
  thread?: string | null;
  model?: string | null;
  created?: number | null;
  /** Seconds after created; null: never started. */
  queued?: number | null;
  /** Seconds after started until the end (completed/failed/cancelled by status). */
  ran?: number | null;
  expires?: number | null;
  usage?: [prompt: number, completion: number, total?: number] | null;
  error?: string | null | undefined;
  incomplete?: string;
}

export function statRun(spec: StatRunSpec): Run {
  const status = spec.status ?? 'completed';
  const created = spec.created === undefined ? NOW - 3600 : spec.created;
  const started = spec.queued === null ? null : (created ?? NOW - 3600) + (spec.queued ?? 1);
  const ended = started === null || spec.ran === null ? null : started + (spec.ran ?? 10);
  const endField = status === 'failed' ? 'failed_at' : status === 'cancelled' ? 'cancelled_at' : status === 'completed' || status === 'incomplete' ? 'completed_at' : null;
  const raw: Record<string, unknown> = {
    id: spec.id,
    object: 'thread.run',
    created_at: created,
    thread_id: spec.thread === undefined ? `thread_${spec.id}` : spec.thread,
    assistant_id: 'asst_1',
    status,
    started_at: started,
    expires_at: spec.expires ?? null,
    completed_at: endField === 'completed_at' ? ended : null,
    failed_at: endField === 'failed_at' ? ended : null,
    cancelled_at: endField === 'cancelled_at' ? ended : null,
    last_error: spec.error === undefined ? null : {code: spec.error, message: 'something went wrong'},
    incomplete_details: spec.incomplete ? {reason: spec.incomplete} : null,
    model: spec.model === undefined ? 'gpt-4o' : spec.model,
    instructions: '',
    tools: [],
    metadata: {},
    usage: spec.usage ? {prompt_tokens: spec.usage[0], completion_tokens: spec.usage[1], total_tokens: spec.usage[2] ?? spec.usage[0] + spec.usage[1]} : null,
  };
  return normalizeRun(raw, {file: 'stats.json'});
}

/**
 * Deterministic synthetic runs for scale tests, built directly as `Run` objects (normalizing
 * 100,000 objects through the schema would dominate the test's time).
 */
export function syntheticRuns(count: number, seed = 42): Run[] {
  // mulberry32: small, deterministic, good enough spread for ids and times.
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const statuses = ['completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'failed', 'cancelled', 'incomplete', 'expired', 'queued', 'in_progress', 'requires_action'];
  const models = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o3-mini'];
  const codes = ['server_error', 'rate_limit_exceeded', 'invalid_prompt'];
  const runs: Run[] = [];
  for (let index = 0; index < count; index++) {
    const status = statuses[Math.floor(random() * statuses.length)]!;
    const active = status === 'queued' || status === 'in_progress' || status === 'requires_action' || status === 'cancelling';
    const createdAt = NOW - Math.floor(random() * 30 * 86_400);
    const startedAt = status === 'queued' || status === 'expired' ? null : createdAt + Math.floor(random() * 5);
    const endedAt = active || startedAt === null ? null : startedAt + Math.floor(random() * random() * 600);
    const usage = status === 'completed' || status === 'failed' || status === 'incomplete' ? {promptTokens: Math.floor(random() * 5000), completionTokens: Math.floor(random() * 1000), totalTokens: null as number | null} : null;
    if (usage) usage.totalTokens = usage.promptTokens + usage.completionTokens;
    const id = `run_${index.toString(36).padStart(8, '0')}`;
    const threadId = `thread_${Math.floor(random() * count * 0.6).toString(36)}`;
    runs.push({
      id,
      status,
      raw: {id, object: 'thread.run', status},
      source: {file: 'synthetic.jsonl', line: index + 1},
      threadId,
      assistantId: 'asst_1',
      model: models[Math.floor(random() * models.length)]!,
      instructions: null,
      createdAt,
      startedAt,
      completedAt: status === 'completed' || status === 'incomplete' ? endedAt : null,
      failedAt: status === 'failed' ? endedAt : null,
      cancelledAt: status === 'cancelled' ? endedAt : null,
      expiresAt: active || status === 'expired' ? createdAt + 600 : null,
      endedAt,
      usage,
      tools: [],
      requiredAction: null,
      lastError: status === 'failed' ? {code: codes[Math.floor(random() * codes.length)]!, message: 'error'} : null,
      incompleteReason: status === 'incomplete' ? 'max_completion_tokens' : null,
      metadata: {},
      temperature: null,
      topP: null,
      maxPromptTokens: null,
      maxCompletionTokens: null,
      truncationStrategy: null,
      toolChoice: null,
      responseFormat: null,
      parallelToolCalls: null,
      reasoningEffort: null,
      fileIds: null,
      problems: [],
      searchText: `${id}\n${status}\n${threadId}`,
    });
  }
  return runs;
}
