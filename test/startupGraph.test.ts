/**
 * What the CLI's start-up loads (issue #16, the first frame): the bundle is built as build.mjs
 * builds it, with esbuild's metafile, and the modules the entry runs before its first line are
 * read from it. The SDK and the zstd decoder are in chunks loaded only by a dynamic import; ajv and
 * zod are bundles of their own (`lazy/`), read at their first `require` (a tool call's schema
 * compiled, a field that fails its check); so a change that imports one of them at the top of a
 * module the entry reaches fails here, naming the chain of imports.
 */
import {readFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build, type Metafile} from 'esbuild';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliBuildOptions, genaiPricesDataAsJson, sideBundleOptions} from '../build.mjs';

const ENTRY = 'src/cli/bin.ts';

let metafile: Metafile;

beforeAll(async () => {
  const result = await build({...cliBuildOptions(), write: false, metafile: true, sourcemap: false, logLevel: 'silent'});
  metafile = result.metafile;
}, 60_000);

/**
 * The input modules reached from the entry (and `commands`, modules main.ts imports when it runs
 * a command) by `import` statements only: what runs before its first line.
 */
function runAtStart(meta: Metafile, commands: readonly string[] = []): Map<string, string | null> {
  const from = new Map<string, string | null>([ENTRY, ...commands].map((root) => [root, null]));
  const queue = [ENTRY, ...commands];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const edge of meta.inputs[file]?.imports ?? []) {
      if (edge.kind !== 'import-statement' || edge.external || from.has(edge.path)) continue;
      from.set(edge.path, file);
      queue.push(edge.path);
    }
  }
  return from;
}

/** The inputs bundled into the chunks the entry (and `commands`) load statically (compiled at start, run or not). */
function compiledAtStart(meta: Metafile, commands: readonly string[] = []): Set<string> {
  const entry = Object.keys(meta.outputs).find((output) => meta.outputs[output]!.entryPoint === ENTRY)!;
  // A command module's chunk: the output that holds it.
  const chunks = commands.map((command) => Object.keys(meta.outputs).find((output) => command in meta.outputs[output]!.inputs)!);
  const seen = new Set<string>([entry, ...chunks]);
  const queue = [entry, ...chunks];
  while (queue.length > 0) {
    for (const edge of meta.outputs[queue.shift()!]!.imports) {
      if (edge.kind !== 'import-statement' || edge.external || seen.has(edge.path)) continue;
      seen.add(edge.path);
      queue.push(edge.path);
    }
  }
  return new Set([...seen].flatMap((output) => Object.keys(meta.outputs[output]!.inputs)));
}

/** How the entry reaches `file`, one module a line. */
function chain(from: Map<string, string | null>, file: string): string {
  const steps: string[] = [];
  for (let at: string | null | undefined = file; at; at = from.get(at)) steps.unshift(at);
  return steps.join('\n  → ');
}

const inPackage = (name: string) => (input: string) => input.startsWith(`node_modules/${name}/`);

/** What main.ts imports to run the TUI on files (Ink and the app itself come by a dynamic import of their own). */
const TUI = 'src/cli/runTui.ts';

describe('the start-up module graph', () => {
  it('runs none of the openai SDK, @azure/identity, fzstd, ajv or zod before the first line', () => {
    const started = runAtStart(metafile, [TUI]);
    // The check reads a real graph: the TUI's start reaches the loaders and the normalizers.
    expect(started.has('src/model/normalize.ts')).toBe(true);
    expect(started.has('src/sources/loadSources.ts')).toBe(true);
    for (const name of ['openai', '@azure/identity', 'fzstd', 'ajv', 'zod']) {
      const reached = [...started.keys()].filter(inPackage(name));
      expect(reached.map((file) => chain(started, file)), name).toEqual([]);
    }
  });

  it('does not even compile them at start: a dynamic import loads the SDK and fzstd, a require ajv and zod', () => {
    const compiled = compiledAtStart(metafile, [TUI]);
    expect(compiled.has('src/sources/loadSources.ts')).toBe(true);
    for (const name of ['openai', '@azure/identity', 'fzstd', 'ajv', 'zod']) {
      expect([...compiled].filter(inPackage(name)), name).toEqual([]);
    }
    // The requires of ajv and zod read their bundles of their own (build.mjs writes them to lazy/).
    expect(Object.keys(metafile.inputs).filter((input) => input.startsWith('lazy-side-bundle:')).sort()).toEqual(['lazy-side-bundle:ajv', 'lazy-side-bundle:genai-prices', 'lazy-side-bundle:zod']);
  });

  it("runs no object-hash (nor so node:crypto) before the TUI's first frame: ink-table requires it when it first draws a table", () => {
    const started = runAtStart(metafile, [TUI, 'components/LiveApp.tsx']);
    // A real graph: the app and ink-table, which draws the panes' tables, are there.
    expect(started.has('node_modules/@alcalzone/ink-table/dist/index.js')).toBe(true);
    expect([...started.keys()].filter(inPackage('object-hash')).map((file) => chain(started, file))).toEqual([]);
    // What ink-table imports instead requires the package (bundled all the same) inside its sha1.
    const onUse = Object.keys(metafile.inputs).filter((input) => input.startsWith('object-hash-on-use:'));
    expect(onUse).toHaveLength(1);
    expect(metafile.inputs[onUse[0]!]!.imports.map((edge) => [edge.path, edge.kind])).toEqual([['node_modules/object-hash/index.js', 'require-call']]);
  });

  it('bundles zod without its other languages, which runlens never uses', async () => {
    const zod = await build({...sideBundleOptions('zod', tmpdir()), write: false, metafile: true, logLevel: 'silent'});
    const inputs = Object.keys(zod.metafile.inputs).filter((input) => input.startsWith('node_modules/zod/v4/locales/'));
    expect(inputs.sort()).toEqual(['node_modules/zod/v4/locales/en.js', 'node_modules/zod/v4/locales/index.js']);
  });
});

