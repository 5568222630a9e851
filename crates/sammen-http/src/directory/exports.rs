//! `GET /exports/hsds`: the published directory as Open Referral HSDS 3.0 JSON.
//!
//! The body is streamed: organisations and then published activities are read in pages of
//! `PAGE_SIZE` by id and written out as they come, so a directory of 100,000 activities is never
//! held in memory at once. The mapping is `sammen_domain::directory::hsds`.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::web::Bytes;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use sammen_domain::directory::hsds::{self, ActivityRecord, Labels, OrganisationRecord, TermLabel, Window};
use sammen_domain::directory::schedule::{TIME_ZONE, TIME_ZONE_NAME};
use sammen_domain::ids::{ActivityId, OrganisationId};
use sammen_store::directory::{self as store, Organisation, Taxonomy};
use sammen_store::{DbConn, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::ApiError;
use crate::state::AppState;

/// Rows read per query: organisations, then activities (each page of activities takes five
/// queries: the rows, their terms, languages and housing areas, and their organisations).
pub const PAGE_SIZE: i64 = 500;

/// The export document (described for the contract; the body is written piece by piece).
#[derive(Debug, Serialize, ToSchema)]
pub struct HsdsExport {
    #[schema(example = "3.0")]
    pub hsds_version: &'static str,
    pub generated_at: DateTime<Utc>,
    /// The zone of Sammen's schedules; HSDS rows carry the UTC offset of each stretch.
    #[schema(example = "Europe/Copenhagen")]
    pub time_zone: &'static str,
    /// The first date the schedules cover (the start of the current daylight-saving period).
    pub schedules_from: NaiveDate,
    /// The last date the schedules cover (400 days ahead): fetch the export again before then.
    pub schedules_to: NaiveDate,
    /// Every organisation, as HSDS 3.0 `organization` objects (Open Referral's
    /// `schema/compiled/organization.json`), in id order.
    #[schema(value_type = Vec<Object>)]
    pub organizations: Vec<serde_json::Value>,
    /// Every published activity, as HSDS 3.0 `service` objects (`schema/compiled/service.json`)
    /// with their schedules, location, languages, cost, service areas and taxonomy attributes
    /// nested, in id order.
    #[schema(value_type = Vec<Object>)]
    pub services: Vec<serde_json::Value>,
}

/// Where the export has got to.
enum Part {
    Head,
    Organisations { after: Option<OrganisationId>, first: bool },
    Services { after: Option<ActivityId>, first: bool },
    Tail,
    Done,
}

/// What every page needs: the labels of the codes and the dates schedules cover.
struct Export {
    labels: Labels,
    window: Window,
    generated_at: DateTime<Utc>,
}

fn labels(taxonomy: Taxonomy) -> Labels {
    let mut labels = Labels::default();
    for term in taxonomy.terms {
        labels
            .terms
            .entry(term.vocabulary)
            .or_default()
            .insert(term.code, TermLabel { da: term.label_da, en: term.label_en });
    }
    labels.districts = taxonomy.districts.into_iter().map(|d| (d.code, d.name)).collect();
    labels.housing_areas = taxonomy.housing_areas.into_iter().map(|h| (h.code, h.name)).collect();
    labels
}

fn record(o: &Organisation) -> OrganisationRecord<'_> {
    OrganisationRecord {
        id: o.id.as_str(),
        name: &o.name,
        kind: o.kind,
        description: &o.description,
        website: o.website.as_deref(),
        contact_email: o.contact_email.as_deref(),
        contact_phone: o.contact_phone.as_deref(),
        contact_public: o.contact_public,
        cvr: o.cvr.as_deref(),
        parent_id: o.parent_id.as_ref().map(OrganisationId::as_str),
    }
}

/// Appends the items of a page to a JSON array in progress, one per line. `first` says whether
/// nothing is in the array yet.
fn write_items<T: Serialize>(out: &mut Vec<u8>, first: bool, items: &[T]) -> Result<(), StoreError> {
    for (i, item) in items.iter().enumerate() {
        if !(first && i == 0) {
            out.push(b',');
        }
        out.push(b'\n');
        serde_json::to_writer(&mut *out, item)?;
    }
    Ok(())
}

/// A page of organisations as JSON, and the id of its last.
fn organisations_page(
    conn: &mut DbConn,
    after: Option<&OrganisationId>,
    first: bool,
) -> Result<(Vec<u8>, Option<OrganisationId>), StoreError> {
    let page = store::organisations_after(conn, after, PAGE_SIZE)?;
    let items: Vec<hsds::Organization> = page.iter().map(|o| hsds::organization(&record(o))).collect();
    let mut out = Vec::new();
    write_items(&mut out, first, &items)?;
    let more = page.len() as i64 == PAGE_SIZE;
    Ok((out, page.last().filter(|_| more).map(|o| o.id.clone())))
}

