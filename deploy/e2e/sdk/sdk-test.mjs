// Drives the official OpenAI Node SDK against the gateway with only baseURL and apiKey changed.
// Env: AIGW_BASE_URL (e.g. http://127.0.0.1:8080/v1), AIGW_API_KEY, AIGW_MODEL (default chat-default).
// Prints one JSON line of results; exits non-zero on the first failed expectation.
import OpenAI, { AuthenticationError, NotFoundError } from 'openai';
import assert from 'node:assert/strict';

const baseURL = process.env.AIGW_BASE_URL;
const apiKey = process.env.AIGW_API_KEY;
const model = process.env.AIGW_MODEL ?? 'chat-default';
assert.ok(baseURL && apiKey, 'AIGW_BASE_URL and AIGW_API_KEY are required');

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const results = {};

// 1. completion
{
  const { data, response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'Say hello to the SDK test' }] })
    .withResponse();
  assert.equal(data.object, 'chat.completion');
  assert.ok(data.choices.length >= 1, 'one choice at least');
  assert.equal(typeof data.choices[0].message.content, 'string');
  assert.ok(data.choices[0].message.content.length > 0, 'non-empty content');
  assert.ok(data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0, 'usage present');
  assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);
  assert.ok(response.headers.get('x-request-id'), 'x-request-id returned');
  results.completion = { id: data.id, usage: data.usage, requestId: response.headers.get('x-request-id') };
}

// 2. streamed completion with include_usage: content deltas, then the usage chunk last
{
  const stream = await client.chat.completions.create({
    model, stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Stream to the SDK test' }],
  });
  let text = '';
  let chunks = 0;
  let usage = null;
  let usageChunkWasLast = false;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.object, 'chat.completion.chunk');
    if (chunk.usage) {
      usage = chunk.usage;
      assert.equal(chunk.choices.length, 0, 'usage chunk has no choices');
      usageChunkWasLast = true;
    } else {
      usageChunkWasLast = false;
      text += chunk.choices[0]?.delta?.content ?? '';
    }
  }
  assert.ok(text.length > 0, 'streamed text');
  assert.ok(usage && usage.completion_tokens > 0, 'usage chunk received');
  assert.ok(usageChunkWasLast, 'usage chunk is the last chunk');
  results.stream = { chunks, chars: text.length, usage };
}

// 2b. streamed completion without include_usage: no usage chunk reaches the client
{
  const stream = await client.chat.completions.create({
    model, stream: true, messages: [{ role: 'user', content: 'Stream without usage' }],
  });
  let sawUsage = false;
  for await (const chunk of stream) {
    if (chunk.usage) sawUsage = true;
  }
  assert.equal(sawUsage, false, 'usage chunk stripped when not asked for');
}

// 3. models list
{
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.ok(ids.includes(model), `models list contains ${model}: ${ids.join(',')}`);
  assert.ok(ids.some((id) => id.includes('/')), 'provider/model ids listed');
  results.models = ids.length;
}

// 4. bad key -> AuthenticationError
{
  const bad = new OpenAI({ baseURL, apiKey: 'aigw_not_a_real_key_0000000000', maxRetries: 0 });
  await assert.rejects(
    bad.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof AuthenticationError && e.status === 401,
  );
  results.authError = true;
}

// 5. unknown model -> NotFoundError
{
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model-anywhere', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof NotFoundError && e.status === 404 && e.code === 'model_not_found',
  );
  results.notFound = true;
}

console.log(JSON.stringify({ ok: true, ...results }));
