/**
 * zod schemas built when first needed, and zod itself loaded then. Every value is checked by a
 * plain predicate first (normalize.ts's fast checks, objectReader.ts's ACCEPTS) and only one that
 * fails goes to zod, for its message and path; so reading well-formed runs never needs zod at
 * all, and loading it (~40 ms of compiling and module set-up) no longer comes before the first
 * frame. The schemas are written as before, inside a function that is handed zod's `z`.
 */
import {createRequire} from 'node:module';
import type {z as zodNamespace, ZodType} from 'zod';

/** zod's `z`. */
export type Zod = typeof zodNamespace;

let loaded: Zod | undefined;

/**
 * zod's `z`, loaded on the first call. `require`, not `import()`: a check is synchronous. In the
 * bundle it reads `lazy/zod.cjs`, zod bundled on its own (build.mjs), so that its code is not even
 * compiled at start; run from source it is Node's (tsx's ESM has none: then one made for this file).
 */
export function loadZod(): Zod {
  loaded ??= ((typeof require === 'function' ? require('zod') : createRequire(import.meta.url)('zod')) as {z: Zod}).z;
  return loaded;
}

/** A schema built on first use, by `build` given zod's `z`. */
export class OnUse<S extends ZodType> {
  #built: S | undefined;

  constructor(private readonly build: (z: Zod) => S) {}

  /** The zod schema, built (and zod loaded) the first time it is asked for. */
  get zod(): S {
    this.#built ??= this.build(loadZod());
    return this.#built;
  }
}

/** `new OnUse(build)`: a schema built, with zod loaded, when first used. */
export function onUse<S extends ZodType>(build: (z: Zod) => S): OnUse<S> {
  return new OnUse(build);
}

/** What a schema built on use gives back for a value it accepts (zod's `z.infer`). */
export type Parsed<O> = O extends OnUse<infer S> ? zodNamespace.infer<S> : never;
