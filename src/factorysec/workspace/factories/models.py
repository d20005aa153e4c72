"""The element store: one row per model element, every version of it kept, snapshots as sets of versions.

A factory's model is its live elements, ordered by section (schema order) and
position; :mod:`factorysec.workspace.factories.store` turns them into a
:class:`~factorysec.model.FactoryModel` and back. The payload is the element
exactly as the model serialises it (JSON mode, by alias, defaults left out), so
the same pydantic classes validate it and nothing here knows its fields.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, models, transaction
from django.utils.translation import gettext_lazy as _

from factorysec.workspace.concurrency import give_up_place, note_wait
from factorysec.workspace.factories.digests import accumulate, add, element_digest, from_text, label, remove, to_text

SEARCH_LENGTH = 400
"""How much of an element's key and name its search text keeps."""


class Factory(models.Model):
    """One factory space: its own model, members and history."""

    slug = models.SlugField(max_length=128, unique=True)
    name = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "slug"]
        verbose_name_plural = "factories"

    def __str__(self) -> str:
        return self.name


class Element(models.Model):
    """The current version of one model element (``section`` + ``key``); a deleted one keeps its row and history.

    On SQLite, ``search`` is mirrored into the FTS5 table ``factories_element_text`` by triggers (migration
    ``0006_element_text_index``). A later migration that makes SQLite rebuild this table (most field changes do)
    drops those triggers and must create them again; ``test_the_text_index_is_used`` checks that they exist.
    """

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="elements")
    section = models.CharField(max_length=64)
    key = models.CharField(
        max_length=300, help_text="The element's id, or a stored key for sections whose entries have none."
    )
    position = models.IntegerField(help_text="Order inside the section, kept so that an export equals the import.")
    version = models.IntegerField(default=1)
    payload: models.JSONField[Any] = models.JSONField(
        null=True, help_text="The element as the model writes it; null once deleted."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search = models.CharField(
        max_length=SEARCH_LENGTH,
        blank=True,
        default="",
        help_text="Key and name in lower case, what a section's search box matches (kept by save()).",
    )
    digest = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        help_text="SHA-256 of the element's section and payload while it is live (null once deleted), kept by save(); "
        "the factory's element-set digest sums these (factories.digests).",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["factory", "section", "key"], name="element_unique_key")]
        indexes = [
            models.Index(fields=["factory", "section", "position"]),
            models.Index(
                fields=["factory", "section", "position"],
                condition=models.Q(payload__isnull=False),
                name="element_live",
            ),
            models.Index(
                fields=["factory", "section", "search", "position"],
                condition=models.Q(payload__isnull=False),
                name="element_live_search",
            ),
            models.Index(fields=["factory", "updated_at"], name="element_updated"),
        ]
        ordering = ["section", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        loaded = "payload" in self.__dict__  # not when the payload was deferred
        self._was_live: bool | None = (self.pk is not None and self.payload is not None) if loaded else None
        self.element_set_label: str | None = None
        """The factory's element-set digest right after this object's last save changed it (the audit entry's)."""
        self._counted_known = "digest" in self.__dict__  # not when the digest was deferred
        self._counted: str | None = self.digest if self._counted_known and self.pk is not None else None
        """The digest this row adds to the factory's element set as loaded (None: nothing)."""
        self.element_set_row: ElementSet | None = None
        """The factory's element-set row when the saver has it locked already (:meth:`ElementSet.locked_row`): its
        save moves the sum on it without reading the row again."""

    def __str__(self) -> str:
        return f"{self.section}/{self.key}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, keep the search text and the digest, move the section's live count when the element comes to life or is
        deleted, and the factory's element-set digest when the digest changed."""
        self.search = search_text(self.key, self.payload)
        self.element_set_label = None
        self.digest = element_digest(self.section, self.payload) if self.payload is not None else None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search", "digest"}
        super().save(*args, **kwargs)
        live = self.payload is not None
        if self._was_live is None:
            SectionCount.recount(self.factory_id)
        elif live != self._was_live:
            SectionCount.move(self.factory_id, self.section, 1 if live else -1)
        self._was_live = live
        if not self._counted_known:
            ElementSet.recount(self.factory_id)
        elif self._counted != self.digest:
            self.element_set_label = ElementSet.move(
                self.factory_id, self._counted, self.digest, locked=self.element_set_row
            )
        self._counted, self._counted_known = self.digest, True

    @property
    def deleted(self) -> bool:
        return self.payload is None

    @classmethod
    def current(cls, factory_id: int, section: str, key: str, live_only: bool = True) -> Element | None:
        """The element's row (only when live, unless ``live_only`` is False) with its author's user name as
        ``author_name`` and how many times the factory's element set had moved as ``set_changes`` (None: no row kept;
        a save compares it under the lock, :func:`factorysec.workspace.changes.drafts.save_live_checked`), read
        without locking it. The hot reads of the API (an element with its version, a save's first
        version check, a refusal) ask this, as one SQL statement written once instead of a queryset Django compiles for
        every request (a third of such a request's CPU); the columns read are the model's, the search text aside."""
        rows = cls.objects.raw(_current_sql(live_only), [factory_id, section, key])
        return next(iter(rows), None)

    @classmethod
    def locked_live(cls, factory_id: int, section: str, key: str) -> Element:
        """The live element's whole row, locked until the transaction ends (``SELECT ... FOR UPDATE`` where the database
        has it; on SQLite the transaction holds the write lock), in one statement written once; DoesNotExist when it is
        not live."""
        found = next(iter(cls.objects.raw(_locked_sql() + for_update(), [factory_id, section, key])), None)
        if found is None:
            raise cls.DoesNotExist(f"no live {section} element '{key}'")
        return found

    @classmethod
    def page(cls, factory_id: int, section: str, offset: int, limit: int) -> list[dict[str, Any]]:
        """The payloads of the section's live elements in model order, ``limit`` of them from ``offset`` (the API's section
        pages; one statement written once, as :meth:`current`)."""
        if limit <= 0:
            return []
        rows = cls.objects.raw(_page_sql(), [factory_id, section, limit, offset])
        return [row.payload for row in rows]


def for_update() -> str:
    """`` FOR UPDATE`` where the database locks rows read by a statement (PostgreSQL), else nothing (SQLite: the
    transaction holds the write lock)."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


@functools.cache
def _locked_sql() -> str:
    return (
        f'SELECT * FROM "{Element._meta.db_table}" WHERE "factory_id" = %s AND "section" = %s AND "key" = %s '
        'AND "payload" IS NOT NULL'
    )


@functools.cache
def _page_sql() -> str:
    return (
        f'SELECT "id", "payload" FROM "{Element._meta.db_table}" WHERE "factory_id" = %s AND "section" = %s '
        'AND "payload" IS NOT NULL ORDER BY "position", "id" LIMIT %s OFFSET %s'
    )


@functools.cache
def _current_sql(live_only: bool) -> str:
    """The statement of :meth:`Element.current`, made from the models' own table and column names once per process."""
    columns = ", ".join(
        f'e."{Element._meta.get_field(name).column}"'  # type: ignore[union-attr]  # concrete fields only
        for name in (
            "id",
            "factory",
            "section",
            "key",
            "position",
            "version",
            "payload",
            "updated_at",
            "updated_by",
            "digest",
        )
    )
    users = Element._meta.get_field("updated_by").related_model._meta.db_table  # type: ignore[union-attr]
    element_sets = ElementSet._meta.db_table
    statement = (
        f'SELECT {columns}, u."username" AS author_name, '
        f'(SELECT s."changes" FROM "{element_sets}" s WHERE s."factory_id" = e."factory_id") AS set_changes '
        f'FROM "{Element._meta.db_table}" e '
        f'LEFT JOIN "{users}" u ON u."id" = e."updated_by_id" '
        'WHERE e."factory_id" = %s AND e."section" = %s AND e."key" = %s'
    )
    return statement + ' AND e."payload" IS NOT NULL' if live_only else statement


def search_text(key: str, payload: Any) -> str:
    """What a section's search matches: the element's key and name, in lower case."""
    name = payload.get("name") if isinstance(payload, dict) else None
    text = f"{key}\n{name}" if isinstance(name, str) else key
    return text.lower()[:SEARCH_LENGTH]


class SectionCount(models.Model):
    """How many live elements a section of a factory holds, kept as elements are created and deleted (the overview reads it)."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="section_counts")
    section = models.CharField(max_length=64)
    live = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["factory", "section"], name="section_count_unique")]

    def __str__(self) -> str:
        return f"{self.section}: {self.live}"

    @classmethod
    def live_of(cls, factory_id: int, section: str) -> int | None:
        """The section's kept count of live elements (None when none is kept), in one statement written once."""
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "live" FROM "{cls._meta.db_table}" WHERE "factory_id" = %s AND "section" = %s',
                [factory_id, section],
            )
            found = cursor.fetchone()
        return None if found is None else int(found[0])

    @classmethod
    def move(cls, factory_id: int, section: str, delta: int) -> None:
        if not cls.objects.filter(factory_id=factory_id, section=section).update(live=models.F("live") + delta):
            cls.recount(factory_id)

    @classmethod
    def recount(cls, factory_id: int) -> None:
        """Count the factory's live elements per section afresh (after a bulk import, or when no count is kept yet)."""
        counts = dict(
            Element.objects.filter(factory_id=factory_id, payload__isnull=False)
            .values_list("section")
            .annotate(n=models.Count("id"))
            .values_list("section", "n")
        )
        cls.objects.filter(factory_id=factory_id).exclude(section__in=list(counts)).delete()
        for section, live in counts.items():
            cls.objects.update_or_create(factory_id=factory_id, section=section, defaults={"live": live})


