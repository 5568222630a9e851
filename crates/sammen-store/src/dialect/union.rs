//! `UnionAll`: several queries of the same row type as one statement, for what diesel cannot
//! combine itself (a varying number of boxed queries over different tables, on the
//! multi-backend connection). Both databases take the plain `a UNION ALL b` form it writes
//! (SQLite takes no parentheses around the parts, so parts carry no ORDER BY or LIMIT).

use std::marker::PhantomData;

use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;

use super::MultiBackend;

/// The rows of every part, one statement.
pub struct UnionAll<'a, ST> {
    parts: Vec<Box<dyn QueryFragment<MultiBackend> + Send + 'a>>,
    _type: PhantomData<ST>,
}

impl<'a, ST> UnionAll<'a, ST> {
    pub fn new() -> Self {
        UnionAll { parts: Vec::new(), _type: PhantomData }
    }

    /// One more part, with rows of type `ST`.
    pub fn part(mut self, query: impl Query<SqlType = ST> + QueryFragment<MultiBackend> + Send + 'a) -> Self {
        self.parts.push(Box::new(query));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

impl<ST> Default for UnionAll<'_, ST> {
    fn default() -> Self {
        Self::new()
    }
}

impl<ST: diesel::sql_types::SqlType> Query for UnionAll<'_, ST> {
    type SqlType = ST;
}

impl<ST> QueryId for UnionAll<'_, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST> QueryFragment<MultiBackend> for UnionAll<'_, ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push_sql(" UNION ALL ");
            }
            part.walk_ast(out.reborrow())?;
        }
        Ok(())
    }
}

impl<ST, Conn> diesel::RunQueryDsl<Conn> for UnionAll<'_, ST> {}
