/**
 * Typed sending side of the protocol, for content scripts and extension pages. Imports only types
 * from ./messages, so the validation library is not bundled into them.
 */
import browser from 'webextension-polyfill';
import type { Envelope, MessageType, ProtocolError, Reply, RequestOf, ResponseOf } from './messages';

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
