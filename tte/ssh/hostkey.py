"""The gateway's SSH host key: generated once, kept in the data directory.

Participants see the same fingerprint at every start, so a changed key means a different
machine (or a new data directory), which is exactly what SSH's host-key warning is for.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import asyncssh

log = logging.getLogger("tte.ssh")

KEY_FILE = "ssh_host_ed25519_key"


def load_or_create(data_dir: Path) -> tuple[asyncssh.SSHKey, Path, bool]:
    """(key, path, created). The private key file is mode 0600 in a 0700 directory."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data_dir / KEY_FILE
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            # Someone else could have read it: say so loudly, then tighten it.
            log.warning("%s was readable by others (mode %o); fixed to 0600", path, mode)
            os.chmod(path, 0o600)
        return asyncssh.read_private_key(path), path, False
    key = asyncssh.generate_private_key("ssh-ed25519", comment="tte-ssh-gateway")
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.export_private_key("openssh"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)  # atomic: a crash never leaves half a key behind
    pub = path.with_name(path.name + ".pub")
    pub.write_bytes(key.export_public_key("openssh"))
    return key, path, True


def fingerprint(key: asyncssh.SSHKey) -> str:
    """``SHA256:…`` exactly as OpenSSH prints it."""
    return key.get_fingerprint("sha256")
