"""Stateful property tests: random sequences of use cases against each storage
adapter, checked after every step against a small reference model kept here.

Rules driven: register, log in, deactivate/reactivate, create/patch/delete
cocktails, search and paginate them, create items, change their status, delete
them and list them, acting as their owner, another user or a superuser.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from adapters.security import Argon2Hasher, FixedClock
from adapters.sqlite import migrate as lite_migrate
from core.catalog import CocktailDraft, CocktailPatch, CocktailQuery, Ingredient
from core.errors import AuthenticationFailed, Conflict, Forbidden, NotFound
from core.identity import Principal, Registration, UserAdminUpdate
from core.inspections import ItemCreate, ItemQuery, ItemStatus, ItemUpdate
from core.text import fold
from entrypoints.bootstrap import build, storage_for
from entrypoints.settings import Settings
from tests.conftest import SQL_DIR, STORAGES, TEST_SECRET

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
MACHINE_SETTINGS = hypothesis_settings(
    max_examples=200 if THOROUGH else 30,
    stateful_step_count=50 if THOROUGH else 30,
    deadline=None,
)
HASHER = Argon2Hasher()
STEPS = {"steps": 0, "runs": 0}

EMAILS = ["ann@example.gov", "bob@example.gov", "cy@example.gov"]
PASSWORDS = ["password-one", "password-two"]
NAMES = ["Negroni", "NEGRONI", "Piña Colada", "pina colada", "Gin Fizz", "Café Royal", "Mojito"]
INGREDIENTS = ["Gin", "gin", "Campari", "Lime juice", "Rum", "Soda water", "Crème de cassis"]
QUERIES = ["gin", "PIN", "a", "café", "zz", "o"]
STATUSES = list(ItemStatus)
#: The reference workflow, written out independently of core.inspections.workflow.
LEGAL = {
    ("pending", "in_progress"), ("pending", "cancelled"), ("in_progress", "completed"), ("in_progress", "cancelled"),
}  # fmt: skip
REOPEN = {("completed", "in_progress"), ("cancelled", "in_progress")}


class CoreMachine(RuleBasedStateMachine):
    storage = "memory"
    pg_url = ""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.tmp = tempfile.TemporaryDirectory()
        url = "memory://"
        if self.storage == "sqlite":
            path = str(Path(self.tmp.name) / "machine.db")
            lite_migrate(path, SQL_DIR / "sqlite")
            url = "sqlite:///" + path
        elif self.storage == "postgres":
            url = self.pg_url
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("TRUNCATE opengov_food.items, opengov_food.cocktails, opengov_food.users RESTART IDENTITY CASCADE")
        settings = Settings(database_url=url, secret_key=TEST_SECRET, db_pool_min_size=1, db_pool_max_size=2)
        adapters = storage_for(settings)
        self.clock = FixedClock()
        self.app = build(
            settings, database=adapters.database, users=adapters.users, cocktails=adapters.cocktails,
            items=adapters.items, hasher=HASHER, clock=self.clock,
        )  # fmt: skip
        self.run(adapters.database.open())
        root, _ = self.run(self.app.identity.ensure_superuser("root@example.gov", "root-password"))
        self.root = Principal.of(root)
        # Reference model.
        self.users: dict[str, dict] = {}
        self.cocktails: dict[int, dict] = {}
        self.items: dict[int, dict] = {}
        STEPS["runs"] += 1

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def teardown(self) -> None:
        self.run(self.app.database.close())
        self.loop.close()
        self.tmp.cleanup()

    def actors(self) -> list[Principal]:
        return [self.root, *(Principal(u["id"], False) for u in self.users.values())]

    def step(self) -> None:
        STEPS["steps"] += 1
        self.clock.advance(timedelta(seconds=1))

    # -- identity ------------------------------------------------------------

    @rule(email=st.sampled_from(EMAILS), upper=st.booleans(), password=st.sampled_from(PASSWORDS))
    def register(self, email: str, upper: bool, password: str) -> None:
        self.step()
        offered = email.upper() if upper else email
        if email in self.users:
            with pytest.raises(Conflict):
                self.run(self.app.identity.register(Registration(email=offered, password=password)))
            return
        user = self.run(self.app.identity.register(Registration(email=offered, password=password)))
        assert user.email == email and not user.is_superuser
        self.users[email] = {"id": user.id, "password": password, "active": True}

    @rule(email=st.sampled_from(EMAILS), password=st.sampled_from(PASSWORDS))
    def login(self, email: str, password: str) -> None:
        self.step()
        known = self.users.get(email)
        if known is None or known["password"] != password:
            with pytest.raises(AuthenticationFailed):
                self.run(self.app.identity.login(email, password))
        elif not known["active"]:
            with pytest.raises(Forbidden):
                self.run(self.app.identity.login(email, password))
        else:
            token = self.run(self.app.identity.login(email, password))
            assert self.run(self.app.identity.user_for_token(token.access_token)).id == known["id"]

    @rule(email=st.sampled_from(EMAILS), active=st.booleans())
    def set_active(self, email: str, active: bool) -> None:
        self.step()
        known = self.users.get(email)
        if known is None:
            return
        root = self.run(self.app.users.get(self.root.user_id))
        updated = self.run(self.app.identity.update_user(root, known["id"], UserAdminUpdate(is_active=active)))
        assert updated.is_active is active
        known["active"] = active

    # -- catalog -----------------------------------------------------------------

    @rule(data=st.data(), name=st.sampled_from(NAMES), ingredients=st.sets(st.sampled_from(INGREDIENTS), min_size=1, max_size=3))
    def create_cocktail(self, data, name: str, ingredients: set[str]) -> None:
        self.step()
        actor = data.draw(st.sampled_from(self.actors()))
        draft = CocktailDraft(name=name, ingredients=[Ingredient(name=i) for i in sorted(ingredients)], description=f"about {name}")
        keys = [fold(i) for i in sorted(ingredients)]
        taken = any(c["key"] == fold(name) for c in self.cocktails.values())
        if len(set(keys)) != len(keys) or taken:
            with pytest.raises(Exception) as caught:
                self.run(self.app.catalog.create(actor, draft))
            assert type(caught.value).__name__ in ("Conflict", "InvalidInput")
            assert (type(caught.value) is Conflict) == (taken and len(set(keys)) == len(keys))
            return
        created = self.run(self.app.catalog.create(actor, draft))
        self.cocktails[created.id] = {"key": fold(name), "name": name, "keys": set(keys), "by": actor.user_id,
                                      "version": 1, "text": fold(name) + "\n" + fold(f"about {name}")}  # fmt: skip

    @rule(data=st.data(), name=st.sampled_from(NAMES))
    def rename_cocktail(self, data, name: str) -> None:
        self.step()
        if not self.cocktails:
            return
        target = data.draw(st.sampled_from(sorted(self.cocktails)))
        actor = data.draw(st.sampled_from(self.actors()))
        known = self.cocktails[target]
        if not actor.is_superuser and known["by"] != actor.user_id:
            with pytest.raises(Forbidden):
                self.run(self.app.catalog.patch(actor, target, CocktailPatch(name=name)))
            return
        if any(c["key"] == fold(name) and i != target for i, c in self.cocktails.items()):
            with pytest.raises(Conflict):
                self.run(self.app.catalog.patch(actor, target, CocktailPatch(name=name)))
            return
        updated = self.run(self.app.catalog.patch(actor, target, CocktailPatch(name=name)))
        known["version"] += 1
        known.update(key=fold(name), name=name, text=fold(name) + "\n" + known["text"].split("\n", 1)[1])
        assert updated.version == known["version"]

    @rule(data=st.data())
    def delete_cocktail(self, data) -> None:
        self.step()
        if not self.cocktails:
            return
        target = data.draw(st.sampled_from(sorted(self.cocktails)))
        actor = data.draw(st.sampled_from(self.actors()))
        if not actor.is_superuser and self.cocktails[target]["by"] != actor.user_id:
            with pytest.raises(Forbidden):
                self.run(self.app.catalog.delete(actor, target))
            return
        self.run(self.app.catalog.delete(actor, target))
        del self.cocktails[target]
        with pytest.raises(NotFound):
            self.run(self.app.catalog.get(target))

    @rule(q=st.none() | st.sampled_from(QUERIES), ingredients=st.sets(st.sampled_from(INGREDIENTS), max_size=2))
    def search_cocktails(self, q: str | None, ingredients: set[str]) -> None:
        self.step()
        page = self.run(self.app.catalog.search(CocktailQuery(q=q, ingredients=sorted(ingredients), limit=100)))
        wanted = {fold(i) for i in ingredients}
        expected = sorted(
            (c["key"], i) for i, c in self.cocktails.items()
            if (q is None or fold(q) in c["text"]) and wanted <= c["keys"]
        )  # fmt: skip
        assert [c.id for c in page.items] == [i for _, i in expected]
        assert page.total == len(expected)

    @rule(limit=st.integers(min_value=1, max_value=4))
    def paginate_cocktails(self, limit: int) -> None:
        """Following next_cursor visits every cocktail exactly once, in order."""
        self.step()
        seen, cursor = [], None
        for _ in range(len(self.cocktails) + 2):
            page = self.run(self.app.catalog.search(CocktailQuery(limit=limit, cursor=cursor)))
            seen += [c.id for c in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == [i for _, i in sorted((c["key"], i) for i, c in self.cocktails.items())]

    # -- inspections ----------------------------------------------------------------

    @rule(data=st.data())
    def create_item(self, data) -> None:
        self.step()
        actor = data.draw(st.sampled_from(self.actors()))
        item = self.run(self.app.inspections.create(actor, ItemCreate(title=f"Visit {len(self.items)}")))
        assert item.status == ItemStatus.PENDING and item.owner_id == actor.user_id
        self.items[item.id] = {"owner": actor.user_id, "status": "pending", "version": 1}

    @rule(data=st.data(), target_status=st.sampled_from(STATUSES))
    def change_status(self, data, target_status: ItemStatus) -> None:
        self.step()
        if not self.items:
            return
        target = data.draw(st.sampled_from(sorted(self.items)))
        actor = data.draw(st.sampled_from(self.actors()))
        known = self.items[target]
        change = ItemUpdate(status=target_status)
        if not actor.is_superuser and known["owner"] != actor.user_id:
            with pytest.raises(NotFound):
                self.run(self.app.inspections.update(actor, target, change))
            return
        move = (known["status"], target_status.value)
        legal = move[0] == move[1] or move in LEGAL or (actor.is_superuser and move in REOPEN)
        if not legal:
            with pytest.raises(Conflict):
                self.run(self.app.inspections.update(actor, target, change))
            return
        updated = self.run(self.app.inspections.update(actor, target, change))
        known["status"] = target_status.value
        known["version"] += 1
        assert updated.status == target_status and updated.version == known["version"]

    @rule(data=st.data())
    def delete_item(self, data) -> None:
        self.step()
        if not self.items:
            return
        target = data.draw(st.sampled_from(sorted(self.items)))
        actor = data.draw(st.sampled_from(self.actors()))
        if not actor.is_superuser and self.items[target]["owner"] != actor.user_id:
            with pytest.raises(NotFound):
                self.run(self.app.inspections.delete(actor, target))
            return
        self.run(self.app.inspections.delete(actor, target))
        del self.items[target]

    @rule(data=st.data(), statuses=st.sets(st.sampled_from(STATUSES), max_size=2))
    def list_items(self, data, statuses: set[ItemStatus]) -> None:
        self.step()
        actor = data.draw(st.sampled_from(self.actors()))
        page = self.run(self.app.inspections.search(actor, ItemQuery(status=sorted(statuses), sort="created_at", limit=1000)))
        expected = [
            i for i, it in sorted(self.items.items())
            if (actor.is_superuser or it["owner"] == actor.user_id) and (not statuses or it["status"] in {s.value for s in statuses})
        ]  # fmt: skip
        assert [i.id for i in page.items] == expected and page.total == len(expected)

    @invariant()
    def stored_items_match_the_model_and_are_legal(self) -> None:
        if not hasattr(self, "items"):
            return
        page = self.run(self.app.inspections.search(self.root, ItemQuery(limit=1000)))
        stored = {i.id: (i.status.value, i.version) for i in page.items}
        assert stored == {i: (it["status"], it["version"]) for i, it in self.items.items()}
        assert all(status in {s.value for s in ItemStatus} for status, _ in stored.values())


@pytest.mark.parametrize("storage", STORAGES)
def test_core_use_cases_agree_with_the_reference_model(storage: str, request) -> None:
    machine = type(f"{storage.title()}Machine", (CoreMachine,), {"storage": storage})
    if storage == "postgres":
        machine.pg_url = request.getfixturevalue("pg_url")
    run_state_machine_as_test(machine, settings=MACHINE_SETTINGS)


def test_report_stateful_volume() -> None:
    """Not a check: prints how many runs and steps the machines made (for the closing note)."""
    print(f"\nstateful runs: {STEPS['runs']}, steps: {STEPS['steps']}")
