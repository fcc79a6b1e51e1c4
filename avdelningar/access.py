"""What a user may see and change, from their current assignments. The one place that says so.

Every view asks this module. The rules:

- Project leader: sees and changes everything.
- Steering group, national board, the working-life unit: see everything, change nothing,
  except that the working-life unit logs national activities and activities for departments
  outside the pilot (the activities section below), and enters the key figures of
  departments outside the pilot (the key-figures section).
- Regional coordinator: sees and changes their NUTS area(s) and its departments.
- Department roles: see their department. Chair, board members and the labour-market
  officer change it (commitments, follow-ups); change leaders, committee members and the
  trade-union-political officer may log activities but not change commitments.
- Superusers are admins: they manage data in Django admin and see everything in the app,
  but act in the app only through assignments of their own.

A foreign id answers 404 (we do not confirm that it exists); something visible but not
changeable answers 403.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from .models import Avdelning, Deltagande, NutsOmrade, Projektbeslut, Roll, Uppdrag, today

BOARD_ROLES = {Roll.ORDFORANDE, Roll.STYRELSELEDAMOT, Roll.ARBETSMARKNADSANSVARIG}
NATIONAL_READERS = {Roll.STYRGRUPP, Roll.FORBUNDSSTYRELSE, Roll.ARBETSLIVSENHETEN}


@dataclass
class Scope:
    roles: set = field(default_factory=set)
    is_project_leader: bool = False
    reads_all: bool = False
    # Areas where the user is coordinator.
    coordinated_nuts_ids: frozenset = frozenset()
    # Departments the user belongs to, and those of them the user may change.
    avdelning_ids: frozenset = frozenset()
    board_avdelning_ids: frozenset = frozenset()
    # The area of each of the user's own departments, for "read my area's shared goals".
    own_nuts_ids: frozenset = frozenset()
    # The user's departments whose area takes part in the project this year.
    pilot_avdelning_ids: frozenset = frozenset()
    # The user the scope is of (None when anonymous), for rules about "not yourself".
    user_id: int | None = None
    # {year: ids of the areas in the pilot that year}, read once per request and year.
    _pilot_nuts: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_coordinator(self):
        return bool(self.coordinated_nuts_ids)

    @property
    def is_steering_group(self):
        return Roll.STYRGRUPP in self.roles

    @property
    def is_national_board(self):
        return Roll.FORBUNDSSTYRELSE in self.roles

    @property
    def has_any_role(self):
        return bool(self.roles) or self.reads_all

    # --- areas ---------------------------------------------------------------------

    def can_see_nuts(self, nuts_id):
        return (
            self.reads_all or nuts_id in self.coordinated_nuts_ids or nuts_id in self.own_nuts_ids
        )

    def can_edit_nuts(self, nuts_id):
        return self.is_project_leader or nuts_id in self.coordinated_nuts_ids

    # --- departments ---------------------------------------------------------------

    def can_see_avdelning(self, avdelning):
        return (
            self.reads_all
            or avdelning.pk in self.avdelning_ids
            or avdelning.nuts_omrade_id in self.coordinated_nuts_ids
        )

    def can_edit_avdelning(self, avdelning):
        """May change the department's commitments and follow-ups."""
        return (
            self.is_project_leader
            or avdelning.pk in self.board_avdelning_ids
            or avdelning.nuts_omrade_id in self.coordinated_nuts_ids
        )

    def submitted_it(self, submitted_by_id):
        """Four eyes: whoever submitted something for review may not approve it; another
        reviewer (the coordinator or the project leader) does."""
        return submitted_by_id is not None and submitted_by_id == self.user_id

    def can_log_for_avdelning(self, avdelning):
        """May log the department's activities (every department role may)."""
        return (
            self.is_project_leader
            or avdelning.pk in self.avdelning_ids
            or avdelning.nuts_omrade_id in self.coordinated_nuts_ids
        )

    # --- key figures (nyckeltal) -------------------------------------------------------
    # A department's yearly key figures are read by whoever sees the department (a
    # department outside the pilot sees its own and nothing else) and entered by its
    # board, its area's coordinator and the project leader; for a department whose area
    # is not in the project that year (no coordinator) the working-life unit enters them.

    def can_see_nyckeltal(self, avdelning):
        return self.can_see_avdelning(avdelning)

    def can_edit_nyckeltal(self, avdelning, *, in_pilot):
        """May enter the department's key figures for a year; in_pilot: its area takes
        part in the project that year."""
        return self.can_edit_avdelning(avdelning) or (not in_pilot and self.is_working_life_unit)

    @property
    def sees_comparison(self):
        """The comparison of the pilot departments with the others (aggregates, no
        department's own row): national readers, the project leader and coordinators. A
        department's users see their own figures on the department's pages."""
        return self.reads_all or self.is_coordinator

    @property
    def enters_key_figures(self):
        """Enters some department's key figures (the import page, its template)."""
        return (
            self.is_project_leader
            or self.is_coordinator
            or bool(self.board_avdelning_ids)
            or self.is_working_life_unit
        )

    # --- activities and the shared register ------------------------------------------
    # Seeing an activity is Aktivitet.objects.visible_to(scope), built on
    # filter_area_or_departments below; the register itself (actors, forums, fund
    # projects) is read by every user with a role.

    # A national activity has no area (nuts_id None): the project leader and the
    # working-life unit log it; the unit only with departments outside the pilot.

    @property
    def is_working_life_unit(self):
        return Roll.ARBETSLIVSENHETEN in self.roles

    @property
    def logs_area_activities(self):
        """May log activities in an area: the project leader, a coordinator, any
        department role in a department whose area takes part in the project this year.
        A department outside the pilot logs none (README, "Hela förbundet"): the form
        would have no area to offer it."""
        return self.is_project_leader or self.is_coordinator or self.in_pilot_department

    @property
    def in_pilot_department(self):
        """Has a department whose area takes part in the project this year (read with the
        assignments, no query of its own)."""
        return bool(self.pilot_avdelning_ids)

    @property
    def logs_national_activities(self):
        """May log national activities (no area): the project leader and the working-life
        unit."""
        return self.is_project_leader or self.is_working_life_unit

    @property
    def logs_activities(self):
        """May log (and import) activities somewhere: the project leader, a coordinator,
        any department role, the working-life unit (national ones). The steering group and
        the national board only read."""
        return self.logs_area_activities or self.logs_national_activities

    def pilot_nuts_ids(self, year):
        """Ids of the areas taking part in the pilot some time in the year."""
        if year not in self._pilot_nuts:
            self._pilot_nuts[year] = frozenset(Deltagande.objects.nuts_ids(year))
        return self._pilot_nuts[year]

    def can_log_national(self, avdelningar, *, year):
        """May log, change or delete a national activity of the year with these
        departments: the project leader any; the working-life unit one without departments
        or only with departments outside the pilot that year (their area does not take
        part): it supports those, and gets no coordinator's rights in the pilot.
        avdelningar may be lazy: it is read only for the working-life unit."""
        if self.is_project_leader:
            return True
        if not self.is_working_life_unit:
            return False
        areas = {a.nuts_omrade_id for a in avdelningar}
        return not areas & self.pilot_nuts_ids(year or today().year)

    def national_avdelningar(self, year):
        """Departments the user may name in a national activity of the year: every one for
        the project leader, those outside the pilot that year for the working-life unit."""
        if self.is_project_leader:
            return Avdelning.objects.all()
        if not self.is_working_life_unit:
            return Avdelning.objects.none()
        return Avdelning.objects.exclude(nuts_omrade_id__in=self.pilot_nuts_ids(year))

    def can_edit_aktivitet(self, nuts_id, avdelningar, *, year=None):
        """Changing an activity, its next step's "done" too: its area's coordinator, the
        project leader, or a department user for whom every department of the activity is
        their own. A national one (nuts_id None): whoever may log it (can_log_national).
        avdelningar (the activity's departments, e.g. an unevaluated queryset) is read only
        when the area does not decide."""
        if nuts_id is None:
            return self.can_log_national(avdelningar, year=year)
        if self.can_edit_nuts(nuts_id):
            return True
        ids = [a.pk for a in avdelningar]
        return bool(ids) and all(i in self.avdelning_ids for i in ids)

    def can_delete_aktivitet(self, nuts_id, avdelningar=(), *, year=None):
        """Deleting an activity: its area's coordinator and the project leader; a national
        one, whoever may log it. Department users change the activities of their
        departments but do not delete them."""
        if nuts_id is None:
            return self.can_log_national(avdelningar, year=year)
        return self.can_edit_nuts(nuts_id)

    @property
    def adds_to_register(self):
        """May add actors, forums and fund projects to the shared register (in the areas
        the forms offer: the coordinator's own, every one for the project leader)."""
        return self.is_project_leader or self.is_coordinator

    def can_edit_register(self, nuts_ids):
        """May change, or add, a register row lying in these areas (an actor's or a forum's
        area, a fund project's areas): the project leader any, a coordinator one touching
        their area. A national row (no area) is the project leader's. nuts_ids may be
        lazy: it is not read for the project leader."""
        return self.is_project_leader or any(
            n is not None and self.can_edit_nuts(n) for n in nuts_ids
        )

    def linkable_avdelningar(self):
        """Departments the user may link to a shared record (a fund project): every one
        for the project leader, those of their areas for a coordinator, none otherwise."""
        if self.is_project_leader:
            return Avdelning.objects.all()
        return Avdelning.objects.filter(nuts_omrade_id__in=self.coordinated_nuts_ids)

    # --- commitments (mal) ----------------------------------------------------------

    @property
    def reviews_commitments(self):
        """Has a review queue: approves or returns submitted commitments somewhere."""
        return self.is_project_leader or self.is_coordinator

    @property
    def imports_commitments(self):
        """Writes commitments somewhere: a board, a coordinator, the project leader."""
        return self.is_project_leader or self.is_coordinator or bool(self.board_avdelning_ids)

    @property
    def opens_periods(self):
        """Opens a closed follow-up period again for a department (with a reason)."""
        return self.is_project_leader

    @property
    def edits_guidelines(self):
        """Sets the maturity guidance; everyone with a role reads it."""
        return self.is_project_leader

    # --- the annual report (rapporter) ---------------------------------------------
    # Approved versions: national readers (whole project and area editions) and
    # coordinators (whole project, their own area). Unapproved versions: the project
    # leader, the steering group and the working-life unit, and a coordinator for their
    # own area's edition. The national board sees approved versions only. The roles are
    # here; Rapportversion.visible_to (the version and the queryset) applies them.

    @property
    def sees_unapproved_reports(self):
        return (
            self.is_project_leader or self.is_steering_group or Roll.ARBETSLIVSENHETEN in self.roles
        )

    @property
    def can_compile_reports(self):
        return self.is_project_leader

    @property
    def can_approve_reports(self):
        return self.is_steering_group

    @property
    def sees_reports(self):
        return self.reads_all or self.is_coordinator

    @property
    def sees_approved_area_reports(self):
        """Every area's approved edition; a coordinator sees only their own area's."""
        return self.reads_all

    @property
    def can_withdraw_reports(self):
        return self.is_project_leader

    @property
    def writes_narratives(self):
        """Has a text of the narrative to write: the overall one or an area's."""
        return self.is_project_leader or self.is_coordinator

    @property
    def sees_costs(self):
        """The cost allocation: national readers all of it, a coordinator their areas' rows."""
        return self.reads_all or self.is_coordinator

    @property
    def sees_all_costs(self):
        """Every department's row, the national half and the total."""
        return self.reads_all

    @property
    def can_edit_costs(self):
        return self.is_project_leader

    def can_edit_narrative(self, nuts_id):
        """The overall assessment (nuts_id None) is the project leader's; an area's text
        is its coordinator's."""
        if nuts_id is None:
            return self.is_project_leader
        return nuts_id in self.coordinated_nuts_ids

    # --- querysets -----------------------------------------------------------------

    def visible_nuts(self):
        if self.reads_all:
            return NutsOmrade.objects.all()
        return NutsOmrade.objects.filter(pk__in=self.coordinated_nuts_ids | self.own_nuts_ids)

    def visible_avdelningar(self):
        if self.reads_all:
            return Avdelning.objects.all()
        return Avdelning.objects.filter(
            Q(pk__in=self.avdelning_ids) | Q(nuts_omrade_id__in=self.coordinated_nuts_ids)
        )

    def filter_queryset(self, qs, *, nuts_field=None, avdelning_field=None):
        """Rows of qs the user may see, given the paths to their area and/or department.

        A row with a department is visible to that department and its area's coordinator;
        a row with only an area (an area's shared commitment) is visible to that area's
        coordinator and its departments; national rows (neither) only to national readers.
        """
        if self.reads_all:
            return qs
        cond = Q(pk__in=[])
        if nuts_field:
            cond |= Q(**{f"{nuts_field}__in": self.coordinated_nuts_ids})
        if avdelning_field:
            cond |= Q(**{f"{avdelning_field}__in": self.avdelning_ids})
            cond |= Q(**{f"{avdelning_field}__nuts_omrade_id__in": self.coordinated_nuts_ids})
        if nuts_field and avdelning_field:
            cond |= Q(
                **{f"{avdelning_field}__isnull": True, f"{nuts_field}__in": self.own_nuts_ids}
            )
        return qs.filter(cond)

    def filter_area_or_departments(self, qs, *, nuts_field, avdelningar_field):
        """Rows of qs with an area and a many-to-many to departments (activities).

        Visible when the row's area is the coordinator's, or one of its departments is
        the user's own or lies in the coordinator's area. Each row once (no join).
        """
        if self.reads_all:
            return qs
        # Straight from the many-to-many table (no second pass over the rows' own table).
        m2m = qs.model._meta.get_field(avdelningar_field)
        target = m2m.m2m_reverse_field_name()
        linked = Q(**{f"{target}_id__in": self.avdelning_ids}) | Q(
            **{f"{target}__nuts_omrade_id__in": self.coordinated_nuts_ids}
        )
        # EXISTS rather than IN: the planner may then check the page's rows one by one
        # through the (row, department) index instead of collecting every linked row first.
        via_department = Exists(
            m2m.remote_field.through.objects.filter(
                linked, **{m2m.m2m_field_name() + "_id": OuterRef("pk")}
            )
        )
        return qs.filter(via_department | Q(**{f"{nuts_field}__in": self.coordinated_nuts_ids}))


