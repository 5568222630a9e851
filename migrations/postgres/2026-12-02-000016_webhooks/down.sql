DROP INDEX outbox_deliveries_recipient;
DROP TABLE webhook_subscriptions;
