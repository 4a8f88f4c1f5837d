"""CSV lines that make reading a CSV collection in parts hard, shared by the tests of whole,
streamed, cut and resumed readings (written for these tests)."""
from __future__ import annotations

from hypothesis import strategies as st


def csv_row(n: int) -> bytes:
    """An ordinary row of an ``id,text`` collection: a quoted one-line report."""
    return f'w{n},"Russia sent {10 + n} attack drones at Sumy overnight; {n % 9} were downed. Item {n}."\n'.encode()


#: cells with line breaks, ragged rows, blank lines, CRLF, non-ASCII text, a quote never closed, a lone CR
ODD_LINES = [b"\n", b"w1,\"Two lines:\nRussia fired 9 drones at Lviv.\"\n", b"w2,extra,Kyiv 3 drones\n",
             b',"Caf\xc3\xa9 owners in Odesa counted 4 drones."\r\n', b"w3,\"never closed\n", b"lone,cr\r", b",\n"]

#: a line of either kind
csv_line = st.one_of(st.integers(0, 30).map(csv_row), st.sampled_from(ODD_LINES))