def scope_for(user):
    """The user's scope, computed once per request (cached on the user object)."""
    if not user.is_authenticated:
        return Scope()
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached

    # Whether the department's area takes part this year, in the same query.
    in_pilot = Exists(
        Deltagande.objects.covering(today().year).filter(
            nuts_omrade_id=OuterRef("avdelning__nuts_omrade_id")
        )
    )
    rows = list(
        Uppdrag.objects.current()
        .filter(person__user=user)
        .annotate(in_pilot=in_pilot)
        .values_list(
            "role", "nuts_omrade_id", "avdelning_id", "avdelning__nuts_omrade_id", "in_pilot"
        )
    )
    roles = {Roll(r[0]) for r in rows}
    scope = Scope(
        roles=roles,
        is_project_leader=Roll.PROJEKTLEDARE in roles,
        reads_all=bool(roles & (NATIONAL_READERS | {Roll.PROJEKTLEDARE})) or user.is_superuser,
        coordinated_nuts_ids=frozenset(r[1] for r in rows if r[0] == Roll.SAMORDNARE),
        avdelning_ids=frozenset(r[2] for r in rows if r[2]),
        board_avdelning_ids=frozenset(r[2] for r in rows if r[2] and r[0] in BOARD_ROLES),
        own_nuts_ids=frozenset(r[3] for r in rows if r[3]),
        pilot_avdelning_ids=frozenset(r[2] for r in rows if r[2] and r[4]),
        user_id=user.pk,
    )
    user._scope_cache = scope
    return scope