/** What main.ts imports to run `list` over files and stdin (streamRunList.ts). */
const LIST = 'src/cli/streamRunList.ts';

/** The Ink and React side of the bundle: the TUI's, and print mode's tables (paneText.ts). */
const TERMINAL_UI = ['ink', 'react', 'react-reconciler', 'yoga-layout', 'scheduler', '@alcalzone/ink-table', 'chalk'];

describe('what print mode loads (issue #16: list against jq and against `node -e 0`)', () => {
  it('`list` of a file runs and compiles none of Ink, React, the panes, the triage or the TUI before its first line', () => {
    const started = runAtStart(metafile, [LIST]);
    const compiled = compiledAtStart(metafile, [LIST]);
    // A real graph: the reader, the normalizers and the filter are there.
    for (const module of ['src/sources/jsonLinesScanner.ts', 'src/model/normalize.ts', 'src/store/listView.ts']) expect(started.has(module), module).toBe(true);
    // `--json` writes the runs as read: the TSV fields' times (date-fns) and the table's columns come with printRuns.ts, on use.
    for (const name of [...TERMINAL_UI, 'openai', 'fzstd', 'ajv', 'zod', 'date-fns', '@pydantic/genai-prices', 'string-width']) {
      expect([...started.keys()].filter(inPackage(name)).map((file) => chain(started, file)), name).toEqual([]);
      expect([...compiled].filter(inPackage(name)), name).toEqual([]);
    }
    expect(started.has('src/cli/printRuns.ts') ? chain(started, 'src/cli/printRuns.ts') : null).toBeNull();
    // The table's colours (panes/ansi.ts, 25 lines over node:util) are all it takes from the panes.
    const allowed = new Set(['src/panes/ansi.ts']);
    for (const folder of ['components/', 'src/panes/', 'src/triage/', 'src/stats/']) {
      expect([...started.keys()].filter((input) => input.startsWith(folder) && !allowed.has(input)).map((file) => chain(started, file)), folder).toEqual([]);
    }
    expect(started.has(TUI)).toBe(false);
  });

  it('the entry alone (`--version`, `--help`, a usage error) loads no command: not the price data, date-fns, text widths or the store', () => {
    const started = runAtStart(metafile);
    expect(started.has('src/cli/main.ts')).toBe(true);
    for (const name of [...TERMINAL_UI, '@pydantic/genai-prices', 'date-fns', 'string-width']) {
      expect([...started.keys()].filter(inPackage(name)).map((file) => chain(started, file)), name).toEqual([]);
    }
    for (const module of [LIST, TUI, 'src/cli/printLoaded.ts', 'src/cli/usage.ts', 'src/store/listView.ts', 'src/keys.ts']) {
      expect(started.has(module) ? chain(started, module) : null, module).toBeNull();
    }
  });
});

