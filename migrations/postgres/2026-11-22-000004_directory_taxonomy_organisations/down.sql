DROP TABLE organisations;
DROP TABLE housing_areas;
DROP TABLE districts;
DROP TABLE vocabulary_terms;
