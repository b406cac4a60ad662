DROP INDEX `security_events_actor`;--> statement-breakpoint
DROP INDEX `security_events_type`;--> statement-breakpoint
DROP INDEX `security_events_created`;--> statement-breakpoint
CREATE INDEX `security_events_staff_created` ON `security_events` (`created_at`) WHERE type like 'staff%';--> statement-breakpoint
CREATE INDEX `security_events_staff_actor` ON `security_events` (`actor_id`,`created_at`) WHERE type like 'staff%';--> statement-breakpoint
CREATE INDEX `security_events_staff_target` ON `security_events` (`user_id`,`created_at`) WHERE type like 'staff%';--> statement-breakpoint
CREATE INDEX `security_events_staff_type` ON `security_events` (`type`,`created_at`) WHERE type like 'staff%';