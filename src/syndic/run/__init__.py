"""How the stages are wired: in one process (asyncio + a process pool), or as Celery tasks."""
