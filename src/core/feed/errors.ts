/** Every way a feed file can be refused, with the field path where it applies. */
export type FeedErrorCode =
  | 'too-large'
  | 'not-json'
  | 'bad-envelope'
  | 'bad-signature'
  | 'wrong-payload-type'
  | 'bad-key'
  | 'schema'
  | 'unsupported-version'
  | 'duplicate-id'
  | 'wrong-feed'
  | 'epoch'
  | 'rollback'
  | 'fast-forward'
  | 'expired'
  | 'checksum'
  | 'state-hash'
  | 'delta-gap'
  | 'stale-rev';

export class FeedError extends Error {
  override name = 'FeedError';
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}
