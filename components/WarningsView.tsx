import type {Line} from '../src/panes/content.js';
import {untrusted} from '../src/panes/content.js';
import {wrapLines} from '../src/panes/wrap.js';
import type {LoadWarning} from '../src/model/loadWarning.js';

/** What went wrong while loading (file, line and column, and what was skipped), as the `W` view's lines at `width`. */
export function warningLines(warnings: readonly LoadWarning[], width: number): Line[] {
  const out: Line[] = [[{text: `${warnings.length} warning${warnings.length === 1 ? '' : 's'} while loading`, tone: 'strong'}], []];
  if (warnings.length === 0) out.push([{text: 'Everything loaded cleanly.', tone: 'dim'}]);
  for (const warning of warnings) out.push([untrusted(warning.location, 'warn'), {text: ': '}, untrusted(warning.message)]);
  return wrapLines(out, width);
}
