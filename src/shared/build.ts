/**
 * Build-time facts, replaced by the bundler (vite.config.ts `define`; vitest defines test values).
 * `test` is true only in the test builds (dist/test-*), which also treat the loopback `testHosts`
 * as X pages and as media and feed hosts. In store builds `testHosts` is empty.
 */
import type { FeedSubscription } from './settings';

export interface BuildInfo {
  target: 'chrome' | 'firefox';
  test: boolean;
  version: string;
  defaultFeeds: FeedSubscription[];
  /** Loopback hosts treated as X and as feed/media hosts: empty in store builds, so the store
   * bundles do not even contain them. */
  testHosts: string[];
  /** Keys that sign the directory of known feeds the build ships (directory.json); empty: none. */
  directoryKeys: string[];
}

declare const __AD_BUILD__: BuildInfo;
/** A literal `true`/`false` at build time, so the bundler drops test-only branches from store builds. */
declare const __AD_TEST_BUILD__: boolean;
export const BUILD: BuildInfo = __AD_BUILD__;
export const IS_TEST_BUILD: boolean = __AD_TEST_BUILD__;
