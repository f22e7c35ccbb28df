"""follow: sources polled politely, around the clock (``claimdesk follow``, ``serve --follow``).

Where it sits: in front of ``pipeline``. The poller (``poller``) takes due sources from
the store (``store.sources``, with a lease, so that pollers can share a store), fetches
each through ``ingest.fetch`` (its limits) one request per host at a time (``polite``),
reads feeds, sitemaps and pages with the ``ingest`` readers, fetches new entries' pages
where robots.txt allows (``robots``), and stores them through ``pipeline.ingest_items``
like any other input. When to poll next is decided by pure functions (``schedule``).
"""
