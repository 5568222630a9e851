DROP TABLE throttle_buckets;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE api_clients;
DROP TABLE refresh_tokens;
