// Handling the gateway's errors with the OpenAI Node SDK: what to retry, what to show, what to log.
// Env: AIGW_API_KEY (required), AIGW_BASE_URL (default http://127.0.0.1:8080/v1),
//      AIGW_MODEL (default chat-default), AIGW_REQUESTS (how many requests to send, default 3).
import OpenAI from 'openai';

const client = new OpenAI({
  apiKey: process.env.AIGW_API_KEY,
  baseURL: process.env.AIGW_BASE_URL ?? 'http://127.0.0.1:8080/v1',
  maxRetries: 0, // this example decides itself
});
const model = process.env.AIGW_MODEL ?? 'chat-default';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One chat request; waits out a per-minute rate limit (up to 3 tries), gives up on everything else. */
async function chat(content) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.chat.completions.create({ model, messages: [{ role: 'user', content }] });
    } catch (e) {
      if (!(e instanceof OpenAI.APIError)) throw e; // no answer at all (network): not the gateway's error
      const retryAfter = Number(e.headers?.get('retry-after') ?? 0);
      const requestId = e.headers?.get('x-request-id');
      console.log(`error: status=${e.status} code=${e.code} type=${e.type} retry-after=${retryAfter}`
        + ` request id=${requestId}`);
      if (e.status === 429 && e.code === 'rate_limit_exceeded' && attempt < 3 && retryAfter <= 60) {
        await sleep(retryAfter * 1000); // the minute window ends: try again
        continue;
      }
      // insufficient_quota (a day or month budget), 4xx (fix the request), 5xx (the gateway has already
      // retried and fallen back): show the message, keep the request id for support.
      throw e;
    }
  }
}

// An unknown model: 404 model_not_found, x-should-retry: false.
try {
  await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] });
} catch (e) {
  console.log(`unknown model: status=${e.status} code=${e.code} param=${e.param}`
    + ` should-retry=${e.headers?.get('x-should-retry')}`);
}

// A few requests in a row: answers until the caller's quota says no.
const requests = Number(process.env.AIGW_REQUESTS ?? 3);
for (let i = 1; i <= requests; i++) {
  try {
    const answer = await chat(`Request ${i}: say something short.`);
    console.log(`request ${i}: ok, ${answer.usage.completion_tokens} completion tokens`);
  } catch (e) {
    if (e instanceof OpenAI.APIError && e.code === 'insufficient_quota') {
      console.log(`request ${i}: quota exhausted: ${e.error?.message ?? e.message}`);
      break;
    }
    throw e;
  }
}
