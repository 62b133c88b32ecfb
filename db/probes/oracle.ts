import type { World } from './fixtures'

/**
 * The expected visibility: an independent, plain-TypeScript statement of who
 * may see and change which row (docs/decisions/002-tenant-isolation-with-rls.md).
 * The probes compare what PostgreSQL actually returns with this.
 *
 * Tables the oracle does not know (added later) fall back to the strictest
 * rule: only enabled staff of the row's own city, in that city's context.
 * A new table that deliberately shows rows to proposers or the public must be
 * declared here, or the probes report those rows as leaks.
 */
export type Row = Record<string, unknown>

export type ProbeContext = {
  name: string
  /** 'unset': a connection on which no setting was ever made. Otherwise the raw values ('' = empty). */
  settings: 'unset' | { tenantId: string; userId: string; actor: string }
}

export const ACTORS = ['staff', 'proposer', 'public', 'operator', 'system'] as const

export type Effective = { tenant: string | null; user: string | null; actor: string | null }

export function effective(ctx: ProbeContext): Effective {
  if (ctx.settings === 'unset') return { tenant: null, user: null, actor: null }
  const { tenantId, userId, actor } = ctx.settings
  return {
    tenant: tenantId || null,
    user: userId || null,
    actor: (ACTORS as readonly string[]).includes(actor) ? actor : null,
  }
}

export type Snapshot = Map<string, { key: string; row: Row }[]>

const DESK = new Set(['desk_admin', 'desk_staff'])

export class Oracle {
  constructor(
    private world: World,
    private snapshot: Snapshot,
  ) {}

  private rows(table: string): Row[] {
    return (this.snapshot.get(table) ?? []).map((r) => r.row)
  }

  staffMembership(e: Effective) {
    if (e.actor !== 'staff' || !e.tenant || !e.user || this.world.disabledUsers.has(e.user)) return undefined
    return this.world.staff.get(e.tenant)?.find((m) => m.userId === e.user)
  }

  myOrganisations(e: Effective, ownerOnly = false): Set<string> {
    const result = new Set<string>()
    if (e.actor !== 'proposer' || !e.user || this.world.disabledUsers.has(e.user)) return result
    for (const [org, members] of this.world.orgMembers) {
      if (members.some((m) => m.userId === e.user && (!ownerOnly || m.role === 'owner'))) result.add(org)
    }
    return result
  }

  isOperator(e: Effective): boolean {
    return e.actor === 'operator' && e.user === this.world.operatorId
  }

  proposalVisible(e: Effective, proposal: Row | undefined): boolean {
    if (!proposal) return false
    if (e.actor === 'staff') {
      const m = this.staffMembership(e)
      // Drafts stay with the proposer unless shared with the city (e.g. a pre-consultation request).
      const withCity = proposal.submitted_at != null || proposal.shared_with_city_at != null
      if (!m || proposal.tenant_id !== e.tenant || !withCity) return false
      if (DESK.has(m.role)) return true
      if (m.role !== 'department_staff' || !m.departmentId) return false
      return this.rows('proposal_departments').some(
        (pd) => pd.tenant_id === proposal.tenant_id && pd.proposal_id === proposal.id && pd.department_id === m.departmentId,
      )
    }
    if (e.actor === 'proposer') {
      return (
        this.myOrganisations(e).has(proposal.organisation_id as string) && (e.tenant === null || proposal.tenant_id === e.tenant)
      )
    }
    return false
  }

  private parent(row: Row): Row | undefined {
    return this.rows('proposals').find((p) => p.tenant_id === row.tenant_id && p.id === row.proposal_id)
  }

