// Match strictness: three levels the reader can choose, standard = the reference threshold.
import { describe, expect, it } from 'vitest';
import { matchRule } from '../../../src/core/match';
import { PDQ_MATCH_DISTANCE } from '../../../src/core/pdq';
import { MATCH_STRICTNESS, defaultSettings } from '../../../src/shared/settings';

describe('match strictness', () => {
  it('standard is the reference distance and the default; strict is tighter, loose is wider', () => {
    expect(matchRule('standard').candidateDistance).toBe(PDQ_MATCH_DISTANCE);
    expect(matchRule(defaultSettings([]).matchStrictness).candidateDistance).toBe(31);
    expect(MATCH_STRICTNESS.map((level) => matchRule(level).candidateDistance)).toEqual([24, 31, 40]);
  });
});
