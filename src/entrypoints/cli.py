"""The ``opengov-food`` command line.

Every command builds its services through ``entrypoints.bootstrap``, exactly
as the web app does. Bad input prints one line to stderr and exits non-zero.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TypeVar
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from adapters.jsonfile import FORMAT, read_catalog, write_catalog
from core.errors import DomainError
from entrypoints import bootstrap
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings, SettingsError, load_settings


T = TypeVar("T")


def _with_container(settings: Settings, work: Callable[[bootstrap.Container], Awaitable[T]], *, open_db: bool = True) -> T:
    """Build the services, open the database, run ``work``, close everything."""

    async def run() -> T:
        container = bootstrap.build(settings)
        try:
            if open_db:
                await container.database.open()
            return await work(container)
        finally:
            await container.shutdown()

    return asyncio.run(run())


class CliError(Exception):
    """A message for the user; exit status 1 (2 for usage errors, as argparse does)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        settings = load_settings()
        configure_logging(settings.log_level, settings.resolved_log_format)
        return args.handler(settings, args) or 0
    except (SettingsError, CliError, DomainError, FileNotFoundError, ValueError) as exc:
        print(f"opengov-food: error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opengov-food", description="Food and drink API for the public sector.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the API with the production ASGI server (granian)")
    serve.add_argument("--host", help="address to bind (default: HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default: PORT or 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default: WORKERS or 1)")
    serve.add_argument("--migrate", action="store_true", help="apply pending migrations before serving")
    serve.set_defaults(handler=_serve)

    db = commands.add_parser("db", help="database schema").add_subparsers(title="db commands", metavar="COMMAND")
    db.add_parser("migrate", help="apply pending migrations").set_defaults(handler=_db_migrate)
    db.add_parser("status", help="list migrations and whether each is applied").set_defaults(handler=_db_status)

    db.add_parser(
        "seed", help="load the classic cocktails, a demo inspector and admin, and demo items (idempotent)"
    ).set_defaults(handler=_db_seed)

    catalog = commands.add_parser("catalog", help="cocktail catalog files").add_subparsers(
        title="catalog commands", metavar="COMMAND"
    )
    load = catalog.add_parser("import", help="add the cocktails in a JSON file (all or nothing; known names skipped)")
    load.add_argument("file", help=f"a file in the {FORMAT} format (see README)")
    load.set_defaults(handler=_catalog_import)
    dump = catalog.add_parser("export", help="write the whole catalog as JSON")
    dump.add_argument("file", nargs="?", help="where to write (default: standard output)")
    dump.set_defaults(handler=_catalog_export)

    analyze = commands.add_parser("analyze", help="analyse inspection notes and print the findings (JSON)")
    analyze.add_argument("notes", help="the inspector's notes ('-' reads them from standard input)")
    analyze.add_argument("--provider", choices=["rules", "ollama", "openai"], help="default: ANALYZER_DEFAULT_PROVIDER")
    analyze.add_argument("--model", help="the model to ask (remote providers)")
    analyze.set_defaults(handler=_analyze)

    llm = commands.add_parser("llm", help="the Ollama server").add_subparsers(title="llm commands", metavar="COMMAND")
    llm.add_parser("check", help="check that Ollama answers at OLLAMA_BASE_URL").set_defaults(handler=_llm_check)
    llm.add_parser("list", help="list the models Ollama has").set_defaults(handler=_llm_list)

    users = commands.add_parser("users", help="user accounts").add_subparsers(title="users commands", metavar="COMMAND")
    create = users.add_parser("create-superuser", help="create a superuser (idempotent)")
    create.add_argument("--email", required=True)
    source = create.add_mutually_exclusive_group()
    source.add_argument("--password", help="the password (visible in shell history; prefer --password-stdin)")
    source.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.add_argument("--full-name", default="")
    create.set_defaults(handler=_create_superuser)
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from granian import Granian
    from granian.constants import Interfaces

    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    workers = args.workers if args.workers is not None else settings.workers
    if not 1 <= port <= 65535:
        raise CliError(f"--port must be between 1 and 65535, not {port}")
    if not 1 <= workers <= 64:
        raise CliError(f"--workers must be between 1 and 64, not {workers}")
    if args.migrate:
        _db_migrate(settings, args)
    print(f"opengov-food: serving on http://{host}:{port} (docs at /docs, {workers} worker(s))", file=sys.stderr)
    Granian(
        "entrypoints.asgi:create_app",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        factory=True,
        log_access=False,
    ).serve()
    return 0


