-- Webhook subscriptions: an API client asks for events of some types, delivered by the outbox
-- to its URL and signed as the Standard Webhooks specification says.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    api_client_id TEXT NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    -- Only events about this organisation (a representative's subscription); NULL: all (an admin's).
    organisation_id TEXT REFERENCES organisations (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    -- The signing secret, 'whsec_' and base64: kept as it is, since signing needs it; shown to
    -- the subscriber when the subscription is made.
    secret TEXT NOT NULL,
    -- Space-separated event types, e.g. 'listing.published listing.withdrawn'.
    event_types TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    -- Since when every attempt has failed (NULL after a success); disabled after 72 hours.
    failing_since TIMESTAMP,
    disabled_reason TEXT,
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_subscriptions_client ON webhook_subscriptions (api_client_id);
CREATE INDEX webhook_subscriptions_active ON webhook_subscriptions (active);
-- A webhook subscription's delivery log.
CREATE INDEX outbox_deliveries_recipient ON outbox_deliveries (recipient, id);
