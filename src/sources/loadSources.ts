import type {Readable} from 'node:stream';
import {clearItems, type ParsedItems, type SideItems, type SideItemsView} from '../model/itemKinds.js';
import type {LoadWarning} from '../model/loadWarning.js';
import type {Run} from '../model/run.js';
import {decodeInput} from './compression.js';
import {describeFsError, listTargets} from './folderFiles.js';
import {filePieces, loadRunBytes, streamPieces} from './pieceReaders.js';
import {RunCollection} from './runCollection.js';
import {markSourceKind} from './sourceKind.js';

/** Everything loaded from the command line's sources. */
export interface LoadedRuns extends SideItems {
  /** Unique by id, in the order first seen, each in its latest state (RunCollection). */
  runs: Run[];
  warnings: LoadWarning[];
  /** The sources as the user named them. */
  sources: string[];
  /** Files that were read (folders expanded). */
  files: string[];
}

/** The label stdin gets in warnings and the header. */
export const STDIN_LABEL = '<stdin>';

/** How far a load has come, for the progress bar. */
export interface LoadProgress {
  /** Bytes read so far, over every file. */
  bytesRead: number;
  /** Bytes of every file named, when known (not for stdin). */
  totalBytes: number | null;
  /** Runs loaded so far (each id once). */
  runs: number;
  /** The file being read. */
  file: string | null;
}

/** What a load has found so far, handed out while it goes on (the lists are the load's own: copy them to keep). */
export interface PartialLoad extends SideItemsView {
  runs: readonly Run[];
  warnings: readonly LoadWarning[];
  /** Changes whenever `runs` does, a copy replaced in place included (RunCollection.revision). */
  revision: number;
}

export interface LoadOptions {
  /** Read for the source `-`. */
  stdin?: Readable;
  /**
   * Told after every piece read, with the runs so far. When given, large JSON Lines files are read
   * in pieces and the load yields to the event loop between them, so a UI draws the first rows
   * and answers keys while the rest loads. A promise it returns holds the load until it settles
   * (the TUI: until its first frame is drawn).
   */
  onProgress?: (progress: LoadProgress, partial: PartialLoad) => void | Promise<void>;
  /** Ends the load early (between pieces), with what has been read so far. */
  signal?: AbortSignal;
  /**
   * Keep runs of JSON Lines files small and read them again from the file when opened
   * (see DetachedRun): what the TUI does with large files. Print mode reads each run once.
   */
  detachRuns?: boolean;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Loads runs from files, folders (recursively: .json, .jsonl, .ndjson, .sse, .sse.txt, and each
 * of them as .gz or .zst) and `-` (stdin); compressed input is found by its first bytes.
 * Never throws for bad input: whatever cannot be read or parsed becomes a warning.
 */
export async function loadRunsFromSources(sources: readonly string[], options: LoadOptions = {}): Promise<LoadedRuns> {
  const collection = new RunCollection();
  const warnings: LoadWarning[] = [];
  const files: string[] = [];
  const {onProgress, signal, detachRuns = false} = options;
  const targets = await listTargets(sources, onProgress !== undefined);
  const sizes = targets.flatMap((target) => (target.kind === 'file' ? [target.size] : target.kind === 'stdin' ? [null] : []));
  const totalBytes = sizes.includes(null) ? null : sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
  let bytesBefore = 0;

  const take = (parsed: ParsedItems) => {
    warnings.push(...parsed.warnings);
    collection.addItems(parsed);
    clearItems(parsed);
  };
  const report = async (file: string | null, bytesInFile: number) => {
    if (!onProgress) return;
    await onProgress(
      {bytesRead: bytesBefore + bytesInFile, totalBytes, runs: collection.runs.length, file},
      {...collection.side, runs: collection.runs, warnings: [...warnings, ...collection.warnings], revision: collection.revision},
    );
    await nextTurn();
  };

  for (const target of targets) {
    if (signal?.aborted) break;
    if (target.kind === 'warnings') {
      warnings.push(...target.warnings);
      continue;
    }
    if (target.kind === 'stdin') {
      const stdin = options.stdin ?? process.stdin;
      try {
        bytesBefore += await loadRunBytes(STDIN_LABEL, decodeInput(streamPieces(stdin)), (parsed) => take(markSourceKind(parsed, 'stdin')), onProgress ? (bytes) => report(STDIN_LABEL, bytes) : null, signal, false, null);
      } catch (error) {
        // A stream that fails (EIO, a closed pipe) is bad input like any other, not a crash.
        warnings.push({location: STDIN_LABEL, message: describeFsError(error)});
        continue;
      }
      files.push(STDIN_LABEL);
      await report(STDIN_LABEL, 0);
      continue;
    }
    const {file} = target;
    let read: number;
    try {
      read = await loadRunBytes(file, decodeInput(filePieces(file)), take, onProgress ? (bytes) => report(file, bytes) : null, signal, detachRuns, file);
    } catch (error) {
      warnings.push({location: file, message: describeFsError(error)});
      continue;
    }
    files.push(file);
    bytesBefore += read;
    await report(file, 0);
  }
  return {
    ...collection.side,
    runs: collection.runs,
    warnings: [...warnings, ...collection.warnings],
    sources: [...sources],
    files,
  };
}