/// A page of published activities as JSON, and the id of its last.
fn services_page(
    conn: &mut DbConn,
    export: &Export,
    after: Option<&ActivityId>,
    first: bool,
) -> Result<(Vec<u8>, Option<ActivityId>), StoreError> {
    let page = store::published_after(conn, after, PAGE_SIZE)?;
    let mut ids: Vec<&OrganisationId> = page.iter().map(|a| &a.organisation_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let organisations = store::organisations_by_ids(conn, &ids)?;
    let providers: HashMap<&str, OrganisationRecord<'_>> =
        organisations.iter().map(|o| (o.id.as_str(), record(o))).collect();
    let items: Vec<hsds::Service> = page
        .iter()
        .map(|a| {
            let activity = ActivityRecord {
                id: a.id.as_str(),
                organisation_id: a.organisation_id.as_str(),
                content: &a.content,
                assured_at: a.assured_at.and_utc(),
                updated_at: a.updated_at.and_utc(),
                provider: providers.get(a.organisation_id.as_str()),
            };
            hsds::service(&activity, &export.labels, &export.window)
        })
        .collect();
    let mut out = Vec::new();
    write_items(&mut out, first, &items)?;
    let more = page.len() as i64 == PAGE_SIZE;
    Ok((out, page.last().filter(|_| more).map(|a| a.id.clone())))
}

/// The opening of the document, up to the start of the `organizations` array.
fn head(export: &Export) -> Vec<u8> {
    let head = serde_json::json!({
        "hsds_version": hsds::HSDS_VERSION,
        "generated_at": hsds::timestamp(export.generated_at),
        "time_zone": TIME_ZONE_NAME,
        "schedules_from": export.window.from,
        "schedules_to": export.window.to,
    });
    // The object without its closing brace, then the first array opens.
    let mut text = head.to_string();
    text.pop();
    text.push_str(",\"organizations\":[");
    text.into_bytes()
}

/// Writes the part the export has got to, and says what follows.
async fn next(state: &AppState, export: &Arc<Export>, part: Part) -> Result<Option<(Bytes, Part)>, ApiError> {
    Ok(Some(match part {
        Part::Head => (Bytes::from(head(export)), Part::Organisations { after: None, first: true }),
        Part::Organisations { after, first } => {
            let (mut json, last) = state.db(move |conn| organisations_page(conn, after.as_ref(), first)).await?;
            match last {
                // A page with a next one is full, so the array is no longer empty.
                Some(after) => (Bytes::from(json), Part::Organisations { after: Some(after), first: false }),
                None => {
                    json.extend_from_slice(b"\n],\"services\":[");
                    (Bytes::from(json), Part::Services { after: None, first: true })
                }
            }
        }
        Part::Services { after, first } => {
            let export = export.clone();
            let (json, last) = state.db(move |conn| services_page(conn, &export, after.as_ref(), first)).await?;
            match last {
                Some(after) => (Bytes::from(json), Part::Services { after: Some(after), first: false }),
                None => (Bytes::from(json), Part::Tail),
            }
        }
        Part::Tail => (Bytes::from_static(b"\n]}\n"), Part::Done),
        Part::Done => return Ok(None),
    }))
}

/// The published directory as Open Referral HSDS 3.0.
///
/// Open data, for anyone: every organisation (as HSDS `organization` objects) and every
/// published activity (as HSDS `service` objects, each with its `schedules`,
/// `service_at_locations`, `languages`, `cost_options`, `service_areas` and taxonomy `attributes`
/// nested), each validating against the HSDS 3.0 JSON schemas. Drafts, submitted, rejected and
/// withdrawn activities are never in it, and an organisation's e-mail and phone only when it
/// publishes them. Schedules are given per stretch of the same UTC offset from `schedules_from`
/// to `schedules_to`. See docs/hsds.md for the field mapping.
///
/// The body is streamed as it is read, page by page, and is not one snapshot: an activity
/// published or withdrawn during the download may or may not be in it. Should the database fail
/// part-way, the connection is closed before the end of the body, so a client sees an incomplete
/// transfer (or no answer, if nothing had gone out yet), never a shorter directory that looks
/// whole.
#[utoipa::path(
    tag = "directory",
    responses((status = 200, description = "The directory in HSDS 3.0 (streamed)", content_type = "application/json", body = HsdsExport)),
    security(())
)]
#[get("/exports/hsds")]
pub async fn hsds_export(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // Read before answering, so an unavailable database is still a 503 rather than a cut-off 200.
    let taxonomy = state.db(store::load_taxonomy).await?;
    let generated_at = Utc::now();
    let export = Arc::new(Export {
        labels: labels(taxonomy),
        window: Window::at(generated_at.with_timezone(&TIME_ZONE).date_naive()),
        generated_at,
    });
    let state = state.into_inner();
    let body = futures_util::stream::unfold(Part::Head, move |part| {
        let (state, export) = (state.clone(), export.clone());
        async move {
            match next(&state, &export, part).await {
                Ok(Some((bytes, next))) => Some((Ok(bytes), next)),
                Ok(None) => None,
                Err(e) => {
                    // Too late for a problem response: end the body early instead.
                    log::error!("the HSDS export was cut off: {e:?}");
                    Some((Err(e), Part::Done))
                }
            }
        }
    });
    Ok(HttpResponse::Ok().content_type("application/json").streaming(body))
}
