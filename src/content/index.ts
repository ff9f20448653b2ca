/**
 * Content script entry (one classic bundle per browser, injected into X pages). For now it
 * announces itself to the background and learns whether the reader has the extension on; finding
 * posts and media and showing notices build on this.
 *
 * It writes nothing into the page in store builds: a page must not be able to tell that the
 * extension is installed. Test builds record the handshake on <html> for the end-to-end tests.
 */
import { IS_TEST_BUILD } from '../shared/build';
import { PROTOCOL_VERSION } from '../shared/messages';
import { send } from '../shared/messaging';
import { isXPageUrl } from '../shared/x';

async function start(): Promise<void> {
  if (!isXPageUrl(location.href)) return;
  try {
    const hello = await send('cs/hello', { protocol: PROTOCOL_VERSION, page: location.href });
    if (IS_TEST_BUILD) {
      document.documentElement.dataset['alreadyDebunkedE2e'] = JSON.stringify({ ready: true, ...hello });
    }
  } catch (e) {
    console.warn('[already-debunked] background not reachable:', e);
    if (IS_TEST_BUILD) {
      document.documentElement.dataset['alreadyDebunkedE2e'] = JSON.stringify({ ready: false, error: String(e) });
    }
  }
}

void start();
