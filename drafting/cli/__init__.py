"""The `drafting` commands: the service's tools (`service.py`, run inside the app), the mail
worker (`mail.py`) and `compare` (`compare.py`), which needs no app and starts without one."""
