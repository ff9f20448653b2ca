/**
 * Build-time facts, replaced by the bundler (vite.config.ts `define`; vitest defines test values).
 * `test` is true only in the test builds (dist/test-*), which also treat loopback pages as X and
 * may fetch media and feeds from loopback hosts. Store builds compile that code away.
 */
import type { FeedSubscription } from './settings';

export interface BuildInfo {
  target: 'chrome' | 'firefox';
  test: boolean;
  version: string;
  defaultFeeds: FeedSubscription[];
}

declare const __AD_BUILD__: BuildInfo;
export const BUILD: BuildInfo = __AD_BUILD__;
export const IS_TEST_BUILD: boolean = __AD_BUILD__.test;
