import {readdir, readFile, realpath, stat} from 'node:fs/promises';
import path from 'node:path';
import type {Readable} from 'node:stream';
import type {Run} from '../model/run.js';
import {isJsonLinesName, parseJsonLinesBuffer, parseRunText, type LoadWarning, type ParsedRuns} from './parseRunText.js';

/**
 * A `.jsonl`/`.ndjson` file in UTF-8 is parsed line by line from its bytes (see
 * parseJsonLinesBuffer); UTF-16 files and stream transcripts saved under that name take the
 * general path.
 */
function readsAsJsonLinesBytes(file: string, bytes: Buffer): boolean {
  if (!isJsonLinesName(file)) return false;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  const head = bytes.toString('utf8', 0, Math.min(bytes.length, 256)).replace(/^\ufeff/, '').trimStart();
  return !head.startsWith('event:') && !head.startsWith('data:') && !head.startsWith(':');
}

/** Everything loaded from the command line's sources. */
export interface LoadedRuns {
  /** Unique by id, in the order first seen. */
  runs: Run[];
  warnings: LoadWarning[];
  /** The sources as the user named them. */
  sources: string[];
  /** Files that were read (folders expanded). */
  files: string[];
}

const RUN_FILE = /\.(json|jsonl|ndjson|sse)$/i;

/** The label stdin gets in warnings and the header. */
export const STDIN_LABEL = '<stdin>';

/**
 * Keeps one run per id. A later copy replaces an earlier one (the newest state of a run wins, as
 * in an export taken twice); a copy with different content is worth a warning.
 */
export class RunCollection {
  private readonly byId = new Map<string, number>();
  readonly runs: Run[] = [];
  readonly warnings: LoadWarning[] = [];

  add(run: Run): void {
    const index = this.byId.get(run.id);
    if (index === undefined) {
      this.byId.set(run.id, this.runs.length);
      this.runs.push(run);
      return;
    }
    const previous = this.runs[index]!;
    if (!sameJson(previous.raw, run.raw)) {
      const where = `${run.source.file}${run.source.line ? `:${run.source.line}` : ''}`;
      const before = `${previous.source.file}${previous.source.line ? `:${previous.source.line}` : ''}`;
      this.warnings.push({
        location: where,
        message: `${run.id} also appears in ${before} with different content; showing this one`,
      });
    }
    this.runs[index] = run;
  }
}

/**
 * Whether two parsed JSON values are equal, key order aside. Not JSON.stringify: it recurses, and
 * a run nested some thousands of levels deep overflowed the stack; this walks with its own stack.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const [left, right] = pair;
    if (left === right) continue;
    if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
    if (Array.isArray(left) !== Array.isArray(right)) return false;
    const leftKeys = Object.keys(left);
    if (leftKeys.length !== Object.keys(right).length) return false;
    for (const key of leftKeys) {
      if (!Object.hasOwn(right, key)) return false;
      pending.push([(left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]]);
    }
  }
  return true;
}

/** Decodes a file's bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM. */
export function decodeRunFile(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return bytes.toString('utf8');
}

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'is a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Lists run files under a folder, recursively, sorted, following links but not loops. A loop is a
 * link back to a folder being listed (`ancestors`); a folder reached twice otherwise (named twice,
 * or linked from a sibling) is listed again, and its files are read once by the caller.
 */
async function listRunFiles(folder: string, warnings: LoadWarning[], ancestors: Set<string>): Promise<string[]> {
  let real: string;
  try {
    real = await realpath(folder);
  } catch (error) {
    warnings.push({location: folder, message: describeFsError(error)});
    return [];
  }
  if (ancestors.has(real)) {
    warnings.push({location: folder, message: 'symbolic link loop (links to a folder it is in); skipped'});
    return [];
  }
  let entries;
  try {
    entries = await readdir(folder, {withFileTypes: true});
  } catch (error) {
    warnings.push({location: folder, message: describeFsError(error)});
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  ancestors.add(real);
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(full);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch (error) {
        if (RUN_FILE.test(entry.name) || !path.extname(entry.name)) {
          warnings.push({location: full, message: `${describeFsError(error)} (symbolic link)`});
        }
        continue;
      }
    }
    if (isDirectory) files.push(...(await listRunFiles(full, warnings, ancestors)));
    else if (isFile && RUN_FILE.test(entry.name)) files.push(full);
  }
  ancestors.delete(real);
  return files;
}

export interface LoadOptions {
  /** Read for the source `-`. */
  stdin?: Readable;
}

/**
 * Loads runs from files, folders (recursively: .json, .jsonl, .ndjson) and `-` (stdin).
 * Never throws for bad input: whatever cannot be read or parsed becomes a warning.
 */
export async function loadRunsFromSources(sources: readonly string[], options: LoadOptions = {}): Promise<LoadedRuns> {
  const collection = new RunCollection();
  const warnings: LoadWarning[] = [];
  const files: string[] = [];
  const readFiles = new Set<string>();

  const loadText = (text: string, label: string) => {
    const parsed = parseRunText(text, label);
    warnings.push(...parsed.warnings);
    for (const run of parsed.runs) collection.add(run);
  };

  for (const source of sources) {
    if (source === '-') {
      const stdin = options.stdin ?? process.stdin;
      let bytes: Buffer;
      try {
        bytes = await readStream(stdin);
      } catch (error) {
        // A stream that fails (EIO, a closed pipe) is bad input like any other, not a crash.
        warnings.push({location: STDIN_LABEL, message: describeFsError(error)});
        continue;
      }
      loadText(decodeRunFile(bytes), STDIN_LABEL);
      files.push(STDIN_LABEL);
      continue;
    }
    let isDirectory = false;
    try {
      isDirectory = (await stat(source)).isDirectory();
    } catch (error) {
      warnings.push({location: source, message: describeFsError(error)});
      continue;
    }
    const targets = isDirectory ? await listRunFiles(source, warnings, new Set()) : [source];
    if (isDirectory && targets.length === 0) {
      warnings.push({location: source, message: 'no .json, .jsonl, .ndjson or .sse files in this folder'});
    }
    for (const file of targets) {
      // A file named twice (`runlens examples examples/weather-bot`) is read once.
      if (readFiles.has(path.resolve(file))) continue;
      readFiles.add(path.resolve(file));
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        warnings.push({location: file, message: describeFsError(error)});
        continue;
      }
      files.push(file);
      if (readsAsJsonLinesBytes(file, bytes)) {
        const parsed: ParsedRuns = {runs: [], warnings: []};
        parseJsonLinesBuffer(bytes, file, parsed);
        warnings.push(...parsed.warnings);
        for (const run of parsed.runs) collection.add(run);
      } else {
        loadText(decodeRunFile(bytes), file);
      }
    }
  }
  return {
    runs: collection.runs,
    warnings: [...warnings, ...collection.warnings],
    sources: [...sources],
    files,
  };
}

