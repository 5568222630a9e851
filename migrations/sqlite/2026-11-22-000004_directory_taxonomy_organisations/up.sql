-- The directory's vocabularies, as data: codes with Danish and English labels. The national
-- ones are seeded here; a municipality may add terms.
CREATE TABLE vocabulary_terms (
    vocabulary TEXT NOT NULL CHECK (vocabulary IN ('activity_type', 'target_group', 'accessibility', 'first_visit_support', 'volunteer_role')),
    code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    label_da TEXT NOT NULL,
    label_en TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vocabulary, code)
);

-- The municipality's districts (bydele) and elderly-housing areas, with a centre point for
-- distances (WGS84). Municipality data: empty until the municipality (or `seed --demo`) fills it.
CREATE TABLE districts (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE housing_areas (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    district_code TEXT NOT NULL REFERENCES districts (code),
    lat DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX housing_areas_district ON housing_areas (district_code);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('association', 'ngo', 'ngo_branch', 'volunteer_centre', 'municipal_activity_centre', 'housing_association', 'informal_group')),
    description TEXT NOT NULL DEFAULT '',
    website TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    -- The contact details are shown to the public only when the organisation says so.
    contact_public BOOLEAN NOT NULL DEFAULT 0,
    cvr TEXT CHECK (cvr IS NULL OR length(cvr) = 8),
    parent_id TEXT REFERENCES organisations (id),
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organisations_name ON organisations (name, id);
CREATE INDEX organisations_kind ON organisations (kind, name, id);
CREATE INDEX organisations_parent ON organisations (parent_id);

INSERT INTO vocabulary_terms (vocabulary, code, label_da, label_en, sort_order) VALUES
    ('activity_type', 'communal_dining', 'Fællesspisning', 'Communal dining', 1),
    ('activity_type', 'singing_music', 'Sang og musik', 'Singing and music', 2),
    ('activity_type', 'exercise', 'Motion og træning', 'Exercise', 3),
    ('activity_type', 'walking', 'Gåture', 'Walks', 4),
    ('activity_type', 'cafe', 'Café og samvær', 'Café and company', 5),
    ('activity_type', 'creative', 'Kreativt værksted', 'Creative workshop', 6),
    ('activity_type', 'digital_help', 'Digital hjælp', 'Digital help', 7),
    ('activity_type', 'visiting_friend', 'Besøgsven', 'Visiting friend', 8),
    ('activity_type', 'mens_group', 'Mænds mødested', 'Men''s group', 9),
    ('activity_type', 'culture_talks', 'Kultur og foredrag', 'Culture and talks', 10),
    ('activity_type', 'games', 'Spil og kortspil', 'Games and cards', 11),
    ('activity_type', 'excursions', 'Udflugter', 'Excursions', 12),
    ('activity_type', 'gardening_nature', 'Have og natur', 'Gardening and nature', 13),
    ('activity_type', 'language_cafe', 'Sprogcafé', 'Language café', 14),
    ('activity_type', 'dance', 'Dans', 'Dance', 15),
    ('activity_type', 'cycling', 'Cykling', 'Cycling', 16),
    ('activity_type', 'grief_group', 'Sorggruppe', 'Grief group', 17),
    ('activity_type', 'telephone_friend', 'Telefonven', 'Telephone friend', 18),
    ('target_group', 'everyone', 'Alle ældre', 'All older people', 1),
    ('target_group', 'minority_background', 'Etnisk minoritetsbaggrund', 'Minority background', 2),
    ('target_group', 'physical_disability', 'Fysisk funktionsnedsættelse', 'Physical disability', 3),
    ('target_group', 'psychological_vulnerability', 'Psykisk sårbarhed', 'Psychological vulnerability', 4),
    ('target_group', 'dementia', 'Demens', 'Dementia', 5),
    ('target_group', 'hard_to_leave_home', 'Svært ved at komme ud', 'Hard to leave home', 6),
    ('target_group', 'newly_widowed', 'Nyligt alene', 'Newly widowed', 7),
    ('target_group', 'carers', 'Pårørende', 'Carers and relatives', 8),
    ('target_group', 'lgbt', 'LGBT+', 'LGBT+', 9),
    ('target_group', 'men', 'Mænd', 'Men', 10),
    ('target_group', 'women', 'Kvinder', 'Women', 11),
    ('target_group', 'hearing_impaired', 'Hørenedsættelse', 'Hearing impaired', 12),
    ('target_group', 'visually_impaired', 'Synsnedsættelse', 'Visually impaired', 13),
    ('accessibility', 'step_free_access', 'Niveaufri adgang', 'Step-free access', 1),
    ('accessibility', 'accessible_toilet', 'Handicaptoilet', 'Accessible toilet', 2),
    ('accessibility', 'hearing_loop', 'Teleslynge', 'Hearing loop', 3),
    ('accessibility', 'rest_places', 'Hvilesteder', 'Rest places', 4),
    ('accessibility', 'dementia_friendly', 'Demensvenligt', 'Dementia friendly', 5),
    ('accessibility', 'companion_welcome', 'Ledsager velkommen', 'Companion welcome', 6),
    ('accessibility', 'lift', 'Elevator', 'Lift', 7),
    ('accessibility', 'parking_nearby', 'Parkering tæt på', 'Parking nearby', 8),
    ('accessibility', 'public_transport', 'Tæt på offentlig transport', 'Near public transport', 9),
    ('first_visit_support', 'bring_a_friend', 'Tag en ven med', 'Bring a friend', 1),
    ('first_visit_support', 'met_at_the_door', 'Du bliver taget imod ved døren', 'Someone meets you at the door', 2),
    ('first_visit_support', 'pick_up', 'Vi kan hente dig', 'Pick-up', 3),
    ('first_visit_support', 'try_without_sign_up', 'Prøv en gang uden tilmelding', 'Try once without sign-up', 4),
    ('first_visit_support', 'phone_before', 'Ring og tal med os først', 'Call us first', 5),
    ('volunteer_role', 'host', 'Vært', 'Host', 1),
    ('volunteer_role', 'driver', 'Chauffør', 'Driver', 2),
    ('volunteer_role', 'bike_pilot', 'Cykelpilot', 'Bike pilot', 3),
    ('volunteer_role', 'cook', 'Kok', 'Cook', 4),
    ('volunteer_role', 'musician', 'Musiker', 'Musician', 5),
    ('volunteer_role', 'instructor', 'Instruktør', 'Instructor', 6),
    ('volunteer_role', 'visiting_friend', 'Besøgsven', 'Visiting friend', 7),
    ('volunteer_role', 'companion', 'Følgeven', 'Companion', 8),
    ('volunteer_role', 'digital_helper', 'Digital hjælper', 'Digital helper', 9),
    ('volunteer_role', 'organiser', 'Tovholder', 'Organiser', 10);
