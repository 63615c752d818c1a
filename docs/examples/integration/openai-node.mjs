// The OpenAI Node SDK against the AI Gateway: models, routing controls, response headers, a stream.
// Env: AIGW_API_KEY (required), AIGW_BASE_URL (default http://127.0.0.1:8080/v1),
//      AIGW_MODEL (default chat-default, a model group).
import OpenAI from 'openai';

const client = new OpenAI({
  apiKey: process.env.AIGW_API_KEY,
  baseURL: process.env.AIGW_BASE_URL ?? 'http://127.0.0.1:8080/v1',
  maxRetries: 1, // the gateway already retries and falls back; see "Handling 429 and 5xx"
});
const model = process.env.AIGW_MODEL ?? 'chat-default';

// 1. Which models can I ask for? Groups (owned_by "aigw") and every "<provider>/<model>".
const models = [];
for await (const m of client.models.list()) models.push(m.id);
console.log(`models: ${models.length}: ${models.join(', ')}`);

// 2. One answer, with the gateway's controls as headers (never as body fields).
const { data, response } = await client.chat.completions
  .create(
    { model, messages: [{ role: 'user', content: 'Name one benefit of an AI gateway.' }], max_tokens: 50 },
    {
      headers: {
        'X-Aigw-Policy': 'cost', // cost | latency | quality | round-robin | user-preference
        'X-Aigw-Context': 'writing', // the context your preferences and usage are kept under
        'X-Aigw-Cache-Ttl': '600', // keep this answer 10 minutes in the response cache
      },
    },
  )
  .withResponse();
const h = (name) => response.headers.get(name);
console.log(`text: ${data.choices[0].message.content}`);
console.log(`usage: prompt=${data.usage.prompt_tokens} completion=${data.usage.completion_tokens}`);
console.log(`routed: provider=${h('x-aigw-provider')} model=${h('x-aigw-model')} policy=${h('x-aigw-policy')}`
  + ` attempts=${h('x-aigw-attempts')} reason=${h('x-aigw-route-reason')}`);
console.log(`cache: ${h('x-aigw-cache')} request id: ${h('x-request-id')}`);
console.log(`requests left: ${h('x-ratelimit-remaining-requests') ?? 'no limit'}`);

// 3. A stream; "include_usage" asks for a last chunk with the usage.
const stream = await client.chat.completions.create(
  {
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Describe streaming in one sentence.' }],
  },
  { headers: { 'Cache-Control': 'no-cache, no-store' } }, // skip the response cache for this one
);
let chunks = 0;
let text = '';
let usage;
for await (const chunk of stream) {
  chunks++;
  text += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) usage = chunk.usage;
}
console.log(`stream: ${chunks} chunks: ${text}`);
console.log(`stream usage: prompt=${usage.prompt_tokens} completion=${usage.completion_tokens}`);
