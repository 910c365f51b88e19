/** Types of build.mjs for the bench, which bundles its workers with the CLI's plugins. */
import type {Plugin} from 'esbuild';

export const cliPlugins: Plugin[];
export function buildCli(): Promise<void>;
