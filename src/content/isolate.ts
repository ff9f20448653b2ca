/**
 * What the extension renders on X lives in shadow roots; events inside must not reach X's handlers
 * (a click would open the photo viewer or the post, a key would trigger X's shortcuts). They are
 * stopped at the host, on their way out of the shadow root.
 */
export const ISOLATED_EVENTS = ['click', 'pointerdown', 'pointerup', 'mousedown', 'mouseup', 'keydown', 'keyup', 'keypress', 'input', 'contextmenu'] as const;

export function isolateEvents(host: HTMLElement, types: readonly string[] = ISOLATED_EVENTS): void {
  for (const type of types) {
    host.addEventListener(type, (e) => {
      if (e.composedPath()[0] !== host) e.stopPropagation();
    });
  }
}
