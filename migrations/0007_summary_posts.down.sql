DROP TABLE summary_posts;