  /** May the context SELECT this row? */
  canSelect(table: string, row: Row, e: Effective): boolean {
    const staff = this.staffMembership(e)
    const sameTenant = row.tenant_id !== undefined && row.tenant_id === e.tenant
    switch (table) {
      // --- tenant tables
      case 'departments':
        return sameTenant && ['staff', 'proposer', 'public'].includes(e.actor ?? '')
      case 'city_memberships':
        return (
          (!!staff && sameTenant) ||
          (['staff', 'proposer'].includes(e.actor ?? '') && row.user_id === e.user && (e.tenant === null || sameTenant))
        )
      case 'invitations':
        return staff?.role === 'desk_admin' && sameTenant
      case 'themes':
        return (
          (!!staff && sameTenant) ||
          (['public', 'proposer'].includes(e.actor ?? '') && sameTenant && row.status === 'open') ||
          (e.actor === 'proposer' &&
            this.rows('proposals').some(
              (p) => p.tenant_id === row.tenant_id && p.theme_id === row.id && this.proposalVisible(e, p),
            ))
        )
      case 'proposals':
        return this.proposalVisible(e, row)
      case 'proposal_departments':
      case 'eligibility_screenings':
        return e.actor === 'staff' && this.proposalVisible(e, this.parent(row))
      case 'proposal_events':
        return (e.actor === 'staff' || (e.actor === 'proposer' && row.visible_to_proposer === true)) && this.proposalVisible(e, this.parent(row))
      case 'messages':
        return this.proposalVisible(e, this.parent(row))
      case 'internal_notes':
        return e.actor === 'staff' && sameTenant && this.proposalVisible(e, this.parent(row))
      // Know-how marks follow their internal note (and so its proposal): city staff only.
      case 'know_how_entries':
        return e.actor === 'staff' && sameTenant && !!staff && this.proposalVisible(e, this.parent(row))
      case 'message_reads':
        return row.user_id === e.user && this.proposalVisible(e, this.parent(row))
      case 'attachments':
        return (e.actor === 'staff' || row.visibility === 'shared') && this.proposalVisible(e, this.parent(row))
      case 'agreements':
      case 'implementation_milestones':
      case 'implementation_notes':
      case 'experiments':
      case 'experiment_checklist':
      case 'experiment_permits':
      case 'disclosure_requests':
      case 'disclosure_documents':
        return ['staff', 'proposer'].includes(e.actor ?? '') && this.proposalVisible(e, this.parent(row))
      // Who asked for disclosure, and the city's deliberation: the city's staff only.
      case 'disclosure_request_internals':
        return e.actor === 'staff' && sameTenant && !!staff && this.proposalVisible(e, this.parent(row))
      case 'published_cases':
        return (
          sameTenant &&
          ((!!staff && DESK.has(staff.role)) || (['public', 'proposer'].includes(e.actor ?? '') && this.isPublished(row)))
        )
      case 'case_images': {
        const parentCase = this.rows('published_cases').find((c) => c.tenant_id === row.tenant_id && c.id === row.case_id)
        return sameTenant && ['staff', 'public', 'proposer'].includes(e.actor ?? '') && !!parentCase && this.canSelect('published_cases', parentCase, e)
      }
      case 'audit_log':
        return !!staff && DESK.has(staff.role) && sameTenant
      case 'notification_outbox':
        return e.actor === 'system' && sameTenant
      // The city's reference numbers (migration 0035): its staff, and a proposer with a proposal there.
      case 'proposal_reference_counters':
        return sameTenant && (!!staff || this.proposerInCity(e))
      // File contents (migration 0030): the storage module's alone, as the system actor of the file's city.
      case 'stored_file_chunks':
        return e.actor === 'system' && sameTenant
      // --- platform tables
      case 'tenants':
        return e.actor !== null && (row.status === 'live' || this.isOperator(e) || (row.id === e.tenant && !!staff))
      // Other people and organisations are read through app_people / app_organisations (migration 0034):
      // peopleVisible and organisationsVisible below.
      case 'users':
        return e.actor !== null && row.id === e.user
      case 'sessions':
        return (
          (e.actor !== null && row.user_id === e.user) ||
          (e.actor === 'system' && new Date(row.expires_at as string) < new Date())
        )
      case 'organisations':
        return this.myOrganisations(e).has(row.id as string)
      case 'organisation_members':
        return this.myOrganisations(e).has(row.organisation_id as string)
      case 'organisation_invitations':
        return this.myOrganisations(e, true).has(row.organisation_id as string)
      case 'throttle_counters':
      case 'mail_outbox':
        return e.actor === 'system'
      case 'platform_audit_log':
        return this.isOperator(e)
      case 'password_reset_tokens':
      case 'seed_runs':
        return false
      // A saved search: the member who saved it, while in its organisation (never another member, never
      // another organisation), and the system actor that matches and mails.
      case 'saved_searches':
        return this.ownSavedSearch(row, e) || e.actor === 'system'
      case 'saved_search_matches':
        return e.actor === 'system'
      default:
        // Unknown tables: strictest rule.
        return row.tenant_id !== undefined && !!staff && sameTenant
    }
  }

