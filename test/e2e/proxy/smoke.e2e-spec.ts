import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import type { ServerResponse } from 'node:http';
import { startTestApp, TestApp } from '../../support/test-app';
import { bearer, buildWorld, World } from '../../support/world';
import { FakeProvider, FakeRequest, startFakeAnthropic, startFakeOpenAI } from '../../support/fake-providers';

const OPENAI_KEY = 'sk-proj-smokeOPENAIkey0123456789';
const ANTHROPIC_KEY = 'sk-ant-api03-smokeANTHROPICkey0123456789';

function openAiChat(req: FakeRequest, res: ServerResponse) {
  const body = JSON.parse(req.body) as { model: string; stream?: boolean };
  if (!body.stream) {
    return { status: 200, body: { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from openai' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } } };
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const text of ['Hel', 'lo']) res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } })}\n\n`);
  res.end('data: [DONE]\n\n');
  return undefined;
}

function anthropicMessages(req: FakeRequest, res: ServerResponse) {
  const body = JSON.parse(req.body) as { model: string; stream?: boolean };
  if (!body.stream) {
    return { status: 200, body: { id: 'msg_1', type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text: 'Hello from anthropic' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 7, output_tokens: 4 } } };
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 7, output_tokens: 1 } } });
  send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } });
  send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' there' } });
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } });
  send('message_stop', { type: 'message_stop' });
  res.end();
  return undefined;
}

describe('proxy smoke', () => {
  let t: TestApp;
  let w: World;
  let openai: FakeProvider;
  let anthropic: FakeProvider;
  let key: string;

  beforeAll(async () => {
    openai = (await startFakeOpenAI({ apiKeys: [OPENAI_KEY] })).route('POST', '/v1/chat/completions', openAiChat);
    anthropic = (await startFakeAnthropic({ apiKeys: [ANTHROPIC_KEY] })).route('POST', '/v1/messages', anthropicMessages);
    t = await startTestApp();
    w = await buildWorld(t);
    for (const [slug, provider, apiKey, host] of [
      ['openai-main', 'openai', OPENAI_KEY, openai.baseUrl],
      ['anthropic-main', 'anthropic', ANTHROPIC_KEY, anthropic.baseUrl],
    ]) {
      const res = await t.api.POST('/api/organizations/{orgId}/integrations', {
        params: { path: { orgId: w.owner.organizationId } },
        body: { name: slug, providerSlug: slug, provider, credential: { apiKey }, customHost: host },
        ...bearer(w.owner.token),
      });
      if (!res.data) throw new Error(JSON.stringify(res.error));
    }
    const created = await t.api.POST('/api/projects/{projectId}/api-keys', { params: { path: { projectId: w.projectId } }, body: { name: 'smoke' }, ...bearer(w.owner.token) });
    key = created.data!.key;
  });
  afterAll(async () => {
    await t.close();
    await openai.close();
    await anthropic.close();
  });

  it('OpenAI SDK → OpenAI, whole and streamed', async () => {
    const client = new OpenAI({ apiKey: key, baseURL: `${t.baseUrl}/v1`, maxRetries: 0 });
    const whole = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(whole.choices[0].message.content).toBe('Hello from openai');
    expect(JSON.parse(openai.requestsTo('/v1/chat/completions')[0].body).model).toBe('gpt-4o-mini');
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true })) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello');
  });

  it('OpenAI SDK → Anthropic (translated), whole and streamed', async () => {
    const client = new OpenAI({ apiKey: key, baseURL: `${t.baseUrl}/v1`, maxRetries: 0 });
    const whole = await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] });
    expect(whole.choices[0].message.content).toBe('Hello from anthropic');
    expect(whole.usage?.prompt_tokens).toBe(7);
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], stream: true })) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hi there');
  });

  it('Anthropic SDK → Anthropic and → OpenAI (translated)', async () => {
    const client = new Anthropic({ apiKey: key, baseURL: t.baseUrl, maxRetries: 0 });
    const same = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(same.content[0]).toMatchObject({ type: 'text', text: 'Hello from anthropic' });
    const cross = await client.messages.create({ model: 'openai/gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(cross.content[0]).toMatchObject({ type: 'text', text: 'Hello from openai' });
    const stream = client.messages.stream({ model: 'openai/gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Hello' });
  });
});
