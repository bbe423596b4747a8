"""The long-running processes a user starts: `syndic serve` (the web app, the poller, the
campaign scheduler in one process) and `syndic demo`.

They sit above the web app, which sits above the library (`syndic.library`):
a service builds the app over a `Syndic` and runs it, so it cannot live in
the library the app is made of.
"""
