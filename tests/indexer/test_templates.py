from tradeties.common.indices import IndexNames, Kind, names_for
from tradeties.indexer.capabilities import Capabilities
from tradeties.indexer.templates import TEXT_ANALYZER, alert_mappings, article_mappings, field_paths, index_template

PROD = Capabilities(english_stemming=True, modules=frozenset({"analysis-common"}), version="8.19.3")
DEV = Capabilities(english_stemming=False, modules=frozenset(), version="8.19.3")


def test_production_template_stems_english_and_dev_template_falls_back_to_builtin_standard():
    names = names_for("tt")[Kind.ARTICLES]
    prod = index_template(names, PROD)["template"]["settings"]["analysis"]
    dev = index_template(names, DEV)["template"]["settings"]["analysis"]
    chain = prod["analyzer"][TEXT_ANALYZER]["filter"]
    assert [prod["filter"][f]["language"] for f in chain if f in prod["filter"] and prod["filter"][f]["type"] == "stemmer"] == [
        "possessive_english",
        "english",
    ]
    assert dev == {"analyzer": {TEXT_ANALYZER: {"type": "standard", "stopwords": "_english_"}}}
    assert index_template(names, PROD)["_meta"]["analysis"] == "english"
    assert index_template(names, DEV)["_meta"]["analysis"] == "standard"


def test_both_templates_use_the_same_analyzer_name_so_queries_never_change():
    for caps in (PROD, DEV):
        body = index_template(names_for("tt")[Kind.ARTICLES], caps)
        props = body["template"]["mappings"]["properties"]
        assert props["title"]["analyzer"] == props["body"]["analyzer"] == TEXT_ANALYZER
        assert TEXT_ANALYZER in body["template"]["settings"]["analysis"]["analyzer"]


def test_mappings_are_strict_and_have_the_facets_geo_and_dates():
    for mappings in (article_mappings(), alert_mappings()):
        assert mappings["dynamic"] == "strict"
    props = article_mappings()["properties"]
    for facet in ("region_ids", "countries", "sectors", "event_types", "primary_event_type", "source", "language", "cluster_id"):
        assert props[facet]["type"] == "keyword", facet
    for d in ("published_at", "fetched_at", "indexed_at"):
        assert props[d]["type"] == "date"
    assert props["regions"]["type"] == "nested"
    assert props["regions"]["properties"]["location"]["type"] == "geo_point"
    assert {"role", "admin_level"} <= set(props["regions"]["properties"])
    assert props["location"]["type"] == "geo_point"
    assert props["relevance"]["type"] == "float"
    assert props["regions"]["properties"]["confidence"]["type"] == "float"
    assert "title.raw" in field_paths(article_mappings())
    assert "delegation.origin.location" in field_paths(article_mappings())


def test_template_matches_versioned_indices_but_never_the_alias_names():
    import fnmatch

    n = IndexNames("tt", Kind.ARTICLES)
    assert fnmatch.fnmatch(n.index(3), n.pattern)
    assert not fnmatch.fnmatch(n.read_alias, n.pattern)
    assert not fnmatch.fnmatch(n.write_alias, n.pattern)
    assert n.version_of("tt-articles-v12") == 12
    assert n.version_of("tt-articles-write") is None
    assert n.version_of("tt-alerts-v1") is None