def can_read_trail(user) -> bool:
    """The audit trail (the page and its admin): the project leader and admins."""
    return user.is_superuser or scope_for(user).is_project_leader


def get_avdelning_or_404(user, pk, *, write=False):
    """The department with this id if the user may see it; 404 otherwise, 403 if read-only."""
    avdelning = Avdelning.objects.select_related("nuts_omrade").filter(pk=pk).first()
    scope = scope_for(user)
    if avdelning is None or not scope.can_see_avdelning(avdelning):
        raise Http404("Avdelningen finns inte.")
    if write and not scope.can_edit_avdelning(avdelning):
        raise PermissionDenied("Du kan läsa men inte ändra den här avdelningens uppgifter.")
    return avdelning


def get_nuts_or_404(user, code, *, write=False):
    nuts = NutsOmrade.objects.filter(code=code).first()
    scope = scope_for(user)
    if nuts is None or not scope.can_see_nuts(nuts.pk):
        raise Http404("Området finns inte.")
    if write and not scope.can_edit_nuts(nuts.pk):
        raise PermissionDenied("Du kan läsa men inte ändra det här områdets uppgifter.")
    return nuts


def require(allowed: bool, message: str) -> None:
    """Refuse (403) unless allowed: the one-line permission a view or service states, e.g.
    ``require(scope_for(user).can_compile_reports, "Bara projektledaren ...")``."""
    if not allowed:
        raise PermissionDenied(message)


