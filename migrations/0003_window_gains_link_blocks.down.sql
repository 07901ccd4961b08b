DROP TABLE identity_link_blocks;
DROP TABLE wom_window_gains;
