import { useId, useState, type FormEvent } from 'react';
import { useGeneration } from '../../hooks/useGeneration';
import { GenerationMeta } from '../AI/GenerationMeta';
import { ModelSelector } from '../AI/ModelSelector';

export const DICTIONARY_SYSTEM_PROMPT =
  'You are a concise dictionary. For the word or phrase given, answer with: a one-line definition, ' +
  'then "Examples:" with two short example sentences, then "Synonyms:" with a comma-separated list.';

/** Look up a word (definition, examples, synonyms) through /api/v1/ai/generate, context `dictionary`. */
export function Dictionary() {
  const gen = useGeneration('dictionary');
  const [word, setWord] = useState('');
  const [looked, setLooked] = useState('');
  const wordId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const w = word.trim();
    if (!w) return;
    setLooked(w);
    void gen.run({ prompt: w, systemPrompt: DICTIONARY_SYSTEM_PROMPT, options: { maxTokens: 200 } }, true);
  };

  return (
    <section aria-labelledby="dict-title">
      <h1 id="dict-title">Dictionary</h1>
      <details>
        <summary>Model for the dictionary</summary>
        <ModelSelector context="dictionary" />
      </details>
      <form role="search" onSubmit={submit}>
        <label htmlFor={wordId}>Word or phrase</label>
        <fieldset role="group">
          <input id={wordId} type="search" value={word} onChange={(e) => setWord(e.target.value)} required />
          <button type="submit" disabled={gen.running || !word.trim()} aria-busy={gen.running}>Look up</button>
        </fieldset>
      </form>
      {gen.error && <p role="alert" className="error">{gen.error.message}</p>}
      {(gen.text || gen.running) && (
        <article aria-live="polite" aria-label={`Entry for ${looked}`}>
          <header><strong>{looked}</strong></header>
          <div className="output" data-testid="dict-output">{gen.text}</div>
          {gen.result && <footer><GenerationMeta result={gen.result} /></footer>}
        </article>
      )}
    </section>
  );
}