# --- Decision log (beslutslogg) -------------------------------------------------------------

# The project's decisions (avdelningar.models.Projektbeslut) are read by those who read the
# whole project: the project leader, the steering group, the national board, the
# working-life unit (and admins). Coordinators and department users do not see the log
# (404): it is the project's governance, not their area's work. Only the project leader
# records and edits a decision: the steering group decides at its meetings and the
# national board at its own, and one person keeping the log from the minutes keeps it
# from holding the same decision twice, typed by two members; the members read it and
# approve the report that lists the year's decisions.

BESLUT_HIDDEN = "Beslutsloggen finns inte."
BESLUT_READ_ONLY = "Projektledaren för in och ändrar besluten; du kan läsa dem."


def sees_beslutslogg(user) -> bool:
    """May read the decision log (its pages; the report shows the year's decisions)."""
    return scope_for(user).reads_all


def records_beslut(user) -> bool:
    """May record a decision and edit one: the project leader."""
    return scope_for(user).is_project_leader


def require_beslutslogg(user, *, write=False) -> None:
    """404 for whoever does not read the log; 403 (write) for a reader who may not record."""
    if not sees_beslutslogg(user):
        raise Http404(BESLUT_HIDDEN)
    if write:
        require(records_beslut(user), BESLUT_READ_ONLY)


