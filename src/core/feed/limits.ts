/** Limits that protect the client (docs/feed-format.md, "Limits"). A file over any is refused whole. */
export const LIMITS = {
  maxIndexBytes: 64 * 1024,
  /** A snapshot in the JSON form: parsed as one string, so held in memory whole several times over. */
  maxSnapshotBytes: 128 * 1024 * 1024,
  /**
   * A snapshot in the binary form (ADFB, docs/feed-format.md "Limits"): its bytes are held once and
   * decoded a chunk at a time; 300k images with every variant and real text fit (~230 MB signed).
   */
  maxBinarySnapshotBytes: 256 * 1024 * 1024,
  maxDeltaBytes: 4 * 1024 * 1024,
  /** Entries per snapshot or delta: every fact-check published worldwide (100k–300k) with room to grow. */
  maxEntries: 500_000,
  maxMediaPerEntry: 20,
  maxHashesPerMedia: 64,
  maxFramesPerMedia: 600,
  /** Re-share variants stored with one video keyframe (crop ladder 4 + caption cuts 6 + middle band 1 + caption-bar pictures ≤ 4 = 15). */
  maxVariantsPerFrame: 16,
  maxAppearances: 50,
  maxLinks: 10,
  maxDeltas: 64,
  /** A sequence may not jump further than this in one step (a stolen key cannot fast-forward far). */
  maxSeqJump: 1_000_000,
  /** How long after generatedAt a file may stay valid (expiresAt − generatedAt). */
  maxValidityDays: 366,
  /** A video's duration and a frame's time, in seconds (a day). */
  maxMediaSeconds: 86_400,
  text: { rating: 80, claim: 500, context: 300, headline: 300, name: 200, short: 120 },
} as const;

export const FORMAT_VERSION = 1;

export const PAYLOAD_TYPES = {
  index: 'application/vnd.already-debunked.index+json',
  snapshot: 'application/vnd.already-debunked.snapshot+json',
  delta: 'application/vnd.already-debunked.delta+json',
} as const;
