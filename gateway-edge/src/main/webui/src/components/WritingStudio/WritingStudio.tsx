import { useId, useState, type FormEvent } from 'react';
import { useGeneration } from '../../hooks/useGeneration';
import { GenerationMeta } from '../AI/GenerationMeta';
import { ModelSelector } from '../AI/ModelSelector';
import { OPERATIONS, type Operation } from './operations';

/** Improve, rewrite or summarise a text through /api/v1/ai/generate, context `writing`, streamed by default. */
export function WritingStudio() {
  const gen = useGeneration('writing');
  const [text, setText] = useState('');
  const [op, setOp] = useState<Operation>('improve');
  const [stream, setStream] = useState(true);
  const [useCache, setUseCache] = useState(true);
  const textId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    const o = OPERATIONS.find((x) => x.id === op)!;
    void gen.run({ prompt: text, systemPrompt: o.system, useCache, options: { maxTokens: 512 } }, stream);
  };

  return (
    <section aria-labelledby="ws-title">
      <h1 id="ws-title">Writing Studio</h1>
      <details>
        <summary>Model for writing</summary>
        <ModelSelector context="writing" />
      </details>
      <form onSubmit={submit}>
        <label htmlFor={textId}>Your text</label>
        <textarea id={textId} rows={8} value={text} onChange={(e) => setText(e.target.value)} required />
        <fieldset className="inline">
          <legend>Operation</legend>
          {OPERATIONS.map((o) => (
            <label key={o.id}>
              <input type="radio" name="operation" value={o.id} checked={op === o.id} onChange={() => setOp(o.id)} />
              {o.label}
            </label>
          ))}
        </fieldset>
        <fieldset className="inline">
          <label>
            <input type="checkbox" role="switch" checked={stream} onChange={(e) => setStream(e.target.checked)} /> Stream
          </label>
          <label>
            <input type="checkbox" role="switch" checked={useCache} onChange={(e) => setUseCache(e.target.checked)} /> Use cache
          </label>
        </fieldset>
        <div className="inline">
          <button type="submit" disabled={gen.running || !text.trim()} aria-busy={gen.running}>
            {OPERATIONS.find((o) => o.id === op)!.label}
          </button>
          {gen.running && (
            <button type="button" className="secondary" onClick={gen.stop}>Stop</button>
          )}
        </div>
      </form>
      {gen.error && <p role="alert" className="error">{gen.error.message}</p>}
      {(gen.text || gen.running) && (
        <article aria-live="polite" aria-label="Result">
          <div className="output" data-testid="ws-output">{gen.text}</div>
          {gen.result && <footer><GenerationMeta result={gen.result} /></footer>}
        </article>
      )}
    </section>
  );
}
