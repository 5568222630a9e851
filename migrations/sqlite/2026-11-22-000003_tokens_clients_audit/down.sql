DROP TABLE throttle_buckets;
DROP TABLE audit_events;
DROP TABLE api_clients;
DROP TABLE refresh_tokens;
