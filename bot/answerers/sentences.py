"""Cut a streamed answer into whole sentences, so that each is checked before the candidate reads it.

A sentence is only emitted once its end is certain: the markers that cite it
may follow its stop, even after a line break, and "Inc." or "Jan." does not
end one.
"""

from __future__ import annotations

import re

from bot.knowledge.text import ABBREVIATION_END

# A sentence ends at . ! ? (before a space, a marker or the end) or at a Chinese stop or a line break;
# the markers and spaces after it belong to it.
# A marker followed by a space also ends a sentence ("… below: [1] The role is …"), unless the next word is lower case.
_TERMINATOR = re.compile(r"[.!?][*_]*(?=\s|[\[【]|$)|[。！？\n]|[\]】](?=\s)")  # "?**": markdown closes it
_TRAILING = re.compile(r"(?:\s*[\[【]\s*\d{1,3}(?:\s*[,;，、]\s*\d{1,3})*\s*[\]】])*[ \t]*\n?")
_OPEN_MARKER = re.compile(r"\s*[\[【][\d,;，、\s]*$")  # a marker whose closing bracket has not come yet


class SentenceSplitter:
    """Cut streamed text into complete sentences, each with the markers that follow it."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, delta: str) -> list[str]:
        """Take more text; return the sentences it completed."""
        self._buffer += delta
        done: list[str] = []
        while True:
            match = _TERMINATOR.search(self._buffer)
            if not match:
                return done
            end = self._end(match)
            if end is None:
                return done  # markers or the next word may still come: wait for more text
            sentence, self._buffer = self._buffer[:end].strip(), self._buffer[end:]
            if sentence:
                done.append(sentence)

    def _end(self, match: re.Match[str] | None) -> int | None:
        """Return where the sentence a terminator closes ends, or None when that is not yet known.

        "Inc. is committed" and "by Jan. 15" do not end at the period: a sentence goes
        on when the next word starts in lower case or with a digit, so the search
        moves to the next terminator.
        """
        while match:
            tail = _TRAILING.match(self._buffer, match.end())
            end = tail.end() if tail else match.end()
            if not self._buffer[end:].strip() or _OPEN_MARKER.match(self._buffer, end):
                return None  # a marker may still come, even on the next line after a space
            if self._buffer[match.start()] == "\n" or "\n" in self._buffer[match.end() : end]:
                return end
            going_on = self._buffer[end].islower() or self._buffer[end].isdigit()  # "by Jan. 15" goes on
            if not going_on and not ABBREVIATION_END.search(self._buffer[: match.end()]):
                return end
            match = _TERMINATOR.search(self._buffer, end)
        return None

    def flush(self) -> list[str]:
        """Return what is left at the end of the stream."""
        rest, self._buffer = self._buffer.strip(), ""
        return [rest] if rest else []