def _db_migrate(settings: Settings, args: argparse.Namespace) -> int:
    applied = asyncio.run(bootstrap.migrate(settings))
    if settings.storage == "memory":
        print("memory:// storage has no schema to migrate")
    elif applied:
        print("applied: " + ", ".join(applied))
    else:
        print("database schema is up to date")
    return 0


def _db_status(settings: Settings, args: argparse.Namespace) -> int:
    states = asyncio.run(bootstrap.migration_status(settings))
    for state in states:
        print(f"{state.version:04d}_{state.name}\t{state.applied_at or 'pending'}")
    return 1 if any(s.applied_at is None for s in states) else 0


def _db_seed(settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.seed import seed

    lines = _with_container(
        settings,
        lambda c: seed(c, inspector_password=settings.demo_inspector_password, admin_password=settings.demo_admin_password),
    )
    for line in lines:
        print(line)
    return 0


def _catalog_import(settings: Settings, args: argparse.Namespace) -> int:
    return _import(settings, Path(args.file))


def _import(settings: Settings, path: Path) -> int:
    drafts = read_catalog(path)
    print(f"{path.name}: {len(drafts)} cocktails read", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if total >= 1000:
            print(f"  written {done}/{total}", file=sys.stderr)

    result = _with_container(settings, lambda c: c.catalog.import_cocktails(drafts, progress=progress))
    print(f"added {result.added} cocktails, skipped {result.skipped} already in the catalog")
    return 0


def _catalog_export(settings: Settings, args: argparse.Namespace) -> int:
    if args.file is None:
        count = _with_container(settings, lambda c: write_catalog(c.catalog.export(), sys.stdout))
    else:
        with open(args.file, "w", encoding="utf-8") as out:
            count = _with_container(settings, lambda c: write_catalog(c.catalog.export(), out))
    print(f"exported {count} cocktails", file=sys.stderr)
    return 0


def _analyze(settings: Settings, args: argparse.Namespace) -> int:
    import msgspec

    from core.analysis import AnalysisRequest

    notes = sys.stdin.read() if args.notes == "-" else args.notes
    request = AnalysisRequest(notes=notes, provider=args.provider, model=args.model)

    findings, provider, model, fallback_from = _with_container(
        settings, lambda c: c.analysis.findings(request), open_db=False
    )
    document = {**msgspec.to_builtins(findings), "provider": provider, "model": model}
    if fallback_from:
        document["fallback_from"] = fallback_from
    print(msgspec.json.format(msgspec.json.encode(document), indent=2).decode())
    return 0


def _ollama_models(settings: Settings) -> list[str]:
    from adapters.analysis import OllamaAnalyzer

    async def run() -> list[str]:
        ollama = OllamaAnalyzer(settings.ollama_base_url, model=settings.ollama_model, timeout=10, retries=0)
        try:
            return await ollama.models()
        finally:
            await ollama.close()

    return asyncio.run(run())


def _llm_check(settings: Settings, args: argparse.Namespace) -> int:
    models = _ollama_models(settings)
    wanted = "available" if any(m.split(":")[0] == settings.ollama_model.split(":")[0] for m in models) else "NOT pulled"
    print(f"Ollama answers at {settings.ollama_base_url} with {len(models)} model(s); {settings.ollama_model} is {wanted}")
    return 0 if wanted == "available" else 1


def _llm_list(settings: Settings, args: argparse.Namespace) -> int:
    for name in _ollama_models(settings):
        print(name)
    return 0


def _create_superuser(settings: Settings, args: argparse.Namespace) -> int:
    password = args.password
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif password is None:
        if not sys.stdin.isatty():
            raise CliError("no password given: use --password-stdin, --password, or run in a terminal to be prompted")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat password: "):
            raise CliError("the passwords do not match")

    user, created = _with_container(settings, lambda c: c.identity.ensure_superuser(args.email, password, args.full_name))
    email = user.email
    print(f"created superuser {email}" if created else f"user {email} already exists; left unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
