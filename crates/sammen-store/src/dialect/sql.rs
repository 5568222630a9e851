//! The SQL PostgreSQL and SQLite spell differently, as named functions. Each returns an `Sql`
//! fragment whose values are bind parameters; the text of the two spellings stands side by side.

use diesel::sql_types::{Bool, Double, Nullable, Text, Timestamp};

use sammen_domain::directory::geo::GridPoint;

use super::{Backend, Sql};
use crate::dialect::DbConn;
use crate::error::StoreResult;

/// The text that free-text search looks in, as PostgreSQL's expression indexes are built on it.
macro_rules! document {
    () => {
        "lower(activities.name || ' ' || activities.summary || ' ' || activities.description)"
    };
}

/// A `LIKE` pattern that matches `text` anywhere, with `%`, `_` and `\` escaped by a backslash.
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// What follows a `LIKE` pattern so that the backslash escapes: PostgreSQL's default, SQLite's
/// only with an `ESCAPE` clause.
fn like_escape(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "",
        Backend::Sqlite => " ESCAPE '\\'",
    }
}

/// One word as an FTS5 phrase: quoted, with any quote doubled, so it is never read as syntax.
pub fn fts5_phrase(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// SQLite's trigram index finds substrings of three characters or more.
fn trigram_searchable(word: &str) -> bool {
    word.chars().count() >= 3
}

/// Whether an activity's name, summary or description holds `word` (lower-case): on
/// PostgreSQL as a word or a Danish inflection of it (the stored text vector) or inside a
/// longer word (the trigram index); on SQLite inside any word (the FTS5 trigram index; a word of
/// one or two letters by a scan).
pub fn text_matches(backend: Backend, word: &str) -> Sql<Bool> {
    match backend {
        Backend::Postgres => Sql::new("(activities.search_document @@ plainto_tsquery('danish', ")
            .text(word)
            .sql(concat!(") OR ", document!(), " LIKE "))
            .text(contains_pattern(word))
            .sql(")"),
        Backend::Sqlite if trigram_searchable(word) => {
            Sql::new("activities.rowid IN (SELECT rowid FROM activities_fts WHERE activities_fts MATCH ")
                .text(fts5_phrase(word))
                .sql(")")
        }
        Backend::Sqlite => {
            Sql::new(concat!(document!(), " LIKE ")).text(contains_pattern(word)).sql(like_escape(backend))
        }
    }
}

/// How well an activity matches `words`, higher is better. PostgreSQL: its Danish full-text
/// rank, plus one for each word in the name. SQLite: where the words stand, for each word 3 in
/// the name, 2 in the summary and 1 in the description (FTS5's bm25 would run the full-text
/// query again for every candidate row: 2.6 s for a common word at 100,000 activities).
pub fn text_rank(backend: Backend, words: &[String]) -> Sql<Double> {
    let contains = |column: &'static str, word: &str, weight: &'static str| {
        Sql::<Double>::new("(CASE WHEN lower(")
            .sql(column)
            .sql(") LIKE ")
            .text(contains_pattern(word))
            .sql(like_escape(backend))
            .sql(" THEN ")
            .sql(weight)
            .sql(" ELSE 0.0 END)")
    };
    let terms: Vec<Sql<Double>> = match backend {
        Backend::Postgres => {
            let text = Sql::<Double>::new("ts_rank_cd(activities.search_document, plainto_tsquery('danish', ")
                .text(words.join(" "))
                .sql("))");
            std::iter::once(text).chain(words.iter().map(|w| contains("activities.name", w, "1.0"))).collect()
        }
        Backend::Sqlite => words
            .iter()
            .flat_map(|w| {
                [
                    contains("activities.name", w, "3.0"),
                    contains("activities.summary", w, "2.0"),
                    contains("activities.description", w, "1.0"),
                ]
            })
            .collect(),
    };
    Sql::new("(").joined(terms, " + ").sql(")")
}

/// What a code filter looks in: an activity's terms of one vocabulary, or its languages.
#[derive(Debug, Clone, Copy)]
pub enum Codes {
    /// The vocabulary's name (`activity_type`, ...).
    Terms(&'static str),
    Languages,
}

impl Codes {
    fn prefix(self) -> &'static str {
        match self {
            Codes::Terms(vocabulary) => vocabulary,
            Codes::Languages => "language",
        }
    }
}

/// Whether an activity has any of `codes`. PostgreSQL: an overlap with its `filter_codes` array
/// (`vocabulary:code`), which the GIN index serves and combines with the text and place indexes;
/// SQLite: a lookup in the join table.
pub fn has_any_code(backend: Backend, of: Codes, codes: &[String]) -> Sql<Bool> {
    match (backend, of) {
        (Backend::Postgres, _) => {
            let values = codes.iter().map(|c| Sql::<Text>::new("").text(format!("{}:{c}", of.prefix())));
            Sql::new("activities.filter_codes && ARRAY[").joined(values, ", ").sql("]::text[]")
        }
        (Backend::Sqlite, Codes::Terms(vocabulary)) => {
            Sql::new("EXISTS (SELECT 1 FROM activity_terms f WHERE f.activity_id = activities.id AND f.vocabulary = ")
                .text(vocabulary)
                .sql(" AND f.code IN (")
                .joined(codes.iter().map(|c| Sql::<Text>::new("").text(c.as_str())), ", ")
                .sql("))")
        }
        (Backend::Sqlite, Codes::Languages) => Sql::new(
            "EXISTS (SELECT 1 FROM activity_languages f WHERE f.activity_id = activities.id AND f.language IN (",
        )
        .joined(codes.iter().map(|c| Sql::<Text>::new("").text(c.as_str())), ", ")
        .sql("))"),
    }
}

/// Rewrites an activity's `filter_codes` from its join rows (PostgreSQL; SQLite has no such
/// column and reads the join tables).
pub fn refresh_filter_codes(conn: &mut DbConn, activity_id: &str) -> StoreResult<()> {
    use diesel::RunQueryDsl;
    super::by_backend!(conn, {
        postgres(c) => {
            diesel::sql_query(
                "UPDATE activities SET filter_codes = ARRAY(\
                 SELECT t.vocabulary || ':' || t.code FROM activity_terms t WHERE t.activity_id = $1 \
                 UNION ALL SELECT 'language:' || l.language FROM activity_languages l WHERE l.activity_id = $1) \
                 WHERE id = $1",
            )
            .bind::<Text, _>(activity_id)
            .execute(c)?;
        },
        sqlite(_) => {},
    });
    Ok(())
}

/// The unit separator (ASCII 31) between the codes `joined_codes` returns: no code holds it.
pub const CODE_SEPARATOR: char = '\u{1f}';

/// One activity's codes from a join table as one text value, separated by `CODE_SEPARATOR`
/// (NULL when there are none): a correlated subquery per row, served by the join table's
/// primary key. PostgreSQL: `string_agg`; SQLite: `group_concat`.
pub fn joined_codes(backend: Backend, of: JoinedCodes) -> Sql<Nullable<Text>> {
    let aggregate = match (backend, of) {
        (Backend::Postgres, JoinedCodes::Terms(_)) => "(SELECT string_agg(j.code, chr(31)) ",
        (Backend::Sqlite, JoinedCodes::Terms(_)) => "(SELECT group_concat(j.code, char(31)) ",
        (Backend::Postgres, JoinedCodes::HousingAreas) => "(SELECT string_agg(j.housing_area_code, chr(31)) ",
        (Backend::Sqlite, JoinedCodes::HousingAreas) => "(SELECT group_concat(j.housing_area_code, char(31)) ",
    };
    match of {
        JoinedCodes::Terms(vocabulary) => Sql::new(aggregate)
            .sql("FROM activity_terms j WHERE j.activity_id = activities.id AND j.vocabulary = ")
            .text(vocabulary)
            .sql(")"),
        JoinedCodes::HousingAreas => {
            Sql::new(aggregate).sql("FROM activity_housing_areas j WHERE j.activity_id = activities.id)")
        }
    }
}

/// Which join rows `joined_codes` aggregates.
#[derive(Debug, Clone, Copy)]
pub enum JoinedCodes {
    /// The terms of this vocabulary.
    Terms(&'static str),
    HousingAreas,
}

/// Every code of an activity (its vocabulary terms, languages and housing areas) as one text
/// value of `kind:code` entries separated by `CODE_SEPARATOR` (`activity_type:singing_music`,
/// `language:da`, `housing_area:mjolnerparken`; NULL when there are none): a correlated subquery
/// per row, served by the join tables' primary keys, so an activity and its codes come in one
/// statement. Fixed text, so that statement is prepared once per connection.
pub fn activity_codes(backend: Backend) -> Sql<Nullable<Text>> {
    macro_rules! codes {
        ($aggregate:literal) => {
            concat!(
                "(SELECT ",
                $aggregate,
                " FROM (SELECT j.vocabulary || ':' || j.code AS c FROM activity_terms j \
                 WHERE j.activity_id = activities.id \
                 UNION ALL SELECT 'language:' || l.language FROM activity_languages l \
                 WHERE l.activity_id = activities.id \
                 UNION ALL SELECT 'housing_area:' || h.housing_area_code FROM activity_housing_areas h \
                 WHERE h.activity_id = activities.id) codes)"
            )
        };
    }
    match backend {
        Backend::Postgres => Sql::fixed(codes!("string_agg(codes.c, chr(31))")),
        Backend::Sqlite => Sql::fixed(codes!("group_concat(codes.c, char(31))")),
    }
}

/// Published activities only, with the state as literal text (not a bound value), so the
/// planners of both databases can use the partial indexes made for the public listing.
pub fn published() -> Sql<Bool> {
    Sql::fixed("activities.status = 'published'")
}

/// The squared distance on the grid from `centre` to an activity's grid point.
fn distance_sq(centre: GridPoint) -> Sql<Double> {
    Sql::new("((activities.easting - ")
        .double(centre.easting)
        .sql(") * (activities.easting - ")
        .double(centre.easting)
        .sql(") + (activities.northing - ")
        .double(centre.northing)
        .sql(") * (activities.northing - ")
        .double(centre.northing)
        .sql("))")
}

/// Whether an activity's grid point lies within `radius` metres of `centre`: its box first, by
/// index (PostgreSQL: the B-tree on (northing, easting), whose statistics the planner trusts;
/// SQLite: the R*Tree), then the exact distance.
pub fn within(backend: Backend, centre: GridPoint, radius: f64) -> Sql<Bool> {
    let (west, east) = (centre.easting - radius, centre.easting + radius);
    let (south, north) = (centre.northing - radius, centre.northing + radius);
    let in_box = match backend {
        Backend::Postgres => Sql::<Bool>::new("activities.northing BETWEEN ")
            .double(south)
            .sql(" AND ")
            .double(north)
            .sql(" AND activities.easting BETWEEN ")
            .double(west)
            .sql(" AND ")
            .double(east),
        Backend::Sqlite => {
            Sql::<Bool>::new("activities.rowid IN (SELECT id FROM activity_places WHERE max_easting >= ")
                .double(west)
                .sql(" AND min_easting <= ")
                .double(east)
                .sql(" AND max_northing >= ")
                .double(south)
                .sql(" AND min_northing <= ")
                .double(north)
                .sql(")")
        }
    };
    Sql::new("(")
        .fragment(in_box)
        .sql(" AND ")
        .fragment(distance_sq(centre))
        .sql(" <= ")
        .double(radius * radius)
        .sql(")")
}

/// Nearest first: on PostgreSQL the GiST index's distance (`point <-> point`, in metres), which
/// it walks in order; on SQLite the squared distance, sorted. Either is only compared with its
/// own kind, in the cursor of the next page.
pub fn distance_order(backend: Backend, centre: GridPoint) -> Sql<Double> {
    match backend {
        Backend::Postgres => Sql::new("(point(activities.easting, activities.northing) <-> point(")
            .double(centre.easting)
            .sql(", ")
            .double(centre.northing)
            .sql("))"),
        Backend::Sqlite => distance_sq(centre),
    }
}

/// A page nearest first, on PostgreSQL: only the points within the distance of the page's last
/// row (`nearest`, a subquery that walks the GiST index in order of distance and stops there,
/// or the search's `radius` when fewer match), which the GiST index finds; these are then sorted
/// by distance and id. (Ordering by distance and id directly would sort every match in the
/// radius: the index orders by distance alone.) SQLite has no such index and sorts: `None`.
pub fn nearest_page<R>(
    backend: Backend,
    centre: GridPoint,
    radius: f64,
    nearest: impl FnOnce() -> R,
) -> Option<WithinNearest<R>> {
    match backend {
        Backend::Postgres => Some(WithinNearest { centre, radius, nearest: nearest() }),
        Backend::Sqlite => None,
    }
}

/// See `nearest_page`: `point <@ circle(centre, COALESCE(nearest, radius))`.
#[derive(Debug, Clone)]
pub struct WithinNearest<R> {
    centre: GridPoint,
    radius: f64,
    nearest: R,
}

impl<R> diesel::expression::Expression for WithinNearest<R> {
    type SqlType = Bool;
}

impl<R, QS> diesel::expression::AppearsOnTable<QS> for WithinNearest<R> {}

impl<R, QS> diesel::expression::SelectableExpression<QS> for WithinNearest<R> {}

impl<R, GB> diesel::expression::ValidGrouping<GB> for WithinNearest<R> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<R> diesel::query_builder::QueryId for WithinNearest<R> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<R, DB> diesel::query_builder::QueryFragment<DB> for WithinNearest<R>
where
    R: diesel::query_builder::QueryFragment<DB>,
    DB: diesel::backend::Backend + diesel::sql_types::HasSqlType<Double>,
    f64: diesel::serialize::ToSql<Double, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        out.unsafe_to_cache_prepared();
        out.push_sql("point(activities.easting, activities.northing) <@ circle(point(");
        out.push_bind_param::<Double, f64>(&self.centre.easting)?;
        out.push_sql(", ");
        out.push_bind_param::<Double, f64>(&self.centre.northing)?;
        out.push_sql("), COALESCE(");
        self.nearest.walk_ast(out.reborrow())?;
        out.push_sql(", ");
        out.push_bind_param::<Double, f64>(&self.radius)?;
        out.push_sql("))");
        Ok(())
    }
}

