/**
 * The two database roles. The owner owns every table and runs migrations; the
 * runtime role is what the web server logs in as: not superuser, NOBYPASSRLS,
 * owns nothing, so forced row-level security always applies to it.
 * See docs/decisions/002-tenant-isolation-with-rls.md.
 */
export const OWNER_ROLE = 'desk_owner'
export const RUNTIME_ROLE = 'desk_app'

/**
 * What the runtime role may do, as CREATE ROLE options: log in and nothing else (no superuser, no
 * bypassing row-level security, no creating databases or roles, no inheriting the owner's rights).
 */
export const RUNTIME_ROLE_OPTIONS = 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT'
