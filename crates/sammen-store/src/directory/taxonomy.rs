//! Vocabularies, districts and housing areas: data, not enumerations in code.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::schema::{districts, housing_areas, vocabulary_terms};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = vocabulary_terms)]
pub struct Term {
    pub vocabulary: String,
    pub code: String,
    pub label_da: String,
    pub label_en: String,
    pub sort_order: i32,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = districts)]
pub struct District {
    pub code: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub sort_order: i32,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = housing_areas)]
pub struct HousingArea {
    pub code: String,
    pub name: String,
    pub district_code: String,
    pub lat: f64,
    pub lon: f64,
    pub sort_order: i32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Taxonomy {
    pub terms: Vec<Term>,
    pub districts: Vec<District>,
    pub housing_areas: Vec<HousingArea>,
}

/// Every vocabulary term, district and housing area, in their display order: three queries.
pub fn load_taxonomy(conn: &mut DbConn) -> StoreResult<Taxonomy> {
    Ok(Taxonomy {
        terms: vocabulary_terms::table
            .select(Term::as_select())
            .order((vocabulary_terms::vocabulary, vocabulary_terms::sort_order, vocabulary_terms::code))
            .load(conn)?,
        districts: districts::table
            .select(District::as_select())
            .order((districts::sort_order, districts::code))
            .load(conn)?,
        housing_areas: housing_areas::table
            .select(HousingArea::as_select())
            .order((housing_areas::sort_order, housing_areas::code))
            .load(conn)?,
    })
}

/// Adds a district, or replaces its name and centre if the code exists (for seeding and
/// municipal set-up). Select-then-write: no upsert on the MultiConnection enum.
pub fn put_district(conn: &mut DbConn, d: &District) -> StoreResult<()> {
    crate::write_transaction(conn, |conn| {
        let values = (
            districts::name.eq(&d.name),
            districts::lat.eq(d.lat),
            districts::lon.eq(d.lon),
            districts::sort_order.eq(d.sort_order),
        );
        if diesel::update(districts::table.find(&d.code)).set(values).execute(conn)? == 0 {
            diesel::insert_into(districts::table).values((districts::code.eq(&d.code), values)).execute(conn)?;
        }
        Ok(())
    })
}

/// Adds or replaces a housing area (its district must exist).
pub fn put_housing_area(conn: &mut DbConn, h: &HousingArea) -> StoreResult<()> {
    crate::write_transaction(conn, |conn| {
        let values = (
            housing_areas::name.eq(&h.name),
            housing_areas::district_code.eq(&h.district_code),
            housing_areas::lat.eq(h.lat),
            housing_areas::lon.eq(h.lon),
            housing_areas::sort_order.eq(h.sort_order),
        );
        if diesel::update(housing_areas::table.find(&h.code)).set(values).execute(conn)? == 0 {
            diesel::insert_into(housing_areas::table)
                .values((housing_areas::code.eq(&h.code), values))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Adds a vocabulary term, or replaces its labels and order; `true` if it was added.
pub fn put_term(conn: &mut DbConn, t: &Term, ctx: &crate::audit::AuditContext) -> StoreResult<bool> {
    crate::write_transaction(conn, |conn| {
        let values = (
            vocabulary_terms::label_da.eq(&t.label_da),
            vocabulary_terms::label_en.eq(&t.label_en),
            vocabulary_terms::sort_order.eq(t.sort_order),
        );
        let key = vocabulary_terms::table.find((&t.vocabulary, &t.code));
        let added = diesel::update(key).set(values).execute(conn)? == 0;
        if added {
            diesel::insert_into(vocabulary_terms::table)
                .values((vocabulary_terms::vocabulary.eq(&t.vocabulary), vocabulary_terms::code.eq(&t.code), values))
                .execute(conn)?;
        }
        let id = format!("{}/{}", t.vocabulary, t.code);
        crate::audit::record_change(conn, ctx, "vocabulary_term", "taxonomy.term_put", &id, serde_json::json!({}))?;
        Ok(added)
    })
}

/// Whether a district or housing area with this code exists (so a PUT can say 201 or 200).
pub fn place_exists(conn: &mut DbConn, district: bool, code: &str) -> StoreResult<bool> {
    use diesel::dsl::exists;
    Ok(if district {
        diesel::select(exists(districts::table.find(code))).get_result(conn)?
    } else {
        diesel::select(exists(housing_areas::table.find(code))).get_result(conn)?
    })
}
