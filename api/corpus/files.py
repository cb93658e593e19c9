"""The files of a corpus directory, as bytes: which entries are usable files, each read once,
and every fault of the file system (a directory where a file belongs, a symbolic link loop, no
permission) reported as a problem of the file it is about, never raised."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

ENTITIES_FILE = "entities.json"
# Bumped when the loader's interpretation of the files changes, so a reload rewrites the store.
LOADER_VERSION = "13"

_REASONS = {
    errno.ELOOP: "symbolic link loop",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "a directory, not a file",
    errno.ENOTDIR: "a path through something that is not a directory",
}


def why(error: OSError) -> str:
    """What an operating system error means for the file, in the loader's words."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    return (error.strerror or str(error)).lower()


def directory_problem(directory: Path) -> str | None:
    """Why a corpus directory cannot be read as one, or None when it can."""
    try:
        if stat.S_ISDIR(os.stat(directory).st_mode):
            return None
    except OSError as error:
        if error.errno not in (errno.ENOENT, errno.ENOTDIR):
            return f"{directory}: cannot be read: {why(error)}"
    return f"{directory}: not a directory"


class CorpusFiles:
    """The files of one corpus directory. Problems go to `problems`, one line each; the digest
    covers exactly the bytes that were read, which are not kept."""

    def __init__(self, directory: Path, problems: list[str]) -> None:
        self.directory = directory
        self.problems = problems
        # The digest of each file read, by name.
        self.digests: dict[str, bytes] = {}
        self._names: list[str] | None = None
        self.names_listed = False

    def names(self) -> list[str]:
        """The names of the directory's entries, sorted; none when it cannot be listed."""
        if self._names is None:
            try:
                self._names = sorted(os.listdir(self.directory))
                self.names_listed = True
            except OSError as error:
                self.problems.append(f"{self.directory}: cannot be listed: {why(error)}")
                self._names = []
        return self._names

    def is_usable(self, name: str) -> bool:
        """Whether an entry is a regular file (after symbolic links); a problem when it is not.
        Checked before reading, since opening a FIFO would wait forever."""
        try:
            mode = os.stat(self.directory / name).st_mode
        except FileNotFoundError:
            # Listed, so the entry is there: a symbolic link to nothing.
            self.problems.append(f"{name}: a symbolic link to a missing file")
            return False
        except OSError as error:
            self.problems.append(f"{name}: cannot be read: {why(error)}")
            return False
        if stat.S_ISDIR(mode):
            self.problems.append(f"{name}: a directory, not a file")
        elif not stat.S_ISREG(mode):
            self.problems.append(f"{name}: not a regular file")
        return stat.S_ISREG(mode)

    def read(self, name: str) -> bytes | None:
        """The file's bytes, or None with a problem saying why they cannot be had."""
        path = self.directory / name
        try:
            os.lstat(path)
        except FileNotFoundError:
            self.problems.append(f"{name}: file is missing")
            return None
        except OSError as error:
            self.problems.append(f"{name}: cannot be read: {why(error)}")
            return None
        if not self.is_usable(name):
            return None
        try:
            data = path.read_bytes()
        except OSError as error:
            self.problems.append(f"{name}: cannot be read: {why(error)}")
            return None
        self.digests[name] = hashlib.sha256(data).digest()
        return data

    def digest(self) -> str:
        """A digest of every file read (its name and its bytes' digest), the registry first,
        then by name."""
        digest = hashlib.sha256(LOADER_VERSION.encode())
        names = [ENTITIES_FILE, *sorted(self.digests)]
        for name in dict.fromkeys(names):
            if name in self.digests:
                digest.update(name.encode() + b"\0" + self.digests[name])
        return digest.hexdigest()
