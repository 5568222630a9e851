//! The schema, kept by hand in portable SQL types only (Text, BigInt, Integer, Bool, Timestamp, Date, Binary),
//! so the same table definitions serve SQLite and PostgreSQL through `DbConn`.
//! Ids are UUID text, instants are UTC `Timestamp`s, enumerations are text with a CHECK.

diesel::table! {
    settings (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    data_versions (name) {
        name -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    idempotency_keys (principal, idem_key) {
        principal -> Text,
        idem_key -> Text,
        method -> Text,
        path -> Text,
        request_hash -> Text,
        response_status -> Nullable<Integer>,
        response_headers -> Nullable<Text>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        disabled -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        email_verified_at -> Nullable<Timestamp>,
        sessions_valid_after -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_roles (user_id, role, scope_id) {
        user_id -> Text,
        role -> Text,
        scope_id -> Text,
        granted_at -> Timestamp,
    }
}

diesel::joinable!(user_roles -> users (user_id));

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        family_id -> Text,
        user_id -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        family_started_at -> Timestamp,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        name -> Text,
        secret_hash -> Text,
        scopes -> Text,
        organisation_id -> Nullable<Text>,
        disabled -> Bool,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        occurred_at -> Timestamp,
        actor -> Text,
        action -> Text,
        target_type -> Text,
        target_id -> Text,
        subject_user_id -> Nullable<Text>,
        purpose -> Nullable<Text>,
        request_id -> Text,
        details -> Text,
    }
}

diesel::table! {
    throttle_buckets (bucket) {
        bucket -> Text,
        window_start -> Timestamp,
        last_failure_at -> Timestamp,
        failures -> Integer,
    }
}

diesel::table! {
    vocabulary_terms (vocabulary, code) {
        vocabulary -> Text,
        code -> Text,
        label_da -> Text,
        label_en -> Text,
        sort_order -> Integer,
    }
}

diesel::table! {
    districts (code) {
        code -> Text,
        name -> Text,
        lat -> Double,
        lon -> Double,
        sort_order -> Integer,
    }
}

diesel::table! {
    housing_areas (code) {
        code -> Text,
        name -> Text,
        district_code -> Text,
        lat -> Double,
        lon -> Double,
        sort_order -> Integer,
    }
}

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        description -> Text,
        website -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        contact_public -> Bool,
        cvr -> Nullable<Text>,
        parent_id -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    activities (id) {
        id -> Text,
        organisation_id -> Text,
        external_id -> Nullable<Text>,
        status -> Text,
        rejection_reason -> Nullable<Text>,
        name -> Text,
        summary -> Text,
        description -> Text,
        mode -> Text,
        cost_ore -> BigInt,
        registration_required -> Bool,
        registration_how -> Nullable<Text>,
        capacity -> Nullable<Integer>,
        seeks_volunteers -> Bool,
        address -> Nullable<Text>,
        postcode -> Nullable<Text>,
        district_code -> Nullable<Text>,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        schedule -> Text,
        pending_content -> Nullable<Text>,
        pending_since -> Nullable<Timestamp>,
        assured_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        start_minute -> Integer,
        is_full -> Bool,
        next_occurrence_at -> Nullable<Timestamp>,
        occurrences_until -> Nullable<Timestamp>,
        easting -> Nullable<Double>,
        northing -> Nullable<Double>,
        occurrence_weekdays -> Integer,
    }
}

diesel::table! {
    activity_occurrences (activity_id, starts_at) {
        activity_id -> Text,
        starts_at -> Timestamp,
        weekday -> Integer,
    }
}

