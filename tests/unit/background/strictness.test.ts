// Match strictness: three levels, standard = the reference threshold, in one small mapping.
import { describe, expect, it } from 'vitest';
import { matchDistanceFor } from '../../../src/background/matcher';
import { PDQ_MATCH_DISTANCE } from '../../../src/core/pdq';
import { MATCH_STRICTNESS, defaultSettings } from '../../../src/shared/settings';

describe('match strictness', () => {
  it('standard is the reference distance and the default; strict is tighter, loose is wider', () => {
    expect(matchDistanceFor('standard')).toBe(PDQ_MATCH_DISTANCE);
    expect(matchDistanceFor(defaultSettings([]).matchStrictness)).toBe(31);
    expect(MATCH_STRICTNESS.map(matchDistanceFor)).toEqual([24, 31, 40]);
  });
});
