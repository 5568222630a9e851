DROP TABLE activity_housing_areas;
DROP TABLE activity_languages;
DROP TABLE activity_terms;
DROP TABLE activities;
