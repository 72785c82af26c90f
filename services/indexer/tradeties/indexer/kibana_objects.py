"""Kibana 8.19 saved objects for the tradeties indices (pure), serialised as import NDJSON.

Data views on the articles read alias and the alerts read alias; saved searches "New
delegations", "Agreements signed", "By region", "Latest alerts"; Lens charts of articles by
region, sector and event type and a timeline; a map of region points; a dashboard of them all.
Ids derive from the index prefix so two pipelines can share one Kibana.
"""

from __future__ import annotations

import json
from typing import Any

from tradeties.common.indices import Kind, names_for

CORE_MIGRATION = "8.8.0"
TYPE_MIGRATION = {"index-pattern": "8.0.0", "search": "8.0.0", "lens": "8.9.0", "map": "8.1.0", "dashboard": "8.7.0"}


def _obj(type_: str, id_: str, attributes: dict[str, Any], references: list[dict[str, str]] | None = None) -> dict:
    return {
        "type": type_,
        "id": id_,
        "attributes": attributes,
        "references": references or [],
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": TYPE_MIGRATION[type_],
        "managed": False,
    }


def _ref(name: str, type_: str, id_: str) -> dict[str, str]:
    return {"name": name, "type": type_, "id": id_}


def _data_view(id_: str, title: str, name: str, time_field: str) -> dict:
    return _obj(
        "index-pattern",
        id_,
        {
            "title": title,
            "name": name,
            "timeFieldName": time_field,
            "fields": "[]",
            "runtimeFieldMap": "{}",
            "fieldFormatMap": "{}",
            "sourceFilters": "[]",
            "allowHidden": False,
        },
    )


def _search(id_: str, title: str, dv: str, kuery: str, columns: list[str], sort: list[list[str]], description: str = "") -> dict:
    source = {
        "query": {"query": kuery, "language": "kuery"},
        "filter": [],
        "highlightAll": True,
        "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index",
    }
    return _obj(
        "search",
        id_,
        {
            "title": title,
            "description": description,
            "columns": columns,
            "sort": sort,
            "hits": 0,
            "grid": {},
            "hideChart": False,
            "isTextBasedQuery": False,
            "timeRestore": False,
            "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source)},
        },
        [_ref("kibanaSavedObjectMeta.searchSourceJSON.index", "index-pattern", dv)],
    )


def _terms_column(field: str, label: str, size: int, order_by: str) -> dict:
    return {
        "label": label,
        "dataType": "string",
        "operationType": "terms",
        "sourceField": field,
        "isBucketed": True,
        "scale": "ordinal",
        "customLabel": True,
        "params": {
            "size": size,
            "orderBy": {"type": "column", "columnId": order_by},
            "orderDirection": "desc",
            "otherBucket": True,
            "missingBucket": False,
            "parentFormat": {"id": "terms"},
        },
    }


COUNT = {
    "label": "Articles",
    "dataType": "number",
    "operationType": "count",
    "sourceField": "___records___",
    "isBucketed": False,
    "scale": "ratio",
    "customLabel": True,
    "params": {"emptyAsNull": True},
}


def _lens(id_: str, title: str, dv: str, vis_type: str, columns: dict[str, dict], visualization: dict, kuery: str = "") -> dict:
    layer = "layer1"
    state = {
        "datasourceStates": {
            "formBased": {"layers": {layer: {"columns": columns, "columnOrder": list(columns), "incompleteColumns": {}}}}
        },
        "visualization": visualization,
        "query": {"query": kuery, "language": "kuery"},
        "filters": [],
        "internalReferences": [],
        "adHocDataViews": {},
    }
    return _obj(
        "lens",
        id_,
        {"title": title, "description": "", "visualizationType": vis_type, "state": state},
        [
            _ref("indexpattern-datasource-current-indexpattern", "index-pattern", dv),
            _ref(f"indexpattern-datasource-layer-{layer}", "index-pattern", dv),
        ],
    )


def _bar_by(id_: str, title: str, dv: str, field: str, label: str, size: int = 15) -> dict:
    columns = {"by": _terms_column(field, label, size, "count"), "count": COUNT}
    vis = {
        "preferredSeriesType": "bar_horizontal",
        "legend": {"isVisible": False, "position": "right"},
        "valueLabels": "show",
        "layers": [
            {"layerId": "layer1", "layerType": "data", "seriesType": "bar_horizontal", "xAccessor": "by", "accessors": ["count"]}
        ],
    }
    return _lens(id_, title, dv, "lnsXY", columns, vis, kuery="relevant : true")


