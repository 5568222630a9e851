//! `Sql`: a piece of SQL for what diesel's query builder cannot spell (full-text operators, array
//! overlap, aggregates over a correlated subquery), built from `'static` text and bound values.
//!
//! The text parts are `&'static str`, so nothing that arrives in a request can ever become SQL:
//! every value is a bind parameter. This is the only way the store writes SQL by hand.

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, TypedExpressionType, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Double, HasSqlType, Text};

/// An SQL expression of type `ST`, usable in `filter`, `select` and `order` like any diesel
/// expression of that type.
#[derive(Debug, Clone)]
pub struct Sql<ST> {
    parts: Vec<Part>,
    /// Whether the text is the same on every call (see `Sql::fixed`).
    fixed: bool,
    _type: PhantomData<ST>,
}

#[derive(Debug, Clone)]
enum Part {
    Sql(&'static str),
    Text(String),
    Double(f64),
    Integer(i64),
    Fragment(Vec<Part>),
}

impl<ST> Sql<ST> {
    /// A fragment that starts with this SQL text, in a statement whose text varies from call to
    /// call (a word or a code more): planned each time, with the values in view.
    pub fn new(sql: &'static str) -> Self {
        Sql { parts: vec![Part::Sql(sql)], fixed: false, _type: PhantomData }
    }

    /// A fragment whose text never varies (any values are bound, never listed): the statement it
    /// is part of can be prepared once per connection and reused, so PostgreSQL neither parses it
    /// nor, once its generic plan proves as good, plans it again. For the hot path's fixed
    /// statements, not for searches (their generic plan measured 6× slower than a fresh one).
    pub fn fixed(sql: &'static str) -> Self {
        Sql { parts: vec![Part::Sql(sql)], fixed: true, _type: PhantomData }
    }

    /// More SQL text.
    pub fn sql(mut self, sql: &'static str) -> Self {
        self.parts.push(Part::Sql(sql));
        self
    }

    /// A text value, as a bind parameter.
    pub fn text(mut self, value: impl Into<String>) -> Self {
        self.parts.push(Part::Text(value.into()));
        self
    }

    /// A number, as a bind parameter.
    pub fn double(mut self, value: f64) -> Self {
        self.parts.push(Part::Double(value));
        self
    }

    /// A whole number, as a bind parameter.
    pub fn integer(mut self, value: i64) -> Self {
        self.parts.push(Part::Integer(value));
        self
    }

    /// Another fragment, in place (of any type: the caller says what the whole is).
    pub fn fragment<T>(mut self, other: Sql<T>) -> Self {
        self.fixed &= other.fixed;
        self.parts.push(Part::Fragment(other.parts));
        self
    }

    /// `items` one after the other with `separator` between them (`+`, `, `, ` AND `).
    pub fn joined<T>(mut self, items: impl IntoIterator<Item = Sql<T>>, separator: &'static str) -> Self {
        // As many items as there are values: the text varies.
        self.fixed = false;
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.parts.push(Part::Sql(separator));
            }
            self.parts.push(Part::Fragment(item.parts));
        }
        self
    }
}

impl<ST: TypedExpressionType> Expression for Sql<ST> {
    type SqlType = ST;
}

impl<ST, QS> AppearsOnTable<QS> for Sql<ST> where Self: Expression {}

impl<ST, QS> SelectableExpression<QS> for Sql<ST> where Self: Expression {}

impl<ST, GB> ValidGrouping<GB> for Sql<ST> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<ST> QueryId for Sql<ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

fn walk<'b, DB>(parts: &'b [Part], out: &mut AstPass<'_, 'b, DB>) -> QueryResult<()>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<Double> + HasSqlType<BigInt>,
    String: ToSql<Text, DB>,
    f64: ToSql<Double, DB>,
    i64: ToSql<BigInt, DB>,
{
    for part in parts {
        match part {
            Part::Sql(sql) => out.push_sql(sql),
            Part::Text(value) => out.push_bind_param::<Text, String>(value)?,
            Part::Double(value) => out.push_bind_param::<Double, f64>(value)?,
            Part::Integer(value) => out.push_bind_param::<BigInt, i64>(value)?,
            Part::Fragment(inner) => walk(inner, out)?,
        }
    }
    Ok(())
}

impl<ST, DB> QueryFragment<DB> for Sql<ST>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<Double> + HasSqlType<BigInt>,
    String: ToSql<Text, DB>,
    f64: ToSql<Double, DB>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if !self.fixed {
            // The text varies with the number of values (words, codes): planned per call, as a
            // literal would be, so PostgreSQL sees the values when it chooses an index.
            out.unsafe_to_cache_prepared();
        }
        walk(&self.parts, &mut out)
    }
}

/// How a fragment reads on each backend, for tests: its SQL and its bound values.
#[cfg(test)]
pub(crate) mod render {
    use diesel::query_builder::QueryFragment;

    pub fn postgres<T: QueryFragment<diesel::pg::Pg>>(q: &T) -> String {
        diesel::debug_query::<diesel::pg::Pg, _>(q).to_string()
    }

    pub fn sqlite<T: QueryFragment<diesel::sqlite::Sqlite>>(q: &T) -> String {
        diesel::debug_query::<diesel::sqlite::Sqlite, _>(q).to_string()
    }
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::Bool;

    use super::render::{postgres, sqlite};
    use super::*;

    #[test]
    fn values_are_bound_never_spliced_into_the_text() {
        let hostile = "'); DROP TABLE users; --";
        let q = Sql::<Bool>::new("name = ").text(hostile).sql(" AND lat > ").double(55.5);
        assert_eq!(
            postgres(&q),
            format!("name = $1 AND lat > $2 -- binds: [\"{}\", 55.5]", hostile.replace('"', "\\\""))
        );
        assert_eq!(sqlite(&q), format!("name = ? AND lat > ? -- binds: [\"{hostile}\", 55.5]"));
    }

    #[test]
    fn only_a_fragment_of_fixed_text_may_be_prepared_and_kept() {
        use diesel::query_builder::QueryFragment;
        let backend = diesel::pg::Pg;
        let cacheable = |q: &dyn QueryFragment<diesel::pg::Pg>| q.is_safe_to_cache_prepared(&backend).unwrap();
        assert!(cacheable(&Sql::<Bool>::fixed("a = ").text("x")));
        assert!(cacheable(&Sql::<Bool>::fixed("(").fragment(Sql::<Bool>::fixed("b")).sql(")")));
        assert!(!cacheable(&Sql::<Bool>::new("a = ").text("x")), "a statement of varying text");
        assert!(!cacheable(&Sql::<Bool>::fixed("(").fragment(Sql::<Bool>::new("b")).sql(")")), "a part varies");
        assert!(!cacheable(&Sql::<Bool>::fixed("(").joined([Sql::<Bool>::fixed("b")], ", ").sql(")")), "a list");
    }

    #[test]
    fn fragments_nest_and_join_with_their_binds_in_order() {
        let words = ["sang", "kor"].map(|w| Sql::<Double>::new("f(").text(w).sql(")"));
        let q = Sql::<Double>::new("(").joined(words, " + ").sql(")").fragment(Sql::<Bool>::new(" * ").double(2.0));
        assert_eq!(postgres(&q), "(f($1) + f($2)) * $3 -- binds: [\"sang\", \"kor\", 2.0]");
        let empty = Sql::<Double>::new("(").joined(Vec::<Sql<Double>>::new(), " + ").sql("0)");
        assert_eq!(sqlite(&empty), "(0) -- binds: []");
    }
}