def get_projektbeslut_or_404(user, pk, *, write=False):
    """The decision with this id if the user reads the log; 404 otherwise, 403 (write) for
    a reader who may not edit it."""
    require_beslutslogg(user)
    beslut = Projektbeslut.objects.select_related("nuts_omrade").filter(pk=pk).first()
    if beslut is None:
        raise Http404("Beslutet finns inte.")
    if write:
        require(records_beslut(user), BESLUT_READ_ONLY)
    return beslut


# --- Candidate areas (utveckling) -----------------------------------------------------------

# Assessing a candidate area (the plan's §4.3.3): the project leader assesses, proposes,
# records the national board's decision and makes the area take part; the steering group
# reads everything and records its own decision on the proposal (the proposer does not
# decide it). The requirement profile and the candidate coordinator's assessment are
# personal data: only these two see them. The national board reads the proposal and the
# decisions in its report, not the working pages (scores, a named person's assessment);
# everybody else, admins included, gets 404: the pages hold a person's assessment.


def _sees_utveckling(scope):
    """Sees the candidate areas' pages (the assessments, the requirement profile)."""
    return scope.is_project_leader or scope.is_steering_group


def _edits_utveckling(scope):
    """Assesses candidates, edits the requirement profile, proposes, records the national
    board's decision and makes an area take part."""
    return scope.is_project_leader


def _decides_utveckling(scope):
    """Records the steering group's decision on a proposal."""
    return scope.is_steering_group


Scope.sees_utveckling = property(_sees_utveckling)
Scope.edits_utveckling = property(_edits_utveckling)
Scope.decides_utveckling = property(_decides_utveckling)

UTVECKLING_NOT_FOUND = "Sidan finns inte."


def require_utveckling(user, *, write=False, decide=False):
    """The candidate pages' one-line permission: 404 unless the user sees them (we do not
    confirm they exist), 403 when the user may read but not do what was asked."""
    scope = scope_for(user)
    if not scope.sees_utveckling:
        raise Http404(UTVECKLING_NOT_FOUND)
    if write and not scope.edits_utveckling:
        raise PermissionDenied("Bara projektledaren bedömer kandidatområden och ändrar dem.")
    if decide and not scope.decides_utveckling:
        raise PermissionDenied("Styrgruppens beslut registreras av styrgruppen.")
    return scope


# --- Questionnaires (enkater) ---------------------------------------------------------------

# Questionnaires (enkater, issue 17): the project leader builds and sends them. One answer
# per recipient: a department's (its board answers together), or an area's (its coordinator).
# Only the project leader, the steering group and the area's coordinator see another
# department's answers; a department sees its own. National results (every area): the
# project leader and the steering group.


def builds_enkater(scope):
    """Builds, edits, copies and sends questionnaires."""
    return scope.is_project_leader


def sees_enkat_results(scope, nuts_id=None):
    """Reads every answer of the area (nuts_id), or of all areas (None)."""
    if scope.is_project_leader or scope.is_steering_group:
        return True
    return nuts_id is not None and nuts_id in scope.coordinated_nuts_ids


def sees_any_enkat_results(scope):
    return scope.is_project_leader or scope.is_steering_group or scope.is_coordinator


