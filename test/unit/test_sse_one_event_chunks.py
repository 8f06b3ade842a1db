"""One whole ``data: ...`` event per chunk (how LLM servers send) decodes as any other split does."""

from typing import List

from hypothesis import given
from hypothesis import strategies as st

from tachyon_sdk._sse import ServerSentEvent, SSEDecoder

_FIELDS = st.sampled_from(["data: ", "data:", "event: ping\ndata: ", "id: 7\ndata: ", ": keep-alive\ndata: "])
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


def _decode(pieces: List[bytes]) -> List[ServerSentEvent]:
    decoder = SSEDecoder()
    events: List[ServerSentEvent] = []
    for piece in pieces:
        events += decoder.feed(piece)
    return events + decoder.flush()


@given(st.lists(st.tuples(_FIELDS, _TEXT, st.sampled_from(["\n\n", "\r\n\r\n", "\n"])), max_size=8), st.booleans())
def test_event_per_chunk_matches_byte_per_chunk(events: List[tuple], bom: bool) -> None:
    chunks = [f"{field}{text}{end}".encode() for field, text, end in events]
    if bom and chunks:
        chunks[0] = b"\xef\xbb\xbf" + chunks[0]
    whole = b"".join(chunks)
    assert _decode(chunks) == _decode([whole[i : i + 1] for i in range(len(whole))])


def test_multibyte_character_split_before_an_event_chunk() -> None:
    text = "é".encode()
    pieces = [b"data: a" + text[:1], text[1:] + b"\n\n", b'data: {"x": 1}\n\n', b"data: \xc3\xa9\n\n"]
    assert [event.data for event in _decode(pieces)] == ["aé", '{"x": 1}', "é"]


def test_single_data_takes_only_a_whole_data_event_and_consumes_nothing_otherwise() -> None:
    decoder = SSEDecoder()
    decoder.feed(b": ready\n\n")  # the first chunk settles the byte order mark check
    assert decoder.single_data(b'data: {"x": 1}\n\n') == '{"x": 1}'
    for chunk in (b"data: a\ndata: b\n\n", b"event: ping\ndata: 1\n\n", b"data: a\r\n\r\n", b"data: a", b""):
        assert decoder.single_data(chunk) is None
    # nothing was consumed by the refusals: a split event still decodes whole
    assert decoder.feed(b"data: a") == []
    assert decoder.single_data(b"b\n\n") is None
    assert decoder.feed(b"b\n\n") == [ServerSentEvent("message", "ab")]
