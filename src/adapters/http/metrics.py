"""Prometheus metrics at /metrics: request metrics (recorded by the edge), the
database pool and logins; served by Litestar's PrometheusController."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator

from litestar.plugins.prometheus import PrometheusController
from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

PREFIX = "opengov_food"

LOGINS = Counter(f"{PREFIX}_logins_total", "Login attempts by outcome.", ["outcome"])
APP_NAME = "opengov-food"
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_LABELS = ("method", "path", "status_code", "app_name")
_REQUESTS = Counter(f"{PREFIX}_requests", "Total requests", _LABELS)
_ERRORS = Counter(f"{PREFIX}_requests_error", "Requests answered with a 5xx status", _LABELS)
_DURATION = Histogram(f"{PREFIX}_request_duration_seconds", "Request duration, in seconds", _LABELS, buckets=BUCKETS)
_IN_PROGRESS = Gauge(f"{PREFIX}_requests_in_progress", "Requests being served now", ("method", "app_name"))
#: Paths not matched by any route share one label, and unknown methods another,
#: so probing cannot grow the number of series.
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestMetrics:
    """Request count, duration and errors by method, route template and status,
    and requests in flight, recorded by the edge middleware (one layer fewer
    than a metrics middleware of its own). The series are the ones Litestar's
    Prometheus plugin writes; label children are looked up once and kept."""

    def __init__(self) -> None:
        self._children: dict[tuple[str, str, int], tuple] = {}
        self._in_progress: dict[str, object] = {}

    def started(self, method: str) -> None:
        self._gauge(method).inc()

    def finished(self, method: str, path: str | None, status: int, seconds: float) -> None:
        """``path`` is the matched route's template, or None when no route matched."""
        self._gauge(method).dec()
        method = method if method in METHODS else "OTHER"
        path = path or UNMATCHED
        key = (method, path, status)
        children = self._children.get(key)
        if children is None:
            labels = (method, path, str(status), APP_NAME)
            children = (_REQUESTS.labels(*labels), _DURATION.labels(*labels), _ERRORS.labels(*labels) if status >= 500 else None)
            if len(self._children) < 10_000:
                self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)
        if children[2] is not None:
            children[2].inc()

    def _gauge(self, method: str):  # type: ignore[no-untyped-def]
        method = method if method in METHODS else "OTHER"
        gauge = self._in_progress.get(method)
        if gauge is None:
            gauge = self._in_progress[method] = _IN_PROGRESS.labels(method, APP_NAME)
        return gauge

PoolStats = Callable[[], dict[str, int]]
_pools: "weakref.WeakSet[_PoolSource]" = weakref.WeakSet()


class _PoolSource:
    def __init__(self, stats: PoolStats) -> None:
        self.stats = stats


class _PoolCollector(Collector):
    """Database pool gauges read at scrape time from every live pool."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        size = GaugeMetricFamily(f"{PREFIX}_db_pool_size", "Connections the pool holds.")
        available = GaugeMetricFamily(f"{PREFIX}_db_pool_available", "Idle connections ready for use.")
        waiting = GaugeMetricFamily(f"{PREFIX}_db_pool_waiting", "Requests waiting for a connection.")
        for source in list(_pools):
            stats = source.stats()
            size.add_metric([], stats.get("pool_size", 0))
            available.add_metric([], stats.get("pool_available", 0))
            waiting.add_metric([], stats.get("requests_waiting", 0))
        yield from (size, available, waiting)


REGISTRY.register(_PoolCollector())


def watch_pool(stats: PoolStats) -> object:
    """Report this pool's statistics; keep the returned handle alive as long as the pool."""
    source = _PoolSource(stats)
    _pools.add(source)
    return source


class MetricsController(PrometheusController):
    path = "/metrics"
    include_in_schema = False
