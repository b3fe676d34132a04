from tests.http.conftest import make_api  # noqa: F401  (shared fixture)
