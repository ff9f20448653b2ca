/**
 * The Origin header of our own POSTs (reports) is removed before they leave the browser. Browsers
 * add `Origin: <extension origin>` to every POST, and Firefox gives each installation its own
 * random `moz-extension://<uuid>` origin: sent to a fact-checking desk, it would be an identifier
 * of the reader, the same on every report. A declarativeNetRequest session rule removes it for
 * requests made outside tabs (our worker and pages) to hosts the reader let the extension reach
 * (a feed's origin, the reader's own report address). GETs (media, feeds) carry no Origin.
 *
 * An endpoint the extension has no host access to (reached through CORS) cannot be changed this
 * way: docs/report-format.md asks desks to receive reports on their feed's origin.
 */
import browser from 'webextension-polyfill';

const RULE_ID = 1;
let installed: Promise<void> | null = null;

/** Installs the rule once per worker (session rules outlive a worker, not the browser). */
export function ensureOriginRule(): Promise<void> {
  installed ??= browser.declarativeNetRequest
    .updateSessionRules({
      removeRuleIds: [RULE_ID],
      addRules: [
        {
          id: RULE_ID,
          priority: 1,
          action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'remove' }] },
          condition: { requestMethods: ['post'], tabIds: [-1 /* not a tab */], resourceTypes: ['xmlhttprequest'] },
        },
      ],
    })
    .catch((e: unknown) => {
      installed = null;
      console.warn('[already-debunked] could not install the Origin rule:', e);
    });
  return installed;
}
