// DevTools-protocol helpers for the Chromium end-to-end tests and benchmarks: run code in the
// content script's own (isolated) world of a page, and talk to the extension's service worker.
// Playwright gives a CDP session per page; the worker is reached through it (Target.attachToTarget,
// messages relayed with Target.sendMessageToTarget).

/**
 * Evaluates an expression in the content script's world of `page` (where `chrome.runtime` is the
 * extension's), returning its JSON value. Waits for the world to exist.
 */
export async function contentScriptWorld(context, page, extensionId) {
  const cdp = await context.newCDPSession(page);
  const worlds = [];
  cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context));
  cdp.on('Runtime.executionContextsCleared', () => (worlds.length = 0));
  await cdp.send('Runtime.enable');
  const origin = `chrome-extension://${extensionId}`;
  return {
    async evaluate(expression, timeout = 10_000) {
      const deadline = Date.now() + timeout;
      let world;
      while (!(world = worlds.findLast((w) => w.origin === origin && w.auxData?.type === 'isolated'))) {
        if (Date.now() > deadline) throw new Error('no content script world in this page');
        await new Promise((r) => setTimeout(r, 100));
      }
      const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { contextId: world.id, expression, awaitPromise: true, returnByValue: true });
      if (exceptionDetails) throw new Error(`in the content script world: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value;
    },
    detach: () => cdp.detach(),
  };
}

/** A CDP session on the extension's service worker, relayed through a page's session. */
export async function workerSession(context, page, extensionId) {
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  if (!sw) throw new Error('the extension has no running service worker');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false });
  let id = 0;
  return {
    targetId: sw.targetId,
    send(method, params = {}) {
      return new Promise((resolve, reject) => {
        const mine = ++id;
        const onMessage = (e) => {
          if (e.sessionId !== sessionId) return;
          const m = JSON.parse(e.message);
          if (m.id !== mine) return;
          cdp.off('Target.receivedMessageFromTarget', onMessage);
          if (m.error) reject(new Error(m.error.message));
          else resolve(m.result ?? {});
        };
        cdp.on('Target.receivedMessageFromTarget', onMessage);
        cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mine, method, params }) }).catch(reject);
      });
    },
    /** Stops the worker, as Chrome does when it is idle (the next event starts a fresh one). */
    stop: () => cdp.send('Target.closeTarget', { targetId: sw.targetId }),
    detach: () => cdp.detach(),
  };
}
