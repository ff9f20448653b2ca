/**
 * "Report to fact-checkers" in the context menu of pictures and videos on X pages. A click asks the
 * content script of that tab (bg/open-report) to open the report dialog for the post around the
 * media the reader right-clicked. Needs the contextMenus permission, nothing else: the menu only
 * shows on X's pages, and the click gives no page access by itself.
 */
import browser, { type Menus, type Tabs } from 'webextension-polyfill';
import { sendToTab } from '../shared/messaging';
import { t } from '../shared/i18n';
import { xPagePatterns } from '../shared/x';

export const REPORT_MENU_ID = 'report-to-fact-checkers';

/** (Re)creates the menu entry in the current language. Safe to call again. */
export async function setUpMenu(): Promise<void> {
  await browser.contextMenus.removeAll();
  browser.contextMenus.create({ id: REPORT_MENU_ID, title: t('menuReport'), contexts: ['image', 'video'], documentUrlPatterns: xPagePatterns() });
}

export function onMenuClick(info: Menus.OnClickData, tab: Tabs.Tab | undefined): void {
  if (info.menuItemId !== REPORT_MENU_ID || tab?.id === undefined) return;
  sendToTab(tab.id, info.frameId, 'bg/open-report', { srcUrl: info.srcUrl ?? null }).catch((e: unknown) =>
    console.warn('[already-debunked] the page could not open the report dialog:', e),
  );
}
