/** Types of build.mjs for the bench, which bundles its workers with the CLI's plugins, and the start-up graph's test. */
import type {BuildOptions, Plugin} from 'esbuild';

export const cliPlugins: Plugin[];
export function cliBuildOptions(): BuildOptions;
export function genaiPricesDataAsJson(source: string): string | null;
export function buildCli(): Promise<void>;
export function sideBundleOptions(name: 'zod' | 'ajv', outdir: string, define?: Record<string, string>): BuildOptions;
