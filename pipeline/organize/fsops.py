"""File operations organize is built from: none ever replaces an existing file.

Contract:

- ``place(src, dst)`` renames ``src`` to ``dst`` and fails with
  ``FileExistsError`` when ``dst`` exists, atomically: it uses
  ``renameat2(RENAME_NOREPLACE)`` (Linux >= 3.15, on most local filesystems).
  Where the kernel or filesystem refuses that flag it falls back to
  ``link`` + ``unlink``: ``link`` fails on an existing name, and between the
  two calls both names are the same inode, which recovery recognises. On a
  filesystem without hard links (FAT, some SMB mounts) a placeholder is
  created with ``O_EXCL`` and the file renamed over it — the only file that
  rename can replace is our own empty placeholder. A plain ``os.rename``
  would silently replace a file someone put there after we looked: never.
- ``copy_into(src, tmp)`` copies with the kernel's fastest path: a reflink
  (``FICLONE``: shared blocks on Btrfs/XFS), else ``copy_file_range`` (in-kernel,
  server-side on NFS 4.2/SMB3), else ``sendfile``; then mode, timestamps and
  extended attributes (``shutil.copystat``); then fsync. ``tmp`` must not
  exist (``O_EXCL``).
- ``durable(paths)`` makes metadata changes under those paths durable: one
  ``syncfs`` per filesystem instead of one ``fsync`` per folder, which is what
  keeps the journal's overhead bounded on trees of thousands of new folders.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = ["HASH_CHUNK", "copy_into", "device_of", "durable", "file_hash", "fsync_dir", "place",
           "same_file"]

HASH_CHUNK = 1 << 20
_FICLONE = 0x40049409  # _IOW(0x94, 9, int): linux/fs.h
_RENAME_NOREPLACE = 1
_AT_FDCWD = -100
# errno values meaning "this way of doing it is not available here", not "it failed".
_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTTY,
                          errno.EXDEV, errno.EPERM, errno.EBADF})


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True) if name else None
    except OSError:
        return None


@lru_cache(maxsize=1)
def _renameat2_func() -> Any:
    libc = _libc()
    func = getattr(libc, "renameat2", None) if libc is not None else None
    if func is not None:
        func.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint)
        func.restype = ctypes.c_int
    return func


def _renameat2(src: str, dst: str) -> bool:
    """True when renamed; False when the kernel/filesystem can't do NOREPLACE."""
    func = _renameat2_func()
    if func is None:
        return False
    result = func(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst),
                  _RENAME_NOREPLACE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), dst)


def place(src: str, dst: str) -> None:
    """Rename ``src`` to ``dst``; ``FileExistsError`` if ``dst`` exists (see module docs)."""
    if _renameat2(src, dst):
        return
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # No hard links here: claim the name first, then rename over our claim.
        os.close(os.open(dst, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.rename(src, dst)
        return
    os.unlink(src)


def same_file(a: str, b: str) -> bool:
    """Both names are one inode (a ``place`` fallback stopped between link and unlink)."""
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def copy_into(src: str, tmp: str) -> str:
    """Copy ``src`` to the new file ``tmp`` (fsynced, stat copied); the method used."""
    with open(src, "rb") as fin:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            method = _copy_data(fin.fileno(), fd, os.fstat(fin.fileno()).st_size)
            os.fsync(fd)
        finally:
            os.close(fd)
    shutil.copystat(src, tmp, follow_symlinks=False)
    return method


def _copy_data(fin: int, fout: int, size: int) -> str:
    try:
        fcntl.ioctl(fout, _FICLONE, fin)
        return "reflink"
    except OSError as exc:
        if exc.errno not in _UNSUPPORTED:
            raise
    copied = 0
    method = "copy_file_range"
    while copied < size:
        try:
            sent = os.copy_file_range(fin, fout, size - copied, copied, copied)
        except OSError as exc:
            if copied or exc.errno not in _UNSUPPORTED:
                raise
            return _sendfile(fin, fout, size)
        if sent == 0:  # the source shrank under us: copy what is there, verify will tell
            break
        copied += sent
    return method


def _sendfile(fin: int, fout: int, size: int) -> str:
    copied = 0
    while copied < size:
        sent = os.sendfile(fout, fin, copied, min(size - copied, 1 << 30))
        if sent == 0:
            break
        copied += sent
    return "sendfile"


def file_hash(path: str) -> str:
    """BLAKE2b of the whole file: what a copy is verified against before a source goes."""
    digest = hashlib.blake2b(digest_size=32)
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _syncfs(path: str) -> None:
    libc = _libc()
    func = getattr(libc, "syncfs", None) if libc is not None else None
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if func is None or func(fd) != 0:
            os.fsync(fd)  # at least this folder, where syncfs is missing
    finally:
        os.close(fd)


def durable(folders: Iterable[str]) -> None:
    """Make renames, links and new names in ``folders`` durable (one syncfs per device)."""
    seen: set[int] = set()
    for folder in folders:
        try:
            dev = os.stat(folder).st_dev
        except FileNotFoundError:
            continue
        if dev not in seen:
            seen.add(dev)
            _syncfs(folder)


def device_of(path: str) -> tuple[int, str]:
    """The device of ``path``'s nearest existing ancestor, and that ancestor."""
    probe = path
    while True:
        try:
            return os.stat(probe).st_dev, probe
        except FileNotFoundError:
            parent = os.path.dirname(probe)
            if parent == probe:
                raise
            probe = parent
