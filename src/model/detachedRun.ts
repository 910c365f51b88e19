/**
 * A run from a JSON Lines file, kept small: its bulky parts (the object as read, the
 * instructions, the tool definitions with their schemas) are not held in memory but read again
 * from the file, by byte offset, when a pane asks for them.
 *
 * Why: a 100,000-run export held as parsed objects took 3.6 KB a run against 2.1 KB of JSON, and
 * instructions and tools were two thirds of it. The list, filters, search, sort, statistics and
 * the stuck badge need none of them. Runs waiting for tool outputs are checked against their
 * tools for the badge and the stuck view, so those stay whole (see `detachUnlessWaiting`).
 */
import {closeSync, openSync, readSync} from 'node:fs';
import {type FieldProblem, type ReadNote, type Run, type SourceLocation, type ToolDefinition} from './run.js';

/** Re-reads the line at `offset` and returns the run `id` from it, or null when it is not there any more. */
export type RunLineParser = (text: string, source: SourceLocation, id: string) => Run | null;

/** How many re-read runs are kept: enough for the run on screen and those the user steps between. */
const RECENT_LIMIT = 16;
const recent = new Map<DetachedRun, Run>();

export class DetachedRun implements Run {
  readonly id: string;
  readonly status: string;
  readonly source: SourceLocation;
  readonly threadId: string | null;
  readonly assistantId: string | null;
  readonly model: string | null;
  readonly createdAt: number | null;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly failedAt: number | null;
  readonly cancelledAt: number | null;
  readonly expiresAt: number | null;
  readonly endedAt: number | null;
  readonly usage: Run['usage'];
  readonly requiredAction: Run['requiredAction'];
  readonly lastError: Run['lastError'];
  readonly incompleteReason: string | null;
  readonly metadata: Record<string, string>;
  readonly temperature: number | null;
  readonly topP: number | null;
  readonly maxPromptTokens: number | null;
  readonly maxCompletionTokens: number | null;
  readonly truncationStrategy: Run['truncationStrategy'];
  readonly toolChoice: string | null;
  readonly responseFormat: string | null;
  readonly parallelToolCalls: boolean | null;
  readonly reasoningEffort: string | null;
  readonly fileIds: string[] | null;
  readonly problems: FieldProblem[];
  readonly notes?: ReadNote[];
  readonly searchText: string;

  constructor(
    run: Run,
    /** Where the run's line starts in its file, in bytes. */
    private readonly offset: number,
    /** The line's length in bytes. */
    private readonly length: number,
    private readonly parseLine: RunLineParser,
  ) {
    this.id = run.id;
    this.status = run.status;
    this.source = run.source;
    this.threadId = run.threadId;
    this.assistantId = run.assistantId;
    this.model = run.model;
    this.createdAt = run.createdAt;
    this.startedAt = run.startedAt;
    this.completedAt = run.completedAt;
    this.failedAt = run.failedAt;
    this.cancelledAt = run.cancelledAt;
    this.expiresAt = run.expiresAt;
    this.endedAt = run.endedAt;
    this.usage = run.usage;
    this.requiredAction = run.requiredAction;
    this.lastError = run.lastError;
    this.incompleteReason = run.incompleteReason;
    this.metadata = run.metadata;
    this.temperature = run.temperature;
    this.topP = run.topP;
    this.maxPromptTokens = run.maxPromptTokens;
    this.maxCompletionTokens = run.maxCompletionTokens;
    this.truncationStrategy = run.truncationStrategy;
    this.toolChoice = run.toolChoice;
    this.responseFormat = run.responseFormat;
    this.parallelToolCalls = run.parallelToolCalls;
    this.reasoningEffort = run.reasoningEffort;
    this.fileIds = run.fileIds;
    this.problems = run.problems;
    if (run.notes) this.notes = run.notes;
    this.searchText = run.searchText;
  }

  get raw(): Record<string, unknown> {
    return this.whole().raw;
  }

  get asRead(): Record<string, unknown> | undefined {
    return this.whole().asRead;
  }

  get instructions(): string | null {
    return this.whole().instructions;
  }

  get tools(): ToolDefinition[] {
    return this.whole().tools;
  }

  /** The run read again from its file (a few recent ones are kept). */
  private whole(): Run {
    const cached = recent.get(this);
    if (cached) {
      recent.delete(this);
      recent.set(this, cached);
      return cached;
    }
    const run = this.readAgain();
    recent.set(this, run);
    if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value!);
    return run;
  }

  private readAgain(): Run {
    let text: string | null = null;
    try {
      const fd = openSync(this.source.file, 'r');
      try {
        const bytes = Buffer.allocUnsafe(this.length);
        const read = readSync(fd, bytes, 0, this.length, this.offset);
        text = bytes.toString('utf8', 0, read);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      return this.standIn(`cannot be read again (${error instanceof Error ? error.message : String(error)})`);
    }
    return this.parseLine(text, this.source, this.id) ?? this.standIn('changed since this run was loaded from it; reload (w) to read it again');
  }

  /**
   * What is known without the file: everything but the bulky parts. The object as read says why
   * it is missing, so the Raw JSON pane explains the gap.
   */
  private standIn(why: string): Run {
    const {offset: _offset, length: _length, parseLine: _parseLine, ...fields} = this as unknown as Record<string, unknown>;
    return {
      ...(fields as unknown as Omit<Run, 'raw' | 'instructions' | 'tools'>),
      raw: {'(runlens)': `${this.source.file} ${why}`},
      instructions: null,
      tools: [],
    };
  }
}

/**
 * The run itself when it waits for tool outputs (its calls are checked against its tools), or is a
 * response (whose output items and settled waits a copy read again would lose), else a DetachedRun.
 */
export function detachUnlessWaiting(run: Run, offset: number, length: number, parseLine: RunLineParser): Run {
  return run.status === 'requires_action' || run.kind === 'response' ? run : new DetachedRun(run, offset, length, parseLine);
}
