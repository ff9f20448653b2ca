/**
 * Loads the status view from the background, re-loads it after a change, and speaks the reader's
 * language: the page's texts, `lang` and direction follow the language chosen in the options
 * (or the browser's), switching at once when it changes.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { StatusView } from '../../shared/messages';
import { send } from '../../shared/messaging';
import { activateLocale, currentLocale, textDirection } from '../../shared/i18n';

export type Loaded = { state: 'loading' } | { state: 'error'; error: string } | { state: 'ready'; status: StatusView };

let activeLanguage: string | null | undefined;

async function speak(language: StatusView['settings']['language']): Promise<void> {
  if (language === activeLanguage) return;
  try {
    await activateLocale(language);
  } catch (e) {
    console.warn('[already-debunked] could not load the chosen language:', e);
    await activateLocale(null);
  }
  activeLanguage = language;
  document.documentElement.lang = currentLocale();
  document.documentElement.dir = textDirection();
}

/** [state, reload (optionally with a status a message already answered), ] */
export function useStatus(): [Loaded, (next?: StatusView) => Promise<void>] {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const reload = useCallback(async (next?: StatusView) => {
    try {
      const status = next ?? (await send('ui/get-status', {}));
      await speak(status.settings.language);
      setLoaded({ state: 'ready', status });
    } catch (e) {
      setLoaded({ state: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [loaded, reload];
}

/** Saves a text as a file the reader downloads. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