def _pie_by(id_: str, title: str, dv: str, field: str, label: str) -> dict:
    columns = {"by": _terms_column(field, label, 10, "count"), "count": COUNT}
    vis = {
        "shape": "donut",
        "layers": [
            {
                "layerId": "layer1",
                "layerType": "data",
                "primaryGroups": ["by"],
                "metrics": ["count"],
                "numberDisplay": "percent",
                "categoryDisplay": "default",
                "legendDisplay": "default",
                "nestedLegend": False,
            }
        ],
    }
    return _lens(id_, title, dv, "lnsPie", columns, vis, kuery="relevant : true")


def _timeline(id_: str, title: str, dv: str) -> dict:
    columns = {
        "date": {
            "label": "Published",
            "dataType": "date",
            "operationType": "date_histogram",
            "sourceField": "published_at",
            "isBucketed": True,
            "scale": "interval",
            "customLabel": True,
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False},
        },
        "type": _terms_column("primary_event_type", "Event type", 6, "count"),
        "count": COUNT,
    }
    vis = {
        "preferredSeriesType": "bar_stacked",
        "legend": {"isVisible": True, "position": "right"},
        "valueLabels": "hide",
        "layers": [
            {
                "layerId": "layer1",
                "layerType": "data",
                "seriesType": "bar_stacked",
                "xAccessor": "date",
                "splitAccessor": "type",
                "accessors": ["count"],
            }
        ],
    }
    return _lens(id_, title, dv, "lnsXY", columns, vis, kuery="relevant : true")


def _map(id_: str, title: str, articles_dv: str, alerts_dv: str) -> dict:
    def es_layer(n: int, label: str, color: str, tooltip: list[str], sort_field: str) -> dict:
        return {
            "id": f"tradeties-layer-{n}",
            "label": label,
            "type": "GEOJSON_VECTOR",
            "visible": True,
            "alpha": 0.8,
            "minZoom": 0,
            "maxZoom": 24,
            "includeInFitToBounds": True,
            "sourceDescriptor": {
                "type": "ES_SEARCH",
                "id": f"tradeties-source-{n}",
                "geoField": "location",
                "scalingType": "CLUSTERS",
                "filterByMapBounds": True,
                "applyGlobalQuery": True,
                "applyGlobalTime": True,
                "tooltipProperties": tooltip,
                "sortField": sort_field,
                "sortOrder": "desc",
                "topHitsSplitField": "",
                "topHitsSize": 1,
                "indexPatternRefName": f"layer_{n}_source_index_pattern",
            },
            "style": {
                "type": "VECTOR",
                "properties": {
                    "fillColor": {"type": "STATIC", "options": {"color": color}},
                    "lineColor": {"type": "STATIC", "options": {"color": "#FFFFFF"}},
                    "lineWidth": {"type": "STATIC", "options": {"size": 1}},
                    "iconSize": {"type": "STATIC", "options": {"size": 6}},
                    "symbolizeAs": {"options": {"value": "circle"}},
                },
            },
        }

    layers = [
        {
            "id": "basemap",
            "type": "EMS_VECTOR_TILE",
            "visible": True,
            "alpha": 1,
            "minZoom": 0,
            "maxZoom": 24,
            "sourceDescriptor": {"type": "EMS_TMS", "isAutoSelect": True},
            "style": {"type": "EMS_VECTOR_TILE"},
        },
        es_layer(1, "Articles by region", "#6092C0", ["title", "source", "region_ids", "primary_event_type"], "published_at"),
        es_layer(
            2, "Delegation alerts", "#D36086", ["title", "origin_region_id", "destination_region_id", "revision"], "updated_at"
        ),
    ]
    state = {
        "zoom": 1.6,
        "center": {"lon": 40, "lat": 35},
        "timeFilters": {"from": "now-5y", "to": "now"},
        "refreshConfig": {"isPaused": True, "interval": 0},
        "query": {"query": "", "language": "kuery"},
        "filters": [],
        "settings": {"autoFitToDataBounds": True},
    }
    return _obj(
        "map",
        id_,
        {
            "title": title,
            "description": "Region points of articles and alerts.",
            "mapStateJSON": json.dumps(state),
            "layerListJSON": json.dumps(layers),
            "uiStateJSON": json.dumps({"isLayerTOCOpen": True, "openTOCDetails": []}),
        },
        [
            _ref("layer_1_source_index_pattern", "index-pattern", articles_dv),
            _ref("layer_2_source_index_pattern", "index-pattern", alerts_dv),
        ],
    )