diesel::table! {
    activity_reports (id) {
        id -> Text,
        activity_id -> Text,
        message -> Text,
        reporter_email -> Nullable<Text>,
        status -> Text,
        resolution_note -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    activity_terms (activity_id, vocabulary, code) {
        activity_id -> Text,
        vocabulary -> Text,
        code -> Text,
    }
}

diesel::table! {
    activity_languages (activity_id, language) {
        activity_id -> Text,
        language -> Text,
    }
}

diesel::table! {
    activity_housing_areas (activity_id, housing_area_code) {
        activity_id -> Text,
        housing_area_code -> Text,
    }
}

diesel::joinable!(activities -> organisations (organisation_id));
diesel::joinable!(activity_terms -> activities (activity_id));
diesel::joinable!(activity_languages -> activities (activity_id));
diesel::joinable!(activity_housing_areas -> activities (activity_id));
diesel::joinable!(activity_occurrences -> activities (activity_id));
diesel::joinable!(activity_reports -> activities (activity_id));
diesel::joinable!(housing_areas -> districts (district_code));
diesel::table! {
    outbox_events (id) {
        id -> Text,
        occurred_at -> Timestamp,
        event_type -> Text,
        resource_type -> Text,
        resource_id -> Text,
        payload -> Text,
    }
}

diesel::table! {
    outbox_deliveries (id) {
        id -> Text,
        event_id -> Text,
        channel -> Text,
        recipient -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    account_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        api_client_id -> Text,
        organisation_id -> Nullable<Text>,
        url -> Text,
        secret -> Text,
        event_types -> Text,
        active -> Bool,
        failing_since -> Nullable<Timestamp>,
        disabled_reason -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(webhook_subscriptions -> api_clients (api_client_id));
diesel::joinable!(outbox_deliveries -> outbox_events (event_id));
diesel::joinable!(account_tokens -> users (user_id));
diesel::table! {
    grant_pools (id) {
        id -> Text,
        title -> Text,
        purpose -> Text,
        legal_basis -> Text,
        funder_name -> Text,
        funder_identifier -> Text,
        budget_ore -> BigInt,
        committed_ore -> BigInt,
        disbursed_ore -> BigInt,
        status -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    grant_rounds (id) {
        id -> Text,
        pool_id -> Text,
        title -> Text,
        description -> Text,
        kind -> Text,
        track -> Text,
        opens_at -> Timestamp,
        closes_at -> Nullable<Timestamp>,
        min_amount_ore -> BigInt,
        max_amount_ore -> BigInt,
        decision_expected_on -> Date,
        reviews_required -> Integer,
        criteria_version -> Integer,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    grant_round_criteria (round_id, criteria_version) {
        round_id -> Text,
        criteria_version -> Integer,
        criteria -> Text,
        eligibility -> Text,
        notice -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    grant_applications (id) {
        id -> Text,
        round_id -> Text,
        pool_id -> Text,
        organisation_id -> Text,
        title -> Text,
        summary -> Text,
        description -> Text,
        amount_requested_ore -> BigInt,
        planned_start -> Nullable<Date>,
        planned_end -> Nullable<Date>,
        size_band -> Nullable<Text>,
        target_groups -> Text,
        answers -> Text,
        declarations -> Text,
        status -> Text,
        revision -> Integer,
        submitted_at -> Nullable<Timestamp>,
        waitlisted_at -> Nullable<Timestamp>,
        screening -> Nullable<Text>,
        outcome -> Nullable<Text>,
        awarded_ore -> Nullable<BigInt>,
        decision -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    grant_application_revisions (application_id, revision) {
        application_id -> Text,
        revision -> Integer,
        content -> Text,
        content_sha256 -> Text,
        criteria_version -> Integer,
        submitted_by -> Text,
        submitted_at -> Timestamp,
    }
}

diesel::table! {
    grant_attachments (id) {
        id -> Text,
        application_id -> Text,
        kind -> Text,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        content_sha256 -> Text,
        content -> Binary,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    grant_application_events (id) {
        id -> Text,
        application_id -> Text,
        transition -> Text,
        from_status -> Text,
        to_status -> Text,
        note -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    grant_reviews (id) {
        id -> Text,
        application_id -> Text,
        reviewer_id -> Text,
        assigned_by -> Text,
        coi_status -> Text,
        coi_note -> Nullable<Text>,
        coi_declared_at -> Nullable<Timestamp>,
        scores -> Text,
        submitted_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    grant_tranches (id) {
        id -> Text,
        application_id -> Text,
        position -> Integer,
        amount_ore -> BigInt,
        condition -> Text,
        status -> Text,
        payment_reference -> Nullable<Text>,
        paid_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    grant_reports (id) {
        id -> Text,
        application_id -> Text,
        kind -> Text,
        spent_ore -> BigInt,
        text -> Text,
        status -> Text,
        staff_note -> Nullable<Text>,
        submitted_at -> Timestamp,
        reviewed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    grant_ledger (id) {
        id -> Text,
        pool_id -> Text,
        application_id -> Text,
        kind -> Text,
        amount_ore -> BigInt,
        actor -> Text,
        at -> Timestamp,
    }
}

diesel::joinable!(grant_rounds -> grant_pools (pool_id));
diesel::joinable!(grant_round_criteria -> grant_rounds (round_id));
diesel::joinable!(grant_applications -> grant_rounds (round_id));
diesel::joinable!(grant_applications -> organisations (organisation_id));
diesel::joinable!(grant_reviews -> grant_applications (application_id));
diesel::joinable!(grant_tranches -> grant_applications (application_id));
diesel::allow_tables_to_appear_in_same_query!(
    settings,
    data_versions,
    idempotency_keys,
    users,
    user_roles,
    refresh_tokens,
    api_clients,
    audit_events,
    throttle_buckets,
    vocabulary_terms,
    districts,
    housing_areas,
    organisations,
    activities,
    activity_terms,
    activity_languages,
    activity_housing_areas,
    activity_occurrences,
    activity_reports,
    outbox_events,
    outbox_deliveries,
    account_tokens,
    webhook_subscriptions,
    grant_pools,
    grant_rounds,
    grant_round_criteria,
    grant_applications,
    grant_application_revisions,
    grant_attachments,
    grant_application_events,
    grant_reviews,
    grant_tranches,
    grant_reports,
    grant_ledger,
);
