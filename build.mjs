// Bundles the CLI into one file: importing Ink and React from hundreds of module files costs
// ~0.4 s on Node 20 before the first frame, a single bundle a fraction of that.
import {build as esbuild} from 'esbuild';
import {readFileSync, rmSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {isDeepStrictEqual} from 'node:util';

const ROOT = dirname(fileURLToPath(import.meta.url));

/**
 * zod's `z` carries every locale's error messages (`z.locales`, 360 KB: half of zod). runlens uses
 * the English ones zod sets itself (its schemas import en.js directly), so `z.locales` holds
 * English only in what esbuild bundles.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/, namespace: 'file'}, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const english = 'export { default as en } from "./en.js";';
      if (!source.includes(english)) return {contents: source, resolveDir: dirname(args.path), warnings: [{text: "zod's locales changed: all of them are bundled again (see build.mjs)"}]};
      return {contents: `${english}\n`, resolveDir: dirname(args.path)};
    });
  },
};

const genaiPricesAsJson = {
  // @pydantic/genai-prices holds its price data (every provider's models and prices) as one
  // 800 KB object literal, which V8 compiles as code when the module loads. The same values as a
  // JSON string are scanned as one string and read by JSON.parse, several times faster (V8's own
  // advice for large literals). The literal is evaluated here and written back only when JSON
  // gives back exactly the same values, so the prices are the same ones.
  name: 'genai-prices-data-as-json',
  setup(build) {
    build.onLoad({filter: /[\\/]@pydantic[\\/]genai-prices[\\/]dist[\\/]index\.js$/, namespace: 'file'}, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const asJson = genaiPricesDataAsJson(source);
      if (!asJson) return {contents: source, resolveDir: dirname(args.path), warnings: [{text: "@pydantic/genai-prices changed: its price data is compiled as code again (see build.mjs)"}]};
      return {contents: asJson, resolveDir: dirname(args.path)};
    });
  },
};

/** The packages src/ requires on first use, each bundled on its own: the file's name in `lazy/`, what each `require` may name, and what the bundle exports. */
const SIDE_BUNDLES = {
  zod: {specifiers: ['zod'], exports: ['z'], contents: "export {z} from 'zod';"},
  // Only estimates need the price data (the cost column, --sort cost, stats); `list --json` never does.
  'genai-prices': {specifiers: ['@pydantic/genai-prices'], exports: ['calcPrice'], contents: "export {calcPrice} from '@pydantic/genai-prices';"},
  ajv: {
    specifiers: ['ajv', 'ajv/dist/2019.js', 'ajv/dist/2020.js'],
    exports: ['Ajv', 'Ajv2019', 'Ajv2020'],
    contents: "export {Ajv} from 'ajv';\nexport {Ajv2019} from 'ajv/dist/2019.js';\nexport {Ajv2020} from 'ajv/dist/2020.js';",
  },
};

/** How esbuild builds the side bundle `name` (see SIDE_BUNDLES) into `outdir`/lazy/. */
export function sideBundleOptions(name, outdir, define = {'process.env.NODE_ENV': '"production"'}) {
  return {
    stdin: {contents: SIDE_BUNDLES[name].contents, resolveDir: ROOT, loader: 'js', sourcefile: `lazy-${name}.js`},
    outfile: join(outdir, 'lazy', `${name}.cjs`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [zodEnglishOnly, genaiPricesAsJson],
    define,
    logLevel: 'warning',
  };
}

/**
 * A module-level `new Intl.Segmenter(…)` made on first use instead: the first Intl object of a
 * process starts ICU (about 12 ms), and string-width, slice-ansi and ansi-tokenize each make one at
 * import, before a first frame whose text is all plain ASCII and needs none (their fast paths).
 * Only `.segment()` is ever called on them. test/startupGraph.test.ts holds the bundle to it.
 */
function lazySegmenters(source) {
  let made = false;
  const patched = source.replace(/^(?:const|var|let) (\w+) = new Intl\.Segmenter\(([^;]*)\);$/gm, (_all, name, args) => {
    const segment = `(${name}Made ??= new Intl.Segmenter(${args})).segment(text)`;
    // Grapheme segmenters only (the default granularity) get the ASCII fast path: for them it is exact.
    if (!/^(?:|undefined,\s*\{\s*granularity:\s*(['"])grapheme\1\s*\})$/.test(args)) return `let ${name}Made; const ${name} = {segment: (text) => ${segment}};`;
    made = true;
    return `let ${name}Made; const ${name} = {segment: (text) => (__asciiAlone(text) ? __asciiGraphemes(text) : ${segment})};`;
  });
  return made ? `${patched}\n${ASCII_GRAPHEMES}` : patched;
}

/**
 * Graphemes of ASCII text without the library: each character is one, but for CR LF (UAX #29's
 * only cluster of ASCII characters, and such text goes to Intl). As Intl's Segments: iterated, or
 * asked which segment contains an index. ASCII text measured or cut outside the libraries' own
 * fast paths (slice-ansi's, string-width's) so starts no ICU.
 */
export const ASCII_GRAPHEMES = String.raw`
function __asciiAlone(text) {
  return /^[\x00-\x7f]*$/.test(text) && !text.includes('\r\n');
}
function __asciiGraphemes(input) {
  const at = (index) => ({segment: input[index], index, input});
  return {
    containing: (index = 0) => (index >= 0 && index < input.length ? at(Math.trunc(index)) : undefined),
    *[Symbol.iterator]() {
      for (let index = 0; index < input.length; index += 1) yield at(index);
    },
  };
}`;

const lazyIntl = {
  name: 'lazy-intl-segmenters',
  setup(build) {
    // ansi-tokenize's tokenize.js is patched by ansi-tokenize-fast-paths, which calls lazySegmenters itself:
    // esbuild takes the first onLoad that answers, so one file has one.
    build.onLoad({filter: /[\\/]node_modules[\\/]slice-ansi[\\/]tokenize-ansi\.js$/, namespace: 'file'}, (args) => ({contents: lazySegmenters(readFileSync(args.path, 'utf8')), resolveDir: dirname(args.path)}));
  },
};

/**
 * zod and ajv are needed only when a field fails its plain check or a tool call's schema is
 * compiled, and then at once: checks are synchronous, so src/model/zodOnUse.ts and
 * src/triage/schemaValidation.ts `require` them. Bundled with the rest, their code was compiled at
 * every start all the same (~40 ms of a loaded machine's start-up, run or not). So each is a
 * CommonJS bundle of its own, `lazy/NAME.cjs` in the output folder, which those `require` calls
 * read, through Node's require, the first time they run.
 */
const lazySideBundles = {
  name: 'lazy-side-bundles',
  setup(build) {
    const bundleOf = new Map(Object.entries(SIDE_BUNDLES).flatMap(([name, {specifiers}]) => specifiers.map((specifier) => [specifier, name])));
    build.onResolve({filter: /^(zod|ajv|@pydantic\/genai-prices)(\/|$)/}, (args) => {
      if (args.kind !== 'require-call' || /[\\/]node_modules[\\/]/.test(args.importer) || !bundleOf.has(args.path)) return undefined;
      return {path: bundleOf.get(args.path), namespace: 'lazy-side-bundle'};
    });
    build.onLoad({filter: /.*/, namespace: 'lazy-side-bundle'}, (args) => ({
      // import.meta.url is the URL of the chunk this lands in: the output folder or its chunks/.
      contents: [
        "import {existsSync} from 'node:fs';",
        "import {createRequire} from 'node:module';",
        `const file = ['./lazy/${args.path}.cjs', '../lazy/${args.path}.cjs'].map((path) => new URL(path, import.meta.url)).find((url) => existsSync(url));`,
        `if (!file) throw new Error('lazy/${args.path}.cjs is missing beside the bundle: build again (node build.mjs)');`,
        'const loaded = createRequire(file)(file.pathname);',
        ...SIDE_BUNDLES[args.path].exports.map((name) => `export const ${name} = loaded.${name};`),
      ].join('\n'),
      loader: 'js',
      resolveDir: ROOT,
    }));
    build.onEnd(async (result) => {
      const {outdir, write, define} = build.initialOptions;
      if (result.errors.length > 0 || write === false || !outdir) return;
      for (const name of Object.keys(SIDE_BUNDLES)) await esbuild(sideBundleOptions(name, outdir, define));
    });
  },
};

/**
 * Added to Ink's output.js (the ink-output-caches-kept plugin). Ink builds every frame as a grid of
 * cells (4,800 at 120x40), writes each text's styled characters into it and turns each row back
 * into a string: all of it again on every key, though a key that moves the list's window changes
 * a few rows' texts and the rest are the same strings as before. A frame whose writes each put
 * one line on a row of its own, at the left edge and unclipped (the run list, its header and
 * footer), is put together from each row's string instead, made once per distinct line by Ink's
 * own get() on a frame of that one row, so it is the same string; any other frame (a clip, text
 * beside text, a row written twice) is built by Ink's get() as before.
 */
const TEXT_WIDTH_MODULE = resolve(ROOT, 'src/format/textWidth.ts');
const INK_ROWS_ALONE = `
// Added by runlens build.mjs: a frame of rows each written once, at x 0 and unclipped, from each row's string.
import {ansiCodesToString as __ansiCodesToString, diffAnsiCodes as __diffAnsiCodes, reduceAnsiCodesIncremental as __reduceAnsiCodesIncremental, tokenize as __tokenizeRow} from '@alcalzone/ansi-tokenize';
import {SAME_WIDTH_CHARACTERS as __sameWidthRows} from ${JSON.stringify(TEXT_WIDTH_MODULE)};
const ROWS_KEPT = 400;
let rowsAlone = new Map();
const stockGet = Output.prototype.get;
function linesAlone(operations, height) {
    const lines = new Array(height);
    for (const operation of operations) {
        if (operation.type !== 'write') return null;
        const { x, y, text, transformers } = operation;
        const written = text.split('\\n');
        if (x !== 0 || !Number.isInteger(y) || y < 0 || y + written.length > height) return null;
        for (let index = 0; index < written.length; index++) {
            if (lines[y + index] !== undefined) return null;
            let line = written[index];
            for (const transformer of transformers) line = transformer(line, index);
            if (line.includes('\\n')) return null;
            lines[y + index] = line;
        }
    }
    return lines;
}
// A row of SGR codes and characters that are each one cell wide (SAME_WIDTH_CHARACTERS), as Ink's
// get() writes it: each stretch of text between codes shares one set of styles, so the codes go
// between stretches (the library's own reduce and diff of the codes) instead of through a styled
// character per cell; null for anything else. ~25 KB less garbage a new row.
const SGR_OR_PLAIN = new RegExp('^(?:\\\\u001b\\\\[[0-9;]*m|[' + __sameWidthRows + '])*$');
const SGR = /\\u001b\\[[0-9;]*m/g;
function plainRow(line, width) {
    if (!SGR_OR_PLAIN.test(line)) return null;
    let codes = [];
    let styles = null;
    let before = null;
    let cells = 0;
    let row = '';
    let at = 0;
    const text = (piece) => {
        if (piece.length === 0) return;
        styles ??= [...codes];
        row += cells === 0 ? __ansiCodesToString(styles) : before === styles || (before.length === 0 && styles.length === 0) ? '' : __ansiCodesToString(__diffAnsiCodes(before, styles));
        row += piece;
        cells += piece.length;
        before = styles;
    };
    for (const match of line.matchAll(SGR)) {
        text(line.slice(at, match.index));
        for (const token of __tokenizeRow(match[0])) {
            codes = __reduceAnsiCodesIncremental(codes, [token]);
            styles = null;
        }
        at = match.index + match[0].length;
    }
    text(line.slice(at));
    // The row's blank cells after the text: its codes are undone before the first, or at the end.
    if (cells > 0) row += before.length === 0 ? '' : __ansiCodesToString(__diffAnsiCodes(before, []));
    if (cells < width) row += ' '.repeat(width - cells);
    return row.trimEnd();
}
Output.prototype.get = function get() {
    const lines = linesAlone(this.operations, this.height);
    if (lines === null) return stockGet.call(this);
    if (rowsAlone.size > ROWS_KEPT) rowsAlone = new Map();
    const rows = new Array(this.height);
    for (let y = 0; y < this.height; y++) {
        const line = lines[y] ?? '';
        const key = this.width + '\\n' + line;
        let row = rowsAlone.get(key);
        if (row === undefined) {
            row = plainRow(line, this.width);
            if (row === null) {
                const alone = new Output({ width: this.width, height: 1 });
                alone.write(0, 0, line, { transformers: [] });
                row = stockGet.call(alone).output;
            }
            rowsAlone.set(key, row);
        }
        rows[y] = row;
    }
    return { output: rows.join('\\n'), height: this.height };
};
`;

/**
 * ink-table imports object-hash for one thing, `sha1(row)` as a React key when it draws a table (a
 * run's Tools, Usage or Metadata pane). Imported, object-hash runs at start-up and loads node:crypto
 * and lists its hashes (`crypto.getHashes()`): 5–8 ms before a first frame that has no table. Here
 * ink-table gets a `sha1` that requires object-hash (bundled as ever) on its first call.
 */
const objectHashOnFirstTable = {
  name: 'object-hash-on-first-table',
  setup(build) {
    build.onResolve({filter: /^object-hash$/}, (args) => {
      if (args.namespace === 'object-hash-on-use' || !/[\\/]node_modules[\\/]@alcalzone[\\/]ink-table[\\/]/.test(args.importer)) return undefined;
      return {path: args.importer, namespace: 'object-hash-on-use'};
    });
    build.onLoad({filter: /.*/, namespace: 'object-hash-on-use'}, (args) => ({
      contents: "export function sha1(value) {\n  return require('object-hash').sha1(value);\n}\n",
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * What the start-up spends before the first frame, made cheaper in the bundle only (nothing in
 * node_modules changes; a warning says when a dependency no longer looks as expected). Shared with
 * the bench's worker bundles, so the bench measures what users run.
 */
export const cliPlugins = [
  {
    // Ink loads react-devtools-core only when DEV=true; it is not installed, so stand in an
    // empty module rather than leave an import that fails at start-up.
    name: 'no-devtools',
    setup(build) {
      build.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
      build.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {connectToDevTools() {}};'}));
    },
  },
  {
    // Yoga's emscripten loader fetch()es its wasm from a data: URL, which makes Node load undici
    // (~25 ms of start-up). Given the bytes (its `wasmBinary` option) it skips fetch; the base64
    // is moved from the loader into that call, so the bundle holds it once.
    name: 'yoga-without-fetch',
    setup(build) {
      const DATA_URL = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;
      build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/, namespace: 'file'}, (args) => {
        const loaderPath = join(dirname(args.path), '..', 'binaries', 'yoga-wasm-base64-esm.js');
        const wasm = DATA_URL.exec(readFileSync(loaderPath, 'utf8'))?.[1];
        const source = readFileSync(args.path, 'utf8');
        const call = 'wrapAssembly(await loadYoga())';
        if (!wasm || !source.includes(call)) {
          return {contents: source, warnings: [{text: 'yoga-layout changed: its wasm is loaded through fetch() again (see build.mjs)'}]};
        }
        const given = `wrapAssembly(await loadYoga({wasmBinary: Buffer.from(${JSON.stringify(wasm)}, 'base64')}))`;
        return {contents: source.replace(call, () => given), resolveDir: dirname(args.path)};
      });
      build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/, namespace: 'file'}, (args) => {
        const source = readFileSync(args.path, 'utf8');
        // Still a data: URL (the loader checks the prefix), without the bytes it now gets as wasmBinary.
        return {contents: source.replace(DATA_URL, '"data:application/octet-stream;base64,"'), resolveDir: dirname(args.path)};
      });
    },
  },
  {
    // string-width builds /^\p{RGI_Emoji}$/v at import (~15 ms); only text outside the fast path
    // below ever needs it, so it is built on first use.
    name: 'string-width-lazy-emoji',
    setup(build) {
      build.onLoad({filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/, namespace: 'file'}, (args) => {
        const source = lazySegmenters(readFileSync(args.path, 'utf8'));
        const eager = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
        if (!source.includes(eager)) return {contents: source, resolveDir: dirname(args.path)};
        const lazy = "let rgiEmojiRegexBuilt; const rgiEmojiRegex = {test: (text) => (rgiEmojiRegexBuilt ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(text)};";
        return {contents: source.replace(eager, () => lazy), resolveDir: dirname(args.path)};
      });
    },
  },
  lazyIntl,
  objectHashOnFirstTable,
  genaiPricesAsJson,
  zodEnglishOnly,
  lazySideBundles,
  {
    // Ink keeps what it learns about each line of text (its styled characters, its width) in
    // caches it makes anew for every frame, so a ↓ that changes two rows tokenizes all forty
    // again: that was most of a key's time. One set of caches, kept across frames (and dropped
    // when it grows large), gives each unchanged line for free.
    name: 'ink-output-caches-kept',
    setup(build) {
      build.onLoad({filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/, namespace: 'file'}, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const perFrame = '    caches = new OutputCaches();';
        if (!source.includes(perFrame)) return {contents: source, resolveDir: dirname(args.path), warnings: [{text: "ink's output.js changed: its caches are made per frame again (see build.mjs)"}]};
        const kept = '    caches = keptOutputCaches();';
        // Every frame starts as a grid of blank cells, 4,800 objects (and as many style arrays) at
        // 120x40; none is ever changed (written cells replace them), so one blank serves them all.
        const blankCell = "row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });";
        const withBlank = source.includes(blankCell) ? source.replace(blankCell, () => 'row.push(BLANK_CELL);') : source;
        const keeper = [
          '',
          '// Added by runlens build.mjs: one set of caches for every frame, made anew past a bound.',
          'const KEPT_LINES = 400;',
          'let keptCaches;',
          'function keptOutputCaches() {',
          '    if (!keptCaches || keptCaches.styledChars.size > KEPT_LINES) keptCaches = new OutputCaches();',
          '    return keptCaches;',
          '}',
          "const BLANK_CELL = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([])});",
          '',
        ].join('\n');
        const warnings = withBlank === source ? [{text: "ink's output.js changed: each blank cell is its own object again (see build.mjs)"}] : [];
        const rowsAlone = source.includes('export default class Output {') && source.includes('    get() {') ? INK_ROWS_ALONE : '';
        if (!rowsAlone) warnings.push({text: "ink's output.js changed: every frame is built cell by cell again (see build.mjs)"});
        return {contents: withBlank.replace(perFrame, () => kept) + keeper + rowsAlone, resolveDir: dirname(args.path), warnings};
      });
    },
  },
  {
    // Ink measures each text once and keeps the answer in a Map for the whole session: every row
    // ever shown stays in it (paging through a million runs kept a million strings). Kept to the
    // rows of a few hundred frames, the answers are the same and the memory stays put.
    name: 'ink-measure-cache-bounded',
    setup(build) {
      build.onLoad({filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]measure-text\.js$/, namespace: 'file'}, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const set = '    cache.set(text, dimensions);';
        if (!source.includes(set)) return {contents: source, resolveDir: dirname(args.path), warnings: [{text: "ink's measure-text.js changed: its cache grows without bound again (see build.mjs)"}]};
        return {contents: source.replace(set, () => `    if (cache.size >= 4096) cache.clear();\n${set}`), resolveDir: dirname(args.path)};
      });
    },
  },
  {
    // Ink turns each line of a frame into one styled character per cell and back into a string
    // (@alcalzone/ansi-tokenize). Three costs of that, each with the same output:
    // - tokenize walks the line with Intl.Segmenter; a line made only of characters that never join
    //   a neighbour (SAME_WIDTH_CHARACTERS, src/format/textWidth.ts) and escapes is walked a code
    //   unit at a time, which gives the same clusters;
    // - each character got its own copy of the styles in force (and of its token, by a spread);
    //   characters between two escapes now share one (nothing changes a character's styles once made);
    // - turning the cells back into a string compared each cell's styles with the one before
    //   (three Sets a cell); cells sharing one set of styles, or both without, need no codes between.
    // test/inkFrame.test.ts holds the bundled functions to the library's own on random styled text.
    name: 'ansi-tokenize-fast-paths',
    setup(build) {
      const textWidth = resolve(ROOT, 'src/format/textWidth.ts');
      build.onLoad({filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, namespace: 'file'}, (args) => {
        const source = lazySegmenters(readFileSync(args.path, 'utf8'));
        const head = 'export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {';
        const segments = 'for (const { segment, index } of segmenter.segment(str)) {';
        const start = source.indexOf(head);
        const end = source.indexOf('\n}\n', start);
        if (start === -1 || end === -1 || source.indexOf(segments, start) === -1 || source.indexOf(segments, start) > end) {
          return {contents: source, resolveDir: dirname(args.path), warnings: [{text: 'ansi-tokenize changed: its tokenize walks every line with Intl.Segmenter again (see build.mjs)'}]};
        }
        const body = source.slice(start + head.length, end + 2);
        const byCodeUnit = body.replace(segments, () => 'for (let index = 0; index < str.length; index++) {\n        const segment = str[index];');
        const contents = [
          source.slice(0, start),
          `function tokenizeSegmented(str, endChar = Number.POSITIVE_INFINITY) {${body}`,
          `function tokenizeByCodeUnit(str, endChar = Number.POSITIVE_INFINITY) {${byCodeUnit}`,
          `import {SAME_WIDTH_CHARACTERS as __sameWidth} from ${JSON.stringify(textWidth)};`,
          'const ONE_CLUSTER_EACH = new RegExp(`^[\\u001b${__sameWidth}]*$`);',
          '/** Added by runlens build.mjs: the same tokens, without the segmenter when every code unit is a cluster of its own. */',
          'export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {',
          '    return ONE_CLUSTER_EACH.test(str) ? tokenizeByCodeUnit(str, endChar) : tokenizeSegmented(str, endChar);',
          '}',
          source.slice(end + 2),
        ].join('\n');
        return {contents, resolveDir: dirname(args.path)};
      });
      build.onLoad({filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/, namespace: 'file'}, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const copied = `        else if (token.type === "char") {\n            ret.push({\n                ...token,\n                styles: [...codes],\n            });`;
        const diffed = '            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));';
        const reduced = '            codes = reduceAnsiCodesIncremental(codes, [token]);';
        if (!source.includes(copied) || !source.includes(diffed) || !source.includes(reduced)) {
          return {contents: source, resolveDir: dirname(args.path), warnings: [{text: 'ansi-tokenize changed: styled characters are copied and compared one by one again (see build.mjs)'}]};
        }
        const contents = source
          .replace('    let codes = [];', () => '    let codes = [];\n    let shared = null;')
          .replace(reduced, () => `${reduced}\n            shared = null;`)
          // Written out, not spread: a char token is its type, value and width, and spreading was most of this function's time.
          .replace(copied, () => `        else if (token.type === "char") {\n            shared ??= [...codes];\n            ret.push({\n                type: token.type, value: token.value, fullWidth: token.fullWidth,\n                styles: shared,\n            });`)
          .replace(
            diffed,
            () => '            const before = chars[i - 1].styles;\n            if (before !== char.styles && (before.length > 0 || char.styles.length > 0))\n' + `    ${diffed}`,
          );
        return {contents, resolveDir: dirname(args.path)};
      });
    },
  },
  {
    // Ink and its helpers (wrap-ansi, cli-truncate, widest-line) measure every piece of every
    // frame with string-width, which segments anything that is not plain ASCII: box drawing and
    // status glyphs included. Each gets its own string-width (versions differ) behind the fast
    // path of src/format/textWidth.ts (text as wide as it is long).
    name: 'string-width-fast-path',
    setup(build) {
      const textWidth = resolve(ROOT, 'src/format/textWidth.ts');
      build.onResolve({filter: /^string-width$/}, async (args) => {
        if (args.pluginData?.real || !/[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
        const real = await build.resolve('string-width', {kind: args.kind, resolveDir: args.resolveDir, pluginData: {real: true}});
        if (real.errors.length > 0) return {errors: real.errors};
        return {path: real.path, namespace: 'fast-string-width'};
      });
      build.onLoad({filter: /.*/, namespace: 'fast-string-width'}, (args) => ({
        contents: `import stringWidth from ${JSON.stringify(args.path)};\nimport {withSameWidthFastPath} from ${JSON.stringify(textWidth)};\nexport default withSameWidthFastPath(stringWidth);\n`,
        resolveDir: ROOT,
      }));
    },
  },
];

/**
 * genai-prices' module with its data declaration (`const E = [...], J = {...};`, its first
 * statement, before the first class) read by JSON.parse, or null when the module no longer looks
 * so or its data is not plain JSON values (undefined, functions, -0 would not survive).
 */
export function genaiPricesDataAsJson(source) {
  const end = source.indexOf('\nclass ');
  const declaration = /^const (\w+) = \[[\s\S]*\n\], (\w+) = \{[\s\S]*\n\};\s*$/.exec(end < 0 ? '' : source.slice(0, end));
  if (!declaration) return null;
  const [, providers, units] = declaration;
  let values;
  try {
    values = new Function(`${declaration[0]}\nreturn [${providers}, ${units}];`)();
  } catch {
    return null;
  }
  const texts = values.map((value) => JSON.stringify(value));
  if (!texts.every((text, index) => isDeepStrictEqual(JSON.parse(text), values[index]))) return null;
  return `const ${providers} = JSON.parse(${JSON.stringify(texts[0])}), ${units} = JSON.parse(${JSON.stringify(texts[1])});` + source.slice(end);
}

/**
 * How esbuild bundles the CLI: one entry, chunks at dynamic imports, these plugins. Shared with the
 * test that holds the start-up's module graph (test/startupGraph.test.ts).
 */
export function cliBuildOptions() {
  const {version} = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return {
    // Split at dynamic imports: print mode never loads Ink and React, a file source never the SDK.
    // The load's worker thread is an entry of its own (src/sources/messageChecker.ts finds it beside the program).
    entryPoints: {runlens: join(ROOT, 'src/cli/bin.ts'), messageWorker: join(ROOT, 'src/sources/messageWorker.ts')},
    outdir: join(ROOT, 'dist'),
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    plugins: cliPlugins,
    define: {'process.env.NODE_ENV': '"production"', __RUNLENS_VERSION__: JSON.stringify(version)},
    banner: {
      // Some bundled dependencies are CommonJS and call require(): give the ESM bundle one.
      js: "#!/usr/bin/env node\nimport {createRequire as __runlensCreateRequire} from 'node:module';\nconst require = __runlensCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  };
}

/** The CLI bundle (see the top of this file). */
export async function buildCli() {
  // Chunk names carry content hashes: without a clean start, old chunks pile up in dist/chunks.
  rmSync(join(ROOT, 'dist'), {recursive: true, force: true});
  await esbuild(cliBuildOptions());
}

// `node build.mjs` builds; the bench imports cliPlugins without building.
if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) await buildCli();
