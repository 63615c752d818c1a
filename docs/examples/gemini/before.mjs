// Before: the application calls Gemini directly with Google's SDK (@google/genai).
// Env: GEMINI_API_KEY (required), GEMINI_MODEL (default gemini-2.0-flash),
//      GEMINI_BASE_URL (optional; unset = Google's endpoint).
import { GoogleGenAI } from '@google/genai';

const ai = new GoogleGenAI({
  apiKey: process.env.GEMINI_API_KEY,
  apiVersion: 'v1beta',
  httpOptions: process.env.GEMINI_BASE_URL ? { baseUrl: process.env.GEMINI_BASE_URL } : undefined,
});
const model = process.env.GEMINI_MODEL ?? 'gemini-2.0-flash';

// One answer
const response = await ai.models.generateContent({
  model,
  contents: [
    { role: 'user', parts: [{ text: 'Suggest a title for a post about API gateways.' }] },
    { role: 'model', parts: [{ text: 'Gateways, explained.' }] },
    { role: 'user', parts: [{ text: 'Shorter, please.' }] },
  ],
  config: {
    systemInstruction: 'You are a concise editor.',
    temperature: 0.2,
    maxOutputTokens: 64,
  },
});
const usage = response.usageMetadata;
console.log(`text: ${response.text}`);
console.log(`finish: ${response.candidates[0].finishReason}`);
console.log(`usage: prompt=${usage.promptTokenCount} completion=${usage.candidatesTokenCount} total=${usage.totalTokenCount}`);

// A streamed answer
const stream = await ai.models.generateContentStream({
  model,
  contents: 'Write one sentence about streaming.',
  config: { systemInstruction: 'You are a concise editor.' },
});
let chunks = 0;
let text = '';
let last;
for await (const chunk of stream) {
  chunks++;
  text += chunk.text ?? '';
  last = chunk;
}
console.log(`stream: ${chunks} chunks: ${text}`);
console.log(`stream usage: prompt=${last.usageMetadata.promptTokenCount} completion=${last.usageMetadata.candidatesTokenCount}`);
