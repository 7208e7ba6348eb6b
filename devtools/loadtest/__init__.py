"""The load test (`manage.py loadtest`): many people at once on a production-like server.

`plan` picks who signs in (customer administrators of the largest customers, HR users of one
department, KA/KAM and customer service) and, for each, the pages they open: the benchmark's
own pages of that user (every list with its filters and searches, the heaviest detail pages,
the forms, Info, Rapporter and its exports), each asked once to check it answers. `locustfile`
is what the load generator (locust) runs with that plan; `server` starts gunicorn under
`config.settings.loadtest`; `report` reads locust's figures back.
"""