def can_see_enkatsvar(scope, svar):
    """One answer: its own department's or area's, or the results' readers of its area."""
    if svar.avdelning_id:
        own = svar.avdelning_id in scope.avdelning_ids
    else:
        own = svar.nuts_omrade_id in scope.coordinated_nuts_ids
    return own or sees_enkat_results(scope, svar.nuts_omrade_id)


def can_answer_enkat(scope, svar):
    """Writes the answer: the department's board (chair, board members, the labour-market
    officer), or for an area's answer its coordinator."""
    if svar.avdelning_id:
        return svar.avdelning_id in scope.board_avdelning_ids
    return svar.nuts_omrade_id in scope.coordinated_nuts_ids


# --- Analysis meetings, actions and lessons (larande) ---------------------------------------
# A meeting belongs to its activity's area (None: a national meeting). Its record, its
# actions and the area's lessons are read by national readers (the steering group among
# them) and the area's coordinator, and written by the coordinator and the project leader
# (a national meeting's by the project leader). A department's users read the actions their
# department owns; an action is marked done by whoever writes the meeting, or by its owner:
# the person's user, or, for a department, its board (chair, board members, the
# labour-market officer). Anyone else gets 404.


def larande_reads_area(scope, nuts_id):
    """Sees the meeting records and the lessons of the area (None: national)."""
    return scope.reads_all or (nuts_id is not None and nuts_id in scope.coordinated_nuts_ids)


def larande_writes_area(scope, nuts_id):
    """Records the area's meetings, their actions and its lessons."""
    return scope.is_project_leader or (
        nuts_id is not None and nuts_id in scope.coordinated_nuts_ids
    )


def larande_owns_action(scope, *, avdelning_id, person_user_id):
    """The action is the user's own: they are its person, or on its department's board."""
    if person_user_id is not None and person_user_id == scope.user_id:
        return True
    return avdelning_id is not None and avdelning_id in scope.board_avdelning_ids


def larande_reads_action(scope, *, nuts_id, avdelning_id, person_user_id):
    return (
        larande_reads_area(scope, nuts_id)
        or larande_owns_action(scope, avdelning_id=avdelning_id, person_user_id=person_user_id)
        or (avdelning_id is not None and avdelning_id in scope.avdelning_ids)
    )


def larande_closes_action(scope, *, nuts_id, avdelning_id, person_user_id):
    """Marks the action done: who writes the meeting, or the action's owner."""
    return larande_writes_area(scope, nuts_id) or larande_owns_action(
        scope, avdelning_id=avdelning_id, person_user_id=person_user_id
    )


def larande_sees_lessons(scope):
    """Has lessons to read somewhere: national readers and coordinators."""
    return scope.reads_all or scope.is_coordinator


def larande_sees_actions(scope):
    """Has actions to list somewhere: every user with a role (a department's own)."""
    return scope.has_any_role


# --- Network map and contact persons (natverk) ----------------------------------------------
# Contact persons at actors are personal data that only the coordinators keep: the project
# leader sees and changes all of them, a coordinator those of their areas (a contact's area
# is its actor's; for a national actor, the area of the coordinator who keeps the contact).
# Nobody else, the steering group and the national readers included, sees them at all: the
# actor's page and the network map leave them out.


def sees_kontaktpersoner(scope):
    """Has contact persons somewhere to see (the actor page's section, the map's nodes)."""
    return scope.is_project_leader or scope.is_coordinator


def can_see_kontaktperson(scope, nuts_id):
    """May see (and so change) a contact person kept in this area (None: national)."""
    if scope.is_project_leader:
        return True
    return nuts_id is not None and nuts_id in scope.coordinated_nuts_ids


def can_edit_kontaktperson(scope, nuts_id):
    """Adds, changes and removes contact persons of the area: whoever may see them."""
    return can_see_kontaktperson(scope, nuts_id)


def kontaktpersoner_visible(scope, qs):
    """The rows of a contact-person queryset the user may see."""
    if scope.is_project_leader:
        return qs
    return qs.filter(nuts_omrade_id__in=scope.coordinated_nuts_ids)


def sees_natverk(scope):
    """The network map: every user with a role except department users without another
    role; see natverk.views for why."""
    return scope.reads_all or scope.is_coordinator


def natverk_areas(scope):
    """Areas whose map the user may open: all for national readers, a coordinator's own."""
    if scope.reads_all:
        return NutsOmrade.objects.all()
    return NutsOmrade.objects.filter(pk__in=scope.coordinated_nuts_ids)


def sees_national_natverk(scope):
    """The national map (every area's actors at once): national readers and the project
    leader."""
    return scope.reads_all
