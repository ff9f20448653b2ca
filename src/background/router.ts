/**
 * Every message reaches the background through here: parse and validate it, check that the sender
 * may send it, dispatch to its handler, and always answer — {ok:true, value} or {ok:false, error}.
 * An unknown or malformed message gets an error answer, never silence and never a throw.
 */
import type { Runtime } from 'webextension-polyfill';
import { parseMessage, type ParsedMessage } from '../shared/message-schemas';
import { senderKindOf, type MessageType, type Reply, type RequestOf, type ResponseOf } from '../shared/messages';
import { isXPageUrl } from '../shared/x';

export type Handlers = { [T in MessageType]: (payload: RequestOf<T>, sender: Runtime.MessageSender) => Promise<ResponseOf<T>> };

export interface SenderPolicy {
  /** Our own extension id (runtime.id). */
  extensionId: string;
  /** Our own pages' origin, e.g. chrome-extension://<id>/ (runtime.getURL('')). */
  extensionOrigin: string;
}

/** Why this sender may not send this message, or null if it may. */
export function senderProblem(type: MessageType, sender: Runtime.MessageSender, policy: SenderPolicy): string | null {
  if (sender.id !== policy.extensionId) return 'message from another extension';
  if (senderKindOf(type) === 'content-script') {
    if (!sender.tab) return `${type} must come from a content script in a tab`;
    const url = sender.url ?? sender.tab.url ?? '';
    if (!isXPageUrl(url)) return `${type} must come from an X page`;
    return null;
  }
  const url = sender.url ?? '';
  if (!url.startsWith(policy.extensionOrigin)) return `${type} must come from one of the extension's own pages`;
  return null;
}

export function createRouter(handlers: Handlers, policy: SenderPolicy) {
  return async function route(raw: unknown, sender: Runtime.MessageSender): Promise<Reply> {
    const msg = parseMessage(raw);
    if (!msg.ok) return msg;
    const problem = senderProblem(msg.type, sender, policy);
    if (problem) return { ok: false, error: { code: 'forbidden-sender', message: problem } };
    try {
      return { ok: true, value: await dispatch(handlers, msg, sender) };
    } catch (e) {
      console.error(`[already-debunked] ${msg.type} failed:`, e);
      return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
    }
  };
}

function dispatch(handlers: Handlers, msg: ParsedMessage, sender: Runtime.MessageSender): Promise<ResponseOf<MessageType>> {
  // The union is correlated by `type`; TypeScript cannot see that through an index, hence the cast.
  const handler = handlers[msg.type] as (p: unknown, s: Runtime.MessageSender) => Promise<ResponseOf<MessageType>>;
  return handler(msg.payload, sender);
}
