/**
 * The debunk feed format v1 (docs/feed-format.md): signed envelopes, schemas and limits, the
 * client's sync decisions, writing feeds, and import from ClaimReview / MediaReview. Pure.
 */
export * from './errors';
export * from './limits';
export * from './envelope';
export * from './schema';
export * from './state';
export * from './build';
export * from './claimreview';
export * from './accept';