describe("genai-prices' price data read as JSON (build.mjs)", () => {
  const packageFile = join(process.cwd(), 'node_modules/@pydantic/genai-prices/dist/index.js');
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'runlens-prices-'));
  });
  afterAll(() => rmSync(folder, {recursive: true, force: true}));

  it('gives the same prices as the package for every model in its data, on several days', async () => {
    const asJson = genaiPricesDataAsJson(readFileSync(packageFile, 'utf8'));
    expect(asJson, 'the package still looks as build.mjs expects').not.toBeNull();
    expect(asJson).toMatch(/^const \w+ = JSON\.parse\(/);
    const file = join(folder, 'prices.mjs');
    writeFileSync(file, asJson!);
    type Prices = typeof import('@pydantic/genai-prices');
    const original = (await import(pathToFileURL(packageFile).href)) as Prices;
    const rewritten = (await import(pathToFileURL(file).href)) as Prices;
    // The model ids as the data holds them, read through the package's own lookup of each provider.
    const providers = JSON.parse(/JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(asJson!)![1]!) as string;
    const data = JSON.parse(providers) as Array<{id: string; models: Array<{id: string}>}>;
    let priced = 0;
    for (const provider of data) {
      for (const model of provider.models) {
        for (const day of ['2024-06-01', '2025-06-01', '2026-11-25']) {
          const usage = {input_tokens: 12_345, output_tokens: 678, cache_read_tokens: 1_000};
          const options = {providerId: provider.id, timestamp: new Date(`${day}T12:00:00Z`)};
          const price = (prices: Prices) => {
            try {
              const result = prices.calcPrice(usage, model.id, options);
              return result && {input: result.input_price, output: result.output_price, total: result.total_price, model: result.model.id, provider: result.provider.id};
            } catch (error) {
              return `throws ${error instanceof Error ? error.message : String(error)}`;
            }
          };
          const expected = price(original);
          expect(price(rewritten), `${provider.id}/${model.id} on ${day}`).toEqual(expected);
          if (expected && typeof expected === 'object') priced++;
        }
      }
    }
    expect(priced).toBeGreaterThan(1000);
  });
});

describe('Intl at start-up (issue #16, the first frame)', () => {
  it('no module of the bundle makes an Intl object at import: the first one starts ICU, ~12 ms a first frame of ASCII rows does without', async () => {
    const result = await build({...cliBuildOptions(), write: false, sourcemap: false, logLevel: 'silent'});
    const eager = result.outputFiles.flatMap((file) =>
      file.text
        .split('\n')
        .filter((line) => /^(?:var|const|let) \w+ = new Intl\./.test(line))
        .map((line) => `${file.path.split('/dist/').pop()}: ${line}`),
    );
    expect(eager).toEqual([]);
    // The segmenters made on first use are still the libraries' own (string-width twice, slice-ansi, ansi-tokenize).
    const lazy = result.outputFiles.reduce((count, file) => count + (file.text.match(/Made\d* \?\?= new Intl\.Segmenter\(/g)?.length ?? 0), 0);
    expect(lazy).toBeGreaterThanOrEqual(4);
    // Made lazy inside ansi-tokenize's own patch (ansi-tokenize-fast-paths), which a second onLoad for the file would shadow.
    expect(result.outputFiles.some((file) => file.text.includes('function tokenizeByCodeUnit('))).toBe(true);
  }, 60_000);
});

describe("the segmenters' ASCII fast path (build.mjs)", () => {
  it('gives the graphemes Intl.Segmenter gives, iterated and by containing(), for ASCII text (property)', async () => {
    const {ASCII_GRAPHEMES} = (await import('../build.mjs')) as unknown as {ASCII_GRAPHEMES: string};
    const fast = new Function(`${ASCII_GRAPHEMES}\nreturn {__asciiAlone, __asciiGraphemes};`)() as {
      __asciiAlone: (text: string) => boolean;
      __asciiGraphemes: (text: string) => Iterable<Intl.SegmentData> & {containing: (index?: number) => Intl.SegmentData | undefined};
    };
    const intl = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
    const plain = (data: Intl.SegmentData | undefined) => data && {segment: data.segment, index: data.index, input: data.input};
    const text = fc.oneof(fc.string({unit: fc.constantFrom('a', 'Z', ' ', '\r', '\n', '\t', '\u001b', '[', 'm', '0', ';', '\u0000', '\u007f')}), fc.string({unit: 'binary-ascii'}), fc.string({unit: 'grapheme'}));
    fc.assert(
      fc.property(text, (value) => {
        const alone = fast.__asciiAlone(value);
        expect(alone).toBe(/^[\x00-\x7f]*$/.test(value) && !value.includes('\r\n'));
        if (!alone) return;
        expect([...fast.__asciiGraphemes(value)].map(plain)).toEqual([...intl.segment(value)].map(plain));
        for (let index = -1; index <= value.length; index += 1) expect(plain(fast.__asciiGraphemes(value).containing(index))).toEqual(plain(intl.segment(value).containing(index)));
      }),
      {numRuns: 2000},
    );
  });
});
