/**
 * The rows of the match index, collected from feed entries as they are read (a cursor over the
 * stored entries, or a binary payload's chunks): every PDQ hash of an entry's media of quality at
 * least PDQ_MIN_QUALITY — the image's own, the publisher's named variants (each row keeps its
 * kind), posters, video keyframes. Typed arrays grown by half as they fill: no per-row objects or
 * number arrays, so building peaks at about the index's own size plus these tables.
 */
import type { FeedEntry } from '../feed';
import { hashFromHex, hashToWords32 } from '../hash256';
import { buildMatchIndex, type MatchIndexRows } from './index';
import { entryRows } from './lookup';
import type { StoredKind } from './rule';

export class MatchRowsBuilder {
  private lanes = new Uint32Array(8 * 1024);
  private kind = new Uint8Array(1024);
  private entry = new Uint32Array(1024);
  private media = new Uint16Array(1024);
  readonly kinds: StoredKind[] = ['original'];
  private n = 0;

  get rows(): number {
    return this.n;
  }

  private grow(): void {
    const cap = Math.ceil(this.kind.length * 1.5);
    const more = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (n: number) => T)(len);
      b.set(a);
      return b;
    };
    this.lanes = more(this.lanes, cap * 8);
    this.kind = more(this.kind, cap);
    this.entry = more(this.entry, cap);
    this.media = more(this.media, cap);
  }

  add(hex: string, entry: number, media: number, kind: StoredKind = 'original'): void {
    let k = this.kinds.indexOf(kind);
    if (k < 0) {
      // A feed naming hundreds of variant kinds must not make the index unbuildable: rows of kinds
      // past the 256th are left out (a kind only meets the probe of its own name, and the
      // extension makes a handful of probe names).
      if (this.kinds.length === 256) return;
      k = this.kinds.push(kind) - 1;
    }
    if (this.n === this.kind.length) this.grow();
    hashToWords32(hashFromHex(hex), this.lanes, this.n * 8);
    this.kind[this.n] = k;
    this.entry[this.n] = entry;
    this.media[this.n] = media;
    this.n++;
  }

  /** Every hash of one entry that may match (the caller skips withdrawn entries and 'accurate' verdicts). */
  addEntry(e: FeedEntry, ordinal: number): void {
    // The rows lookup.ts says an entry contributes (the same for the extension and the CLI).
    for (const row of entryRows(e)) this.add(row.value, ordinal, row.media, row.kind);
  }

  build(): MatchIndexRows & { kinds: StoredKind[] } {
    const n = this.n;
    const built = buildMatchIndex(this.lanes.subarray(0, n * 8), this.kind.subarray(0, n), this.entry.subarray(0, n), this.media.subarray(0, n), this.kinds);
    return { ...built, kinds: [...this.kinds] };
  }
}
