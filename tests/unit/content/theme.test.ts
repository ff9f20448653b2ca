// @vitest-environment happy-dom
// The notice follows X's theme: read from the body's background (as X sets it), live.
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_ATTR, currentTheme, followTheme, pageTheme } from '../../../src/content/theme';

const setBg = (bg: string) => document.body.setAttribute('style', `background-color: ${bg};`);
const nextMutations = () => new Promise((r) => setTimeout(r, 0));

describe('theme', () => {
  afterEach(() => {
    document.body.removeAttribute('style');
    document.body.replaceChildren();
  });

  it('tells light, dim and dark apart by the body background, as X sets it', () => {
    for (const [bg, theme] of [
      ['rgb(255, 255, 255)', 'light'],
      ['rgb(21, 32, 43)', 'dim'], // X's former Dim, as extensions re-create it
      ['rgb(0, 0, 0)', 'dark'], // Lights out
      ['rgb(5, 5, 5)', 'dark'], // Lights out since 2026-02
      ['rgb(247, 249, 249)', 'light'], // high-contrast light
    ] as const) {
      setBg(bg);
      expect(pageTheme(document), bg).toBe(theme);
    }
    document.body.removeAttribute('style');
    expect(pageTheme(document), 'no colour set').toBe('light');
  });

  it('switches our hosts live when X switches the theme, and leaves the page alone', async () => {
    setBg('rgb(255, 255, 255)');
    const ours = document.createElement('div');
    ours.setAttribute(HOST_ATTR, 'notice');
    ours.dataset['theme'] = 'light';
    const theirs = document.createElement('div');
    document.body.append(ours, theirs);
    const stop = followTheme(document);
    setBg('rgb(0, 0, 0)');
    await nextMutations();
    expect(ours.dataset['theme']).toBe('dark');
    setBg('rgb(21, 32, 43)');
    await nextMutations();
    expect(ours.dataset['theme']).toBe('dim');
    expect(currentTheme(document), 'new hosts take the followed theme').toBe('dim');
    expect(theirs.hasAttribute('data-theme')).toBe(false);
    stop();
    setBg('rgb(255, 255, 255)');
    await nextMutations();
    expect(ours.dataset['theme'], 'stopped').toBe('dim');
    expect(currentTheme(document), 'not following: read afresh').toBe('light');
  });
});
