"""Packed: items stored without their pickles' headers read back equal, in any size, also after
the blob itself is pickled (as the artefact does)."""

import pickle

from tradeties.places.packed import Packed

ITEMS = [
    ("GE-AB", "Abkhazia", None, 42.79083, (), ("Abchasien", "阿布哈兹"), 0),
    (5, False, False, "", False, ("AR-K",)),
    None,
    "",
    tuple(f"name {i}" for i in range(50_000)),  # several pickle frames
]


def test_items_read_back_equal_after_the_blob_is_pickled():
    packed = pickle.loads(pickle.dumps(Packed.of(ITEMS), protocol=pickle.HIGHEST_PROTOCOL))
    assert len(packed) == len(ITEMS)
    assert [packed[i] for i in range(len(ITEMS))] == ITEMS


def test_items_are_stored_without_the_pickle_header():
    packed = Packed.of(["x"])
    assert not packed._blob.startswith(b"\x80")
    assert packed._offsets.typecode == "I"