/// Whether an activity's stored occurrences fall on any of `weekdays` (ISO numbers, 1 = Monday):
/// a test of its `occurrence_weekdays` bits, before the occurrences themselves are probed.
pub fn occurs_on_any(weekdays: &[i32]) -> Sql<Bool> {
    Sql::new("(activities.occurrence_weekdays & ").integer(weekday_bits(weekdays)).sql(") <> 0")
}

/// The bits of `weekdays` (ISO numbers): bit 0 Monday ... bit 6 Sunday.
pub fn weekday_bits(weekdays: impl IntoIterator<Item = impl std::borrow::Borrow<i32>>) -> i64 {
    weekdays.into_iter().fold(0, |bits, d| bits | 1 << (d.borrow() - 1))
}

/// The codes of a sorted page's rows, if the page's own statement can carry them: PostgreSQL
/// runs a correlated subquery in the select list for the rows the page returns only, after the
/// sort and the limit. SQLite runs the select list before it sorts, so for every candidate row
/// (measured: most of a relevance page's time): `None`, and the page's codes come in a second
/// statement (`activity_codes` for the page's ids).
pub fn page_codes(backend: Backend) -> Option<Sql<Nullable<Text>>> {
    match backend {
        Backend::Postgres => Some(activity_codes(backend)),
        Backend::Sqlite => None,
    }
}

