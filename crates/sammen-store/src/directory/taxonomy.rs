//! Vocabularies, districts and housing areas: data, not enumerations in code.

use diesel::prelude::*;
use sammen_domain::directory::DirectoryError;
use sammen_domain::directory::vocabulary::{KnownCodes, Vocabulary};

use crate::audit::{self, AuditContext};
use crate::dialect::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::schema::{districts, housing_areas, vocabulary_terms};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = vocabulary_terms)]
pub struct Term {
    pub vocabulary: Vocabulary,
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

impl Taxonomy {
    /// The codes it holds, to check content and filters against.
    pub fn known_codes(&self) -> KnownCodes {
        let mut known = KnownCodes::default();
        for term in &self.terms {
            known.add_term(term.vocabulary, term.code.clone());
        }
        known.districts = self.districts.iter().map(|d| d.code.clone()).collect();
        known.housing_areas = self.housing_areas.iter().map(|h| h.code.clone()).collect();
        known
    }
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

/// The codes the taxonomy holds now, for checking an activity's content or a listing's filters.
pub fn known_codes(conn: &mut DbConn) -> StoreResult<KnownCodes> {
    Ok(load_taxonomy(conn)?.known_codes())
}

/// Adds a district, or replaces its name and centre if the code exists, with its audit event;
/// `true` if it was added. Update-then-insert: no upsert on the MultiConnection enum.
pub fn put_district(conn: &mut DbConn, d: &District, ctx: &AuditContext) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let values = (
            districts::name.eq(&d.name),
            districts::lat.eq(d.lat),
            districts::lon.eq(d.lon),
            districts::sort_order.eq(d.sort_order),
        );
        let added = diesel::update(districts::table.find(&d.code)).set(values).execute(conn)? == 0;
        if added {
            diesel::insert_into(districts::table).values((districts::code.eq(&d.code), values)).execute(conn)?;
        }
        audit::record_change(conn, ctx, "district", "taxonomy.district_put", &d.code, serde_json::json!({}))?;
        Ok(added)
    })
}

/// Adds or replaces a housing area, with its audit event; `true` if it was added. Its district
/// must exist (`DirectoryError::UnknownDistrict`).
pub fn put_housing_area(conn: &mut DbConn, h: &HousingArea, ctx: &AuditContext) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let district = diesel::select(diesel::dsl::exists(districts::table.find(&h.district_code)));
        if !district.get_result::<bool>(conn)? {
            return Err(DirectoryError::UnknownDistrict.into());
        }
        let values = (
            housing_areas::name.eq(&h.name),
            housing_areas::district_code.eq(&h.district_code),
            housing_areas::lat.eq(h.lat),
            housing_areas::lon.eq(h.lon),
            housing_areas::sort_order.eq(h.sort_order),
        );
        let added = diesel::update(housing_areas::table.find(&h.code)).set(values).execute(conn)? == 0;
        if added {
            diesel::insert_into(housing_areas::table)
                .values((housing_areas::code.eq(&h.code), values))
                .execute(conn)?;
        }
        audit::record_change(conn, ctx, "housing_area", "taxonomy.housing_area_put", &h.code, serde_json::json!({}))?;
        Ok(added)
    })
    .map_err(|e| match e {
        // The district was removed between the check and the insert.
        StoreError::InvalidReference(_) => DirectoryError::UnknownDistrict.into(),
        e => e,
    })
}

/// Adds a vocabulary term, or replaces its labels and order, with its audit event; `true` if it
/// was added.
pub fn put_term(conn: &mut DbConn, t: &Term, ctx: &AuditContext) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let values = (
            vocabulary_terms::label_da.eq(&t.label_da),
            vocabulary_terms::label_en.eq(&t.label_en),
            vocabulary_terms::sort_order.eq(t.sort_order),
        );
        let key = vocabulary_terms::table.find((t.vocabulary.as_str(), &t.code));
        let added = diesel::update(key).set(values).execute(conn)? == 0;
        if added {
            diesel::insert_into(vocabulary_terms::table)
                .values((
                    vocabulary_terms::vocabulary.eq(t.vocabulary.as_str()),
                    vocabulary_terms::code.eq(&t.code),
                    values,
                ))
                .execute(conn)?;
        }
        let id = format!("{}/{}", t.vocabulary, t.code);
        audit::record_change(conn, ctx, "vocabulary_term", "taxonomy.term_put", &id, serde_json::json!({}))?;
        Ok(added)
    })
}
