"""The long-running processes a user starts: `syndic serve` (the web app, the poller, the
campaign scheduler in one process), `syndic demo`, and the cluster's `syndic worker`,
`beat` and `monitor` (`workers.py`, over Celery).

They sit above the web app, which sits above the library (`syndic.library`):
a service builds the app over a `Syndic` and runs it, so it cannot live in
the library the app is made of. The cluster's processes need no web app but
are processes all the same, started by the CLI without it knowing Celery.
"""