class ElementSet(models.Model):
    """A factory's element-set digest (:mod:`factorysec.workspace.factories.digests`), kept as elements are saved.

    Every save of an element of the factory updates this one row, in the save's
    transaction (on PostgreSQL it is locked until the save commits: saves take
    turns on it only for the few statements after the element's own row is written).
    """

    factory = models.OneToOneField(Factory, on_delete=models.CASCADE, related_name="element_set")
    accumulator = models.TextField(default="", help_text="The lanes of the sum, in hex (digests.to_text).")
    changes = models.BigIntegerField(
        default=0, help_text="Counts the moves of the sum: a check made at one count still holds while it is unchanged."
    )

    def __str__(self) -> str:
        return f"{self.factory_id}: {self.label}"

    @property
    def label(self) -> str:
        return label(from_text(self.accumulator))

    @classmethod
    def move(cls, factory_id: int, removed: str | None, added: str | None, locked: ElementSet | None = None) -> str:
        """Take one element's digest out of the sum and put another in (None: nothing), under the row's lock; return the
        factory's element-set digest after the move. ``locked`` is the row when this transaction holds it already (it is
        not read again, and is updated in place)."""
        row = (
            locked if locked is not None else next(iter(cls.objects.raw(_set_sql() + for_update(), [factory_id])), None)
        )
        if row is None:
            cls.recount(factory_id)
            return cls.label_of(factory_id)
        accumulator = from_text(row.accumulator)
        if removed is not None:
            accumulator = remove(accumulator, removed)
        if added is not None:
            accumulator = add(accumulator, added)
        row.accumulator, row.changes = to_text(accumulator), row.changes + 1
        row.save(update_fields=["accumulator", "changes"])
        return label(accumulator)

    @classmethod
    def recount(cls, factory_id: int) -> None:
        """Sum the digests of the factory's live elements afresh (after a bulk import, or when none is kept yet)."""
        digests = Element.objects.filter(factory_id=factory_id, payload__isnull=False).values_list("digest", flat=True)
        text = to_text(accumulate(d for d in digests.iterator(chunk_size=2000) if d is not None))
        if not cls.objects.filter(factory_id=factory_id).update(accumulator=text, changes=models.F("changes") + 1):
            cls.objects.create(factory_id=factory_id, accumulator=text)

    @classmethod
    def changes_of(cls, factory_id: int, lock: bool = False) -> int:
        """How many times the factory's element set moved (``lock``: and hold its row until the transaction ends).

        On PostgreSQL a writer that finds the row locked by another gives its
        running place up (:func:`factorysec.workspace.concurrency.give_up_place`)
        before it waits, as a save queued for SQLite's write lock does: saves
        waiting for each other do not keep reads from running.
        """
        rows = cls.objects.filter(factory_id=factory_id)
        if not lock:
            found = rows.values_list("changes", flat=True).first()
        elif not connection.features.has_select_for_update_nowait:  # SQLite: the write lock is the backend's queue
            found = rows.select_for_update().values_list("changes", flat=True).first()
        else:
            try:
                with transaction.atomic():
                    found = rows.select_for_update(nowait=True).values_list("changes", flat=True).first()
            except OperationalError:  # another writer holds it: wait, letting another request run meanwhile
                started = time.perf_counter()
                give_up_place()
                found = rows.select_for_update().values_list("changes", flat=True).first()
                note_wait("lock", started)
        return -1 if found is None else int(found)

    @classmethod
    def locked_row(cls, factory_id: int) -> ElementSet | None:
        """The factory's element-set row, held until the transaction ends (the lock :meth:`lock` takes, on SQLite the
        transaction's write lock), in one statement written once; None when no row is kept yet. A save passes it on to
        :meth:`move` (``Element.element_set_row``), so that the row is read once per save. On PostgreSQL a writer that
        finds the row locked gives its running place up before it waits, as :meth:`changes_of` does."""
        statement = _set_sql() + for_update()
        if not connection.features.has_select_for_update_nowait:
            return next(iter(cls.objects.raw(statement, [factory_id])), None)
        try:
            with transaction.atomic():
                return next(iter(cls.objects.raw(statement + " NOWAIT", [factory_id])), None)
        except OperationalError:  # another writer holds it: wait, letting another request run meanwhile
            started = time.perf_counter()
            give_up_place()
            found = next(iter(cls.objects.raw(statement, [factory_id])), None)
            note_wait("lock", started)
            return found

    @classmethod
    def lock(cls, factory_id: int) -> None:
        """Hold the factory's element set until the transaction ends, before any element's row (the order every writer
        keeps). On SQLite the transaction's ``BEGIN IMMEDIATE`` already holds the database's write lock, which is the
        same and more, so no statement is run there."""
        if connection.vendor != "sqlite" or not connection.in_atomic_block:
            cls.changes_of(factory_id, lock=True)

    @classmethod
    def label_of(cls, factory_id: int) -> str:
        """The factory's element-set digest now (counted afresh if none is kept yet)."""
        text = cls.objects.filter(factory_id=factory_id).values_list("accumulator", flat=True).first()
        if text is None:
            cls.recount(factory_id)
            text = cls.objects.filter(factory_id=factory_id).values_list("accumulator", flat=True).get()
        return label(from_text(text))


