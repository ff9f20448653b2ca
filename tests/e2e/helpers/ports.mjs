// The test builds talk to fixed loopback ports (the demo feed at 47110, its report endpoint at
// 47111). On a machine where several checkouts run their tests, another run may hold a port for
// the length of one test file: wait for it (saying so) rather than fail.
export const PORT_WAIT_MS = 10 * 60_000;

/** Runs `attempt` (which rejects with an EADDRINUSE error while the port is taken) until it succeeds. */
export async function whenPortFree(port, attempt, { timeout = PORT_WAIT_MS } = {}) {
  const deadline = Date.now() + timeout;
  let told = false;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (!/EADDRINUSE/.test(String(e?.code ?? e?.message ?? e)) || Date.now() > deadline) throw e;
      if (!told) console.error(`# port ${port} is held by another test run on this machine: waiting for it`);
      told = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
