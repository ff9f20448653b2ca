/**
 * Typed access to _locales/en/messages.json through browser.i18n: a key that does not exist in the
 * English catalogue is a compile error, so every user-visible string is localisable from the start.
 */
import browser from 'webextension-polyfill';
import type catalogue from '../_locales/en/messages.json';

export type MessageKey = keyof typeof catalogue;

export function t(key: MessageKey, ...substitutions: string[]): string {
  const text = browser.i18n.getMessage(key, substitutions);
  // An empty answer means a missing translation: show the key rather than nothing.
  return text || key;
}
