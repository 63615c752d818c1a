// The OpenAI Node SDK reads a cached answer replayed as a stream (issue 5): the answer was stored from a
// JSON (non-streamed) request; this asks the same question with stream: true and include_usage.
// Env: AIGW_BASE_URL, AIGW_API_KEY, AIGW_MODEL, AIGW_PROMPT, AIGW_EXPECTED (the JSON answer's content).
// Prints one JSON line; exits non-zero on the first failed expectation.
import OpenAI from 'openai';
import assert from 'node:assert/strict';

const baseURL = process.env.AIGW_BASE_URL;
const apiKey = process.env.AIGW_API_KEY;
const model = process.env.AIGW_MODEL ?? 'chat-default';
const prompt = process.env.AIGW_PROMPT;
const expected = process.env.AIGW_EXPECTED;
assert.ok(baseURL && apiKey && prompt && expected !== undefined, 'AIGW_BASE_URL, AIGW_API_KEY, AIGW_PROMPT, AIGW_EXPECTED are required');

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });

const { data: stream, response } = await client.chat.completions
  .create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: prompt }] })
  .withResponse();
assert.equal(response.headers.get('x-aigw-cache'), 'HIT', 'served from the cache');
assert.ok(/^\d+$/.test(response.headers.get('age') ?? ''), 'age header');
let text = '';
let role = null;
let finish = null;
let usage = null;
let chunks = 0;
let usageLast = false;
for await (const chunk of stream) {
  chunks++;
  assert.equal(chunk.object, 'chat.completion.chunk');
  if (chunk.usage) {
    usage = chunk.usage;
    assert.equal(chunk.choices.length, 0, 'usage chunk has no choices');
    usageLast = true;
    continue;
  }
  usageLast = false;
  const c = chunk.choices[0];
  role = role ?? c?.delta?.role ?? null;
  text += c?.delta?.content ?? '';
  finish = c?.finish_reason ?? finish;
}
assert.equal(role, 'assistant');
assert.equal(text, expected, 'the replayed text is the stored answer');
assert.equal(finish, 'stop');
assert.ok(usage && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens && usage.completion_tokens > 0, 'usage chunk');
assert.ok(usageLast, 'usage chunk last');

// the same stream without include_usage: no usage chunk
{
  const s = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: prompt }] });
  let sawUsage = false;
  let t = '';
  for await (const chunk of s) {
    if (chunk.usage) sawUsage = true;
    t += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.equal(sawUsage, false, 'no usage chunk when not asked for');
  assert.equal(t, expected);
}
console.log(JSON.stringify({ ok: true, chunks, chars: text.length, usage, age: response.headers.get('age') }));
