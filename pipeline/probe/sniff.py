"""What a file is, from its first bytes: the gate before any metadata parser.

Contract:

- ``sniff(head) -> str | None``: the container or document format whose
  signature ``head`` (the first bytes of a file, normally the 64 KiB the
  fingerprint reads) starts with, as a short name (``matroska``, ``mp4``,
  ``avi``, ``wav``, ``mpeg-ts``, ``m2ts``, ``mpeg-ps``, ``asf``, ``flv``,
  ``ogg``, ``flac``, ``id3``, ``mpeg-audio``, ``adts``, ``zip``, ``pdf``,
  ``mobi``, ``rar`` ... see ``LABELS``); None when no rule matches. Pure,
  no I/O; well under a millisecond for a media file, a few ms at worst.
- ``check(head, path, cls, tail)`` raises ``ItemFailure`` when no parser
  should be asked about the file, and returns otherwise (``tail`` is the
  end of the file the fingerprint read too):

  ============  ==============================================================
  code          when
  ============  ==============================================================
  empty         the file has no bytes
  incomplete    the head is nothing but zeros: a preallocated download that
                never got its data (sparse files on a NAS look like this)
  unrecognised  the name is one of ``KNOWN`` and the head matches no format
                such a file can hold, or repeats one short pattern
  corrupt       a PDF whose last 64 KiB hold no ``%%EOF``: cut short, and
                pypdf would search the whole file backwards for one
  ============  ==============================================================

- Formats are judged by class, the way the parsers read them: any audio or
  video container passes for a video or audio name (an ``.mkv`` that is
  really MP4 happens, and MediaInfo reads it; an audio-only file under a
  video name is MediaInfo's to reject, as before), books by extension
  (``.epub`` zip, ``.pdf`` PDF, ``.cbz``/``.cbr``/``.cb7`` any comic archive,
  ``.mobi``/``.azw``/``.azw3`` Kindle formats, ``.djvu`` DjVu). A name whose
  extension is not in ``KNOWN`` (one a user added to the scan lists) only
  gets the empty and zero checks: a rule we lack must not fail a file.
- Rules err towards passing a file on: a false "unrecognised" loses a
  file's technical data, a false pass only costs one bounded parser call.
  Signatures of 3 bytes or more at fixed offsets are tried first; the
  weak ones (AC-3's 2-byte syncword) and the rules that hunt for sync
  bytes (MPEG-TS, MPEG audio, ADTS) run only on heads that do not repeat a
  short pattern, since a repeated 32-byte pattern holding 0x47 or 0xFFF
  fools sync-only checks, and MediaInfo with them (it read such a file to
  its end). A repeating head passes only as whole transport packets or
  audio frames (null packets, digital silence).

Sources (the specifications, not other code): EBML (RFC 8794), ISO/IEC
14496-12 box headers and QuickTime atoms, RIFF/RF64 (EBU Tech 3306), ISO/IEC
13818-1 transport packets (188 bytes; 192 in BDAV M2TS with a 4-byte time
code; 204 with Reed-Solomon) and program stream pack headers, the ASF header
object GUID, FLV, Ogg (RFC 3533), FLAC, ID3v2.3/2.4, ISO/IEC 11172-3 and
13818-3 MPEG audio frame headers, ISO/IEC 13818-7 ADTS, APE/WavPack/TTA/
Musepack/CAF/DSF/DSDIFF/AIFF magic numbers, ISO 9660 and ECMA-167 (UDF)
volume descriptors at 32 KiB, APPNOTE.TXT (zip), ISO 32000-1 7.5.2 and
7.5.5 (PDF header, accepted in the first 1024 bytes as readers do; %%EOF on
the last line), AC-3 (ATSC A/52 syncword and bsid), the Palm database header (type/creator at 60:
BOOKMOBI, TEXtREAd), RAR 4/5, 7z and DjVu (AT&TFORM).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from pipeline.core.errors import ItemFailure

__all__ = ["KNOWN", "LABELS", "MAX_PERIOD", "check", "sniff"]

# A head that repeats a pattern this short (or shorter) holds no format.
MAX_PERIOD = 4096

# name -> what a user reads in a message.
LABELS: dict[str, str] = {
    "matroska": "Matroska/WebM", "mp4": "MP4/QuickTime", "avi": "AVI", "wav": "WAV",
    "riff": "a RIFF file", "aiff": "AIFF", "asf": "ASF (WMV/WMA)", "flv": "Flash video",
    "ogg": "Ogg", "flac": "FLAC", "id3": "an ID3 tag (MP3)", "mpeg-audio": "MPEG audio",
    "adts": "AAC (ADTS)", "aac": "AAC (ADIF)", "ac3": "AC-3", "dts": "DTS", "ape": "Monkey's Audio",
    "wavpack": "WavPack", "tta": "TTA", "musepack": "Musepack", "optimfrog": "OptimFROG",
    "tak": "TAK", "caf": "Core Audio", "dsf": "DSF", "dff": "DSDIFF", "amr": "AMR",
    "apev2": "an APEv2 tag", "mpeg-ts": "MPEG-TS", "m2ts": "BDAV MPEG-TS (M2TS)",
    "mpeg-ps": "MPEG-PS (VOB/MPG)", "mpeg-video": "MPEG video", "h264": "raw H.264",
    "hevc": "raw HEVC", "realmedia": "RealMedia", "mxf": "MXF", "disc-image": "a disc image",
    "zip": "a zip archive", "rar": "a RAR archive", "7z": "a 7z archive", "pdf": "a PDF document",
    "mobi": "a Mobipocket/Kindle book", "topaz": "a Kindle Topaz book", "kfx": "a Kindle KFX book",
    "djvu": "a DjVu document",
}
_DOCUMENTS = frozenset({"zip", "rar", "7z", "pdf", "mobi", "topaz", "kfx", "djvu"})
_MEDIA = frozenset(LABELS) - _DOCUMENTS
_COMIC = frozenset({"zip", "rar", "7z"})
_KINDLE = frozenset({"mobi", "topaz", "kfx"})

# Extensions whose content this module can judge; others only get the zero check.
_AV_EXTENSIONS = [
    "mkv", "mk3d", "webm", "mp4", "m4v", "mov", "qt", "3gp", "3g2", "avi", "divx", "wmv", "asf",
    "mpg", "mpeg", "mpe", "m1v", "m2v", "vob", "m2ts", "mts", "m2t", "ts", "flv", "f4v", "ogv",
    "iso", "rm", "rmvb", "mka", "mp3", "mp2", "mpa", "flac", "m4a", "m4b", "m4r", "alac", "aac",
    "ogg", "oga", "opus", "spx", "wav", "wave", "wma", "aiff", "aif", "aifc", "ape", "wv", "tta",
    "mpc", "dsf", "dff", "caf", "amr",
]
_BOOKS: dict[str, frozenset[str]] = {
    "epub": frozenset({"zip"}), "pdf": frozenset({"pdf"}), "cbz": _COMIC, "cbr": _COMIC,
    "cb7": _COMIC, "mobi": _KINDLE, "azw": _KINDLE, "azw3": _KINDLE, "prc": _KINDLE,
    "djvu": frozenset({"djvu"}), "djv": frozenset({"djvu"}),
}
KNOWN: dict[str, frozenset[str]] = {**dict.fromkeys(_AV_EXTENSIONS, _MEDIA), **_BOOKS}

# --- signatures at fixed offsets --------------------------------------------------------

_ASF = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\x1a\x45\xdf\xa3", "matroska"), (_ASF, "asf"), (b"FLV\x01", "flv"), (b"OggS\x00", "ogg"),
    (b"fLaC", "flac"), (b"MAC ", "ape"), (b"wvpk", "wavpack"), (b"TTA1", "tta"),
    (b"MPCK", "musepack"), (b"MP+", "musepack"), (b"OFR ", "optimfrog"), (b"tBaK", "tak"),
    (b"caff", "caf"), (b"DSD ", "dsf"), (b"FRM8", "dff"), (b"#!AMR", "amr"), (b"ADIF", "aac"),
    (b"APETAGEX", "apev2"), (b".RMF", "realmedia"), (b"\x06\x0e\x2b\x34", "mxf"),
    (b"\x7f\xfe\x80\x01", "dts"),
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"PK\x07\x08", "zip"),
    (b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"AT&TFORM", "djvu"),
    (b"TPZ", "topaz"), (b"CONT", "kfx"), (b"\xeaDRMION\xee", "kfx"),
)
_RIFF_FORMS = {b"AVI ": "avi", b"WAVE": "wav"}
_MP4_BOXES = frozenset({b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot",
                        b"uuid", b"styp", b"sidx", b"moof", b"junk"})


def _fixed(head: bytes) -> str | None:
    for magic, name in _PREFIXES:
        if head.startswith(magic):
            return name
    four = head[:4]
    if four in (b"RIFF", b"RIFX"):
        return _RIFF_FORMS.get(head[8:12], "riff")
    if four in (b"RF64", b"BW64"):
        return "wav"
    if four == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[4:8] in _MP4_BOXES and int.from_bytes(head[:4], "big") not in range(2, 8):
        return "mp4"  # a box size of 0 runs to the end, 1 is a 64-bit size
    if four in (b"ID3\x02", b"ID3\x03", b"ID3\x04"):
        return "id3"
    if head[60:68] in (b"BOOKMOBI", b"TEXtREAd"):
        return "mobi"
    if b"%PDF-" in head[:1024]:  # readers accept junk before the header
        return "pdf"
    if head[0x8001:0x8006] in (b"CD001", b"BEA01"):
        return "disc-image"
    return _start_code(head)


def _start_code(head: bytes) -> str | None:
    """MPEG program streams and elementary video: a start code after zero stuffing."""
    first = len(head) - len(head.lstrip(b"\0"))
    if first < 2 or first + 1 >= len(head) or head[first] != 1:
        return None
    code = head[first + 1]
    if code == 0xBA:
        return "mpeg-ps"
    if code == 0xB3:
        return "mpeg-video"
    if first >= 3 and not code & 0x80:  # a 4-byte Annex B start code, then a NAL header
        if code & 0x1F in (7, 9):  # H.264 sequence parameter set / access unit delimiter
            return "h264"
        if (code >> 1) & 0x3F in (32, 35):  # HEVC video parameter set / delimiter
            return "hevc"
    return None


# --- sync hunting --------------------------------------------------------------------------

_TS_PACKETS = 16  # consecutive sync bytes a transport stream must show


# (packet size, offset of the sync byte in it, name)
_TS_LAYOUTS = ((188, 0, "mpeg-ts"), (192, 4, "m2ts"), (204, 0, "mpeg-ts"))


def _transport(head: bytes, period: int | None = None) -> str | None:
    for size, offset, name in _TS_LAYOUTS:
        if period is not None and period % size:
            continue  # a repeated pattern is whole packets or no stream
        # A file cut out of a stream may start mid-packet: try every phase.
        start = head.find(b"\x47", offset, offset + size)
        while start != -1:
            count = min(_TS_PACKETS, (len(head) - start - 1) // size + 1)
            if count >= 3 and head[start::size][:count] == b"\x47" * count:
                return name
            start = head.find(b"\x47", start + 1, offset + size)
    return None


# (MPEG-1, layer bits) -> kbit/s by bitrate index; layer bits 3 = I, 2 = II, 1 = III.
_BITRATES: dict[tuple[bool, int], tuple[int, ...]] = {
    (True, 3): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 1): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 3): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 1): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
# version bits (0 = MPEG-2.5, 2 = MPEG-2, 3 = MPEG-1) -> Hz by sample-rate index.
_SAMPLE_RATES = {0: (11025, 12000, 8000), 2: (22050, 24000, 16000), 3: (44100, 48000, 32000)}
_MAX_CANDIDATES = 4096
_Frame = Callable[[bytes, int], "tuple[int, int] | None"]


def _mpeg_audio_frame(head: bytes, at: int) -> tuple[int, int] | None:
    """(frame length, stream key) of an MPEG audio frame header at ``at``, else None."""
    if at + 4 > len(head) or head[at + 1] & 0xE0 != 0xE0:
        return None
    b1, b2 = head[at + 1], head[at + 2]
    version, layer, rate, sample = (b1 >> 3) & 3, (b1 >> 1) & 3, b2 >> 4, (b2 >> 2) & 3
    if version == 1 or layer == 0 or rate in (0, 15) or sample == 3:
        return None  # reserved values, and free format (no length to follow)
    kbps = _BITRATES[(version == 3, layer)][rate]
    hertz = _SAMPLE_RATES[version][sample]
    padding = (b2 >> 1) & 1
    if layer == 3:
        length = (12 * kbps * 1000 // hertz + padding) * 4
    elif layer == 1 and version != 3:
        length = 72 * kbps * 1000 // hertz + padding
    else:
        length = 144 * kbps * 1000 // hertz + padding
    return length, (b1 & 0xFE) << 8 | (b2 & 0x0C)


def _adts_frame(head: bytes, at: int) -> tuple[int, int] | None:
    if at + 7 > len(head) or head[at + 1] & 0xF6 != 0xF0 or (head[at + 2] >> 2) & 0xF > 12:
        return None
    length = (head[at + 3] & 3) << 11 | head[at + 4] << 3 | head[at + 5] >> 5
    return (length, head[at + 1] << 8 | (head[at + 2] & 0xFD)) if length >= 7 else None


def _frames(head: bytes, frame: _Frame, need: int = 3) -> bool:
    """Some 0xFF starts ``need`` back-to-back frames of one stream (fewer if the head ends).

    At most ``_MAX_CANDIDATES`` 0xFF bytes are tried, so a head full of them
    costs a bounded time.
    """
    at, tried = head.find(b"\xff"), 0
    while at != -1 and tried < _MAX_CANDIDATES:
        tried += 1
        found = frame(head, at)
        if found is not None:
            count, key, end = 1, found[1], at + found[0]
            while count < need and end + 4 <= len(head):
                following = frame(head, end) if head[end] == 0xFF else None
                if following is None or following[1] != key:
                    break
                count, end = count + 1, end + following[0]
            if count >= need or (count >= 2 and end + 4 > len(head)):
                return True
        at = head.find(b"\xff", at + 1)
    return False


def _period(head: bytes) -> int | None:
    """The length of the pattern ``head`` repeats (at most MAX_PERIOD), or None."""
    probe = head[:64]
    at = head.find(probe, 1, MAX_PERIOD + len(probe))
    while at != -1:
        # The tails first: they settle most candidates without copying the head.
        if head[-64:] == head[-64 - at:-at] and head[at:] == head[: len(head) - at]:
            return at
        at = head.find(probe, at + 1, MAX_PERIOD + len(probe))
    return None


def _repeated_units(head: bytes, period: int) -> str | None:
    """A periodic head that is whole packets or frames.

    Transport null packets and the frames of digital silence repeat byte for
    byte; a random pattern is a whole number of packets or frames only by a
    long chance (a 32-byte one never is of 188/192-byte packets).
    """
    found = _transport(head, period)
    if found is not None:
        return found
    for frame, name in ((_mpeg_audio_frame, "mpeg-audio"), (_adts_frame, "adts")):
        start = head.find(b"\xff", 0, period)
        while start != -1:
            end = start
            while end < start + period and head[end] == 0xFF:
                length = frame(head, end)
                if length is None:
                    break
                end += length[0]
            if end == start + period:
                return name
            start = head.find(b"\xff", start + 1, period)
    return None


def sniff(head: bytes) -> str | None:
    """The format ``head`` starts with (see ``LABELS``), or None."""
    if not head:
        return None
    found = _fixed(head)
    if found is not None or len(head) < 64:
        return found
    period = _period(head)
    if period is not None:
        return _repeated_units(head, period)
    if head[:2] == b"\x0b\x77" and head[5] >> 3 <= 16:
        return "ac3"  # a 2-byte syncword, then a bitstream id of 16 or less
    found = _transport(head)
    if found is not None:
        return found
    if _frames(head, _mpeg_audio_frame):
        return "mpeg-audio"
    if _frames(head, _adts_frame):
        return "adts"
    return None


# --- the gate ----------------------------------------------------------------------------------

def _size(n: int) -> str:
    return f"{n // 1024} KiB" if n % 1024 == 0 else f"{n} bytes"


def check(head: bytes, path: str, cls: str, tail: bytes = b"") -> None:
    """Raise ``ItemFailure`` when no parser should read this file (see the module).

    ``tail`` is what the fingerprint read of the file's end past ``head``.
    """
    if not head:
        raise ItemFailure("empty", "the file is empty (0 bytes)")
    if head.count(0) == len(head):
        raise ItemFailure("incomplete",
                          f"looks like an unfinished download: the first {_size(len(head))} "
                          "are zeros")
    extension = os.path.splitext(path)[1][1:].lower()
    allowed = KNOWN.get(extension) if cls in ("video", "audio", "book") else None
    if allowed is None:
        return
    found = sniff(head)
    if found == "pdf" and "pdf" in allowed:
        _pdf_end(head, tail)
    if found in allowed:
        return
    if found is None:
        period = _period(head) if len(head) >= 64 else None
        if period is not None:
            raise ItemFailure("unrecognised", f"the first {_size(len(head))} repeat one "
                              f"{period}-byte pattern: no file format looks like that")
        raise ItemFailure("unrecognised",
                          f"its first bytes match no format a .{extension} file can hold")
    raise ItemFailure("unrecognised",
                      f"its first bytes are {LABELS[found]}, not what a .{extension} file holds")


def _pdf_end(head: bytes, tail: bytes) -> None:
    # Readers find a PDF's cross-reference table from the %%EOF at its end
    # (ISO 32000-1 7.5.5; Acrobat looks in the last 1024 bytes). pypdf, not
    # finding one, searches backwards through the whole file, at some 13 MB/s.
    end = (head + tail)[-len(head):] if len(tail) < len(head) else tail
    if b"%%EOF" not in end:
        raise ItemFailure("corrupt", f"no %%EOF in its last {_size(len(end))}: the PDF is cut "
                                     "short (an unfinished download?)")
