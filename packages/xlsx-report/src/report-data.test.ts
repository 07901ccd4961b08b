import type { ClanDataV1 } from '@clanstats/clan-model';
import { describe, expectTypeOf, it } from 'vitest';
import type { ReportData } from './index.js';

describe('ReportData', () => {
  it('accepts a clan_data.json v1 object as it is', () => {
    // Checked by `tsc` (pnpm typecheck): fails when clan-model changes a field the report reads.
    expectTypeOf<ClanDataV1>().toExtend<ReportData>();
  });
});
