import { createSyntheticClanData } from '@clanstats/testkit';
import type { SyntheticClanData } from '@clanstats/testkit';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ClanDataV1 } from './index.js';
import { clanDataValidator } from './test-helpers.js';

describe("@clanstats/testkit's createSyntheticClanData", () => {
  it('declares a shape assignable to ClanDataV1', () => {
    expectTypeOf<SyntheticClanData>().toExtend<ClanDataV1>();
  });

  it('validates against clanDataSchema, with and without hostile names', () => {
    const validate = clanDataValidator();
    for (const options of [{ members: 50 }, { members: 50, seed: 3, hostileNames: false }]) {
      const data = createSyntheticClanData(options);
      expect(validate(data), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
      expect(data.weeks).toHaveLength(52);
      expect(data.members[0]?.weekly.messages).toHaveLength(52);
      expect(Object.keys(data.heatmap.windows)).toEqual(['7d', '30d', '90d', '365d']);
    }
  });
});
