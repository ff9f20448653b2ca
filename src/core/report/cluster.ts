/**
 * Grouping readers' reports for a desk (docs/desk.md): by picture, with the same PDQ index and match
 * rule the extension uses, and by the feed entry a wrong-match report disputes. Pure.
 *
 * A picture cluster is the set of reported media whose PDQ hashes the reader-side rule would call
 * the same picture: a new hash joins the cluster of its nearest member within the rule's accept
 * distance (31 under 'standard'); otherwise it starts a new cluster. Clusters never merge: two
 * pictures that each lie within 31 of a third stay apart (single-link chaining would glue different
 * pictures together through a series of near neighbours). Hashes below the rule's minimum quality
 * are too flat to compare safely: they are grouped by the media's address instead, as are media
 * whose hash the reader's extension could not compute.
 *
 * Incremental: members live in a multi-index (../index) rebuilt in the background of additions —
 * new members go to a small list scanned linearly and are folded into the index when the list grows
 * past `rebuildEvery`, so adding n reports costs O(n·√n)-ish rather than a rebuild per report.
 */
import { hashFromHex, hashToWords32, type Hash256 } from '../hash256';
import { PdqIndex, linearScan } from '../index';
import { matchRule, type MatchRule } from '../match/rule';

export type ClusterKey = string;

/** The key of the cluster a wrong-match report belongs to: the feed and entry it disputes. */
export function entryClusterKey(match: { feedId: string | null; feedUrl: string; entryId: string }): ClusterKey {
  return `entry:${match.feedId ?? match.feedUrl}#${match.entryId}`;
}

/** The key of a media item that cannot be compared by picture (no hash, or a flat one). */
export function urlClusterKey(url: string): ClusterKey {
  return `url:${url}`;
}

export interface Placement {
  /** The picture cluster (a number the caller chose), or null when grouped by address. */
  cluster: number | null;
  /** Distance to the nearest member of that cluster (0 for a new cluster). */
  distance: number;
  isNew: boolean;
}

export interface PictureClustererOptions {
  rule?: MatchRule;
  rebuildEvery?: number;
}

export class PictureClusterer {
  private readonly rule: MatchRule;
  private readonly rebuildEvery: number;
  private index: PdqIndex = PdqIndex.build(new Uint32Array(0), new Uint32Array(0));
  /** Members not yet in the index (the first `pending` rows of these): lanes and cluster numbers. */
  private readonly pendingLanes: Uint32Array;
  private readonly pendingIds: Uint32Array;
  private pending = 0;
  /** Every member, for rebuilds (grown by doubling). */
  private allLanes = new Uint32Array(8 * 1024);
  private allIds = new Uint32Array(1024);
  private count = 0;
  private nextCluster: number;

  constructor(opts: PictureClustererOptions & { firstCluster?: number } = {}) {
    this.rule = opts.rule ?? matchRule('standard');
    this.rebuildEvery = opts.rebuildEvery ?? 4096;
    this.nextCluster = opts.firstCluster ?? 1;
    this.pendingLanes = new Uint32Array(8 * this.rebuildEvery);
    this.pendingIds = new Uint32Array(this.rebuildEvery);
  }

  get size(): number {
    return this.count;
  }

  /** Whether a hash of this quality is compared by picture. */
  comparable(quality: number): boolean {
    return quality >= this.rule.minQuality;
  }

  /** Adds a member already assigned to a cluster (e.g. loaded from the database). */
  load(hex: string, cluster: number): void {
    this.push(hashToWords32(hashFromHex(hex)), cluster);
    if (cluster >= this.nextCluster) this.nextCluster = cluster + 1;
  }

  /** The cluster nearest to this hash within the accept distance, or null. */
  nearest(hash: Hash256 | string): { cluster: number; distance: number } | null {
    const lanes = hashToWords32(typeof hash === 'string' ? hashFromHex(hash) : hash);
    const max = this.rule.acceptDistance;
    const found = [...this.index.query(lanes, max)];
    if (this.pending) found.push(...linearScan(this.pendingLanes.subarray(0, 8 * this.pending), this.pendingIds.subarray(0, this.pending), lanes, max));
    let best: { cluster: number; distance: number } | null = null;
    for (const m of found) {
      if (!best || m.distance < best.distance || (m.distance === best.distance && m.id < best.cluster)) best = { cluster: m.id, distance: m.distance };
    }
    return best;
  }

  /**
   * Places a reported hash: in the nearest cluster, or a new one (numbered by `newCluster`, by
   * default the next free number). A flat hash (quality below the rule's minimum) is not placed.
   */
  add(hex: string, quality: number, newCluster?: () => number): Placement {
    if (!this.comparable(quality)) return { cluster: null, distance: 0, isNew: false };
    const lanes = hashToWords32(hashFromHex(hex));
    const near = this.nearest(hex);
    if (near) {
      this.push(lanes, near.cluster);
      return { cluster: near.cluster, distance: near.distance, isNew: false };
    }
    const cluster = newCluster ? newCluster() : this.nextCluster;
    if (cluster >= this.nextCluster) this.nextCluster = cluster + 1;
    this.push(lanes, cluster);
    return { cluster, distance: 0, isNew: true };
  }

  private push(lanes: Uint32Array, cluster: number): void {
    this.pendingLanes.set(lanes, 8 * this.pending);
    this.pendingIds[this.pending++] = cluster;
    if (this.count === this.allIds.length) {
      const ids = new Uint32Array(this.allIds.length * 2);
      ids.set(this.allIds);
      const all = new Uint32Array(this.allLanes.length * 2);
      all.set(this.allLanes);
      this.allIds = ids;
      this.allLanes = all;
    }
    this.allLanes.set(lanes, 8 * this.count);
    this.allIds[this.count++] = cluster;
    if (this.pending >= this.rebuildEvery) this.rebuild();
  }

  private rebuild(): void {
    this.index = PdqIndex.build(this.allLanes.slice(0, 8 * this.count), this.allIds.slice(0, this.count));
    this.pending = 0;
  }
}
