/**
 * The layers of runlens, lowest first, and a check over the imports of every file in them: a file
 * may import its own layer and the layers below, never one above, and no files may import each
 * other in a loop. `test/layers.test.ts` runs it; `npx tsx test/helpers/layers.ts` prints what it
 * finds. Imports are read with TypeScript's own scanner (type-only and dynamic imports count too:
 * a type that points up still ties the lower layer to the upper one).
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

/** One rung: the files it holds (a folder ends in `/`) and why it stands where it does. */
export interface Layer {
  name: string;
  paths: readonly string[];
  why: string;
}

/** Lowest first. A new folder or top-level file under src/ or components/ needs a rung here. */
export const LAYERS: readonly Layer[] = [
  {name: 'model', paths: ['src/model/'], why: 'what a run, a step, a message and a load warning are, the table of item kinds, the list query, and the facts that follow from their fields; imports nothing of ours'},
  {name: 'format', paths: ['src/format/'], why: 'text building blocks (escaping, widths, times, tones, list cells); knows runs, nothing else'},
  {name: 'keys', paths: ['src/keys.ts'], why: 'the key table, as data: the store maps keys to commands with it; panes and components write key names from it'},
  {name: 'triage', paths: ['src/triage/'], why: 'pure checks on runs (stuck, tool calls, outputs, the unstick request), worded with format'},
  {name: 'config', paths: ['src/config/'], why: 'profiles and settings on disk: the first layer that does I/O, so it stands above the pure ones'},
  {name: 'sources', paths: ['src/sources/'], why: 'reading runs from files, stdin, URLs and APIs; an API connection comes from config'},
  {name: 'editor', paths: ['src/editor/'], why: "the user's $EDITOR, run as a child process: I/O that only the TUI and the CLI start"},
  {name: 'panes', paths: ['src/panes/'], why: "the content of one run's panes, pure: shows what sources read (steps, warnings) and triage found"},
  {name: 'stats', paths: ['src/stats/'], why: 'views over many runs (statistics, threads, charts, the load bar), built from pane content'},
  {name: 'store', paths: ['src/store/'], why: 'what the TUI holds (list query, reducer, the steps cache): panes, triage and keys in, state out'},
  {name: 'components', paths: ['components/'], why: 'Ink views: render the store state and pane content, and nothing imports them but the CLI'},
  {name: 'cli', paths: ['src/cli/'], why: 'the program: reads the command line, loads, prints or starts the TUI'},
];

/**
 * Known exceptions, to be removed: imports the check lets through for now, while those files are
 * being changed for other reasons. An entry that no longer occurs fails the check, so the list
 * can only shrink.
 */
export const KNOWN_EXCEPTIONS: ReadonlyArray<{from: string; to: string; why: string}> = [];

/** One import of one of our files by another. */
export interface ImportEdge {
  from: string;
  to: string;
  /** 1-based line of the import in `from`. */
  line: number;
}

const SOURCE_FILE = /\.(ts|tsx)$/;

function filesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative)).sort()) {
      const child = path.posix.join(relative, entry);
      if (statSync(path.join(root, child)).isDirectory()) walk(child);
      else if (SOURCE_FILE.test(entry) && !entry.endsWith('.d.ts')) out.push(child);
    }
  };
  if (statSync(path.join(root, dir), {throwIfNoEntry: false})?.isDirectory()) walk(dir);
  return out;
}

