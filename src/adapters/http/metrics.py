"""Prometheus metrics at /metrics: Litestar's request metrics plus ours."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator

from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from prometheus_client import REGISTRY, Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

PREFIX = "opengov_food"

LOGINS = Counter(f"{PREFIX}_logins_total", "Login attempts by outcome.", ["outcome"])

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


def prometheus_config() -> PrometheusConfig:
    return PrometheusConfig(
        app_name="opengov-food",
        prefix=PREFIX,
        group_path=True,
        exclude=["^/metrics$"],
        buckets=[0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0],
    )
