/** The `W` overlay: what went wrong while loading (file, line and column, and what was skipped). */
import {untrusted, type Line, type PaneContent} from './content.js';
import type {LoadWarning} from '../model/loadWarning.js';

/** The load warnings as the `W` view's content. */
export function warningsPane(warnings: readonly LoadWarning[]): PaneContent {
  const out: Line[] = [[{text: `${warnings.length} warning${warnings.length === 1 ? '' : 's'} while loading`, tone: 'strong'}], []];
  if (warnings.length === 0) out.push([{text: 'Everything loaded cleanly.', tone: 'dim'}]);
  for (const warning of warnings) out.push([untrusted(warning.location, 'warn'), {text: ': '}, untrusted(warning.message)]);
  return [{kind: 'lines', lines: out}];
}
