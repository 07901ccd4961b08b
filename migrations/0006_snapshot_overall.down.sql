ALTER TABLE wom_snapshots DROP COLUMN overall_exp;
