/**
 * The model map reaches the TUI as a prop (set from the CLI), not as a setting for the whole process:
 * the same runs priced with and without it, in two apps at once, each show their own COST and Usage.
 */
import {afterEach, describe, expect, it} from 'vitest';
import {NO_MODEL_MAP, runCost} from '../../src/model/cost.js';
import type {Run} from '../../src/model/run.js';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import {appElement, openRunById, plainLines, press, renderSized, waitForText, type TestInstance} from './helpers.js';

const AZURE = 'run_costazure00000000003';
const MAP = new Map([['prod-4o-eastus', 'gpt-4o']]);

const shown: TestInstance[] = [];
afterEach(() => shown.splice(0).forEach((instance) => instance.unmount()));

async function costRuns(): Promise<Run[]> {
  return (await loadRunsFromSources(['test/fixtures/cost/runs.json'])).runs;
}

describe('the model map in the TUI', () => {
  it('an app given the map prices the deployment in COST and Usage; one without it, alongside, does not', async () => {
    const runs = await costRuns();
    const azure = runs.find((run) => run.id === AZURE)!;
    const estimate = runCost(azure, MAP);
    if (estimate.kind !== 'priced') throw new Error('the mapped deployment has a price');
    const mapped = renderSized(appElement(runs, {sources: ['runs.json'], modelMap: MAP}), {columns: 170, rows: 40});
    const plain = renderSized(appElement(runs, {sources: ['runs.json']}), {columns: 170, rows: 40});
    shown.push(mapped, plain);
    const rowOf = (frame: string) => plainLines(frame).find((line) => line.includes('run_costazure'))!;
    const mappedRow = rowOf(await waitForText(mapped, 'run_costazure'));
    const plainRow = rowOf(await waitForText(plain, 'run_costazure'));
    expect(mappedRow).toContain(`$${estimate.total.toFixed(4)}`);
    expect(mappedRow).not.toContain('no price');
    expect(plainRow).toContain('no price');
    expect(runCost(azure, NO_MODEL_MAP).kind).toBe('none');

    // The Usage pane of the open run prices it as the mapped model, and says which.
    await openRunById(mapped, AZURE);
    const usage = plainLines(await press(mapped, '4', (frame) => frame.includes('estimated')));
    expect(usage.some((line) => line.includes(`~$${estimate.total.toFixed(4)} estimated`))).toBe(true);
    expect(usage.some((line) => line.includes('prod-4o-eastus'))).toBe(true);
  });
});
