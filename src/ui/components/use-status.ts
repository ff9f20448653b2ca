/** Loads the status view from the background, and re-loads it after a change. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { StatusView } from '../../shared/messages';
import { send } from '../../shared/messaging';

export type Loaded = { state: 'loading' } | { state: 'error'; error: string } | { state: 'ready'; status: StatusView };

export function useStatus(): [Loaded, () => Promise<void>] {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const reload = useCallback(async () => {
    try {
      setLoaded({ state: 'ready', status: await send('ui/get-status', {}) });
    } catch (e) {
      setLoaded({ state: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [loaded, reload];
}
