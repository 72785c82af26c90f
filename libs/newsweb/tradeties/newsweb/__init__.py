"""A fixture news web on loopback addresses for tests, benchmarks and the demo.

web = NewsWeb.build(load_records([seeds]), faults=True)
await web.start()          # outlets on 127.0.0.2, 127.0.0.3, ...
web.sources_yaml()         # a crawler sources file pointing at them
web.access_log             # every request, to prove what was (not) fetched
await web.stop()
with web: ...              # the same from a background thread, for synchronous callers
"""

from .outlet import Outlet
from .records import ArticleRecord, corpus_paths, load_records
from .responses import Canned, Recovering
from .server import Access, NewsWeb, serve_until_signalled

__all__ = [
    "Access",
    "ArticleRecord",
    "Canned",
    "NewsWeb",
    "Outlet",
    "Recovering",
    "corpus_paths",
    "load_records",
    "serve_until_signalled",
]
