/**
 * Typed sending side of the protocol, for content scripts and extension pages (and the background's
 * `bg/…` messages to content scripts, with the content script's receiving side). Imports only types
 * from ./messages, so the validation library is not bundled into them.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import type { Envelope, MessageType, ProtocolError, Reply, RequestOf, ResponseOf, ToContentEnvelope, ToContentMap, ToContentType } from './messages';

export class MessageError extends Error {
  constructor(readonly error: ProtocolError) {
    super(`${error.code}: ${error.message}`);
    this.name = 'MessageError';
  }
}

export async function send<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  const envelope: Envelope<T> = { type, payload };
  const reply = (await browser.runtime.sendMessage(envelope)) as Reply<T> | undefined;
  if (!reply || typeof reply !== 'object') {
    throw new MessageError({ code: 'internal', message: `no answer to ${type}` });
  }
  if (!reply.ok) throw new MessageError(reply.error);
  return reply.value;
}

/** Background → a content script in a tab (the `bg/…` direction), typed like send(). */
export async function sendToTab<T extends ToContentType>(
  tabId: number,
  frameId: number | undefined,
  type: T,
  payload: ToContentMap[T]['request'],
): Promise<ToContentMap[T]['response']> {
  const envelope: ToContentEnvelope<T> = { type, payload };
  const reply = (await browser.tabs.sendMessage(tabId, envelope, frameId === undefined ? {} : { frameId })) as
    | { ok: true; value: ToContentMap[T]['response'] }
    | { ok: false; error: ProtocolError }
    | undefined;
  if (!reply || typeof reply !== 'object') throw new MessageError({ code: 'internal', message: `no answer to ${type}` });
  if (!reply.ok) throw new MessageError(reply.error);
  return reply.value;
}

export type ToContentHandlers = { [T in ToContentType]: (payload: ToContentMap[T]['request']) => Promise<ToContentMap[T]['response']> };
export type ToContentValidators = { [T in ToContentType]: (payload: unknown) => payload is ToContentMap[T]['request'] };

/**
 * In a content script: answers `bg/…` messages from this extension's background only (a message
 * from a tab, i.e. another content script, or from another extension is refused), after checking
 * the payload's shape with the given validators (hand-written: the schema library stays out of the
 * content bundle). Listens until `signal` aborts (the content script's lifetime).
 */
export function listenToBackground(handlers: ToContentHandlers, validators: ToContentValidators, signal?: AbortSignal): void {
  if (signal?.aborted) return;
  const listener = (raw: unknown, sender: Runtime.MessageSender) => {
    if (signal?.aborted) return undefined;
    const m = raw as Partial<ToContentEnvelope> | null;
    if (typeof m !== 'object' || m === null || typeof m.type !== 'string' || !m.type.startsWith('bg/')) return undefined;
    const fail = (code: ProtocolError['code'], message: string) => Promise.resolve({ ok: false, error: { code, message } });
    if (sender.id !== browser.runtime.id || sender.tab) return fail('forbidden-sender', `${m.type} must come from the background`);
    if (!Object.hasOwn(handlers, m.type)) return fail('unknown-type', `unknown message type ${JSON.stringify(m.type.slice(0, 64))}`);
    const type = m.type as ToContentType;
    if (!validators[type](m.payload)) return fail('bad-payload', `${type}: malformed payload`);
    return handlers[type](m.payload).then(
      (value) => ({ ok: true, value }),
      (e: unknown) => ({ ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } }),
    );
  };
  browser.runtime.onMessage.addListener(listener);
  // Stop listening with the content script's lifetime (the API may already be gone then).
  signal?.addEventListener(
    'abort',
    () => {
      try {
        browser.runtime.onMessage.removeListener(listener);
      } catch {
        /* the extension is gone: so is the listener */
      }
    },
    { once: true },
  );
}
