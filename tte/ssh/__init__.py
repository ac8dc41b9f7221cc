"""Remote play over SSH: ``tte ssh-gateway`` gives each SSH session its own PTY running
``tte play``, so a participant needs nothing but an SSH client. See ``gateway.py``."""
