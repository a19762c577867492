"""A test-only app for the consumer that tests/e2e/test_workers_recover.py kills:
it holds each periodic job in the middle of its run, and declares a control job
under huey's own `lock_task` (the lock the periodic jobs used to take)."""
