"""The domain, with no Prefect: ``db`` (engine, migrations, audit, outbox table), ``cycle``
(configuration, roster, calendar, deadlines, numbers), ``intake`` (obligations and submission
kinds, reading and storing), ``tracking`` (compliance, the sweep's plan, extensions), ``review``
(sheets, tally, information requests, the decision), ``reporting`` (scores, exports); and
``imports`` and ``forms``, the entry points that span them. ``settings``, ``errors`` and ``text``
serve all.
"""