/// Ascending by the next occurrence, activities without one last: PostgreSQL's default for an
/// ascending order, so it walks the `(status, next_occurrence_at, id)` index; SQLite (which
/// would put NULLs first) sorts.
pub fn next_occurrence_ascending() -> Sql<Nullable<Timestamp>> {
    Sql::new("activities.next_occurrence_at ASC NULLS LAST")
}

#[cfg(test)]
mod tests {
    use super::super::fragment::render::{postgres, sqlite};
    use super::*;

    #[test]
    fn patterns_and_phrases_escape_what_would_be_syntax() {
        assert_eq!(contains_pattern("sang"), "%sang%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(fts5_phrase("sang"), "\"sang\"");
        assert_eq!(fts5_phrase("a\"b OR c"), "\"a\"\"b OR c\"");
    }

    #[test]
    fn text_matches_binds_the_word_on_both_backends() {
        assert_eq!(
            postgres(&text_matches(Backend::Postgres, "sang")),
            "(activities.search_document @@ plainto_tsquery('danish', $1) OR lower(activities.name || ' ' || \
             activities.summary || ' ' || activities.description) LIKE $2) -- binds: [\"sang\", \"%sang%\"]"
        );
        assert_eq!(
            sqlite(&text_matches(Backend::Sqlite, "sang")),
            "activities.rowid IN (SELECT rowid FROM activities_fts WHERE activities_fts MATCH ?) -- binds: [\"\\\"sang\\\"\"]"
        );
        assert!(sqlite(&text_matches(Backend::Sqlite, "is")).contains("LIKE ? ESCAPE '\\' -- binds: [\"%is%\"]"));
    }

