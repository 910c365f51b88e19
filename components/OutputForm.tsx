import {Box, Text} from 'ink';
import {safeInline} from '../src/format/sanitize.js';
import {cutToWidth, fitPieces, tailToWidth} from '../src/format/runColumns.js';
import type {OutputForm as OutputFormState} from '../src/store/runStore.js';
import {useDisplay} from './DisplayContext.js';
import {toneProps} from './StyledLine.js';

/** Rows each tool call takes: its name and id, its arguments, its output field. */
const ROWS_PER_CALL = 3;

/**
 * The tool output form (`o`): one single-line field per tool call of the run, under its function
 * name, call id and (cut) arguments. Only renders what the store holds; the store takes the keys.
 */
export function OutputForm({form, width, height}: {form: OutputFormState; width: number; height: number}) {
  const {color} = useDisplay();
  const count = form.calls.length;
  const headerRows = 1 + (form.error ? 1 : 0) + 1;
  const fit = Math.max(1, Math.floor((height - headerRows - 1) / ROWS_PER_CALL));
  // A window of calls around the focused one.
  const first = Math.max(0, Math.min(form.focus - Math.floor(fit / 2), count - fit));
  const shown = form.calls.slice(first, first + fit);
  const inputRoom = Math.max(2, width - 14);
  const heading = form.approvals
    ? `Tool approvals for ${safeInline(form.runId)}: ${count} MCP call${count === 1 ? '' : 's'}, a approves, d denies, all sent in one request`
    : `Tool outputs for ${safeInline(form.runId)}: ${count} call${count === 1 ? '' : 's'}, all sent in one request`;
  const [title, editing] = fitPieces([heading, form.editing ? '   (in the editor…)' : ''], width);
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">
        {title}
        {editing ? <Text dimColor>{editing}</Text> : null}
      </Text>
      {form.error ? (
        <Text {...toneProps('bad', color)} wrap="truncate-end">
          {cutToWidth(safeInline(form.error), width).text}
        </Text>
      ) : null}
      <Text> </Text>
      {shown.map((call, offset) => {
        const index = first + offset;
        const focused = index === form.focus;
        const value = safeInline(form.values[index] ?? '');
        const tool = call.serverLabel !== undefined ? `${safeInline(call.serverLabel)} › ${safeInline(call.functionName)}` : safeInline(call.functionName);
        const [marker, name, id] = fitPieces([`${focused ? '›' : ' '} ${index + 1}. `, tool, `  ${safeInline(call.id)}`], width);
        return (
          <Box key={call.id} flexDirection="column">
            <Text wrap="truncate-end" bold={focused}>
              {marker}
              <Text {...toneProps('accent', color)}>{name}</Text>
              <Text dimColor>{id}</Text>
            </Text>
            <Text dimColor wrap="truncate-end">
              {`     arguments ${cutToWidth(safeInline(call.arguments), Math.max(1, width - 15)).text}`}
            </Text>
            {form.approvals ? (
              <Text wrap="truncate-end">
                <Text {...toneProps('label', color)}>{'     answer    '}</Text>
                {value === '' ? (
                  <Text dimColor inverse={focused}>
                    {'(a approve, d deny)'}
                  </Text>
                ) : (
                  <Text {...toneProps(value === 'approve' ? 'good' : 'bad', color)} inverse={focused}>
                    {value}
                  </Text>
                )}
              </Text>
            ) : (
            <Text wrap="truncate-end">
              <Text {...toneProps('label', color)}>{'     output    '}</Text>
              {focused ? (
                <>
                  <Text>{tailToWidth(value, inputRoom)}</Text>
                  <Text inverse> </Text>
                </>
              ) : (
                <Text dimColor={value === ''}>{value === '' ? '(empty)' : cutToWidth(value, inputRoom).text}</Text>
              )}
            </Text>
            )}
          </Box>
        );
      })}
      {count > fit ? <Text dimColor>{`call ${form.focus + 1} of ${count}`}</Text> : null}
    </Box>
  );
}
