// Loads a resource and, while `nextDelay` says so, loads it again after a delay (one request at
// a time; the next waits for the previous to finish). Keeps the last good data through errors
// and skips re-rendering when a poll returns the same JSON.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort } from './api.ts';

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Another load is planned (polling goes on). */
  scheduled: boolean;
  /** Loads now (and resumes polling if the new data asks for it). */
  reload: () => void;
}

/**
 * @param load fetches the resource
 * @param key reload from scratch when it changes (e.g. the run id)
 * @param nextDelay milliseconds until the next load given the latest data and error, or null to stop
 */
export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string,
  nextDelay: (data: T | undefined, error: unknown, attempt: number) => number | null,
): Polled<T> {
  const [state, setState] = useState<{ key: string; data: T | undefined; error: unknown; loading: boolean; scheduled: boolean }>({
    key,
    data: undefined,
    error: undefined,
    loading: true,
    scheduled: false,
  });
  const loadRef = useRef(load);
  const delayRef = useRef(nextDelay);
  loadRef.current = load;
  delayRef.current = nextDelay;
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    let attempt = 0;
    let lastJson: string | undefined;
    let lastData: T | undefined;
    const tick = async () => {
      attempt += 1;
      let data: T | undefined;
      let error: unknown;
      try {
        data = await loadRef.current(controller.signal);
      } catch (e) {
        if (isAbort(e) || controller.signal.aborted) return;
        error = e;
      }
      if (controller.signal.aborted) return;
      const delay = delayRef.current(error === undefined ? data : lastData, error, attempt);
      const scheduled = delay !== null;
      if (error === undefined) {
        const json = JSON.stringify(data);
        if (json !== lastJson) {
          lastJson = json;
          lastData = data;
          setState({ key, data, error: undefined, loading: false, scheduled });
        } else {
          setState((s) => (s.error === undefined && !s.loading && s.scheduled === scheduled ? s : { ...s, error: undefined, loading: false, scheduled }));
        }
      } else {
        setState((s) => ({ key, data: s.key === key ? s.data : undefined, error, loading: false, scheduled }));
      }
      if (scheduled) timer = window.setTimeout(() => void tick(), delay);
    };
    void tick();
    return () => {
      controller.abort();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [key, generation]);

  if (state.key !== key) return { data: undefined, error: undefined, loading: true, scheduled: false, reload };
  return { data: state.data, error: state.error, loading: state.loading, scheduled: state.scheduled, reload };
}
