/**
 * V8's code cache for the program's modules (issue #16, the first frame). Node 22.1 and later keep
 * the code they compile for each module in a cache folder (`module.enableCompileCache`) and read it
 * back at the next start instead of compiling again; Node 20 has none, and runlens runs there as
 * before. The folder is Node's own choice: `NODE_COMPILE_CACHE` when set, else `node-compile-cache`
 * under the OS temp folder, never the checkout (a fresh clone stays clean). Node keys each entry by
 * its own version and the module's source, checks it on read and rejects a stale one, and
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */

/** The part of `node:module` this needs: absent before Node 22.1. */
export interface CompileCacheApi {
  enableCompileCache?: (directory?: string) => unknown;
}

/**
 * Turns the cache on where Node has it; whether it asked. Nothing a cache can do (a folder that
 * cannot be written, a Node that throws) stops the program: it only starts slower.
 */
export function enableCompileCache(api: object): boolean {
  const {enableCompileCache: enable} = api as CompileCacheApi;
  if (typeof enable !== 'function') return false;
  try {
    enable.call(api);
    return true;
  } catch {
    return false;
  }
}
