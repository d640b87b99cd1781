"""The machinery around the task queue (README "Background work").

- retry.py: enqueue when the caller's transaction commits; retry with a capped, doubling delay.
- delivery.py: deliver a message at most once under an idempotency key.
- worker.py: the worker process (django-tasks-db's loop, a heartbeat, the recovery of tasks left
  running by a dead worker, and the scheduler thread).
- scheduler.py: periodic jobs, one scheduler at a time, each time slot enqueued exactly once.

The task functions and the schedule themselves are in catalogue/tasks.py.
"""
