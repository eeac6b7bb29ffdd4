"""A throwaway Dovecot IMAP server on 127.0.0.1, for the tests and the benchmark.

Debian's ``dovecot-imapd`` with a configuration written here: one passwd-file user, a Maildir
under a temporary folder owned by the ``mail`` user, no SSL, listening on a free loopback port.
It is the real server a provincial mail system runs, started in the foreground and stopped with
its process; nothing of it outlives the block. Dovecot must run as root to switch to ``mail``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = sangkien-{port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {root}/dovecot.log
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@dataclass(frozen=True, slots=True)
class ImapServer:
    """Where the server listens and who may log in."""

    port: int
    username: str
    password: str
    root: Path
    spares: int = 0

    def spare(self, number: int) -> str:
        """The name of spare user ``number`` (same password, an empty mailbox of its own)."""
        if not 1 <= number <= self.spares:
            raise ValueError(f"this server has {self.spares} spare users")
        return f"{self.username}{number}"

    @property
    def log(self) -> str:
        """Dovecot's log so far (for a failing test's message)."""
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def available() -> str | None:
    """Why Dovecot cannot run here, or None when it can."""
    if not Path(DOVECOT).exists():
        return "Dovecot is not installed (Debian: apt-get install dovecot-imapd)"
    if os.geteuid() != 0:
        return "Dovecot must start as root to switch to the mail user"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _greets(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            return connection.recv(64).startswith(b"* OK")
    except OSError:
        return False


@contextmanager
def dovecot(
    username: str = "noivu",
    password: str = "mat-khau-thu",  # noqa: S107 - a throwaway server's
    spares: int = 0,
) -> Iterator[ImapServer]:
    """A running Dovecot for the block, with ``username`` and ``spares`` more users (``username1``…,
    the same password: a test takes a fresh mailbox each); gone after the block."""
    reason = available()
    if reason:
        raise RuntimeError(reason)
    root = Path(tempfile.mkdtemp(prefix="sangkien-dovecot-"))
    root.chmod(0o755)  # Dovecot's login and mail processes run as other users
    (root / "mail").mkdir()
    mail = pwd.getpwnam("mail")
    os.chown(root / "mail", mail.pw_uid, mail.pw_gid)
    users = [username, *(f"{username}{n}" for n in range(1, spares + 1))]
    (root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{password}\n" for u in users), encoding="utf-8")
    port = _free_port()
    (root / "dovecot.conf").write_text(_CONFIG.format(root=root, port=port), encoding="utf-8")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")])  # noqa: S603
    try:
        deadline = time.monotonic() + 20
        while not _greets(port):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (
                    (root / "dovecot.log").read_text(errors="replace")
                    if (root / "dovecot.log").exists()
                    else ""
                )
                raise RuntimeError(f"Dovecot did not start on 127.0.0.1:{port}: {log[-2000:]}")
            time.sleep(0.05)
        yield ImapServer(port, username, password, root, spares)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)