    #[test]
    fn rank_weighs_where_the_words_stand() {
        let words = vec!["sang".to_owned(), "kor".to_owned()];
        let pg = postgres(&text_rank(Backend::Postgres, &words));
        assert!(
            pg.starts_with("(ts_rank_cd(activities.search_document, plainto_tsquery('danish', $1)) + (CASE"),
            "{pg}"
        );
        assert!(pg.ends_with("-- binds: [\"sang kor\", \"%sang%\", \"%kor%\"]"), "{pg}");
        let lite = sqlite(&text_rank(Backend::Sqlite, &["ab".to_owned()]));
        assert_eq!(
            lite,
            "((CASE WHEN lower(activities.name) LIKE ? ESCAPE '\\' THEN 3.0 ELSE 0.0 END) + \
             (CASE WHEN lower(activities.summary) LIKE ? ESCAPE '\\' THEN 2.0 ELSE 0.0 END) + \
             (CASE WHEN lower(activities.description) LIKE ? ESCAPE '\\' THEN 1.0 ELSE 0.0 END)) \
             -- binds: [\"%ab%\", \"%ab%\", \"%ab%\"]"
        );
    }

    #[test]
    fn a_radius_is_a_box_by_index_then_the_exact_distance() {
        let centre = GridPoint { easting: 724_000.0, northing: 6_175_000.0 };
        let pg = postgres(&within(Backend::Postgres, centre, 500.0));
        assert!(
            pg.starts_with("(activities.northing BETWEEN $1 AND $2 AND activities.easting BETWEEN $3 AND $4 AND"),
            "{pg}"
        );
        assert!(pg.ends_with("<= $9) -- binds: [6174500.0, 6175500.0, 723500.0, 724500.0, 724000.0, 724000.0, 6175000.0, 6175000.0, 250000.0]"), "{pg}");
        let lite = sqlite(&within(Backend::Sqlite, centre, 500.0));
        assert!(
            lite.starts_with(
                "(activities.rowid IN (SELECT id FROM activity_places WHERE max_easting >= ? AND min_easting <= ?"
            ),
            "{lite}"
        );
        assert_eq!(
            postgres(&distance_order(Backend::Postgres, centre)),
            "(point(activities.easting, activities.northing) <-> point($1, $2)) -- binds: [724000.0, 6175000.0]"
        );
        assert!(
            sqlite(&distance_order(Backend::Sqlite, centre))
                .starts_with("((activities.easting - ?) * (activities.easting - ?)")
        );
    }