@functools.cache
def _set_sql() -> str:
    return f'SELECT * FROM "{ElementSet._meta.db_table}" WHERE "factory_id" = %s'


VERSION_COMMENT_MAX_LENGTH = 500
"""The longest comment a version keeps (the element form's *Comment*; a longer one is refused, never cut)."""


class ElementVersion(models.Model):
    """One saved state of an element: who, when, what (the whole payload; null records a deletion)."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="versions")
    version = models.IntegerField()
    position = models.IntegerField()
    payload: models.JSONField[Any] = models.JSONField(null=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(max_length=VERSION_COMMENT_MAX_LENGTH, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["element", "version"], name="element_version_unique")]
        ordering = ["element", "-version"]

    def __str__(self) -> str:
        return f"{self.element} v{self.version}"

    @classmethod
    def newest_of(cls, factory_id: int) -> int:
        """The id of the factory's newest element version (0 for none): every save, deletion and import writes one,
        so while it stays the newest the model has not changed."""
        newest = cls.objects.filter(element__factory_id=factory_id).order_by("-pk").values_list("pk", flat=True).first()
        return newest or 0


class Snapshot(models.Model):
    """A named state of a factory's model: the set of element versions live at that moment, and the model's digest."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="snapshots")
    label = models.CharField(max_length=300)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    versions = models.ManyToManyField(ElementVersion, related_name="snapshots")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.factory.slug}: {self.label}"


class Job(models.Model):
    """A piece of background work on a factory (an analysis, an import, a report bundle), run by the task worker, never inside a request.

    The task updates ``stage`` and ``progress`` as it goes so that a page can
    show how far it is; ``result`` holds what a page needs afterwards (counts,
    messages), ``upload`` the file an import reads, ``output`` a file it made.
    """

    class Kind(models.TextChoices):
        ANALYSIS = "analysis", _("analysis")
        IMPORT = "import", _("import")
        REPORTS = "reports", _("reports")
        VULNERABILITIES = "vulnerabilities", _("vulnerabilities")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0 to 100.")
    lang = models.CharField(max_length=8, default="en")
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    upload_name = models.CharField(max_length=300, blank=True)
    upload = models.BinaryField(null=True, blank=True)
    output = models.BinaryField(null=True, blank=True)
    result: models.JSONField[Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["factory", "kind", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.factory.slug}: {self.kind} #{self.pk} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
