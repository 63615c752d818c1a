// After: the same calls through the AI Gateway with the OpenAI SDK (openai). The gateway's gemini provider
// translates them to Gemini's generateContent / streamGenerateContent and back.
// Env: AIGW_API_KEY (required), AIGW_BASE_URL (default http://127.0.0.1:8080/v1),
//      AIGW_MODEL (default gemini/gemini-2.0-flash: provider "gemini", model "gemini-2.0-flash").
import OpenAI from 'openai';

const client = new OpenAI({
  apiKey: process.env.AIGW_API_KEY,
  baseURL: process.env.AIGW_BASE_URL ?? 'http://127.0.0.1:8080/v1',
  maxRetries: 1, // the gateway already retries and falls back across providers
});
const model = process.env.AIGW_MODEL ?? 'gemini/gemini-2.0-flash';

// One answer: systemInstruction becomes a system message, role "model" becomes "assistant",
// generationConfig fields become top-level parameters.
const { data: completion, response } = await client.chat.completions
  .create({
    model,
    messages: [
      { role: 'system', content: 'You are a concise editor.' },
      { role: 'user', content: 'Suggest a title for a post about API gateways.' },
      { role: 'assistant', content: 'Gateways, explained.' },
      { role: 'user', content: 'Shorter, please.' },
    ],
    temperature: 0.2,
    max_tokens: 64,
  })
  .withResponse();
const usage = completion.usage;
console.log(`text: ${completion.choices[0].message.content}`);
console.log(`finish: ${completion.choices[0].finish_reason}`);
console.log(`usage: prompt=${usage.prompt_tokens} completion=${usage.completion_tokens} total=${usage.total_tokens}`);
console.log(`provider: ${response.headers.get('x-aigw-provider')} model: ${response.headers.get('x-aigw-model')}`);
console.log(`request id: ${response.headers.get('x-request-id')}`);

// A streamed answer; include_usage adds a last chunk with the usage (Gemini's usageMetadata).
const stream = await client.chat.completions.create({
  model,
  stream: true,
  stream_options: { include_usage: true },
  messages: [
    { role: 'system', content: 'You are a concise editor.' },
    { role: 'user', content: 'Write one sentence about streaming.' },
  ],
});
let chunks = 0;
let text = '';
let streamUsage;
for await (const chunk of stream) {
  chunks++;
  text += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) streamUsage = chunk.usage;
}
console.log(`stream: ${chunks} chunks: ${text}`);
console.log(`stream usage: prompt=${streamUsage.prompt_tokens} completion=${streamUsage.completion_tokens}`);
