DROP TABLE activity_reports;
