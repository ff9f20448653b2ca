/**
 * Keyboard handling shared by what we open over X's page (the report dialog, the notice's details
 * panel): Escape closes; Tab and Shift+Tab go round the controls of the shadow root, so focus stays
 * in it until the reader closes it.
 */
export function dialogKeys(root: ShadowRoot, focusable: string, close: () => void): (e: Event) => void {
  return (e) => {
    const ke = e as KeyboardEvent;
    if (ke.key === 'Escape') {
      ke.preventDefault();
      close();
      return;
    }
    if (ke.key !== 'Tab') return;
    const items = [...root.querySelectorAll<HTMLElement>(focusable)];
    if (!items.length) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = root.activeElement as HTMLElement | null;
    const outside = !active || !items.includes(active);
    if (ke.shiftKey && (active === first || outside)) {
      ke.preventDefault();
      last.focus();
    } else if (!ke.shiftKey && (active === last || outside)) {
      ke.preventDefault();
      first.focus();
    }
  };
}
