"""The five founding articles: what the labels say must come out."""

from __future__ import annotations

import pytest
from texts import label

from tradeties.classifier.training.evaluate import to_document


def principal(result) -> set[str]:
    return {label(t) for t in result.regions if t.role != "mention"}


@pytest.mark.parametrize("seed_id", ["seed000", "seed001", "seed002", "seed003", "seed004"])
def test_seed_relevance_countries_and_key_regions(classifier, seeds, seed_id):
    article = seeds[seed_id]
    labels = article["labels"]
    result = classifier.classify(to_document(article))
    assert result.relevant is labels["relevant"]
    assert (
        set(labels["countries"])
        >= set(result.countries)
        >= {"CN"} | ({"GB"} if seed_id in ("seed000", "seed001", "seed004") else set())
    )
    # every predicted principal region that the labels name is there; the first-named ones are found
    assert labels["regions"][0] in principal(result)
    assert labels["primary_event_type"] in {e.id for e in result.event_types}


def test_seed000_liaoning_delegation_to_birmingham(classifier, seeds):
    r = classifier.classify(to_document(seeds["seed000"]))
    assert r.primary_event_type == "delegation_visit"
    assert r.delegation and label(r.delegation.origin) == "CN:Liaoning"
    assert label(r.delegation.destination) in {"GB:Birmingham", "GB:West Midlands"}
    assert {"CN:Liaoning", "GB:Birmingham", "GB:West Midlands"} <= principal(r)


# the nest model (model/direction.py) weighs the visited city against the headline's West Midlands.
# Known failure (docs/classifier.md, "Visited city vs its region"): the choice flips with the data
# (session 10's model: the region; trained with zg + zh: the city; session 11's with ag + ah as well:
# the region again); strict, so a fix shows as XPASS
@pytest.mark.xfail(strict=True, reason="nest ranks the headline's region above the visited city (issue 10)")
def test_seed000_destination_is_the_visited_city(classifier, seeds):
    r = classifier.classify(to_document(seeds["seed000"]))
    assert r.delegation and label(r.delegation.destination) == "GB:Birmingham"
    conf = {label(t): t.confidence for t in r.regions}
    # "eclipsed by ... Shanghai": a comparison is weaker evidence than the parties' own sentences
    assert conf["CN:Shanghai"] < min(conf[k] for k in ("CN:Liaoning", "GB:Birmingham", "GB:West Midlands"))


def test_seed001_city_region_mission_goes_to_china(classifier, seeds):
    r = classifier.classify(to_document(seeds["seed001"]))
    assert label(r.delegation.origin) == "GB:Liverpool City Region"
    # the mission's Chinese stops (Kunming first, then Chongqing, Tianjin…): one of them
    assert label(r.delegation.destination) in {x for x in seeds["seed001"]["labels"]["regions"] if x.startswith("CN:")}
    assert {"GB:Liverpool City Region", "CN:Yunnan", "CN:Chongqing", "CN:Tianjin"} <= principal(r)


def test_seed001_first_stop_kunming_beside_its_province(classifier, seeds):
    assert "CN:Kunming" in principal(classifier.classify(to_document(seeds["seed001"])))


def test_seed003_foshan_zone_is_a_cooperation_platform(classifier, seeds):
    r = classifier.classify(to_document(seeds["seed003"]))
    assert r.primary_event_type == "cooperation_platform"
    assert {"CN:Foshan", "CN:Guangdong"} <= principal(r)
    assert "IT:Milan" not in principal(r)  # "Hannover Milano Fairs" is a company


def test_seed004_guizhou_agreement_with_the_midlands_engine(classifier, seeds):
    r = classifier.classify(to_document(seeds["seed004"]))
    assert r.primary_event_type == "agreement"
    assert {"agreement", "delegation_visit"} <= {e.id for e in r.event_types}
    assert label(r.delegation.origin) == "CN:Guizhou"
    assert label(r.delegation.destination) in ("GB:Midlands Engine", "GB:London")
    engine = next(t for t in r.regions if label(t) == "GB:Midlands Engine")
    assert engine.admin_level == "regional-partnership"