  /** A proposer whose organisations have a proposal in the context's city (the `proposer_in_city` flag). */
  private proposerInCity(e: Effective): boolean {
    const mine = this.myOrganisations(e)
    return this.rows('proposals').some((p) => p.tenant_id === e.tenant && mine.has(p.organisation_id as string))
  }

  private ownSavedSearch(row: Row, e: Effective): boolean {
    return e.actor === 'proposer' && row.user_id === e.user && this.myOrganisations(e).has(row.organisation_id as string)
  }

  /** A case the public sees: published, and its publication time has come. */
  private isPublished(row: Row): boolean {
    return row.status === 'published' && row.published_at != null && new Date(row.published_at as string) <= new Date()
  }

  /** The people `app_people` shows the context: themself, and those below. */
  peopleVisible(e: Effective): Set<string> {
    if (e.actor === null) return new Set()
    const result = this.usersVisible(e)
    if (e.user) result.add(e.user)
    return result
  }

  /** The organisations `app_organisations` shows: one's own, and for staff those with a proposal they see. */
  organisationsVisible(e: Effective): Set<string> {
    const result = this.myOrganisations(e)
    if (this.staffMembership(e))
      for (const p of this.rows('proposals')) if (this.proposalVisible(e, p)) result.add(p.organisation_id as string)
    return result
  }

  private usersVisible(e: Effective): Set<string> {
    const result = new Set<string>()
    for (const org of this.myOrganisations(e)) for (const m of this.world.orgMembers.get(org) ?? []) result.add(m.userId)
    if (e.actor === 'staff' || e.actor === 'proposer') {
      for (const m of this.rows('messages')) if (this.canSelect('messages', m, e)) result.add(m.author_user_id as string)
    }
    if (this.staffMembership(e)) {
      for (const m of this.world.staff.get(e.tenant!) ?? []) result.add(m.userId)
      for (const p of this.rows('proposals')) if (this.proposalVisible(e, p)) result.add(p.submitter_user_id as string)
    }
    return result
  }

