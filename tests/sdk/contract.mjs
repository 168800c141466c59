// contract.mjs: the official OpenAI SDK for Node talks to relay-fake-server, which proves
// that the fake server speaks the protocol real clients speak, not just the one Relay speaks.
//
//   node contract.mjs BASE_URL
//
// Each check prints "ok N - name" or "not ok N - name" (TAP); the exit status is 1 on any failure.
//
// ESM ignores NODE_PATH, so the SDK is loaded through require().

import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const OpenAI = require('openai').OpenAI;

const baseURL = process.argv[2];
if (!baseURL) {
  console.error('usage: node contract.mjs BASE_URL');
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey: 'test-contract', maxRetries: 0, timeout: 10000 });

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather in a given location',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', description: 'City and state' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['location'],
    },
  },
};

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

let plainText = null;

check('plain chat completion', async () => {
  const response = await client.chat.completions.create({
    model: 'route-llm',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'What is the meaning of life?' },
    ],
    temperature: 0.7,
    max_tokens: 150,
  });
  assert.equal(response.object, 'chat.completion');
  assert.equal(response.model, 'claude-4-5-sonnet', 'route-llm names the routed model');
  assert.equal(response.choices.length, 1);
  assert.equal(response.choices[0].message.role, 'assistant');
  assert.equal(response.choices[0].finish_reason, 'stop');
  assert.match(response.choices[0].message.content, /meaning of life/);
  assert.ok(response.usage.total_tokens > 0);
  assert.equal(response.usage.total_tokens,
               response.usage.prompt_tokens + response.usage.completion_tokens);
  plainText = response.choices[0].message.content;
});

check('streamed chat completion', async () => {
  const stream = await client.chat.completions.create({
    model: 'route-llm',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'What is the meaning of life?' },
    ],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let chunks = 0;
  let finish = null;
  let usage = null;
  const models = new Set();
  for await (const chunk of stream) {
    chunks++;
    models.add(chunk.model);
    assert.equal(chunk.object, 'chat.completion.chunk');
    if (chunk.usage) usage = chunk.usage;
    if (chunk.choices.length === 0) continue;
    text += chunk.choices[0].delta.content ?? '';
    finish = chunk.choices[0].finish_reason ?? finish;
  }
  assert.ok(chunks > 10, `many chunks, got ${chunks}`);
  assert.deepEqual([...models], ['claude-4-5-sonnet']);
  assert.equal(finish, 'stop');
  assert.ok(usage && usage.completion_tokens > 0, 'usage in the final chunk');
  assert.equal(text, plainText, 'the stream adds up to the plain reply');
});

check('model list', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    assert.equal(model.object, 'model');
    ids.push(model.id);
  }
  assert.ok(ids.length >= 15, `about 15 models, got ${ids.length}`);
  assert.ok(ids.includes('route-llm'));
  assert.ok(ids.includes('flux-2-pro'));
});

check('tool call round trip', async () => {
  const messages = [{ role: 'user', content: "What's the weather in Boston?" }];
  const first = await client.chat.completions.create({
    model: 'route-llm', messages, tools: [weatherTool], tool_choice: 'auto',
  });
  const choice = first.choices[0];
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(choice.message.tool_calls.length, 1);
  const call = choice.message.tool_calls[0];
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_current_weather');
  assert.equal(JSON.parse(call.function.arguments).location, 'Boston, MA');

  messages.push(choice.message);
  messages.push({
    role: 'tool', tool_call_id: call.id,
    content: JSON.stringify({ temperature: 72, unit: 'fahrenheit', conditions: 'Sunny' }),
  });
  const second = await client.chat.completions.create({
    model: 'route-llm', messages, tools: [weatherTool],
  });
  assert.equal(second.choices[0].finish_reason, 'stop');
  assert.match(second.choices[0].message.content, /72/);
});

check('streamed tool call, arguments in pieces', async () => {
  const stream = await client.chat.completions.create({
    model: 'gpt-5.1',
    messages: [{ role: 'user', content: 'Is the weather good for a walk?' }],
    tools: [weatherTool],
    stream: true,
  });
  const calls = [];
  let pieces = 0;
  let finish = null;
  for await (const chunk of stream) {
    if (chunk.choices.length === 0) continue;
    const delta = chunk.choices[0].delta;
    finish = chunk.choices[0].finish_reason ?? finish;
    for (const part of delta.tool_calls ?? []) {
      calls[part.index] ??= { id: null, name: '', arguments: '' };
      if (part.id) calls[part.index].id = part.id;
      if (part.function?.name) calls[part.index].name += part.function.name;
      calls[part.index].arguments += part.function?.arguments ?? '';
      pieces++;
    }
  }
  assert.equal(finish, 'tool_calls');
  assert.equal(calls.length, 1);
  assert.ok(calls[0].id, 'the first piece carries the id');
  assert.equal(calls[0].name, 'get_current_weather');
  assert.ok(pieces > 2, 'arguments arrive in pieces');
  assert.deepEqual(JSON.parse(calls[0].arguments), { location: 'Boston, MA', unit: 'fahrenheit' });
});

check('image generation', async () => {
  const response = await client.chat.completions.create({
    model: 'flux-2-pro',
    messages: [{ role: 'user', content: 'A lighthouse at dusk' }],
    modalities: ['image'],
    image_config: { num_images: 2, aspect_ratio: '16:9' },
  });
  const images = response.choices[0].message.images;
  assert.equal(images.length, 2);
  assert.ok(response.usage.compute_points_used > 0);
  const png = Buffer.from(await (await fetch(images[0].image_url.url)).arrayBuffer());
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
});

check('a wrong key is refused with 401 and a JSON error', async () => {
  const stranger = new OpenAI({ baseURL, apiKey: 'wrong-key', maxRetries: 0 });
  await assert.rejects(
    stranger.chat.completions.create({ model: 'route-llm', messages: [{ role: 'user', content: 'hi' }] }),
    (error) => {
      assert.ok(error instanceof OpenAI.AuthenticationError, `got ${error.constructor.name}`);
      assert.equal(error.status, 401);
      assert.match(error.message, /Invalid API key/);
      return true;
    });
});

check('a request without messages is refused with 400', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'route-llm', messages: [] }),
    (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError, `got ${error.constructor.name}`);
      assert.match(error.message, /messages/);
      return true;
    });
});

console.log('TAP version 14');
console.log(`1..${checks.length}`);
let failed = 0;
for (const [i, { name, fn }] of checks.entries()) {
  try {
    await fn();
    console.log(`ok ${i + 1} - ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok ${i + 1} - ${name}`);
    for (const line of String(error?.stack ?? error).split('\n'))
      console.log(`# ${line}`);
  }
}
process.exit(failed ? 1 : 0);
