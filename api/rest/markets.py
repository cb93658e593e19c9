"""Figures about markets and regions rather than one company."""

from __future__ import annotations

from api.rest.companies import MetricOut, metrics_out
from api.rest.endpoints import Endpoint, paged
from api.rest.params import PageParams, request_session
from api.rest.responses import List
from api.store.markets import MARKET_ORDER, list_market_metrics

ENDPOINTS = [
    Endpoint(
        "/markets",
        "listMarketFigures",
        "Figures about markets and regions (market size, share of sales online, ...), by market",
        List[MetricOut],
        paged(
            PageParams,
            MARKET_ORDER,
            lambda r, p, page: list_market_metrics(request_session(r), page=page),
            metrics_out,
        ),
        PageParams,
    ),
]
