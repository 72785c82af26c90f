"""The matcher and sentence splitter under the gazetteer and lexicons."""

from __future__ import annotations

from tradeties.places.text import Matcher, MatcherSet, fold_aligned, split_sentences


def surfaces(matcher, text):
    return [h.surface for h in matcher.find(text)]


def test_word_boundaries_prefixes_suffixes_and_cjk():
    m = Matcher([("invest*", "i"), ("port", "p"), ("*forum", "f"), ("合作", "c"), ("AI", "a")])
    assert surfaces(m, "Investors saw the port; passport and report are not ports.") == [
        "Invest",
        "port",
    ]  # a prefix term matches its prefix
    assert surfaces(m, "Das Wirtschaftsforum und das Forum") == ["forum", "Forum"]  # the tail of a compound
    assert surfaces(m, "双方签署合作协议") == ["合作"]
    assert surfaces(m, "AI firms, but j'ai dit non") == ["AI"]  # short capitals match case-sensitively


def test_longest_match_wins_and_names_need_capitals():
    m = Matcher([("Liverpool", "L"), ("Liverpool City Region", "LCR"), ("Reading", "R"), ("bretonne", "B")], capitalised=True)
    assert [h.value for h in m.find("The Liverpool City Region and Liverpool")] == [("LCR",), ("L",)]
    assert surfaces(m, "reading the report in Reading") == ["Reading"]
    assert surfaces(m, "une délégation bretonne") == ["bretonne"]  # lower-case keys match lower case


def test_folding_keeps_offsets_and_sentences_have_offsets():
    text = "Düsseldorf’s İzmir delegation"
    assert len(fold_aligned(text)) == len(text) and fold_aligned(text).startswith("dusseldorf's")
    full, sentences = split_sentences("Title", "First, 3.5 billion. Second!\n\n中国代表团访问了伯明翰。签署协议。")
    assert [s.text for s in sentences] == ["Title", "First, 3.5 billion.", "Second!", "中国代表团访问了伯明翰。", "签署协议。"]
    assert all(full[s.start : s.end].strip() == s.text for s in sentences)
    assert sentences[0].in_title and not sentences[1].in_title


def test_one_character_chinese_cues_only_where_asked():
    entries = [("赴", "dest"), ("比", "compare")]
    assert Matcher(entries).find("代表团赴德国") == []  # inside running text a lone character is part of words
    hits = Matcher(entries, single_cjk=True).find("代表团赴德国")
    assert [(h.surface, h.start) for h in hits] == [("赴", 3)]


def test_a_matcher_set_finds_what_each_of_its_matchers_finds():
    # one key in two matchers with other flags ("invest*" a prefix in one, a whole word in the other)
    each = {
        "event": Matcher([("invest*", "i"), ("trade mission", "tm"), ("trade", "t")]),
        "place": Matcher([("Invest", "I"), ("Reading", "R"), ("Trade", "T")], capitalised=True),
        "none": Matcher([]),
    }
    text = "Investment in Reading: a trade mission, reading and Trade news; Invest NI."
    found = MatcherSet(each).find(text, fold_aligned(text))
    assert found == {name: m.find(text) for name, m in each.items()}
    assert [h.surface for h in found["event"]] == ["Invest", "trade mission", "Trade", "Invest"]
    assert [h.surface for h in found["place"]] == ["Reading", "Trade", "Invest"]
    assert found["none"] == []
