/**
 * One node sync of a binary snapshot, for the scale bench's child process (a fresh process, so its
 * peak RSS is the sync's own): verify the signed envelope, decode and validate the entries chunk
 * by chunk, collect the index rows, build the index. Prints one JSON line.
 */
import fs from 'node:fs';
import { BINARY_PAYLOAD_TYPES, openBinary, openEnvelope, parseSnapshotValue, publicKeyFromBase64 } from '../../../src/core/feed';
import { MatchRowsBuilder } from '../../../src/core/match';

const peakMB = () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

export function syncOnce(file: string, publicKey: string): void {
  const startRss = process.memoryUsage().rss / 2 ** 20;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = new Uint8Array(fs.readFileSync(file));
  const { payload } = openEnvelope(bytes, [publicKeyFromBase64(publicKey)], BINARY_PAYLOAD_TYPES.snapshot, Number.MAX_SAFE_INTEGER);
  const t1 = performance.now();
  const opened = openBinary(payload);
  const builder = new MatchRowsBuilder();
  const ids: { id: string; rev: number }[] = [];
  let ordinal = 0;
  for (const chunk of opened.entries()) {
    for (const e of chunk) {
      ids.push({ id: e.id, rev: e.rev });
      builder.addEntry(e, ordinal++);
    }
  }
  parseSnapshotValue({ ...opened.head, entries: ids }, {}, true);
  const t2 = performance.now();
  const rssBeforeBuild = process.memoryUsage().rss / 2 ** 20;
  const peakBeforeBuild = peakMB();
  const built = builder.build();
  const t3 = performance.now();
  const used = process.cpuUsage(cpu0);
  const line = JSON.stringify({ rows: built.rowKind.length, verifyMs: t1 - t0, decodeMs: t2 - t1, indexMs: t3 - t2, totalMs: t3 - t0, cpuMs: (used.user + used.system) / 1000, startRssMB: startRss, peakRssMB: peakMB(), rssBeforeBuildMB: rssBeforeBuild, peakBeforeBuildMB: peakBeforeBuild, indexMB: (built.index.serialize().byteLength + 7 * built.rowKind.length) / 2 ** 20 });
  console.error(`sync child: ${line}`);
  console.log(line);
}
