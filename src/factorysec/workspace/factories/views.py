"""Pages of a factory space: the factory list, the overview, a section's list, an element's form and history, import and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from factorysec.model.entities import SINGLETONS
from factorysec.model.field_help import field_label
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.permissions import Action, can, party_assets, role_of, vendor_party, vendor_sees
from factorysec.workspace.changes.drafts import PROPOSERS, EditConflict, save_live_checked
from factorysec.workspace.changes.models import ChangeRequest, State
from factorysec.workspace.factories.access import factory_view, forbidden
from factorysec.workspace.factories.forms import element_form, read_form
from factorysec.workspace.factories.jobs import latest_analysis, start_job
from factorysec.workspace.factories.models import VERSION_COMMENT_MAX_LENGTH, Element, Factory, Job, SectionCount
from factorysec.workspace.factories.paging import KnownCount
from factorysec.workspace.factories.search import matching
from factorysec.workspace.factories.sections import cell_text, list_columns, reader_language, section_title
from factorysec.workspace.factories.store import (
    SECTIONS,
    DeleteConflict,
    StoreError,
    delete_element,
    export_yaml,
    factory_model,
    item_class,
    save_element,
    text_refused,
)

PAGE_SIZE = 100


def _vendor_filter(request: HttpRequest, factory: Factory) -> tuple[str | None, set[str]]:
    party = vendor_party(request.user, factory)
    if party is None:
        return None, set()
    assets = [row.payload for row in Element.objects.filter(factory=factory, section="assets", payload__isnull=False)]
    return party, party_assets(party, assets)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    factories = [f for f in Factory.objects.all() if can(request.user, f, Action.VIEW_OVERVIEW)]
    if len(factories) == 1:
        return redirect("factories:overview", slug=factories[0].slug)
    return render(request, "factories/index.html", {"factories": factories})


@factory_view(Action.VIEW_OVERVIEW)
def overview(request: HttpRequest, factory: Factory) -> HttpResponse:
    """Counts per section as the store keeps them (one short read, fast at any size; a vendor's, of the elements its
    lists show it), the factory's industry and location (labelled and worded as its form and lists are), what the role
    may do."""
    stored = dict(SectionCount.objects.filter(factory=factory).values_list("section", "live"))
    if not stored and Element.objects.filter(factory=factory).exists():
        SectionCount.recount(factory.pk)
        stored = dict(SectionCount.objects.filter(factory=factory).values_list("section", "live"))
    visible = [
        (section, stored.get(section, 0))
        for section in SECTIONS
        if can(request.user, factory, Action.VIEW_SECTION, section)
    ]
    listed = {section for section, _count in visible}
    if not visible and role_of(request.user, factory) == Role.MANAGEMENT:
        # management reads the overview without the sections' lists: each section and its size, unlinked
        visible = [(section, stored.get(section, 0)) for section in SECTIONS]
    party, own_assets = _vendor_filter(request, factory)
    if party is not None:  # a vendor counts what its lists show: its party, its assets and what concerns them
        visible = [
            (
                section,
                sum(
                    vendor_sees(party, own_assets, section, payload)
                    for payload in Element.objects.filter(
                        factory=factory, section=section, payload__isnull=False
                    ).values_list("payload", flat=True)
                ),
            )
            for section, _count in visible
        ]
    head = Element.objects.filter(factory=factory, section="factory", payload__isnull=False).first()
    stated = head.payload if head is not None else {}
    facts = [
        (key, field_label("factory", key, reader_language()), cell_text("factory", key, stated[key]))
        for key in ("industry", "location")
        if stated.get(key)
    ]
    can_analyse = can(request.user, factory, Action.RUN_ANALYSIS)
    return render(
        request,
        "factories/overview.html",
        {
            "factory": factory,
            "facts": facts,
            "sections": [(section, count, section in listed) for section, count in visible],
            "role": role_of(request.user, factory),
            "can_import": can(request.user, factory, Action.IMPORT),
            "can_export": can(request.user, factory, Action.EXPORT),
            "can_analyse": can_analyse,
            "can_manage": can(request.user, factory, Action.MANAGE_MEMBERS),
            "latest": latest_analysis(factory) if can_analyse else None,
        },
    )


def _column_defaults(section: str) -> dict[str, Any]:
    """The model's default of each optional field, which a stored element leaves out (``carries_control_instructions``
    false, ``external_network`` none), so that a list shows it as the model reads it rather than an empty cell."""
    return {
        info.alias or name: info.get_default(call_default_factory=True)
        for name, info in item_class(section).model_fields.items()
        if not info.is_required()
    }


def _row_columns(section: str, payload: dict[str, Any], defaults: dict[str, Any]) -> list[str]:
    return [
        cell_text(section, column, payload[column] if column in payload else defaults.get(column))
        for column, _title in list_columns(section)
    ]


@factory_view(Action.VIEW_SECTION, per_section=True)
def section_list(request: HttpRequest, factory: Factory, section: str) -> HttpResponse:
    if section in SINGLETONS:
        return redirect("factories:element", slug=factory.slug, section=section, key=section)
    rows = Element.objects.filter(factory=factory, section=section, payload__isnull=False).order_by("position", "pk")
    party, own_assets = _vendor_filter(request, factory)
    query = request.GET.get("q", "").strip()
    page: Page[Any]
    if party is not None:
        if query:
            rows = matching(rows, query)
        page = Paginator(
            [row for row in rows if vendor_sees(party, own_assets, section, row.payload)], PAGE_SIZE
        ).get_page(request.GET.get("page"))
        shown = list(page.object_list)
    elif query:
        # the matching ids come from the search index alone; only the page's rows are read whole
        found_ids = matching(rows, query).values_list("pk", flat=True)
        page = Paginator(found_ids, PAGE_SIZE).get_page(request.GET.get("page"))
        found = Element.objects.in_bulk(list(page.object_list))
        shown = [found[pk] for pk in page.object_list]
    else:
        kept = SectionCount.objects.filter(factory=factory, section=section).values_list("live", flat=True).first()
        listed: Any = rows if kept is None else KnownCount(rows, kept)
        page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
    defaults = _column_defaults(section)
    context = {
        "factory": factory,
        "section": section,
        "columns": list_columns(section),
        "page": page,
        "rows": [(row.key, _row_columns(section, row.payload, defaults), row.version) for row in shown],
        "query": query,
        "can_edit": can(request.user, factory, Action.EDIT_SECTION, section),
    }
    template = "factories/_rows.html" if request.headers.get("HX-Request") else "factories/section_list.html"
    return render(request, template, context)


def _onto_stored(row: Element, conflict: EditConflict) -> dict[str, Any] | None:
    """The element as stored now with the fields the refused form changed from the version it was read at (None when
    that version or the stored element is gone): a field the reader left as it was takes the colleague's value, so that
    saving the form kept after a conflict does not undo the colleague's edit of a field the reader never touched."""
    from factorysec.workspace.factories.models import ElementVersion

    opened = (
        ElementVersion.objects.filter(element=row, version=conflict.expected).values_list("payload", flat=True).first()
    )
    if opened is None or conflict.current is None or conflict.mine is None:
        return None
    merged = dict(conflict.current)
    for name in {*opened, *conflict.mine}:
        if conflict.mine.get(name) != opened.get(name):
            if name in conflict.mine:
                merged[name] = conflict.mine[name]
            else:
                merged.pop(name, None)
    return merged


