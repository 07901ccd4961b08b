-- ClanStats schema v6: each snapshot's overall experience beside the snapshot itself.
--   * wom_snapshots.overall_exp: the `overall` skill's experience of the snapshot (-1 when
--     unranked, as WOM reports it; NULL when the snapshot has no overall value), the same value as
--     its wom_snapshot_values row. The clan model's daily XP series reads one value per snapshot
--     for a year of a clan's history; reading it here saves a lookup into the 20-million-row value
--     table per snapshot (see packages/clan-model/bench).
--   * Written by WomWriter.insertSnapshots with the snapshot; backfilled below.

ALTER TABLE wom_snapshots ADD COLUMN overall_exp INTEGER;

UPDATE wom_snapshots SET overall_exp = (
  SELECT v.value FROM wom_snapshot_values v
  WHERE v.snapshot_id = wom_snapshots.id
    AND v.metric_id = (SELECT id FROM wom_metrics WHERE name = 'overall')
);
