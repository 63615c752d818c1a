import { useCallback, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../auth/AuthContext';
import type { GenerateRequest, GenerateResult } from '../services/ai.service';
import { getPolicy } from '../settings';

export interface Generation {
  text: string;
  result: GenerateResult | null;
  error: Error | null;
  running: boolean;
  run(req: GenerateRequest, stream: boolean): Promise<void>;
  stop(): void;
}

/**
 * One /api/v1/ai/generate call for a context at a time: the user's saved model for that context (if any) is asked
 * for explicitly, with the policy from the settings; streamed text grows as deltas arrive.
 */
export function useGeneration(context: string): Generation {
  const { service, session } = useAuth();
  const prefs = useQuery({
    queryKey: ['preferences'],
    queryFn: ({ signal }) => service.getPreferences(signal),
    enabled: session.kind !== 'none',
  });
  const [text, setText] = useState('');
  const [result, setResult] = useState<GenerateResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const run = useCallback(
    async (req: GenerateRequest, stream: boolean) => {
      abort.current?.abort();
      const ctl = new AbortController();
      abort.current = ctl;
      setText('');
      setResult(null);
      setError(null);
      setRunning(true);
      const pref = prefs.data?.preferences.find((p) => p.context === context);
      const full: GenerateRequest = {
        context,
        policy: getPolicy(),
        ...(pref ? { provider: pref.provider, model: pref.model } : {}),
        ...req,
      };
      try {
        if (stream) {
          const r = await service.generateStream(full, (d) => setText((t) => t + d), ctl.signal);
          setResult(r);
        } else {
          const r = await service.generate(full, ctl.signal);
          setText(r.content ?? '');
          setResult(r);
        }
      } catch (e) {
        if ((e as Error).name !== 'AbortError') setError(e as Error);
      } finally {
        if (abort.current === ctl) setRunning(false);
      }
    },
    [service, prefs.data, context],
  );

  const stop = useCallback(() => {
    abort.current?.abort();
    setRunning(false);
  }, []);

  return { text, result, error, running, run, stop };
}