  /** May the context UPDATE or DELETE this existing row? (Over-approximates nothing: false means must not.) */
  canWrite(table: string, row: Row, e: Effective, op: 'update' | 'delete'): boolean {
    const staff = this.staffMembership(e)
    const sameTenant = row.tenant_id === e.tenant
    const visible = this.canSelect(table, row, e)
    switch (table) {
      case 'departments':
      case 'proposal_events':
      case 'messages':
      case 'internal_notes':
      case 'audit_log':
      case 'tenants':
      case 'password_reset_tokens':
      case 'platform_audit_log':
      case 'seed_runs':
        return false
      case 'implementation_notes':
      case 'experiment_permits':
        return false
      // A proposer takes a file they handed in out of a draft (the operation checks the proposal is a draft).
      case 'attachments':
        return (
          op === 'delete' && visible && sameTenant && e.actor === 'proposer' && row.uploaded_by === e.user &&
          row.message_id == null && row.visibility === 'shared'
        )
      case 'experiments':
        return op === 'update' && visible && sameTenant
      case 'experiment_checklist':
        return op === 'update' && visible && sameTenant && (!!staff || (e.actor === 'proposer' && row.lane === 'proposer'))
      case 'disclosure_requests':
      case 'disclosure_documents':
        return op === 'update' && visible && sameTenant && (e.actor === 'proposer' || (!!staff && DESK.has(staff.role)))
      case 'disclosure_request_internals':
        return op === 'update' && visible && sameTenant && !!staff && DESK.has(staff.role)
      case 'agreements':
      case 'published_cases':
        return op === 'update' && visible && sameTenant && !!staff && DESK.has(staff.role)
      case 'implementation_milestones':
        return op === 'update' && visible && sameTenant && !!staff
      case 'case_images':
        return op === 'delete' && sameTenant && !!staff && DESK.has(staff.role)
      case 'city_memberships':
      case 'invitations':
        return visible && sameTenant && staff?.role === 'desk_admin'
      case 'themes':
      case 'proposal_departments':
        return visible && sameTenant && !!staff && DESK.has(staff.role)
      case 'proposals':
        if (!visible || !sameTenant) return false
        if (op === 'update') return true
        return e.actor === 'proposer' && row.submitted_at == null
      case 'message_reads':
        return op === 'update' && visible && sameTenant
      case 'eligibility_screenings':
        return op === 'update' && visible && sameTenant && !!staff && DESK.has(staff.role)
      case 'notification_outbox':
        return op === 'update' && visible
      case 'proposal_reference_counters':
        return op === 'update' && visible
      // Written once, never updated; deleted by the store (a removed file, the sweep).
      case 'stored_file_chunks':
        return op === 'delete' && visible
      case 'users':
        return op === 'update' && e.actor !== null && row.id === e.user
      case 'sessions':
        return (
          (e.actor !== null && row.user_id === e.user) ||
          (op === 'delete' && e.actor === 'system' && new Date(row.expires_at as string) < new Date())
        )
      case 'organisations':
        return op === 'update' && this.myOrganisations(e, true).has(row.id as string)
      case 'organisation_members':
        return (
          this.myOrganisations(e, true).has(row.organisation_id as string) ||
          (op === 'delete' && e.actor === 'proposer' && row.user_id === e.user)
        )
      case 'organisation_invitations':
        return this.myOrganisations(e, true).has(row.organisation_id as string)
      case 'throttle_counters':
        return e.actor === 'system'
      case 'mail_outbox':
        return op === 'update' && e.actor === 'system'
      // The member changes how often or deletes; the unsubscribe link (system) deletes.
      case 'saved_searches':
        return this.ownSavedSearch(row, e) || (op === 'delete' && e.actor === 'system')
      case 'saved_search_matches':
        return e.actor === 'system'
      default:
        return visible && (row.tenant_id === undefined || sameTenant)
    }
  }

  /** May the context INSERT this new platform row? (Tenant-table inserts are probed across cities instead.) */
  canInsertPlatform(table: string, row: Row, e: Effective): boolean {
    switch (table) {
      case 'users':
        return (
          ['public', 'proposer', 'staff'].includes(e.actor ?? '') &&
          row.id === e.user &&
          row.platform_role == null &&
          row.disabled_at == null
        )
      case 'sessions':
        return e.actor !== null && row.user_id === e.user
      // Sign-up creates the organisation and its first owner with create_account_with_organisation (0034).
      case 'organisation_members':
        return this.myOrganisations(e, true).has(row.organisation_id as string)
      // Any owner of the organisation, naming themself as the inviter.
      case 'organisation_invitations':
        return this.myOrganisations(e, true).has(row.organisation_id as string) && row.invited_by === e.user
      case 'password_reset_tokens':
      case 'throttle_counters':
        return e.actor === 'system'
      case 'mail_outbox':
        return e.actor !== null
      case 'saved_searches':
        return this.ownSavedSearch(row, e)
      case 'saved_search_matches':
        return e.actor === 'system'
      case 'platform_audit_log':
        return e.actor !== null && (row.actor_user_id === e.user || (e.actor === 'system' && row.actor_user_id == null))
      default:
        return false
    }
  }
}