    #[test]
    fn weekdays_are_bits_monday_first() {
        assert_eq!(weekday_bits([1]), 0b1);
        assert_eq!(weekday_bits([7, 1, 3]), 0b100_0101);
        assert_eq!(weekday_bits(Vec::<i32>::new()), 0);
        assert_eq!(postgres(&occurs_on_any(&[2, 4])), "(activities.occurrence_weekdays & $1) <> 0 -- binds: [10]");
        assert_eq!(sqlite(&published()), "activities.status = 'published' -- binds: []");
    }

    #[test]
    fn code_filters_bind_every_code() {
        let codes = vec!["dementia".to_owned(), "o'brien".to_owned()];
        assert_eq!(
            postgres(&has_any_code(Backend::Postgres, Codes::Terms("target_group"), &codes)),
            "activities.filter_codes && ARRAY[$1, $2]::text[] -- binds: [\"target_group:dementia\", \"target_group:o'brien\"]"
        );
        assert_eq!(
            sqlite(&has_any_code(Backend::Sqlite, Codes::Languages, &codes[..1])),
            "EXISTS (SELECT 1 FROM activity_languages f WHERE f.activity_id = activities.id AND f.language IN (?)) -- binds: [\"dementia\"]"
        );
        assert!(
            sqlite(&joined_codes(Backend::Sqlite, JoinedCodes::Terms("activity_type")))
                .ends_with("AND j.vocabulary = ?) -- binds: [\"activity_type\"]")
        );
    }
}