def _posted_version(request: HttpRequest) -> int | None:
    """The element version the posted form was read at (its hidden ``version`` field); None when missing or not a number."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@factory_view(Action.VIEW_SECTION, per_section=True)
def element(request: HttpRequest, factory: Factory, section: str, key: str | None = None) -> HttpResponse:
    """Show and edit one element (``key`` None: a new one); a refused save shows the check's messages on the fields.

    The form carries the element's version it was read at (hidden ``version``): a save over a newer version is refused
    with 409 and what differs, and a post without the version (an old or incomplete form) with 422, so that of two
    people editing the same element neither loses an edit unseen.
    """
    row = None
    if key is not None:
        row = Element.objects.filter(factory=factory, section=section, key=key, payload__isnull=False).first()
        if row is None and not (section in SINGLETONS and request.method == "GET" and key == section):
            raise Http404(key)
    party, own_assets = _vendor_filter(request, factory)
    if party is not None and row is not None and not vendor_sees(party, own_assets, section, row.payload):
        raise Http404(key)
    item = item_class(section)
    may_edit = can(request.user, factory, Action.EDIT_SECTION, section)
    fields = element_form(item, row.payload if row is not None else None, section=section)
    elsewhere: list[str] = []
    conflict: EditConflict | None = None
    version = row.version if row is not None else 0
    status = 200
    comment, comment_error = "", ""  # the version's comment as typed, kept when the save is refused
    if request.method == "POST":
        status = 422
        if not may_edit:
            return forbidden(request, factory)
        payload, readable = read_form(item, request.POST, fields)
        expected = _posted_version(request) if row is not None else None
        comment = request.POST.get("comment", "")
        if len(comment.strip()) > VERSION_COMMENT_MAX_LENGTH:  # was cut to its column's length unseen
            comment_error = _(
                "Comment: at most %(limit)s characters (this one has %(count)s); shorten it and send it again."
            ) % {"limit": f"{VERSION_COMMENT_MAX_LENGTH:,}", "count": f"{len(comment.strip()):,}"}
        if party is not None and not vendor_sees(party, own_assets, section, payload):
            elsewhere.append(_("You can only answer for your own party and its assets."))
            status = 403
        elif row is not None and expected is None:
            elsewhere.append(
                _(
                    "Not saved: the form did not say which version of %(section)s / %(key)s it was read at (an old or"
                    " incomplete form). Your text is kept below; compare it with version %(version)s and the history,"
                    " then save again to apply it on top of that version."
                )
                % {"section": section_title(section), "key": row.key, "version": row.version}
            )
        elif comment_error:
            pass  # shown beside the comment, with the form as typed; nothing is saved
        elif readable:
            try:
                if row is not None and expected is not None:
                    saved = save_live_checked(
                        factory, section, row.key, payload, expected, request.user, seen=row, comment=comment.strip()
                    )
                else:
                    saved = save_element(factory, section, None, payload, request.user, comment.strip())
            except EditConflict as error:
                conflict, status, version = error, 409, error.current_version
                merged = _onto_stored(row, error) if row is not None else None
                if merged is not None:  # the form kept below: the reader's changes on top of the stored version
                    fields, conflict.mine = element_form(item, merged, section=section), merged
            except StoreError as error:
                by_field = {f.name: f for f in fields}
                for problem in error.on_target():
                    target = by_field.get(problem.top_field)
                    text = problem.said(_lang())
                    if target is not None:
                        target.errors.append(text if problem.field == problem.top_field else f"{problem.field}: {text}")
                    else:
                        elsewhere.append(text)
                elsewhere.extend(problem.render(_lang()) for problem in error.elsewhere())
            else:
                messages.success(
                    request,
                    _("Saved %(section)s / %(key)s (version %(version)s).")
                    % {"section": section_title(section), "key": saved.key, "version": saved.version},
                )
                return redirect("factories:element", slug=factory.slug, section=section, key=saved.key)
    history = list(row.versions.select_related("author").all()[:50]) if row is not None else []
    open_changes = (
        ChangeRequest.objects.filter(factory=factory, state__in=(State.OPEN, State.CHANGES_REQUESTED)).order_by("pk")
        if row is not None and role_of(request.user, factory) in PROPOSERS
        else ChangeRequest.objects.none()
    )  # a proposer who may not edit the live element proposes its edit in a draft
    return render(
        request,
        "factories/element.html",
        {
            "factory": factory,
            "section": section,
            "row": row,
            "version": version,
            "conflict": conflict,
            "fields": fields,
            "open_changes": open_changes,
            "elsewhere": elsewhere,
            "may_edit": may_edit,
            "history": history,
            "is_singleton": section in SINGLETONS,
            "comment": comment,
            "comment_error": comment_error,
        },
        status=status,
    )


@factory_view(Action.EDIT_SECTION, per_section=True)
@require_POST
def delete(request: HttpRequest, factory: Factory, section: str, key: str) -> HttpResponse:
    party, own_assets = _vendor_filter(request, factory)
    row = get_object_or_404(Element, factory=factory, section=section, key=key, payload__isnull=False)
    if party is not None and not vendor_sees(party, own_assets, section, row.payload):
        raise Http404(key)
    if request.POST.get("confirm") != "yes":  # the element page's button asks first; nothing is deleted by one click
        version = _posted_version(request) or row.version  # the version the reader opened, else the one named here
        name = {"section": section_title(section), "key": key}
        question = _(
            "%(section)s / %(key)s (version %(version)s) is taken out of the model; its history keeps every version."
            " Delete it?"
        )
        return render(
            request,
            "confirm.html",
            {
                "factory": factory,
                "heading": _("Delete %(section)s / %(key)s?") % name,
                "question": question % {**name, "version": version},
                "hidden": [("version", version)],
                "button": _("Delete"),
                "action": request.path,
                "cancel": reverse("factories:element", args=[factory.slug, section, key]),
            },
        )
    try:
        delete_element(factory, section, key, request.user, expected_version=_posted_version(request))
    except DeleteConflict as conflict:
        messages.error(
            request,
            _(
                "Not deleted: %(by)s saved this element (version %(version)s) after you opened version %(mine)s."
                " Look at it as it is now before deleting it."
            )
            % {"by": conflict.by, "version": conflict.current_version, "mine": conflict.expected},
        )
        return redirect("factories:element", slug=factory.slug, section=section, key=key)
    except StoreError as error:
        for problem in error.problems:
            messages.error(request, problem.render(_lang()))
        return redirect("factories:element", slug=factory.slug, section=section, key=key)
    messages.success(request, _("Deleted %(section)s / %(key)s.") % {"section": section_title(section), "key": key})
    return redirect("factories:section", slug=factory.slug, section=section)


@factory_view(Action.IMPORT)
def history(request: HttpRequest, factory: Factory) -> HttpResponse:
    from factorysec.workspace.factories.models import ElementVersion

    versions = (
        ElementVersion.objects.filter(element__factory=factory)
        .select_related("element", "author")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "factories/history.html", {"factory": factory, "page": page})


@factory_view(Action.EXPORT)
def export(request: HttpRequest, factory: Factory) -> HttpResponse:
    response = HttpResponse(export_yaml(factory), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{factory.slug}.yaml"'
    return response


@factory_view(Action.EXPORT)
def export_workbook(request: HttpRequest, factory: Factory) -> HttpResponse:
    """The model as the workbook ``factorysec workbook export`` writes (a sheet per section, drop-downs)."""
    import io

    from factorysec.catalog import load_catalog
    from factorysec.model.workbook import WorkbookExportError, model_workbook

    buffer = io.BytesIO()
    try:
        model_workbook(factory_model(factory), load_catalog()).save(buffer)
    except WorkbookExportError as error:  # text an earlier version stored: the 409 page names where it is
        raise text_refused(factory, str(error)) from None
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{factory.slug}.xlsx"'
    return response


@factory_view(Action.IMPORT)
def import_view(request: HttpRequest, factory: Factory) -> HttpResponse:
    """Replace the factory's model by an uploaded YAML file or workbook: the upload is queued as an import job, checked and stored by the worker."""
    from factorysec.workspace.factories.tasks import import_model_file

    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("model")
        if upload is None:
            problems.append(_("Choose a .yaml, .yml or .xlsx file."))
        else:
            name = Path(upload.name or "model.yaml").name
            if Path(name).suffix.lower() not in (".yaml", ".yml", ".xlsx"):
                problems.append(_("%(name)s: not a .yaml, .yml or .xlsx file") % {"name": name})
            else:
                job = start_job(
                    import_model_file, factory, Job.Kind.IMPORT, request.user, _lang(), name, b"".join(upload.chunks())
                )
                return redirect("results:job", slug=factory.slug, pk=job.pk)
    return render(
        request, "factories/import.html", {"factory": factory, "problems": problems}, status=422 if problems else 200
    )


def _lang() -> str:
    return "ja" if (get_language() or "en").startswith("ja") else "en"
