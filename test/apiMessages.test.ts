/**
 * A thread's messages from an Assistants API (`GET /threads/{id}/messages`), through the SDK
 * against the fake server on 127.0.0.1: every page read, oldest first, normalized like messages
 * read from files, and marked as read from the API.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createAssistantsApi} from '../src/sources/api/assistantsApi.js';
import {FakeAssistantsServer, makeRun} from './fakeServer/fakeAssistantsServer.js';

const KEY = 'sk-test-messages-1';
let server: FakeAssistantsServer;

beforeEach(async () => {
  server = await FakeAssistantsServer.start({apiKey: KEY});
  server.addRuns('thread_a', [makeRun('thread_a', 0)]);
});
afterEach(async () => {
  await server.close();
});

function api() {
  return createAssistantsApi({baseUrl: server.baseUrl, maxRetries: 0}, {OPENAI_API_KEY: KEY});
}

function message(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const role = index % 2 === 0 ? 'user' : 'assistant';
  return {
    id: `msg_${String(index).padStart(4, '0')}`,
    object: 'thread.message',
    created_at: 1_700_000_000 + index,
    thread_id: 'thread_a',
    run_id: role === 'assistant' ? 'run_a_0000' : null,
    assistant_id: role === 'assistant' ? 'asst_1' : null,
    role,
    status: 'completed',
    content: [{type: 'text', text: {value: `turn ${index}`, annotations: []}}],
    attachments: [],
    metadata: {},
    ...overrides,
  };
}

describe('AssistantsApi.loadThreadMessages', () => {
  it('reads every page, oldest first, normalized and marked as read from the API', async () => {
    // 230 messages: three pages of the API's largest size.
    server.setMessages('thread_a', Array.from({length: 230}, (_, index) => message(index)).reverse());
    const loaded = await api().loadThreadMessages('thread_a');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.messages).toHaveLength(230);
    expect(loaded.messages.slice(0, 2).map((entry) => [entry.id, entry.role, entry.content])).toEqual([
      ['msg_0000', 'user', [{type: 'text', text: 'turn 0', annotations: []}]],
      ['msg_0001', 'assistant', [{type: 'text', text: 'turn 1', annotations: []}]],
    ]);
    expect(loaded.messages.at(-1)!.id).toBe('msg_0229');
    expect(loaded.messages[1]!.source).toEqual({kind: 'api', file: 'api:thread_a'});
    const listings = server.requests.filter((request) => request.path === '/threads/thread_a/messages');
    expect(listings.length).toBe(3);
    expect(listings.every((request) => request.query['order'] === 'asc')).toBe(true);
  });

  it('keeps a message with a bad field and warns; an item that is no object is skipped with a warning', async () => {
    server.setMessages('thread_a', [message(1, {role: 5}), 'stray' as unknown as Record<string, unknown>]);
    const loaded = await api().loadThreadMessages('thread_a');
    expect(loaded.messages.map((entry) => [entry.id, entry.role])).toEqual([['msg_0001', 'unknown']]);
    // The server lists the stray item first (it has no created_at to sort by).
    expect(loaded.warnings).toEqual([
      {location: 'api:thread_a', message: 'message 0 is not an object; skipped'},
      {location: 'api:thread_a', message: 'msg_0001: field role: Invalid input: expected string, received number'},
    ]);
  });

  it('a thread the server does not know is an error naming what was being done', async () => {
    await expect(api().loadThreadMessages('thread_nope')).rejects.toThrow(/listing the messages of thread thread_nope/);
  });
});