/** `./x.js` from `src/a/b.ts` → `src/a/x.ts` (or `.tsx`), when it is one of `files`. */
function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = base.replace(/\.(js|jsx|ts|tsx|mjs)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`]) if (files.has(candidate)) return candidate;
  return null;
}

/** Every import between the files under `dirs` (paths relative to `root`, with `/`). */
export function readImports(root: string, dirs: readonly string[] = ['src', 'components']): {files: string[]; edges: ImportEdge[]} {
  const files = dirs.flatMap((dir) => filesUnder(root, dir));
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(path.join(root, from), 'utf8');
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      const to = resolveImport(from, imported.fileName, known);
      if (to) edges.push({from, to, line: text.slice(0, imported.pos).split('\n').length});
    }
  }
  return {files, edges};
}

/** The rung of a file: the longest path of the table that holds it, or null. */
export function layerOf(file: string, layers: readonly Layer[] = LAYERS): number | null {
  let best: {index: number; length: number} | null = null;
  layers.forEach((layer, index) => {
    for (const entry of layer.paths) {
      const holds = entry.endsWith('/') ? file.startsWith(entry) : file === entry;
      if (holds && (!best || entry.length > best.length)) best = {index, length: entry.length};
    }
  });
  return best === null ? null : (best as {index: number}).index;
}

/**
 * Import loops among the files: each group of files that reach one another (Tarjan's strongly
 * connected components), with one loop through it as the imports that close it.
 */
export function findCycles(files: readonly string[], edges: readonly ImportEdge[]): Array<{files: string[]; loop: ImportEdge[]}> {
  const out = new Map<string, ImportEdge[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const {to} of out.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file)!, index.get(to)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      components.push(component);
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  const cycles: Array<{files: string[]; loop: ImportEdge[]}> = [];
  for (const component of components) {
    const members = new Set(component);
    const inside = edges.filter((edge) => members.has(edge.from) && members.has(edge.to));
    if (inside.length === 0) continue;
    // One loop through the component, from its first file in path order, by breadth-first search.
    const start = [...members].sort()[0]!;
    const cameFrom = new Map<string, ImportEdge>();
    const queue = [start];
    let closing: ImportEdge | null = null;
    while (queue.length > 0 && !closing) {
      const file = queue.shift()!;
      for (const edge of inside.filter((candidate) => candidate.from === file)) {
        if (edge.to === start) {
          closing = edge;
          break;
        }
        if (!cameFrom.has(edge.to)) {
          cameFrom.set(edge.to, edge);
          queue.push(edge.to);
        }
      }
    }
    const loop: ImportEdge[] = [closing!];
    for (let at = closing!.from; at !== start; at = cameFrom.get(at)!.from) loop.unshift(cameFrom.get(at)!);
    cycles.push({files: [...members].sort(), loop});
  }
  return cycles;
}

const place = (edge: ImportEdge) => `${edge.from}:${edge.line}`;

/**
 * What is wrong with the imports under `root`, one line each: a file outside every layer, an
 * import of a layer above (`file:line imports file: format may not import store, a layer above
 * it`), an import loop, and an exception that no longer occurs. Empty when all is well.
 */
export function checkLayers(
  root: string,
  options: {layers?: readonly Layer[]; exceptions?: ReadonlyArray<{from: string; to: string}>; dirs?: readonly string[]} = {},
): string[] {
  const layers = options.layers ?? LAYERS;
  const exceptions = options.exceptions ?? KNOWN_EXCEPTIONS;
  const {files, edges} = readImports(root, options.dirs);
  const excepted = (edge: ImportEdge) => exceptions.some((exception) => exception.from === edge.from && exception.to === edge.to);
  const problems: string[] = [];
  for (const file of files) {
    if (layerOf(file, layers) === null) problems.push(`${file}: in no layer; give it a rung in test/helpers/layers.ts`);
  }
  const checked = edges.filter((edge) => !excepted(edge));
  for (const edge of checked) {
    const from = layerOf(edge.from, layers);
    const to = layerOf(edge.to, layers);
    if (from === null || to === null || to <= from) continue;
    problems.push(`${place(edge)} imports ${edge.to}: ${layers[from]!.name} may not import ${layers[to]!.name}, a layer above it`);
  }
  for (const cycle of findCycles(files, checked)) {
    const loop = cycle.loop.map((edge) => `${place(edge)} imports ${edge.to}`).join(', ');
    problems.push(`import cycle among ${cycle.files.join(', ')}: ${loop}`);
  }
  for (const exception of exceptions) {
    if (!edges.some((edge) => edge.from === exception.from && edge.to === exception.to)) {
      problems.push(`${exception.from} no longer imports ${exception.to}: remove the known exception`);
    }
  }
  return problems;
}

// `npx tsx test/helpers/layers.ts`: the same check, printed.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkLayers(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  for (const problem of problems) console.log(problem);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
