/** One action at a time on a page section: busy while it runs, its error (if any) to show. */
import { useState } from 'preact/hooks';
import { errorText } from './Field';

export function useAction(): { busy: boolean; error: string | null; run: <T>(action: () => Promise<T>, then: (value: T) => unknown) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run<T>(action: () => Promise<T>, then: (value: T) => unknown) {
    setBusy(true);
    setError(null);
    try {
      await then(await action());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}
