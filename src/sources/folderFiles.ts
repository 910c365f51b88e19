/**
 * The files behind the command line's paths: a file as named, a folder walked for the files runlens
 * reads (links followed, loops skipped), `-` for stdin, each file once; what cannot be found is a
 * warning in its place.
 */
import {readdir, realpath, stat} from 'node:fs/promises';
import path from 'node:path';
import type {LoadWarning} from '../model/loadWarning.js';

/** What a folder's files are read for: JSON, JSON Lines and stream transcripts, each also gzip- or zstd-compressed. */
const RUN_FILE = /\.(json|jsonl|ndjson|sse|sse\.txt)(\.(gz|zst))?$/i;

export function describeFsError(error: unknown): string {
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

/** What to read, in order; `warnings` (a source not found, a dangling link) keep their place among the files' own. */
export type Target = {kind: 'stdin'} | {kind: 'file'; file: string; size: number | null} | {kind: 'warnings'; warnings: LoadWarning[]};

/** The files behind the sources, folders expanded, each once; what cannot be found is a warning. */
export async function listTargets(sources: readonly string[], withSizes: boolean): Promise<Target[]> {
  const targets: Target[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    if (source === '-') {
      targets.push({kind: 'stdin'});
      continue;
    }
    const warnings: LoadWarning[] = [];
    targets.push({kind: 'warnings', warnings});
    let isDirectory = false;
    try {
      isDirectory = (await stat(source)).isDirectory();
    } catch (error) {
      warnings.push({location: source, message: describeFsError(error)});
      continue;
    }
    const files = isDirectory ? await listRunFiles(source, warnings, new Set()) : [source];
    if (isDirectory && files.length === 0) {
      warnings.push({location: source, message: 'no .json, .jsonl, .ndjson or .sse files in this folder'});
    }
    for (const file of files) {
      // A file named twice (`runlens examples examples/weather-bot`) is read once.
      const resolved = path.resolve(file);
      if (seen.has(resolved)) continue;
      seen.add(resolved);
      targets.push({kind: 'file', file, size: null});
    }
  }
  if (withSizes) {
    await Promise.all(
      targets.map(async (target) => {
        if (target.kind !== 'file') return;
        try {
          target.size = (await stat(target.file)).size;
        } catch {
          // Reported when the file is read.
        }
      }),
    );
  }
  return targets;
}

