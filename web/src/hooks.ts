// Loading data from the API, reloaded whenever the event stream reports a change.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, subscribe, type StreamEvent } from './api';

const POLL_WITHOUT_STREAM_MS = 15_000;

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => void;
}

/** `load()` now, again when `deps` change, and again (debounced) on every live event that
 * `relevant` accepts (all events by default; `null`: never, and no need to listen). */
export function useLive<T>(
  load: () => Promise<T>,
  deps: unknown[],
  relevant: ((event: StreamEvent) => boolean) | null = () => true,
): Loaded<T> {
  const listens = relevant !== null;
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const loadRef = useRef(load);
  loadRef.current = load;
  const relevantRef = useRef(relevant);
  relevantRef.current = relevant;

  const reload = useCallback(() => {
    loadRef.current().then(
      (value) => {
        setData(value);
        setError(undefined);
      },
      (reason: unknown) => setError(reason instanceof ApiError ? reason.message : String(reason)),
    );
  }, []);

  // Reload when what is loaded changes (the caller names it in `deps`).
  useEffect(reload, deps);

  useEffect(() => {
    if (!listens) return;
    let timer: number | undefined;
    let polling: number | undefined;
    const stop = subscribe(
      (event) => {
        if (!relevantRef.current?.(event)) return;
        window.clearTimeout(timer);
        timer = window.setTimeout(reload, 250);
      },
      // Without the stream, look again now and then.
      () => (polling = window.setInterval(reload, POLL_WITHOUT_STREAM_MS)),
    );
    return () => {
      window.clearTimeout(timer);
      window.clearInterval(polling);
      stop();
    };
  }, [reload, listens]);

  return { data, error, reload };
}

/** Runs an action, keeping its error message for display. */
export function useAction(): [
  string | undefined,
  (action: () => Promise<unknown>) => Promise<boolean>,
] {
  const [error, setError] = useState<string>();
  const run = useCallback(async (action: () => Promise<unknown>) => {
    try {
      setError(undefined);
      await action();
      return true;
    } catch (reason) {
      setError(reason instanceof ApiError ? reason.message : String(reason));
      return false;
    }
  }, []);
  return [error, run];
}
