// Bundles the CLI into one file: importing Ink and React from hundreds of module files costs
// ~0.4 s on Node 20 before the first frame, a single bundle a fraction of that.
import {build} from 'esbuild';
import {readFileSync, rmSync} from 'node:fs';

const {version} = JSON.parse(readFileSync('package.json', 'utf8'));
// Chunk names carry content hashes: without a clean start, old chunks pile up in dist/chunks.
rmSync('dist', {recursive: true, force: true});

await build({
  // Split at dynamic imports: print mode never loads Ink and React, a file source never the SDK.
  entryPoints: {runlens: 'src/cli/bin.ts'},
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  plugins: [
    {
      // Ink loads react-devtools-core only when DEV=true; it is not installed, so stand in an
      // empty module rather than leave an import that fails at start-up.
      name: 'no-devtools',
      setup(build) {
        build.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
        build.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {connectToDevTools() {}};'}));
      },
    },
  ],
  define: {'process.env.NODE_ENV': '"production"', __RUNLENS_VERSION__: JSON.stringify(version)},
  banner: {
    // Some bundled dependencies are CommonJS and call require(): give the ESM bundle one.
    js: "#!/usr/bin/env node\nimport {createRequire as __runlensCreateRequire} from 'node:module';\nconst require = __runlensCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