def _dashboard(id_: str, title: str, panels: list[tuple[str, str, int, int, int, int]]) -> dict:
    """panels: (type, id, x, y, w, h) of saved objects shown by reference."""
    panel_json, refs = [], []
    for i, (type_, obj_id, x, y, w, h) in enumerate(panels, 1):
        key = str(i)
        panel_json.append(
            {
                "version": "8.19.0",
                "type": type_,
                "panelIndex": key,
                "panelRefName": f"panel_{key}",
                "gridData": {"x": x, "y": y, "w": w, "h": h, "i": key},
                "embeddableConfig": {},
            }
        )
        refs.append(_ref(f"{key}:panel_{key}", type_, obj_id))
    return _obj(
        "dashboard",
        id_,
        {
            "title": title,
            "description": "Sub-national trade ties: facets, timeline, map and the latest alerts.",
            "panelsJSON": json.dumps(panel_json),
            "optionsJSON": json.dumps(
                {"useMargins": True, "syncColors": False, "syncCursor": True, "syncTooltips": False, "hidePanelTitles": False}
            ),
            "timeRestore": True,
            "timeFrom": "now-5y",
            "timeTo": "now",
            "refreshInterval": {"pause": True, "value": 60000},
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"}, "filter": []})
            },
        },
        refs,
    )


def saved_objects(prefix: str) -> list[dict]:
    names = names_for(prefix)
    articles_dv, alerts_dv = f"{prefix}-articles-dv", f"{prefix}-alerts-dv"
    i = lambda name: f"{prefix}-{name}"  # noqa: E731
    article_columns = ["title", "source", "primary_event_type", "region_names", "countries"]
    objects = [
        _data_view(articles_dv, names[Kind.ARTICLES].read_alias, "tradeties articles", "published_at"),
        _data_view(alerts_dv, names[Kind.ALERTS].read_alias, "tradeties delegation alerts", "updated_at"),
        _search(
            i("search-new-delegations"),
            "New delegations",
            articles_dv,
            'event_types : "delegation_visit"',
            ["title", "source", "origin_region_id", "destination_region_id", "region_ids"],
            [["published_at", "desc"]],
            "Articles reporting a delegation or trade mission, newest first.",
        ),
        _search(
            i("search-agreements-signed"),
            "Agreements signed",
            articles_dv,
            'event_types : "agreement"',
            article_columns,
            [["published_at", "desc"]],
            "MoUs, partnerships and sister-city agreements.",
        ),
        _search(
            i("search-by-region"),
            "By region",
            articles_dv,
            "relevant : true and region_ids : *",
            ["region_names", "region_ids", "countries", "title", "source", "primary_event_type"],
            [["published_at", "desc"]],
            "Relevant articles with their regions; filter on region_ids (place ids) or region_names.",
        ),
        _search(
            i("search-latest-alerts"),
            "Latest alerts",
            alerts_dv,
            "",
            ["title", "origin_region_id", "destination_region_id", "revision", "article_count", "sources"],
            [["updated_at", "desc"]],
            "Newest revision of each delegation alert.",
        ),
        _bar_by(i("lens-by-region"), "Articles by region", articles_dv, "region_names", "Region", 20),
        _bar_by(i("lens-by-sector"), "Articles by sector", articles_dv, "sectors", "Sector"),
        _pie_by(i("lens-by-event-type"), "Articles by event type", articles_dv, "event_types", "Event type"),
        _timeline(i("lens-timeline"), "Timeline of trade-tie events", articles_dv),
        _map(i("map-regions"), "Map of regions", articles_dv, alerts_dv),
    ]
    objects.append(
        _dashboard(
            i("dashboard"),
            "tradeties: sub-national trade ties",
            [
                ("lens", i("lens-by-region"), 0, 0, 16, 15),
                ("lens", i("lens-by-sector"), 16, 0, 16, 15),
                ("lens", i("lens-by-event-type"), 32, 0, 16, 15),
                ("lens", i("lens-timeline"), 0, 15, 48, 12),
                ("map", i("map-regions"), 0, 27, 24, 20),
                ("search", i("search-latest-alerts"), 24, 27, 24, 20),
                ("search", i("search-new-delegations"), 0, 47, 24, 15),
                ("search", i("search-agreements-signed"), 24, 47, 24, 15),
            ],
        )
    )
    return objects


def to_ndjson(objects: list[dict]) -> str:
    return "".join(json.dumps(o, sort_keys=True, ensure_ascii=False) + "\n" for o in objects)
