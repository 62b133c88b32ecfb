-- The runtime role reads and writes rows; it never owns or alters anything.
GRANT USAGE ON SCHEMA public TO desk_app;
--> statement-breakpoint
GRANT SELECT ON tenants TO desk_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES FOR ROLE desk_owner IN SCHEMA public GRANT USAGE ON SEQUENCES TO desk_app;
