"""Demo data for `opengov-food db seed`: the classic cocktails, a demo inspector,
a demo administrator and a handful of the inspector's items. Idempotent."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from adapters.jsonfile import read_catalog
from core.identity import Principal, UserCreate
from core.inspections import InspectionType, ItemCreate, ItemQuery
from entrypoints.bootstrap import Container

SEED_FILE = Path(__file__).resolve().parent / "data" / "cocktails.json"
DEMO_INSPECTOR = "inspector@example.gov"
DEMO_ADMIN = "admin@example.gov"

DEMO_ITEMS = [
    ItemCreate(title="Routine inspection: Harbour Fish Bar", description="Check cold holding of the display counter "
               "and the walk-in fridge temperature log.", establishment_name="Harbour Fish Bar",
               establishment_address="12 Quay Street", inspection_type=InspectionType.ROUTINE),
    ItemCreate(title="Complaint: Sunrise Bakery", description="Customer reported mould on bread rolls; inspect "
               "storage, labelling and date marking.", establishment_name="Sunrise Bakery",
               inspection_type=InspectionType.COMPLAINT),
    ItemCreate(title="Follow-up: Green Leaf Café", description="Verify hand-washing sink now has soap and paper "
               "towels, as required after the last visit.", establishment_name="Green Leaf Café",
               inspection_type=InspectionType.FOLLOW_UP, due_date=date(2026, 12, 15)),
    ItemCreate(title="Routine inspection: School canteen", description="Allergen information, hot holding above "
               "63 °C at service, cleaning schedule.", establishment_name="Northside Primary School",
               inspection_type=InspectionType.ROUTINE),
    ItemCreate(title="Pest control records: Market Hall", description="Review contractor reports and look for "
               "evidence of rodents in the dry store.", establishment_name="Market Hall"),
]  # fmt: skip


async def seed(container: Container, *, inspector_password: str | None, admin_password: str | None) -> list[str]:
    """Load everything that is missing; return one line per thing done."""
    done: list[str] = []
    result = await container.catalog.import_cocktails(read_catalog(SEED_FILE))
    done.append(f"cocktails: added {result.added}, skipped {result.skipped} already in the catalog")

    admin_secret = admin_password or secrets.token_urlsafe(12)
    admin, created = await container.identity.ensure_superuser(DEMO_ADMIN, admin_secret, "Demo Administrator")
    done.append(_account_line(DEMO_ADMIN, created, admin_password, admin_secret))

    inspector = await container.users.get_by_email(DEMO_INSPECTOR)
    inspector_secret = inspector_password or secrets.token_urlsafe(12)
    if inspector is None:
        inspector = await container.identity.create_user(
            admin, UserCreate(email=DEMO_INSPECTOR, password=inspector_secret, full_name="Demo Inspector")
        )
        done.append(_account_line(DEMO_INSPECTOR, True, inspector_password, inspector_secret))
    else:
        done.append(_account_line(DEMO_INSPECTOR, False, inspector_password, inspector_secret))

    actor = Principal.of(inspector)
    if (await container.inspections.search(actor, ItemQuery(limit=1))).total == 0:
        for item in DEMO_ITEMS:
            await container.inspections.create(actor, item)
        done.append(f"items: added {len(DEMO_ITEMS)} for {DEMO_INSPECTOR}")
    else:
        done.append(f"items: {DEMO_INSPECTOR} already has items; none added")
    return done


def _account_line(email: str, created: bool, configured: str | None, generated: str) -> str:
    if not created:
        return f"{email}: already exists; left unchanged"
    if configured:
        return f"{email}: created with the password from settings"
    # Shown once, at creation; it is stored only as an argon2id hash.
    return f"{email}: created with password {generated} (shown only now)"
